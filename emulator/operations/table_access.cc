#include "operations/table_access.h"

#include "model/api_error.h"

namespace eddy::operations {
namespace {

using nlohmann::json;

json key_schema_json(const model::KeySchema& schema) {
  json elements = json::array();
  elements.push_back({{"AttributeName", schema.hash.name}, {"KeyType", "HASH"}});
  if (schema.range) {
    elements.push_back({{"AttributeName", schema.range->name}, {"KeyType", "RANGE"}});
  }
  return elements;
}

json projection_json(const model::Projection& projection) {
  json result;
  switch (projection.type) {
    case model::ProjectionType::All:
      result["ProjectionType"] = "ALL";
      break;
    case model::ProjectionType::KeysOnly:
      result["ProjectionType"] = "KEYS_ONLY";
      break;
    case model::ProjectionType::Include:
      result["ProjectionType"] = "INCLUDE";
      result["NonKeyAttributes"] = projection.non_key_attributes;
      break;
  }
  return result;
}

json throughput_json(const model::Throughput& throughput) {
  json result = {{"NumberOfDecreasesToday", throughput.number_of_decreases_today},
                 {"ReadCapacityUnits", throughput.read_capacity_units},
                 {"WriteCapacityUnits", throughput.write_capacity_units}};
  if (throughput.last_increase_time > 0) {
    result["LastIncreaseDateTime"] = throughput.last_increase_time;
  }
  if (throughput.last_decrease_time > 0) {
    result["LastDecreaseDateTime"] = throughput.last_decrease_time;
  }
  return result;
}

}  // namespace

std::string table_status(const model::TableDefinition& table, double now) {
  if (!table.transient_status.empty() && now < table.transient_until) {
    return table.transient_status;
  }
  return "ACTIVE";
}

std::string index_status(const model::TableDefinition& table, const model::SecondaryIndex& index,
                         double now) {
  if (index.status != "ACTIVE" && now < table.transient_until) return index.status;
  return "ACTIVE";
}

IndexTotalsById read_index_totals(storage::Reader& reader, int64_t table_id,
                                  const model::TableDefinition& table) {
  IndexTotalsById totals;
  for (const auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (const auto& index : *group) totals[index.id] = reader.index_totals(table_id, index.id);
  }
  return totals;
}

TableHandle require_table(Call& call, storage::Reader& reader, const std::string& name,
                          bool for_items) {
  std::optional<TableHandle> table = call.catalog().find(reader, name);
  if (!table) throw model::resource_not_found();
  if (for_items && table_status(*table->definition, now_seconds()) == "CREATING") {
    throw model::resource_not_found();
  }
  return *table;
}

json describe_index_json(const model::TableDefinition& table, const model::SecondaryIndex& index,
                         bool global, double now, const storage::IndexTotals& totals) {
  // Totals are exact (storage keeps them with every write) where DynamoDB refreshes them about
  // every six hours. Backfilling appears only on an index UpdateTable added, while it is CREATING.
  json entry = {{"IndexName", index.name},
                {"KeySchema", key_schema_json(index.key_schema)},
                {"Projection", projection_json(index.projection)},
                {"IndexSizeBytes", totals.size_bytes},
                {"ItemCount", totals.item_count},
                {"IndexArn", table.arn() + "/index/" + index.name}};
  if (global) {
    // A table still CREATING creates its indexes with it.
    std::string status = table_status(table, now) == "CREATING" ? std::string("CREATING")
                                                                : index_status(table, index, now);
    entry["IndexStatus"] = status;
    if (status == "CREATING" && index.backfilling) entry["Backfilling"] = true;
    model::Throughput throughput = index.throughput.value_or(model::Throughput{});
    entry["ProvisionedThroughput"] = throughput_json(throughput);
  }
  return entry;
}

json describe_table_json(const model::TableDefinition& table, int64_t item_count,
                         int64_t size_bytes, double now, const IndexTotalsById& index_totals) {
  json attribute_definitions = json::array();
  for (const auto& attribute : table.attribute_definitions) {
    attribute_definitions.push_back(
        {{"AttributeName", attribute.name}, {"AttributeType", model::type_name(attribute.type)}});
  }
  json description = {
      {"AttributeDefinitions", attribute_definitions},
      {"TableName", table.name},
      {"KeySchema", key_schema_json(table.key_schema)},
      {"TableStatus", table_status(table, now)},
      {"CreationDateTime", table.creation_time},
      {"ProvisionedThroughput", throughput_json(table.throughput)},
      {"TableSizeBytes", size_bytes},
      {"ItemCount", item_count},
      {"TableArn", table.arn()},
      {"TableId", table.table_id},
      {"DeletionProtectionEnabled", table.deletion_protection},
  };
  if (table.pay_per_request) {
    description["BillingModeSummary"] = {
        {"BillingMode", "PAY_PER_REQUEST"},
        {"LastUpdateToPayPerRequestDateTime", table.billing_mode_changed_time}};
  } else if (table.billing_mode_changed_time > 0) {
    description["BillingModeSummary"] = {
        {"BillingMode", "PROVISIONED"},
        {"LastUpdateToPayPerRequestDateTime", table.billing_mode_changed_time}};
  }
  auto index_json = [&](const model::SecondaryIndex& index, bool global) {
    auto totals = index_totals.find(index.id);
    return describe_index_json(
        table, index, global, now,
        totals == index_totals.end() ? storage::IndexTotals{} : totals->second);
  };
  if (!table.global_indexes.empty()) {
    json indexes = json::array();
    for (const auto& index : table.global_indexes) indexes.push_back(index_json(index, true));
    description["GlobalSecondaryIndexes"] = indexes;
  }
  if (!table.local_indexes.empty()) {
    json indexes = json::array();
    for (const auto& index : table.local_indexes) indexes.push_back(index_json(index, false));
    description["LocalSecondaryIndexes"] = indexes;
  }
  if (table.stream.enabled) {
    description["StreamSpecification"] = {{"StreamEnabled", true},
                                          {"StreamViewType", table.stream.view_type}};
    description["LatestStreamLabel"] = table.stream_label;
    description["LatestStreamArn"] = table.arn() + "/stream/" + table.stream_label;
  }
  if (table.table_class != "STANDARD") {
    description["TableClassSummary"] = {{"TableClass", table.table_class}};
  }
  return description;
}

}  // namespace eddy::operations
