// DeleteItem: remove one item by its full key if its condition holds (removing nothing is not an
// error).
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "operations/expression_request.h"
#include "operations/index_maintenance.h"
#include "operations/item_support.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {

void delete_item(Call& call) {
  const json& request = call.request();
  const json* key_json = map_member(request, "Key");
  Violations violations;
  WriteOptions options = read_write_options(request, violations);
  violations.not_null(key_json, "key");
  violations.throw_if_any();
  check_expression_style(request, {{"ConditionExpression"}, {"Expected"}});
  model::AttributeMap key = model::attribute_map_from_json(*key_json);
  require_all_old_or_none(options);
  std::optional<model::expressions::Node> condition = expected_condition(request);
  RequestExpressions expressions = read_expressions(request);
  if (expressions.condition) condition = std::move(expressions.condition);
  bool want_old = options.return_values == "ALL_OLD";

  auto self = call.shared_from_this();
  call.write([self, name = *options.table_name, key = std::move(key), want_old,
              condition = std::move(condition), options](storage::Writer& writer) {
    TableHandle table = require_table(*self, writer, name);
    EncodedKey encoded = key_of_request(*table.definition, key);
    std::optional<model::Item> old_item;
    std::optional<storage::StoredItem> previous =
        writer.delete_item(table.id, encoded.storage_key());
    if (previous) old_item = model::decode_item(previous->bytes);
    // Judged after the delete, in the same savepoint: a failed condition rolls it back.
    check_write_condition(condition, old_item ? &*old_item : nullptr,
                          options.return_old_on_condition_failure);
    update_index_rows(writer, table, encoded, old_item ? &*old_item : nullptr, nullptr);
    json response = json::object();
    if (want_old && old_item) response["Attributes"] = model::to_json(*old_item);
    if (options.capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] = write_consumed_capacity(
          options.capacity, *table.definition, old_item ? &*old_item : nullptr,
          previous ? previous->size : 0, nullptr, 0);
    }
    return response;
  });
}

}  // namespace eddy::operations
