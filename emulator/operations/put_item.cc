// PutItem: store an item whole, replacing any item with its key, if its condition holds.
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "operations/expression_request.h"
#include "operations/index_maintenance.h"
#include "operations/item_support.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {

void put_item(Call& call) {
  const json& request = call.request();
  const json* item_json = map_member(request, "Item");
  Violations violations;
  WriteOptions options = read_write_options(request, violations);
  violations.not_null(item_json, "item");
  violations.throw_if_any();
  check_expression_style(request, {{"ConditionExpression"}, {"Expected"}});
  model::Item item = model::attribute_map_from_json(*item_json);
  require_all_old_or_none(options);
  size_t size = model::item_size(item);
  if (size > model::kMaxItemSize) {
    throw model::validation_error("Item size has exceeded the maximum allowed size");
  }
  std::optional<model::expressions::Node> condition = expected_condition(request);
  RequestExpressions expressions = read_expressions(request);
  if (expressions.condition) condition = std::move(expressions.condition);
  bool want_old = options.return_values == "ALL_OLD";

  auto self = call.shared_from_this();
  call.write([self, name = *options.table_name, item = std::move(item), size, want_old,
              condition = std::move(condition), options](storage::Writer& writer) {
    TableHandle table = require_table(*self, writer, name);
    EncodedKey key = key_of_item(*table.definition, item);
    std::optional<model::Item> old_item;
    std::optional<storage::StoredItem> previous = writer.put_item(
        table.id, key.storage_key(), model::encode_item(item), static_cast<int64_t>(size));
    bool indexed = has_indexes(*table.definition);
    if (previous &&
        (condition || indexed || want_old || options.capacity != CapacityDetail::None)) {
      old_item = model::decode_item(previous->bytes);
    }
    // The condition is judged after the write, in the same savepoint: a failure rolls it back,
    // and a write that passes reads the old item only once.
    check_write_condition(condition, old_item ? &*old_item : nullptr,
                          options.return_old_on_condition_failure);
    if (indexed) update_index_rows(writer, table, key, old_item ? &*old_item : nullptr, &item);
    json response = json::object();
    if (want_old && old_item) response["Attributes"] = model::to_json(*old_item);
    if (options.capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] = write_consumed_capacity(
          options.capacity, *table.definition, old_item ? &*old_item : nullptr,
          previous ? previous->size : 0, &item, size);
    }
    return response;
  });
}

}  // namespace eddy::operations
