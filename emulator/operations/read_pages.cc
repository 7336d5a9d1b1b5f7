#include "operations/read_pages.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/condition_evaluator.h"
#include "model/expressions/projection.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "model/key_encoding.h"
#include "model/partition_hash.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

namespace expressions = model::expressions;
using expressions::Node;
using expressions::NodeKind;
using expressions::Path;
using model::validation_error;

// DynamoDB stops a page once the items it read reach 1 MB.
constexpr int64_t kPageBytes = 1024 * 1024;
constexpr int64_t kUnitBytes = 4096;
constexpr size_t kMaxRangeKeyBytes = 1024;

const std::string kInvalidStartKey = "The provided starting key is invalid";
const std::string kSchemaMismatch = "The provided key element does not match the schema";

bool is_key_of(const model::KeySchema& schema, std::string_view name) {
  return schema.hash.name == name || (schema.range && schema.range->name == name);
}

void collect_paths(const Node& node, std::vector<const Path*>& paths) {
  if (node.kind == NodeKind::Path) paths.push_back(&node.path);
  for (const Node& child : node.children) collect_paths(child, paths);
}

std::set<std::string> filter_attribute_names(const Node& filter) {
  std::vector<const Path*> paths;
  collect_paths(filter, paths);
  std::set<std::string> names;
  for (const Path* path : paths) names.insert(path->front().name);
  return names;
}

bool index_projects(const model::TableDefinition& table, const model::SecondaryIndex& index,
                    const std::string& name) {
  if (index.projection.type == model::ProjectionType::All) return true;
  if (is_key_of(table.key_schema, name) || is_key_of(index.key_schema, name)) return true;
  const auto& included = index.projection.non_key_attributes;
  return index.projection.type == model::ProjectionType::Include &&
         std::find(included.begin(), included.end(), name) != included.end();
}

// "[a, b]", the way DynamoDB prints a Java collection.
std::string bracketed(const std::set<std::string>& names) {
  std::string text = "[";
  for (const std::string& name : names) {
    if (text.size() > 1) text += ", ";
    text += name;
  }
  return text + "]";
}

std::string empty_key_message(const model::KeyElement& element) {
  return "One or more parameter values are not valid. The AttributeValue for a key attribute "
         "cannot contain an empty " +
         std::string(element.type == model::AttributeType::S ? "string" : "binary") +
         " value. Key: " + element.name;
}

// One attribute of an ExclusiveStartKey, encoded. Its absence or type is `missing` / `mismatch`.
std::string start_key_piece(const model::AttributeMap& start_key, const model::KeyElement& element,
                            bool is_range, const std::string& missing, const std::string& mismatch,
                            const std::string& prefix) {
  auto found = start_key.find(element.name);
  if (found == start_key.end()) throw validation_error(missing);
  const model::AttributeValue& value = found->second;
  if (value.type() != element.type) throw validation_error(mismatch);
  if (value.scalar().empty() && element.type != model::AttributeType::N) {
    throw validation_error(prefix + empty_key_message(element));
  }
  if (is_range && value.scalar().size() > kMaxRangeKeyBytes) {
    throw validation_error(prefix +
                           "One or more parameter values were invalid: Aggregated size of all "
                           "range keys has exceeded the size limit of 1024 bytes");
  }
  return model::encode_key_value(value);
}

}  // namespace

const std::vector<std::string_view> kSelectValues = {"SPECIFIC_ATTRIBUTES", "COUNT",
                                                     "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"};

void check_attributes_to_get_length(const nlohmann::json* list, Violations& violations) {
  if (!list) return;
  auto shown = [&] {
    std::string text = "[";
    for (size_t i = 0; i < list->size(); ++i) {
      if (i) text += ", ";
      const nlohmann::json& name = (*list)[i];
      text += name.is_string() ? name.get<std::string>() : name.dump();
    }
    return text + "]";
  };
  if (list->empty()) {
    violations.add(shown(), "attributesToGet",
                   "Member must have length greater than or equal to 1");
  }
  if (list->size() > 255) {
    violations.add(shown(), "attributesToGet", "Member must have length less than or equal to 255");
  }
}

std::optional<model::AttributeMap> read_start_key(const nlohmann::json* start_key) {
  if (!start_key) return std::nullopt;
  try {
    return model::attribute_map_from_json(*start_key);
  } catch (const model::ApiError& error) {
    if (error.type() != "ValidationException") throw;
    const std::string& message = error.message();
    for (const char* bare : {"contains duplicates", "number set", "numeric value",
                             "significant digits", "number with magnitude"}) {
      if (message.find(bare) != std::string::npos) throw;
    }
    throw validation_error(kInvalidStartKey + ": " + message);
  }
}

ReadTarget find_read_target(const TableHandle& table,
                            const std::optional<std::string>& index_name) {
  ReadTarget target;
  target.table = table;
  if (!index_name) return target;
  const model::TableDefinition& definition = *table.definition;
  for (const auto& index : definition.global_indexes) {
    if (index.name == *index_name) {
      target.index = &index;
      target.global = true;
    }
  }
  for (const auto& index : definition.local_indexes) {
    if (index.name == *index_name) target.index = &index;
  }
  if (!target.index) {
    throw validation_error("The table does not have the specified index: " + *index_name);
  }
  // A GSI being added is filled from the table's items before it can answer; it stays so while
  // the -delayTransientStatuses delay runs (without one, the fill ends before UpdateTable does).
  if (target.index->backfilling && now_seconds() < definition.transient_until) {
    throw validation_error("Cannot read from backfilling global secondary index: " + *index_name);
  }
  return target;
}

void check_consistent_read(const ReadTarget& target, bool consistent_read) {
  if (consistent_read && target.global) {
    throw validation_error("Consistent reads are not supported on global secondary indexes");
  }
}

void check_key_paths_are_scalar(const model::TableDefinition& table,
                                const ReadExpressions& expressions) {
  std::vector<std::vector<const Path*>> groups;
  if (expressions.filter) {
    groups.emplace_back();
    collect_paths(*expressions.filter, groups.back());
  }
  if (expressions.projection) {
    groups.emplace_back();
    for (const Path& path : *expressions.projection) groups.back().push_back(&path);
  }
  if (expressions.key_condition) {
    groups.emplace_back();
    collect_paths(*expressions.key_condition, groups.back());
  }
  auto nested_into = [](const std::vector<const Path*>& paths, const std::string& name) {
    return std::any_of(paths.begin(), paths.end(), [&](const Path* path) {
      return path->size() > 1 && path->front().name == name;
    });
  };
  const std::string message =
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
      "allowed: ";
  for (const auto& paths : groups) {
    std::vector<const model::KeyElement*> keys = {&table.key_schema.hash};
    if (table.key_schema.range) keys.push_back(&*table.key_schema.range);
    for (const model::KeyElement* key : keys) {
      if (nested_into(paths, key->name)) throw validation_error(message + "Key: " + key->name);
    }
    // DynamoDB Local names a local index's key before a global one's.
    for (const auto* group : {&table.local_indexes, &table.global_indexes}) {
      for (const auto& index : *group) {
        std::vector<const model::KeyElement*> index_keys = {&index.key_schema.hash};
        if (index.key_schema.range) index_keys.push_back(&*index.key_schema.range);
        for (const model::KeyElement* key : index_keys) {
          if (nested_into(paths, key->name)) {
            throw validation_error(message + "IndexKey: " + key->name);
          }
        }
      }
    }
  }
}

void check_filter_avoids_key(const ReadTarget& target, const ReadExpressions& expressions) {
  if (!expressions.filter) return;
  std::set<std::string> names = filter_attribute_names(*expressions.filter);
  const model::KeySchema& schema = target.key_schema();
  std::vector<const model::KeyElement*> keys = {&schema.hash};
  if (schema.range) keys.push_back(&*schema.range);
  for (const model::KeyElement* key : keys) {
    if (names.count(key->name)) {
      throw validation_error(
          std::string(expressions.legacy_filter ? "QueryFilter" : "Filter Expression") +
          " can only contain non-primary key attributes: Primary key attribute: " + key->name);
    }
  }
}

void check_filter_is_projected(const ReadTarget& target, const ReadExpressions& expressions) {
  if (!target.index || !expressions.filter) return;
  std::set<std::string> missing;
  for (const std::string& name : filter_attribute_names(*expressions.filter)) {
    if (!index_projects(target.definition(), *target.index, name)) missing.insert(name);
  }
  if (!missing.empty()) {
    throw validation_error(
        "One or more parameter values were invalid: Secondary index " + target.index->name +
        " does not project one or more filter attributes: " + bracketed(missing));
  }
}

Select resolve_select(const std::optional<std::string>& select, const ReadTarget& target,
                      const ReadExpressions& expressions) {
  bool projection = expressions.projection.has_value();
  std::string member = expressions.legacy_projection ? "AttributesToGet" : "ProjectionExpression";
  if (!select) {
    if (projection) return Select::SpecificAttributes;
    return target.index ? Select::AllProjectedAttributes : Select::AllAttributes;
  }
  if (*select == "SPECIFIC_ATTRIBUTES") {
    if (!projection) {
      throw validation_error(
          "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
          "SPECIFIC_ATTRIBUTES");
    }
    return Select::SpecificAttributes;
  }
  if (*select == "COUNT") {
    if (projection) {
      throw validation_error("Cannot specify the " + member +
                             " when choosing to get only the Count");
    }
    return Select::Count;
  }
  if (projection) {
    throw validation_error("Cannot specify the " + member + " when choosing to get " + *select);
  }
  if (*select == "ALL_PROJECTED_ATTRIBUTES") {
    if (!target.index) {
      throw validation_error(
          "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    }
    return Select::AllProjectedAttributes;
  }
  return Select::AllAttributes;
}

void check_all_attributes_available(Select select, const ReadTarget& target) {
  if (select != Select::AllAttributes || !target.global) return;
  if (target.index->projection.type == model::ProjectionType::All) return;
  throw validation_error(
      "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
      "for global secondary index " +
      target.index->name + " because its projection type is not ALL");
}

void check_projection_is_projected(const ReadTarget& target, const ReadExpressions& expressions) {
  if (!target.global || !expressions.projection) return;
  std::set<std::string> missing;
  for (const Path& path : *expressions.projection) {
    const std::string& name = path.front().name;
    if (!index_projects(target.definition(), *target.index, name)) missing.insert(name);
  }
  if (!missing.empty()) {
    throw validation_error("One or more parameter values were invalid: Global secondary index " +
                           target.index->name + " does not project " + bracketed(missing));
  }
}

bool needs_table_fetch(const ReadTarget& target, Select select,
                       const ReadExpressions& expressions) {
  if (!target.index || target.global) return false;
  if (target.index->projection.type == model::ProjectionType::All) return false;
  if (select == Select::AllAttributes) return true;
  if (select != Select::SpecificAttributes) return false;
  return std::any_of(
      expressions.projection->begin(), expressions.projection->end(), [&](const Path& path) {
        return !index_projects(target.definition(), *target.index, path.front().name);
      });
}

storage::RowKey start_row_key(const ReadTarget& target, const model::AttributeMap& start_key,
                              bool for_scan) {
  const model::KeySchema& table_key = target.definition().key_schema;
  std::set<std::string> names = {table_key.hash.name};
  if (table_key.range) names.insert(table_key.range->name);
  if (target.index) {
    names.insert(target.index->key_schema.hash.name);
    if (target.index->key_schema.range) names.insert(target.index->key_schema.range->name);
  }
  // DynamoDB words each problem by where it lies. A wrong number of attributes, or a missing
  // index key attribute, is just "invalid"; an index key of the wrong type is a bare schema
  // mismatch. The table key of an index read or of a Scan is checked as a Key member is, under
  // the "invalid" prefix; a table Query reports its own key as an index read reports the index's.
  const std::string prefix = kInvalidStartKey + ": ";
  if (start_key.size() != names.size()) {
    throw validation_error(for_scan && !target.index ? prefix + kSchemaMismatch : kInvalidStartKey);
  }
  storage::RowKey row;
  if (target.index) {
    const model::KeySchema& index_key = target.index->key_schema;
    row.hash_key = start_key_piece(start_key, index_key.hash, false, kInvalidStartKey,
                                   kSchemaMismatch, prefix);
    if (index_key.range) {
      row.range_key = start_key_piece(start_key, *index_key.range, true, kInvalidStartKey,
                                      kSchemaMismatch, prefix);
    }
  }
  const std::string table_mismatch = prefix + kSchemaMismatch;
  bool as_index_key = !for_scan && !target.index;
  const std::string& missing = as_index_key ? kInvalidStartKey : table_mismatch;
  const std::string& mismatch = as_index_key ? kSchemaMismatch : table_mismatch;
  std::string hash = start_key_piece(start_key, table_key.hash, false, missing, mismatch, prefix);
  std::string range;
  if (table_key.range) {
    range = start_key_piece(start_key, *table_key.range, true, missing, mismatch, prefix);
  }
  if (target.index) {
    row.base_hash_key = std::move(hash);
    row.base_range_key = std::move(range);
  } else {
    row.hash_key = std::move(hash);
    row.range_key = std::move(range);
  }
  // Where the key sits in storage's order: its partition's hash, and for index rows the item's
  // hash that orders equal index keys (the pieces were all checked above).
  const model::KeyElement& partition_key =
      target.index ? target.index->key_schema.hash : table_key.hash;
  row.partition = model::partition_hash(start_key.find(partition_key.name)->second);
  const model::AttributeValue* table_range =
      table_key.range ? &start_key.find(table_key.range->name)->second : nullptr;
  row.tie = model::item_hash(start_key.find(table_key.hash.name)->second, table_range);
  return row;
}

std::optional<std::string> prefix_successor(std::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty() && static_cast<unsigned char>(successor.back()) == 0xFF) {
    successor.pop_back();
  }
  if (successor.empty()) return std::nullopt;
  successor.back() = static_cast<char>(static_cast<unsigned char>(successor.back()) + 1);
  return successor;
}

std::optional<std::pair<uint32_t, uint32_t>> segment_hash_range(int64_t segment, int64_t total) {
  constexpr int64_t kBuckets = 4096;
  constexpr int kBucketShift = 20;  // 4096 buckets of 2^20 hashes each
  auto first_bucket = [&](int64_t s) { return (kBuckets * s + total - 1) / total; };
  int64_t first = first_bucket(segment);
  int64_t end = first_bucket(segment + 1);
  if (first >= end) return std::nullopt;
  uint64_t low = static_cast<uint64_t>(first) << kBucketShift;
  uint64_t high = (static_cast<uint64_t>(end) << kBucketShift) - 1;
  return std::make_pair(static_cast<uint32_t>(low), static_cast<uint32_t>(high));
}

double page_read_units(int64_t bytes, bool consistent) {
  double units = static_cast<double>((bytes + kUnitBytes - 1) / kUnitBytes);
  return consistent ? units : units / 2.0;
}

// ---- PageCollector -----------------------------------------------------------------------------

PageCollector::PageCollector(storage::Reader& reader, const ReadTarget& target,
                             const PagePlan& plan)
    : reader_(reader), target_(target), plan_(plan) {}

bool PageCollector::visit(const storage::VisitedRow& row) {
  ++scanned_;
  bytes_read_ += row.size;
  const auto& filter = *plan_.filter;
  // COUNT without a filter needs nothing but the row's existence and size.
  if (filter.has_value() || plan_.select != Select::Count) {
    // The query reads (and fetches) first, and the filter then sees what was read: a fetch
    // costs its read whether or not the filter keeps the item.
    std::optional<model::Item> item = read_item(row);
    if (item && (!filter || expressions::evaluate_condition(*filter, *item))) {
      ++count_;
      if (plan_.select != Select::Count) {
        if (*plan_.projection) *item = expressions::project(*item, **plan_.projection);
        items_.push_back(model::to_json(*item));
      }
    }
  } else {
    ++count_;
  }

  bool full = (plan_.limit && scanned_ >= *plan_.limit) || bytes_read_ >= kPageBytes;
  if (!full) return true;
  bool at_the_end = plan_.single_item_partitions ||
                    (plan_.final_range_key && row.range_key == *plan_.final_range_key);
  if (!at_the_end) last_key_ = last_evaluated_key(row);
  return false;
}

std::optional<model::Item> PageCollector::read_item(const storage::VisitedRow& row) {
  if (!plan_.fetch_from_table) return model::decode_item(row.item);
  std::optional<storage::StoredItem> whole =
      // Only local indexes fetch, and they share the table's partition key and its hash.
      reader_.get_item(target_.table.id, {row.partition, row.base_hash_key, row.base_range_key});
  // An index row always has its item: both change in one transaction, and a read sees one
  // snapshot.
  if (!whole) return std::nullopt;
  // Each fetch is a read of its own, rounded up on its own.
  fetched_table_units_ += (whole->size + kUnitBytes - 1) / kUnitBytes;
  return model::decode_item(whole->bytes);
}

nlohmann::json PageCollector::last_evaluated_key(const storage::VisitedRow& row) const {
  nlohmann::json key = nlohmann::json::object();
  auto put = [&](const model::KeyElement& element, std::string_view bytes) {
    key[element.name] = model::to_json(model::decode_key_value(element.type, bytes));
  };
  const model::KeySchema& table_key = target_.definition().key_schema;
  if (target_.index) {
    const model::KeySchema& index_key = target_.index->key_schema;
    put(index_key.hash, row.hash_key);
    if (index_key.range) put(*index_key.range, row.range_key);
    put(table_key.hash, row.base_hash_key);
    if (table_key.range) put(*table_key.range, row.base_range_key);
  } else {
    put(table_key.hash, row.hash_key);
    if (table_key.range) put(*table_key.range, row.range_key);
  }
  return key;
}

nlohmann::json PageCollector::response() {
  nlohmann::json response = nlohmann::json::object();
  if (plan_.select != Select::Count) response["Items"] = std::move(items_);
  response["Count"] = count_;
  response["ScannedCount"] = scanned_;
  if (!last_key_.is_null()) response["LastEvaluatedKey"] = std::move(last_key_);
  if (plan_.capacity == CapacityDetail::None) return response;

  bool consistent = plan_.consistent_read;
  double table_units = 0;
  double index_units = 0;
  if (target_.index) {
    index_units = page_read_units(bytes_read_, consistent);
    double fetched = static_cast<double>(fetched_table_units_);
    table_units = consistent ? fetched : fetched / 2.0;
  } else {
    table_units = page_read_units(bytes_read_, consistent);
  }
  nlohmann::json capacity = {{"TableName", target_.definition().name},
                             {"CapacityUnits", table_units + index_units}};
  if (plan_.capacity == CapacityDetail::Indexes) {
    capacity["Table"] = {{"CapacityUnits", table_units}};
    if (target_.index) {
      capacity[target_.global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes"] = {
          {target_.index->name, {{"CapacityUnits", index_units}}}};
    }
  }
  response["ConsumedCapacity"] = std::move(capacity);
  return response;
}

}  // namespace eddy::operations
