// UpdateItem: change an item in place (creating it if need be), by UpdateExpression or by the
// legacy AttributeUpdates, if its condition holds.
#include "model/attribute_json.h"
#include "model/expressions/projection.h"
#include "operations/expression_request.h"
#include "operations/item_writes.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"

namespace eddy::operations {
namespace {

namespace expressions = model::expressions;

json returned_attributes(const std::string& returning, const std::optional<model::Item>& old_item,
                         const model::Item& new_item, const ItemChanges& changes) {
  if (returning == "ALL_OLD") return old_item ? model::to_json(*old_item) : json();
  if (returning == "ALL_NEW") return model::to_json(new_item);
  const model::Item* source = returning == "UPDATED_OLD"   ? (old_item ? &*old_item : nullptr)
                              : returning == "UPDATED_NEW" ? &new_item
                                                           : nullptr;
  if (!source) return json();
  model::Item changed = expressions::project(*source, changes.paths());
  return changed.empty() ? json() : model::to_json(changed);
}

}  // namespace

void update_item(Call& call) {
  const json& request = call.request();
  const json* key_json = map_member(request, "Key");
  const json* updates_json = map_member(request, "AttributeUpdates");
  Violations violations;
  WriteOptions options = read_write_options(request, violations);
  violations.not_null(key_json, "key");
  violations.throw_if_any();
  check_expression_style(
      request, {{"UpdateExpression", "ConditionExpression"}, {"AttributeUpdates", "Expected"}});
  model::AttributeMap key = model::attribute_map_from_json(*key_json);
  ItemChanges changes;
  changes.attribute_updates = read_attribute_updates(updates_json);
  std::optional<expressions::Node> condition = expected_condition(request);
  RequestExpressions expressions = read_expressions(request);
  if (expressions.condition) condition = std::move(expressions.condition);
  changes.expression = std::move(expressions.update);

  ItemWrite write;
  write.kind = ItemWrite::Kind::Update;
  write.table_name = *options.table_name;
  write.key = std::move(key);
  write.changes = std::move(changes);
  write.condition = std::move(condition);
  write.return_old_on_condition_failure = options.return_old_on_condition_failure;

  auto self = call.shared_from_this();
  call.write([self, write = std::move(write), options](storage::Writer& writer) {
    WriteTarget target = locate_write(*self, writer, write);
    AppliedWrite done = apply_write(writer, write, target, true);
    json response = json::object();
    json attributes =
        returned_attributes(options.return_values, done.old_item, *done.new_item, write.changes);
    if (!attributes.is_null()) response["Attributes"] = std::move(attributes);
    if (options.capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] = write_consumed_capacity(
          options.capacity, *target.table.definition, done.old_item ? &*done.old_item : nullptr,
          done.old_size, &*done.new_item, done.new_size);
    }
    return response;
  });
}

}  // namespace eddy::operations
