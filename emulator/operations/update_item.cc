// UpdateItem: change an item in place (creating it if need be), by UpdateExpression or by the
// legacy AttributeUpdates, if its condition holds.
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/projection.h"
#include "model/expressions/update_applier.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "operations/attribute_updates.h"
#include "operations/expression_request.h"
#include "operations/item_support.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

namespace expressions = model::expressions;

// What the request asks to change, in either form.
struct Changes {
  std::optional<expressions::UpdateExpression> expression;
  std::vector<AttributeUpdate> attribute_updates;

  // The paths UPDATED_OLD and UPDATED_NEW return.
  std::vector<expressions::Path> paths() const {
    std::vector<expressions::Path> result;
    if (expression) {
      for (const auto& action : expression->actions) result.push_back(action.path);
    } else {
      for (const auto& update : attribute_updates) {
        result.push_back({expressions::PathStep::member(update.name)});
      }
    }
    return result;
  }

  void apply(model::Item& item) const {
    if (expression) {
      expressions::apply_update(*expression, item);
      return;
    }
    for (const auto& update : attribute_updates) apply_attribute_update(item, update);
  }
};

void reject_key_updates(const model::TableDefinition& table, const Changes& changes) {
  for (const auto& path : changes.paths()) {
    const std::string& name = path.front().name;
    bool is_key = name == table.key_schema.hash.name ||
                  (table.key_schema.range && name == table.key_schema.range->name);
    if (is_key) {
      throw model::validation_error(
          "One or more parameter values were invalid: Cannot update "
          "attribute " +
          name + ". This attribute is part of the key");
    }
  }
}

json returned_attributes(const std::string& returning, const std::optional<model::Item>& old_item,
                         const model::Item& new_item, const Changes& changes) {
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
  Changes changes;
  changes.attribute_updates = read_attribute_updates(updates_json);
  std::optional<expressions::Node> condition = expected_condition(request);
  RequestExpressions expressions = read_expressions(request);
  if (expressions.condition) condition = std::move(expressions.condition);
  changes.expression = std::move(expressions.update);

  auto self = call.shared_from_this();
  call.write([self, name = *options.table_name, key = std::move(key), changes = std::move(changes),
              condition = std::move(condition), options](storage::Writer& writer) {
    TableHandle table = require_table(*self, writer, name);
    const model::TableDefinition& definition = *table.definition;
    EncodedKey encoded = key_of_request(definition, key);
    reject_key_updates(definition, changes);

    std::optional<storage::StoredItem> stored =
        writer.get_item(table.id, encoded.hash, encoded.range);
    std::optional<model::Item> old_item;
    if (stored) old_item = model::decode_item(stored->bytes);
    check_write_condition(condition, old_item ? &*old_item : nullptr,
                          options.return_old_on_condition_failure);
    model::Item item = old_item ? *old_item : model::Item(key.begin(), key.end());
    changes.apply(item);

    size_t new_size = model::item_size(item);
    if (new_size > model::kMaxItemSize) {
      throw model::validation_error("Item size to update has exceeded the maximum allowed size");
    }
    // Like DynamoDB, an update always leaves the item in place, even one holding only its key.
    key_of_item(definition, item);  // index keys keep their declared types
    writer.put_item(table.id, encoded.hash, encoded.range, model::encode_item(item),
                    static_cast<int64_t>(new_size));

    json response = json::object();
    json attributes = returned_attributes(options.return_values, old_item, item, changes);
    if (!attributes.is_null()) response["Attributes"] = std::move(attributes);
    if (options.capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] =
          write_consumed_capacity(options.capacity, definition, old_item ? &*old_item : nullptr,
                                  stored ? stored->size : 0, &item, new_size);
    }
    return response;
  });
}

}  // namespace eddy::operations
