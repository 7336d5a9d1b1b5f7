#pragma once
// DynamoDB's typed JSON ({"S": "x"}, {"N": "1"}, ...) and the plain values the app works with.
#include <nlohmann/json.hpp>
#include <string>

namespace cruddur::dynamodb {

// An item as plain JSON: strings stay strings, numbers become JSON numbers, sets lists, maps
// objects (the shape boto3's resource layer gives Python code).
nlohmann::json plain_item(const nlohmann::json& item);
nlohmann::json plain_value(const nlohmann::json& value);

// {"S": text}
nlohmann::json string_value(const std::string& text);

// The text of an item's String attribute `name`; "" when it is missing or not a String.
std::string string_member(const nlohmann::json& item, const std::string& name);

}  // namespace cruddur::dynamodb
