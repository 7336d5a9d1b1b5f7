#include "operations/item_support.h"

#include <cmath>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/condition_evaluator.h"
#include "model/key_encoding.h"
#include "model/partition_hash.h"

namespace eddy::operations {
namespace {

using model::validation_error;

constexpr size_t kMaxHashKeyBytes = 2048;
constexpr size_t kMaxRangeKeyBytes = 1024;

const std::string kNotValid = "One or more parameter values are not valid. ";

std::string invalid(const std::string& detail) {
  return "One or more parameter values were invalid: " + detail;
}

// DynamoDB words the empty-key error "are not valid." where its other key errors say "were
// invalid:", for items and Key members alike (recorded from AWS by nubo-db/dynamodb-conformance;
// older recordings of GetItem had "were invalid:").
void check_key_value(const model::KeyElement& element, const model::AttributeValue& value,
                     bool is_range) {
  if (value.type() != element.type) {
    throw validation_error(invalid("Type mismatch for key " + element.name +
                                   " expected: " + std::string(model::type_name(element.type)) +
                                   " actual: " + std::string(model::type_name(value.type()))));
  }
  if (value.scalar().empty() && element.type != model::AttributeType::N) {
    throw validation_error(kNotValid +
                           "The AttributeValue for a key attribute cannot contain an empty " +
                           (element.type == model::AttributeType::S ? "string" : "binary") +
                           " value. Key: " + element.name);
  }
  if (!is_range && value.scalar().size() > kMaxHashKeyBytes) {
    throw validation_error(
        invalid("Size of hashkey has exceeded the maximum size limit of2048 bytes"));
  }
  if (is_range && value.scalar().size() > kMaxRangeKeyBytes) {
    throw validation_error(
        invalid("Aggregated size of all range keys has exceeded the size limit of 1024 bytes"));
  }
}

void check_index_key_types(const model::TableDefinition& table, const model::Item& item) {
  for (const auto* group : {&table.local_indexes, &table.global_indexes}) {
    for (const auto& index : *group) {
      std::vector<const model::KeyElement*> elements = {&index.key_schema.hash};
      if (index.key_schema.range) elements.push_back(&*index.key_schema.range);
      for (const model::KeyElement* element : elements) {
        auto found = item.find(element->name);
        if (found == item.end()) continue;
        if (found->second.type() != element->type) {
          throw validation_error(invalid(
              "Type mismatch for Index Key " + element->name +
              " Expected: " + std::string(model::type_name(element->type)) + " Actual: " +
              std::string(model::type_name(found->second.type())) + " IndexName: " + index.name));
        }
        if (found->second.scalar().empty() && element->type != model::AttributeType::N) {
          throw validation_error(
              kNotValid +
              "A value specified for a secondary index key is not supported. The "
              "AttributeValue for a key attribute cannot contain an empty " +
              (element->type == model::AttributeType::S ? "string" : "binary") +
              " value. IndexName: " + index.name + ", IndexKey: " + element->name);
        }
      }
    }
  }
}

}  // namespace

EncodedKey key_of_item(const model::TableDefinition& table, const model::Item& item) {
  EncodedKey key;
  const model::KeySchema& schema = table.key_schema;
  auto hash = item.find(schema.hash.name);
  if (hash == item.end())
    throw validation_error(invalid("Missing the key " + schema.hash.name + " in the item"));
  check_key_value(schema.hash, hash->second, false);
  key.hash = model::encode_key_value(hash->second);
  const model::AttributeValue* range_value = nullptr;
  if (schema.range) {
    auto range = item.find(schema.range->name);
    if (range == item.end()) {
      throw validation_error(invalid("Missing the key " + schema.range->name + " in the item"));
    }
    check_key_value(*schema.range, range->second, true);
    key.range = model::encode_key_value(range->second);
    range_value = &range->second;
  }
  key.partition = model::partition_hash(hash->second);
  key.tie = model::item_hash(hash->second, range_value);
  check_index_key_types(table, item);
  return key;
}

EncodedKey key_of_request(const model::TableDefinition& table, const model::AttributeMap& key) {
  const model::KeySchema& schema = table.key_schema;
  size_t expected = schema.range ? 2 : 1;
  auto hash = key.find(schema.hash.name);
  auto range = schema.range ? key.find(schema.range->name) : key.end();
  if (key.size() != expected || hash == key.end() || (schema.range && range == key.end()) ||
      hash->second.type() != schema.hash.type ||
      (schema.range && range->second.type() != schema.range->type)) {
    throw validation_error("The provided key element does not match the schema");
  }
  EncodedKey encoded;
  check_key_value(schema.hash, hash->second, false);
  encoded.hash = model::encode_key_value(hash->second);
  if (schema.range) {
    check_key_value(*schema.range, range->second, true);
    encoded.range = model::encode_key_value(range->second);
  }
  encoded.partition = model::partition_hash(hash->second);
  encoded.tie = model::item_hash(hash->second, schema.range ? &range->second : nullptr);
  return encoded;
}

CapacityDetail read_capacity_detail(const nlohmann::json& request, Violations& violations) {
  std::optional<std::string> value = string_member(request, "ReturnConsumedCapacity");
  violations.enumeration(value, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"});
  if (value == "TOTAL") return CapacityDetail::Total;
  if (value == "INDEXES") return CapacityDetail::Indexes;
  return CapacityDetail::None;
}

double write_units(size_t old_size, size_t new_size) {
  size_t size = std::max(old_size, new_size);
  return std::max<double>(1.0, std::ceil(static_cast<double>(size) / 1024.0));
}

double read_units(size_t size, bool consistent) {
  double units = std::max<double>(1.0, std::ceil(static_cast<double>(size) / 4096.0));
  return consistent ? units : units / 2.0;
}

std::vector<std::string> touched_global_indexes(const model::TableDefinition& table,
                                                const model::Item* old_item,
                                                const model::Item* new_item) {
  std::vector<std::string> touched;
  auto in_index = [](const model::SecondaryIndex& index, const model::Item* item) {
    if (!item) return false;
    if (!item->count(index.key_schema.hash.name)) return false;
    return !index.key_schema.range || item->count(index.key_schema.range->name) > 0;
  };
  for (const auto& index : table.global_indexes) {
    if (in_index(index, old_item) || in_index(index, new_item)) touched.push_back(index.name);
  }
  return touched;
}

nlohmann::json consumed_capacity(CapacityDetail detail, const std::string& table_name,
                                 double table_units, const std::vector<std::string>& index_names,
                                 double units_per_index) {
  if (detail == CapacityDetail::None) return nullptr;
  double total = table_units + units_per_index * static_cast<double>(index_names.size());
  nlohmann::json capacity = {{"TableName", table_name}, {"CapacityUnits", total}};
  if (detail == CapacityDetail::Indexes) {
    capacity["Table"] = {{"CapacityUnits", table_units}};
    if (!index_names.empty()) {
      nlohmann::json indexes = nlohmann::json::object();
      for (const auto& name : index_names) indexes[name] = {{"CapacityUnits", units_per_index}};
      capacity["GlobalSecondaryIndexes"] = indexes;
    }
  }
  return capacity;
}

WriteOptions read_write_options(const nlohmann::json& request, Violations& violations) {
  WriteOptions options;
  options.table_name = string_member(request, "TableName");
  std::optional<std::string> return_values = string_member(request, "ReturnValues");
  options.capacity = read_capacity_detail(request, violations);
  std::optional<std::string> metrics = string_member(request, "ReturnItemCollectionMetrics");
  violations.enumeration(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  violations.enumeration(return_values, "returnValues",
                         {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
  std::optional<std::string> on_failure =
      string_member(request, "ReturnValuesOnConditionCheckFailure");
  violations.enumeration(on_failure, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
  options.return_old_on_condition_failure = on_failure == "ALL_OLD";
  violations.table_name(options.table_name, "tableName", true);
  options.return_values = return_values.value_or("NONE");
  return options;
}

void require_all_old_or_none(const WriteOptions& options) {
  if (options.return_values != "NONE" && options.return_values != "ALL_OLD") {
    throw validation_error("ReturnValues can only be ALL_OLD or NONE");
  }
}

nlohmann::json write_consumed_capacity(CapacityDetail detail, const model::TableDefinition& table,
                                       const model::Item* old_item, size_t old_size,
                                       const model::Item* new_item, size_t new_size) {
  if (detail == CapacityDetail::None) return nullptr;
  double units = write_units(old_size, new_size);
  std::vector<std::string> indexes = touched_global_indexes(table, old_item, new_item);
  return consumed_capacity(detail, table.name, units, indexes, indexes.empty() ? 0 : units);
}

void check_write_condition(const std::optional<model::expressions::Node>& condition,
                           const model::Item* current_item, bool return_item_on_failure) {
  if (!condition) return;
  static const model::Item kNoItem;
  if (model::expressions::evaluate_condition(*condition, current_item ? *current_item : kNoItem)) {
    return;
  }
  nlohmann::json extra = nlohmann::json::object();
  if (return_item_on_failure && current_item) extra["Item"] = model::to_json(*current_item);
  throw model::ApiError("ConditionalCheckFailedException", "The conditional request failed", 400,
                        std::move(extra));
}

}  // namespace eddy::operations
