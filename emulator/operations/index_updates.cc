// Where the messages come from: real DynamoDB's where they were recorded against it (entries,
// Delete, Update, throughput, combinations, the index limit), DynamoDB Local 1.25's where nothing
// recorded real DynamoDB (an index key missing from AttributeDefinitions, a redefined attribute
// type). Projection rules are CreateTable's, which real DynamoDB applies to both.
#include "operations/index_updates.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "model/api_error.h"
#include "operations/catalog.h"
#include "operations/index_maintenance.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

using model::validation_error;

std::string invalid(const std::string& detail) {
  return "One or more parameter values were invalid: " + detail;
}

const model::SecondaryIndex* find_index(const std::vector<model::SecondaryIndex>& indexes,
                                        const std::string& name) {
  for (const auto& index : indexes) {
    if (index.name == name) return &index;
  }
  return nullptr;
}

bool creates_or_deletes(const IndexUpdate& update) {
  return update.action != IndexUpdate::Action::Update;
}

// A GSI Update or Delete names an index the table must have, as a GSI.
model::SecondaryIndex& existing_global_index(model::TableDefinition& table,
                                             const IndexUpdate& update) {
  for (auto& index : table.global_indexes) {
    if (index.name == update.index_name) return index;
  }
  if (find_index(table.local_indexes, update.index_name)) {
    throw validation_error(std::string("Cannot ") +
                           (update.action == IndexUpdate::Action::Delete ? "delete" : "update") +
                           " an index that is not a GlobalSecondaryIndex: " + update.index_name);
  }
  throw model::resource_not_found("Requested resource not found: Index " + update.index_name +
                                  " for table " + table.name);
}

// Every key attribute the table still uses (its key, every index key): AttributeDefinitions keeps
// exactly these, so dropping an index drops the definitions only it used.
std::set<std::string> key_attribute_names(const model::TableDefinition& table) {
  std::set<std::string> names;
  auto add = [&](const model::KeySchema& schema) {
    names.insert(schema.hash.name);
    if (schema.range) names.insert(schema.range->name);
  };
  add(table.key_schema);
  for (const auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (const auto& index : *group) add(index.key_schema);
  }
  return names;
}

void create_index(const IndexUpdates& updates, const IndexUpdate& update,
                  model::TableDefinition& table, double delay) {
  const RawIndex& raw = update.create;
  const std::string& name = update.index_name;
  if (find_index(table.global_indexes, name) || find_index(table.local_indexes, name)) {
    throw validation_error("Attempting to create an index which already exists");
  }
  if (!updates.attribute_definitions || updates.attribute_definitions->empty()) {
    throw validation_error(invalid("AttributeDefinitions is not specified for index: " + name));
  }
  if (table.global_indexes.size() >= kMaxGlobalIndexes) {
    throw model::limit_exceeded(
        "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit "
        "of " +
        std::to_string(kMaxGlobalIndexes));
  }
  // The table's definitions, then the request's: only the new index's key attributes need to be
  // given, an attribute may be given again with its type, never with another.
  std::map<std::string, model::AttributeType> defined;
  for (const auto& attribute : table.attribute_definitions) {
    defined.emplace(attribute.name, attribute.type);
  }
  std::map<std::string, model::AttributeType> requested;
  for (const auto& attribute : *updates.attribute_definitions) {
    model::AttributeType type = key_type_named(*attribute.type);
    auto existing = defined.find(*attribute.name);
    if (existing != defined.end() && existing->second != type) {
      throw validation_error(
          "invalid attribute, SchemaElement redefined should be of same type as previously "
          "defined");
    }
    requested[*attribute.name] = type;
  }
  defined.insert(requested.begin(), requested.end());
  model::SecondaryIndex index;
  index.name = name;
  index.key_schema = check_key_schema(raw.key_schema, defined);
  if (!defined.count(index.key_schema.hash.name)) {
    throw validation_error(
        "Global Secondary Index hash key not specified in Attribute Definitions.Type unknown.");
  }
  if (index.key_schema.range && !defined.count(index.key_schema.range->name)) {
    throw validation_error(
        "Global Secondary Index range key not specified in Attribute Definitions.Type unknown.");
  }
  index.projection = *raw.projection;
  check_projection(raw, index.projection);
  if (table.pay_per_request) {
    if (raw.throughput) {
      throw validation_error(invalid(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: " + name +
          " when BillingMode is PAY_PER_REQUEST"));
    }
  } else {
    if (!raw.throughput) {
      throw validation_error(invalid(
          "Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: " + name));
    }
    Violations ignored;  // reported while reading
    model::Throughput throughput =
        parse_throughput(*raw.throughput, raw.path + ".provisionedThroughput", ignored);
    check_throughput_bounds(throughput);
    index.throughput = throughput;
  }
  size_t projected = index.projection.non_key_attributes.size();
  for (const auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (const auto& other : *group) projected += other.projection.non_key_attributes.size();
  }
  if (projected > kMaxProjectedAttributes) {
    throw validation_error(
        invalid("The number of projected attributes in all indexes exceeds the limit of 100"));
  }

  for (const model::KeyElement* element :
       {&index.key_schema.hash, index.key_schema.range ? &*index.key_schema.range : nullptr}) {
    if (!element) continue;
    bool known = std::any_of(table.attribute_definitions.begin(), table.attribute_definitions.end(),
                             [&](const model::KeyElement& e) { return e.name == element->name; });
    if (!known) table.attribute_definitions.push_back(*element);
  }
  // Without a delay the backfill is over before UpdateTable answers; with one the index reads
  // CREATING (backfilling) as long as the table reads UPDATING.
  if (delay > 0) {
    index.status = "CREATING";
    index.backfilling = true;
  }
  table.global_indexes.push_back(std::move(index));
}

void update_index_throughput(const IndexUpdate& update, model::SecondaryIndex& index,
                             bool pay_per_request, double now, double delay) {
  if (pay_per_request) {
    throw validation_error(invalid("The only Updates for index: " + index.name +
                                   " when TableThroughputMode is PAY_PER_REQUEST can be to "
                                   "OnDemandThroughput, WarmThroughput"));
  }
  if (!update.throughput) {
    throw validation_error("No provisioned throughput specified for the global secondary index");
  }
  const model::Throughput& wanted = *update.throughput;
  constexpr int64_t kMaxUnits = 1000000000000;
  if (wanted.read_capacity_units > kMaxUnits || wanted.write_capacity_units > kMaxUnits) {
    throw validation_error(
        "This operation cannot be performed with given input values. Please contact DynamoDB "
        "service team for more info: Action Blocked: IndexUpdate");
  }
  model::Throughput current = index.throughput.value_or(model::Throughput{});
  if (wanted.read_capacity_units == current.read_capacity_units &&
      wanted.write_capacity_units == current.write_capacity_units) {
    std::string of_index = "index " + index.name;
    throw validation_error(
        "The provisioned throughput for the " + of_index +
        " will not change. The requested value equals the current value. Current "
        "ReadCapacityUnits provisioned for " +
        of_index + ": " + std::to_string(current.read_capacity_units) +
        ". Requested ReadCapacityUnits: " + std::to_string(wanted.read_capacity_units) +
        ". Current WriteCapacityUnits provisioned for " + of_index + ": " +
        std::to_string(current.write_capacity_units) +
        ". Requested WriteCapacityUnits: " + std::to_string(wanted.write_capacity_units) +
        ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
        "higher limits.");
  }
  if (index.throughput) {
    if (wanted.read_capacity_units < current.read_capacity_units ||
        wanted.write_capacity_units < current.write_capacity_units) {
      current.last_decrease_time = now;
      current.number_of_decreases_today += 1;
    }
    if (wanted.read_capacity_units > current.read_capacity_units ||
        wanted.write_capacity_units > current.write_capacity_units) {
      current.last_increase_time = now;
    }
  }
  current.read_capacity_units = wanted.read_capacity_units;
  current.write_capacity_units = wanted.write_capacity_units;
  index.throughput = current;
  if (delay > 0 && index.status == "ACTIVE") index.status = "UPDATING";
}

}  // namespace

IndexUpdates read_index_updates(const json& request, Violations& violations) {
  IndexUpdates result;
  if (const json* definitions = list_member(request, "AttributeDefinitions")) {
    result.attribute_definitions = read_attribute_definitions(*definitions, violations);
  }
  const json* list = list_member(request, "GlobalSecondaryIndexUpdates");
  if (!list) return result;
  result.present = true;
  for (size_t i = 0; i < list->size(); ++i) {
    const json& entry = as_structure((*list)[i]);
    std::string path = "globalSecondaryIndexUpdates." + std::to_string(i + 1) + ".member";
    IndexUpdate update;
    // Every action is read (and type-checked) even when the entry has several.
    if (const json* remove = structure_member(entry, "Delete")) {
      update.actions++;
      update.action = IndexUpdate::Action::Delete;
      std::optional<std::string> name = string_member(*remove, "IndexName");
      violations.table_name(name, path + ".delete.indexName", true);
      update.index_name = name.value_or("");
    }
    if (const json* change = structure_member(entry, "Update")) {
      update.actions++;
      update.action = IndexUpdate::Action::Update;
      std::optional<std::string> name = string_member(*change, "IndexName");
      violations.table_name(name, path + ".update.indexName", true);
      update.index_name = name.value_or("");
      if (const json* throughput = structure_member(*change, "ProvisionedThroughput")) {
        update.throughput =
            parse_throughput(*throughput, path + ".update.provisionedThroughput", violations);
      }
    }
    if (const json* create = structure_member(entry, "Create")) {
      update.actions++;
      update.action = IndexUpdate::Action::Create;
      update.create = read_index(*create, path + ".create", violations);
      update.index_name = update.create.name.value_or("");
    }
    result.updates.push_back(std::move(update));
  }
  return result;
}

void check_index_updates(const IndexUpdates& updates, const OtherTableChanges& others) {
  if (!updates.present) return;
  if (updates.updates.empty()) {
    // Alone, an empty list is no change at all (the caller says so); next to a change it is an
    // error of its own.
    if (others.any())
      throw validation_error(invalid("List of GlobalSecondaryIndexUpdates is empty"));
    return;
  }
  for (const auto& update : updates.updates) {
    if (update.actions == 0) {
      throw validation_error(
          invalid("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                  "GlobalSecondaryIndexUpdate.Delete must not be null"));
    }
    if (update.actions > 1) {
      throw validation_error(invalid(
          "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate "
          "object"));
    }
  }
  std::set<std::string> names;
  for (const auto& update : updates.updates) {
    if (!names.insert(update.index_name).second) {
      throw validation_error(
          invalid("Only one global secondary index update per index is allowed simultaneously. "
                  "Index: " +
                  update.index_name));
    }
  }
  size_t structural = std::count_if(updates.updates.begin(), updates.updates.end(),
                                    [](const IndexUpdate& u) { return creates_or_deletes(u); });
  if (structural > 1) {
    throw model::limit_exceeded(
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
        "per table");
  }
  if (structural == 0) return;
  bool creates =
      std::any_of(updates.updates.begin(), updates.updates.end(),
                  [](const IndexUpdate& u) { return u.action == IndexUpdate::Action::Create; });
  if (others.throughput) {
    throw validation_error(invalid("You cannot create or delete index while updating table IOPS"));
  }
  if (others.stream) {
    throw validation_error(
        invalid("You cannot create or delete index while changing stream status"));
  }
  if (creates && others.deletion_protection) {
    throw validation_error(
        invalid("DeletionProtection modification must be the only operation in the request"));
  }
  if (creates && others.table_class) {
    throw validation_error(
        invalid("TableClass modification must be the only operation in the request"));
  }
}

void settle_index_statuses(model::TableDefinition& table, double now) {
  for (auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (auto& index : *group) {
      if (index_status(table, index, now) != "ACTIVE") continue;
      index.status = "ACTIVE";
      index.backfilling = false;
    }
  }
}

AppliedIndexUpdates apply_index_updates(const IndexUpdates& updates, model::TableDefinition& table,
                                        bool switched_to_provisioned, double now, double delay) {
  AppliedIndexUpdates applied;
  std::set<std::string> given_throughput;
  for (const auto& update : updates.updates) {
    switch (update.action) {
      case IndexUpdate::Action::Create:
        create_index(updates, update, table, delay);
        break;
      case IndexUpdate::Action::Update: {
        model::SecondaryIndex& index = existing_global_index(table, update);
        update_index_throughput(update, index, table.pay_per_request, now, delay);
        given_throughput.insert(index.name);
        break;
      }
      case IndexUpdate::Action::Delete: {
        model::SecondaryIndex& index = existing_global_index(table, update);
        applied.deleted_position = static_cast<size_t>(&index - table.global_indexes.data());
        applied.deleted = index;
        table.global_indexes.erase(table.global_indexes.begin() +
                                   static_cast<std::ptrdiff_t>(applied.deleted_position));
        break;
      }
    }
  }
  // Leaving PAY_PER_REQUEST, every index needs its own throughput in the same request.
  if (switched_to_provisioned) {
    std::vector<std::string> missing;
    for (const auto& index : table.global_indexes) {
      if (!index.throughput) missing.push_back(index.name);
    }
    if (!missing.empty()) {
      std::string names;
      for (const auto& name : missing) names += (names.empty() ? "" : ",") + name;
      throw validation_error(
          invalid("ProvisionedThroughput must be specified for index: " + names));
    }
  }
  if (applied.deleted) {
    std::set<std::string> used = key_attribute_names(table);
    std::erase_if(table.attribute_definitions,
                  [&](const model::KeyElement& e) { return !used.count(e.name); });
  }
  model::assign_missing_index_ids(table);
  for (const auto& update : updates.updates) {
    if (update.action != IndexUpdate::Action::Create) continue;
    applied.created_id = find_index(table.global_indexes, update.index_name)->id;
  }
  return applied;
}

void store_index_updates(storage::Writer& writer, int64_t table_id,
                         const model::TableDefinition& table, AppliedIndexUpdates& applied) {
  if (applied.deleted) {
    applied.deleted_totals = writer.index_totals(table_id, applied.deleted->id);
    writer.delete_index(table_id, applied.deleted->id);
  }
  if (applied.created_id) {
    TableHandle handle{table_id, std::make_shared<const model::TableDefinition>(table)};
    for (const auto& index : handle.definition->global_indexes) {
      if (index.id == *applied.created_id) build_index(writer, handle, index);
    }
  }
}

void describe_index_updates(json& description, const model::TableDefinition& table,
                            const AppliedIndexUpdates& applied, double now) {
  if (applied.created_id) {
    for (auto& entry : description["GlobalSecondaryIndexes"]) {
      const model::SecondaryIndex* index =
          find_index(table.global_indexes, entry["IndexName"].get<std::string>());
      if (!index || index->id != *applied.created_id) continue;
      entry["IndexStatus"] = "CREATING";
      entry["Backfilling"] = false;
      entry["IndexSizeBytes"] = 0;
      entry["ItemCount"] = 0;
    }
  }
  if (applied.deleted) {
    json entry = describe_index_json(table, *applied.deleted, true, now, applied.deleted_totals);
    entry["IndexStatus"] = "DELETING";
    entry.erase("Backfilling");
    json& indexes = description["GlobalSecondaryIndexes"];
    if (!indexes.is_array()) indexes = json::array();
    size_t position = std::min(applied.deleted_position, indexes.size());
    indexes.insert(indexes.begin() + static_cast<std::ptrdiff_t>(position), entry);
  }
}

}  // namespace eddy::operations
