// PutItem: store an item whole, replacing any item with its key, if its condition holds.
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_size.h"
#include "operations/expression_request.h"
#include "operations/item_writes.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"

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

  ItemWrite write;
  write.kind = ItemWrite::Kind::Put;
  write.table_name = *options.table_name;
  write.item = std::move(item);
  write.item_size = size;
  write.condition = std::move(condition);
  write.return_old_on_condition_failure = options.return_old_on_condition_failure;

  auto self = call.shared_from_this();
  call.write([self, write = std::move(write), want_old, options](storage::Writer& writer) {
    WriteTarget target = locate_write(*self, writer, write);
    AppliedWrite done =
        apply_write(writer, write, target, want_old || options.capacity != CapacityDetail::None);
    json response = json::object();
    if (want_old && done.old_item) response["Attributes"] = model::to_json(*done.old_item);
    if (options.capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] = write_consumed_capacity(
          options.capacity, *target.table.definition, done.old_item ? &*done.old_item : nullptr,
          done.old_size, &write.item, write.item_size);
    }
    return response;
  });
}

}  // namespace eddy::operations
