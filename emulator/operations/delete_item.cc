// DeleteItem: remove one item by its full key (removing nothing is not an error).
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "operations/item_support.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {

void delete_item(Call& call) {
  const json& request = call.request();
  std::optional<std::string> table_name = string_member(request, "TableName");
  const json* key_json = map_member(request, "Key");
  std::optional<std::string> return_values = string_member(request, "ReturnValues");
  Violations violations;
  CapacityDetail capacity = read_capacity_detail(request, violations);
  std::optional<std::string> metrics = string_member(request, "ReturnItemCollectionMetrics");
  violations.enumeration(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  violations.enumeration(return_values, "returnValues",
                         {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
  violations.table_name(table_name, "tableName", true);
  violations.not_null(key_json, "key");
  violations.throw_if_any();
  model::AttributeMap key = model::attribute_map_from_json(*key_json);
  if (return_values && *return_values != "NONE" && *return_values != "ALL_OLD") {
    throw model::validation_error("ReturnValues can only be ALL_OLD or NONE");
  }
  reject_unsupported_members(request, {"ConditionExpression", "Expected",
                                       "ExpressionAttributeNames", "ExpressionAttributeValues",
                                       "ConditionalOperator"});
  bool want_old = return_values == "ALL_OLD";

  auto self = call.shared_from_this();
  call.write([self, name = *table_name, key = std::move(key), want_old,
              capacity](storage::Writer& writer) {
    TableHandle table = require_table(*self, writer, name);
    EncodedKey encoded = key_of_request(*table.definition, key);
    std::optional<storage::StoredItem> previous =
        writer.delete_item(table.id, encoded.hash, encoded.range);
    json response = json::object();
    std::optional<model::Item> old_item;
    if (previous) old_item = model::decode_item(previous->bytes);
    if (want_old && old_item) response["Attributes"] = model::to_json(*old_item);
    if (capacity != CapacityDetail::None) {
      double units = write_units(previous ? previous->size : 0, 0);
      auto indexes =
          touched_global_indexes(*table.definition, old_item ? &*old_item : nullptr, nullptr);
      response["ConsumedCapacity"] =
          consumed_capacity(capacity, name, units, indexes, indexes.empty() ? 0 : units);
    }
    return response;
  });
}

}  // namespace eddy::operations
