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
#include "operations/index_maintenance.h"
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

// Index key attributes of the table's secondary indexes, each with its type and the index that
// declares it (the first, when several do).
struct IndexKey {
  const model::KeyElement* element;
  const std::string* index_name;
};
std::vector<IndexKey> index_keys(const model::TableDefinition& table) {
  std::vector<IndexKey> keys;
  for (const auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (const auto& index : *group) {
      keys.push_back({&index.key_schema.hash, &index.name});
      if (index.key_schema.range) keys.push_back({&*index.key_schema.range, &index.name});
    }
  }
  return keys;
}

const IndexKey* find_index_key(const std::vector<IndexKey>& keys, const std::string& name) {
  for (const auto& key : keys) {
    if (key.element->name == name) return &key;
  }
  return nullptr;
}

// The type a SET value will have whatever the item holds, when the expression alone says so.
std::optional<model::AttributeType> static_type(const expressions::Node& value) {
  switch (value.kind) {
    case expressions::NodeKind::Value:
      return value.value ? std::optional(value.value->type()) : std::nullopt;
    case expressions::NodeKind::Plus:
    case expressions::NodeKind::Minus:
      return model::AttributeType::N;
    case expressions::NodeKind::Function:
      if (value.function == "list_append") return model::AttributeType::L;
      if (value.function == "if_not_exists" && value.children.size() == 2) {
        return static_type(value.children[1]);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// DynamoDB's checks of what an update touches, before the item is read: the table's key
// attributes can't be changed at all; index key attributes only as whole scalars of their type.
void check_touched_keys(const model::TableDefinition& table, const Changes& changes) {
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
  if (!changes.expression) return;
  std::vector<IndexKey> keys = index_keys(table);
  for (const auto& action : changes.expression->actions) {
    const IndexKey* key = find_index_key(keys, action.path.front().name);
    if (!key) continue;
    if (action.path.size() > 1) {
      throw model::validation_error(
          "Key attributes must be scalars; list random access '[]' and "
          "map lookup '.' are not allowed: IndexKey: " +
          key->element->name);
    }
    if (action.clause != expressions::UpdateClause::Set) continue;
    std::optional<model::AttributeType> type = static_type(action.value);
    if (type && *type != key->element->type) {
      throw model::validation_error(
          "One or more parameter values were invalid: Type mismatch for Index Key " +
          key->element->name + " Expected: " + std::string(model::type_name(key->element->type)) +
          " Actual: " + std::string(model::type_name(*type)) + " IndexName: " + *key->index_name);
    }
  }
}

// A SET whose value is only known once computed (a path, a function) may still give an index key
// a type its index can't hold; DynamoDB words that differently from a literal of the wrong type.
void check_computed_index_keys(const model::TableDefinition& table, const Changes& changes,
                               const model::Item& updated) {
  if (!changes.expression) return;
  std::vector<IndexKey> keys = index_keys(table);
  for (const auto& action : changes.expression->actions) {
    if (action.clause != expressions::UpdateClause::Set) continue;
    const IndexKey* key = find_index_key(keys, action.path.front().name);
    if (!key) continue;
    auto found = updated.find(key->element->name);
    if (found != updated.end() && found->second.type() != key->element->type) {
      throw model::validation_error(
          "The update expression attempted to update the secondary index key to unsupported "
          "type");
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
    check_touched_keys(definition, changes);

    std::optional<storage::StoredItem> stored = writer.get_item(table.id, encoded.storage_key());
    std::optional<model::Item> old_item;
    if (stored) old_item = model::decode_item(stored->bytes);
    check_write_condition(condition, old_item ? &*old_item : nullptr,
                          options.return_old_on_condition_failure);
    model::Item item = old_item ? *old_item : model::Item(key.begin(), key.end());
    changes.apply(item);
    check_computed_index_keys(definition, changes, item);

    size_t new_size = model::item_size(item);
    if (new_size > model::kMaxItemSize) {
      throw model::validation_error("Item size to update has exceeded the maximum allowed size");
    }
    // Like DynamoDB, an update always leaves the item in place, even one holding only its key.
    key_of_item(definition, item);  // index keys keep their declared types
    writer.put_item(table.id, encoded.storage_key(), model::encode_item(item),
                    static_cast<int64_t>(new_size));
    update_index_rows(writer, table, encoded, old_item ? &*old_item : nullptr, &item);

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
