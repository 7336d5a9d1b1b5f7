// GetItem: one item by its full key, whole or projected.
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/projection.h"
#include "model/item_codec.h"
#include "operations/expression_request.h"
#include "operations/item_support.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {

void get_item(Call& call) {
  const json& request = call.request();
  std::optional<std::string> table_name = string_member(request, "TableName");
  const json* key_json = map_member(request, "Key");
  const json* attributes_to_get_json = list_member(request, "AttributesToGet");
  std::optional<bool> consistent = boolean_member(request, "ConsistentRead");
  Violations violations;
  CapacityDetail capacity = read_capacity_detail(request, violations);
  if (attributes_to_get_json && attributes_to_get_json->empty()) {
    violations.add("[]", "attributesToGet", "Member must have length greater than or equal to 1");
  }
  violations.table_name(table_name, "tableName", true);
  violations.not_null(key_json, "key");
  violations.throw_if_any();
  check_expression_style(request, {{"ProjectionExpression"}, {"AttributesToGet"}});
  model::AttributeMap key = model::attribute_map_from_json(*key_json);
  std::optional<std::vector<model::expressions::Path>> projection = attributes_to_get(request);
  RequestExpressions expressions = read_expressions(request);
  if (expressions.projection) projection = std::move(expressions.projection->paths);

  call.reply(call.database().read([&](storage::Reader& reader) {
    TableHandle table = require_table(call, reader, *table_name);
    EncodedKey encoded = key_of_request(*table.definition, key);
    std::optional<storage::StoredItem> stored = reader.get_item(table.id, encoded.storage_key());
    json response = json::object();
    if (stored) {
      model::Item item = model::decode_item(stored->bytes);
      if (projection) item = model::expressions::project(item, *projection);
      response["Item"] = model::to_json(item);
    }
    if (capacity != CapacityDetail::None) {
      double units =
          read_units(stored ? static_cast<size_t>(stored->size) : 0, consistent.value_or(false));
      response["ConsumedCapacity"] = consumed_capacity(capacity, *table_name, units);
    }
    return response;
  }));
}

}  // namespace eddy::operations
