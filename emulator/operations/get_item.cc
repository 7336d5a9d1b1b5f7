// GetItem: one item by its full key.
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "operations/item_support.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {

void get_item(Call& call) {
  const json& request = call.request();
  std::optional<std::string> table_name = string_member(request, "TableName");
  const json* key_json = map_member(request, "Key");
  const json* attributes_to_get = list_member(request, "AttributesToGet");
  std::optional<bool> consistent = boolean_member(request, "ConsistentRead");
  Violations violations;
  CapacityDetail capacity = read_capacity_detail(request, violations);
  if (attributes_to_get && attributes_to_get->empty()) {
    violations.add("[]", "attributesToGet", "Member must have length greater than or equal to 1");
  }
  violations.table_name(table_name, "tableName", true);
  violations.not_null(key_json, "key");
  violations.throw_if_any();
  model::AttributeMap key = model::attribute_map_from_json(*key_json);
  reject_unsupported_members(request, {"ProjectionExpression", "ExpressionAttributeNames"});
  std::vector<std::string> wanted;
  if (attributes_to_get) {
    for (const json& name : *attributes_to_get) {
      std::string attribute = as_string(name);
      if (std::find(wanted.begin(), wanted.end(), attribute) != wanted.end()) {
        throw model::validation_error(
            "One or more parameter values were invalid: Duplicate value in attribute name: " +
            attribute);
      }
      wanted.push_back(attribute);
    }
  }

  call.reply(call.database().read([&](storage::Reader& reader) {
    TableHandle table = require_table(call, reader, *table_name);
    EncodedKey encoded = key_of_request(*table.definition, key);
    std::optional<storage::StoredItem> stored = reader.get_item(table.id, encoded.hash,
                                                                encoded.range);
    json response = json::object();
    if (stored) {
      model::Item item = model::decode_item(stored->bytes);
      if (!wanted.empty()) {
        model::Item projected;
        for (const auto& name : wanted) {
          auto found = item.find(name);
          if (found != item.end()) projected.emplace(found->first, found->second);
        }
        item = std::move(projected);
      }
      response["Item"] = model::to_json(item);
    }
    if (capacity != CapacityDetail::None) {
      double units = read_units(stored ? static_cast<size_t>(stored->size) : 0,
                                consistent.value_or(false));
      response["ConsumedCapacity"] = consumed_capacity(capacity, *table_name, units);
    }
    return response;
  }));
}

}  // namespace eddy::operations
