// DeleteItem: remove one item by its full key if its condition holds (removing nothing is not an
// error).
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "operations/expression_request.h"
#include "operations/item_writes.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"

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

  ItemWrite write;
  write.kind = ItemWrite::Kind::Delete;
  write.table_name = *options.table_name;
  write.key = std::move(key);
  write.condition = std::move(condition);
  write.return_old_on_condition_failure = options.return_old_on_condition_failure;

  auto self = call.shared_from_this();
  call.write([self, write = std::move(write), want_old, options](storage::Writer& writer) {
    WriteTarget target = locate_write(*self, writer, write);
    AppliedWrite done = apply_write(writer, write, target, true);
    json response = json::object();
    if (want_old && done.old_item) response["Attributes"] = model::to_json(*done.old_item);
    if (options.capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] = write_consumed_capacity(
          options.capacity, *target.table.definition, done.old_item ? &*done.old_item : nullptr,
          done.old_size, nullptr, 0);
    }
    return response;
  });
}

}  // namespace eddy::operations
