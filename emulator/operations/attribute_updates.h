#pragma once
// UpdateItem's legacy AttributeUpdates (PUT / ADD / DELETE per top-level attribute).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/attribute_value.h"

namespace eddy::operations {

struct AttributeUpdate {
  std::string name;
  std::string action;  // PUT, ADD, DELETE
  std::optional<model::AttributeValue> value;
};

// Reads and checks AttributeUpdates (empty when the request has none), with DynamoDB's messages.
std::vector<AttributeUpdate> read_attribute_updates(const nlohmann::json* updates);

// Applies one update to item; throws DynamoDB's type-mismatch error where the types disagree.
void apply_attribute_update(model::Item& item, const AttributeUpdate& update);

}  // namespace eddy::operations
