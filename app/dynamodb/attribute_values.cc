#include "dynamodb/attribute_values.h"

namespace cruddur::dynamodb {

nlohmann::json plain_value(const nlohmann::json& value) {
  if (!value.is_object() || value.size() != 1) return value;
  // Through a named iterator: items()' proxy is a temporary, and a binding to what its
  // iterator yields would outlive it.
  auto member = value.begin();
  const std::string& type = member.key();
  const nlohmann::json& content = member.value();
  if (type == "S" || type == "B" || type == "BOOL") return content;
  if (type == "NULL") return nullptr;
  if (type == "N") return nlohmann::json::parse(content.get<std::string>(), nullptr, false);
  if (type == "SS" || type == "BS") return content;
  if (type == "NS") {
    nlohmann::json numbers = nlohmann::json::array();
    for (const auto& number : content) {
      numbers.push_back(nlohmann::json::parse(number.get<std::string>(), nullptr, false));
    }
    return numbers;
  }
  if (type == "L") {
    nlohmann::json elements = nlohmann::json::array();
    for (const auto& element : content) elements.push_back(plain_value(element));
    return elements;
  }
  if (type == "M") return plain_item(content);
  return value;
}

nlohmann::json plain_item(const nlohmann::json& item) {
  nlohmann::json plain = nlohmann::json::object();
  for (const auto& [name, value] : item.items()) plain[name] = plain_value(value);
  return plain;
}

nlohmann::json string_value(const std::string& text) {
  return {{"S", text}};
}

std::string string_member(const nlohmann::json& item, const std::string& name) {
  auto member = item.find(name);
  if (member == item.end() || !member->is_object()) return "";
  auto text = member->find("S");
  return text != member->end() && text->is_string() ? text->get<std::string>() : "";
}

}  // namespace cruddur::dynamodb
