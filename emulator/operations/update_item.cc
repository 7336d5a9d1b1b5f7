// UpdateItem with the legacy AttributeUpdates (PUT / ADD / DELETE per attribute); the
// UpdateExpression form arrives with the expressions issue.
#include <algorithm>
#include <set>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "model/number.h"
#include "operations/item_support.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

using model::AttributeType;
using model::AttributeValue;

std::string invalid(const std::string& detail) {
  return "One or more parameter values were invalid: " + detail;
}

struct AttributeUpdate {
  std::string name;
  std::string action;  // PUT, ADD, DELETE
  std::optional<AttributeValue> value;
};

std::vector<AttributeUpdate> read_attribute_updates(const json* updates) {
  std::vector<AttributeUpdate> result;
  if (!updates) return result;
  Violations violations;
  for (const auto& [name, entry] : updates->items()) {
    const json& update = as_structure(entry);
    AttributeUpdate parsed;
    parsed.name = name;
    std::optional<std::string> action = string_member(update, "Action");
    violations.enumeration(action, "attributeUpdates." + name + ".member.action",
                           {"ADD", "PUT", "DELETE"});
    parsed.action = action.value_or("PUT");
    if (const json* value = member(update, "Value")) {
      parsed.value = model::attribute_from_json(*value);
    }
    result.push_back(std::move(parsed));
  }
  violations.throw_if_any();
  for (const auto& update : result) {
    if (!update.value && update.action != "DELETE") {
      throw model::validation_error(
          invalid("Only DELETE action is allowed when no attribute value is specified"));
    }
    if (update.value && update.action == "DELETE" && !update.value->is_set()) {
      throw model::validation_error(invalid("DELETE action with value is not supported for the "
                                            "type " +
                                            std::string(model::type_name(update.value->type()))));
    }
    if (update.value && update.action == "ADD") {
      AttributeType type = update.value->type();
      if (type != AttributeType::N && !update.value->is_set() && type != AttributeType::L) {
        throw model::validation_error(invalid("ADD action is not supported for the type " +
                                              std::string(model::type_name(type))));
      }
    }
  }
  return result;
}

void add_to_set(AttributeValue& target, const AttributeValue& addition) {
  auto& elements = target.set_elements();
  for (const auto& element : addition.set_elements()) {
    if (std::find(elements.begin(), elements.end(), element) == elements.end()) {
      elements.push_back(element);
    }
  }
}

// Applies one update to item; throws DynamoDB's type-mismatch error where the types disagree.
void apply_update(model::Item& item, const AttributeUpdate& update) {
  auto existing = item.find(update.name);
  if (update.action == "PUT") {
    item.insert_or_assign(update.name, *update.value);
    return;
  }
  if (update.action == "DELETE") {
    if (!update.value) {
      if (existing != item.end()) item.erase(existing);
      return;
    }
    if (existing == item.end()) return;
    if (existing->second.type() != update.value->type()) {
      throw model::validation_error("Type mismatch for attribute to update");
    }
    auto& elements = existing->second.set_elements();
    for (const auto& removed : update.value->set_elements()) {
      elements.erase(std::remove(elements.begin(), elements.end(), removed), elements.end());
    }
    if (elements.empty()) item.erase(existing);
    return;
  }
  // ADD
  if (existing == item.end()) {
    item.emplace(update.name, *update.value);
    return;
  }
  AttributeValue& current = existing->second;
  if (current.type() != update.value->type()) {
    throw model::validation_error("Type mismatch for attribute to update");
  }
  if (current.type() == AttributeType::N) {
    model::Number sum =
        model::Number::parse(current.scalar()) + model::Number::parse(update.value->scalar());
    current = AttributeValue::number(sum.to_string());
  } else if (current.type() == AttributeType::L) {
    for (const auto& element : update.value->list_elements()) {
      current.list_elements().push_back(element);
    }
  } else {
    add_to_set(current, *update.value);
  }
}

model::Item only(const model::Item& item, const std::set<std::string>& names) {
  model::Item subset;
  for (const auto& name : names) {
    auto found = item.find(name);
    if (found != item.end()) subset.emplace(found->first, found->second);
  }
  return subset;
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
  model::AttributeMap key = model::attribute_map_from_json(*key_json);
  std::vector<AttributeUpdate> updates = read_attribute_updates(updates_json);
  reject_unsupported_members(request, {"UpdateExpression", "ConditionExpression", "Expected",
                                       "ExpressionAttributeNames", "ExpressionAttributeValues",
                                       "ConditionalOperator"});
  std::string returning = options.return_values;

  auto self = call.shared_from_this();
  call.write([self, name = *options.table_name, key = std::move(key),
              updates = std::move(updates), returning,
              capacity = options.capacity](storage::Writer& writer) {
    TableHandle table = require_table(*self, writer, name);
    const model::TableDefinition& definition = *table.definition;
    EncodedKey encoded = key_of_request(definition, key);
    std::set<std::string> key_names = {definition.key_schema.hash.name};
    if (definition.key_schema.range) key_names.insert(definition.key_schema.range->name);
    std::set<std::string> touched;
    for (const auto& update : updates) {
      if (key_names.count(update.name)) {
        throw model::validation_error(invalid("Cannot update attribute " + update.name +
                                              ". This attribute is part of the key"));
      }
      touched.insert(update.name);
    }

    std::optional<storage::StoredItem> stored = writer.get_item(table.id, encoded.hash,
                                                                encoded.range);
    std::optional<model::Item> old_item;
    if (stored) old_item = model::decode_item(stored->bytes);
    model::Item item = old_item ? *old_item : model::Item(key.begin(), key.end());
    for (const auto& update : updates) apply_update(item, update);

    size_t new_size = model::item_size(item);
    if (new_size > model::kMaxItemSize) {
      throw model::validation_error("Item size to update has exceeded the maximum allowed size");
    }
    // Like DynamoDB, an update always leaves the item in place, even one holding only its key.
    key_of_item(definition, item);  // index keys keep their declared types
    writer.put_item(table.id, encoded.hash, encoded.range, model::encode_item(item),
                    static_cast<int64_t>(new_size));

    json response = json::object();
    if (returning == "ALL_OLD" && old_item) {
      response["Attributes"] = model::to_json(*old_item);
    } else if (returning == "ALL_NEW") {
      response["Attributes"] = model::to_json(item);
    } else if (returning == "UPDATED_OLD" && old_item) {
      model::Item changed = only(*old_item, touched);
      if (!changed.empty()) response["Attributes"] = model::to_json(changed);
    } else if (returning == "UPDATED_NEW") {
      model::Item changed = only(item, touched);
      if (!changed.empty()) response["Attributes"] = model::to_json(changed);
    }
    if (capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] =
          write_consumed_capacity(capacity, definition, old_item ? &*old_item : nullptr,
                                  stored ? stored->size : 0, &item, new_size);
    }
    return response;
  });
}

}  // namespace eddy::operations
