#include "operations/attribute_updates.h"

#include <algorithm>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/number.h"
#include "operations/request_reader.h"

namespace eddy::operations {
namespace {

using model::AttributeType;
using model::AttributeValue;

std::string invalid(const std::string& detail) {
  return "One or more parameter values were invalid: " + detail;
}

}  // namespace

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
      throw model::validation_error(
          invalid("DELETE action with value is not supported for the "
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

namespace {

void add_to_set(AttributeValue& target, const AttributeValue& addition) {
  auto& elements = target.set_elements();
  for (const auto& element : addition.set_elements()) {
    if (std::find(elements.begin(), elements.end(), element) == elements.end()) {
      elements.push_back(element);
    }
  }
}

}  // namespace

void apply_attribute_update(model::Item& item, const AttributeUpdate& update) {
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

}  // namespace eddy::operations
