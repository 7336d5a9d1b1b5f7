#include "operations/expression_request.h"

#include <map>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/binder.h"
#include "model/expressions/expression_cache.h"
#include "model/expressions/parser.h"
#include "operations/request_reader.h"

namespace eddy::operations {
namespace {

namespace expressions = model::expressions;
using model::validation_error;

std::string joined(const std::vector<std::string_view>& names, std::string_view separator) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) text += separator;
    text += names[i];
  }
  return text;
}

bool placeholder_key_is_valid(const std::string& key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (size_t i = 1; i < key.size(); ++i) {
    char c = key[i];
    bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) return false;
  }
  return true;
}

using NameMap = std::map<std::string, std::string, std::less<>>;

std::optional<NameMap> read_names(const json& request) {
  const json* names = map_member(request, "ExpressionAttributeNames");
  if (!names) return std::nullopt;
  if (names->empty()) throw validation_error("ExpressionAttributeNames must not be empty");
  NameMap result;
  for (const auto& [key, name] : names->items()) {
    if (!placeholder_key_is_valid(key, '#')) {
      throw validation_error(
          "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
    }
    result.emplace(key, as_string(name));
  }
  return result;
}

std::optional<model::AttributeMap> read_values(const json& request) {
  const json* values = map_member(request, "ExpressionAttributeValues");
  if (!values) return std::nullopt;
  if (values->empty()) throw validation_error("ExpressionAttributeValues must not be empty");
  for (const auto& [key, value] : values->items()) {
    if (!placeholder_key_is_valid(key, ':')) {
      throw validation_error(
          "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
    }
  }
  model::AttributeMap result;
  for (const auto& [key, value] : values->items()) {
    try {
      result.emplace(key, model::attribute_from_json(value));
    } catch (const model::ApiError& error) {
      if (error.type() != "ValidationException") throw;
      throw validation_error("ExpressionAttributeValues contains invalid value: " +
                             error.message() + " for key " + key);
    }
  }
  return result;
}

// Parses (or finds in the cache) and binds one expression member; errors get the member's
// "Invalid <Member>: " prefix.
template <typename Tree, typename Parse, typename Bind>
std::optional<Tree> bound_member(const json& request, const char* name, Parse parse, Bind bind,
                                 expressions::Placeholders& placeholders) {
  std::optional<std::string> text = string_member(request, name);
  if (!text) return std::nullopt;
  try {
    return bind(*parse(*text), placeholders);
  } catch (const expressions::ExpressionError& error) {
    throw validation_error("Invalid " + std::string(name) + ": " + error.what());
  }
}

std::string unused_keys(const std::vector<std::string>& keys) {
  std::string text = "keys: {";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) text += ", ";
    text += keys[i];
  }
  return text + "}";
}

}  // namespace

void check_expression_style(const json& request, const ExpressionStyle& style) {
  std::vector<std::string_view> expressions_used;
  for (std::string_view name : style.expressions) {
    if (member(request, name)) expressions_used.push_back(name);
  }
  if (!expressions_used.empty()) {
    // KeyConditions may accompany the other expressions as long as KeyConditionExpression is
    // absent: DynamoDB only objects to two ways of saying the same thing.
    bool key_condition_expression = member(request, "KeyConditionExpression") != nullptr;
    std::vector<std::string_view> legacy_used;
    for (std::string_view name : style.legacy) {
      if (name == "KeyConditions" && !key_condition_expression) continue;
      if (member(request, name)) legacy_used.push_back(name);
    }
    if (!legacy_used.empty()) {
      throw validation_error(
          "Can not use both expression and non-expression parameters in the same request: "
          "Non-expression parameters: {" +
          joined(legacy_used, ", ") + "} Expression parameters: {" +
          joined(expressions_used, ", ") + "}");
    }
  }
  if (member(request, "ExpressionAttributeNames") && expressions_used.empty()) {
    throw validation_error("ExpressionAttributeNames can only be specified when using expressions");
  }
  std::vector<std::string_view> value_expressions;
  bool any_value_expression = false;
  for (std::string_view name : style.expressions) {
    if (name == "ProjectionExpression") continue;
    value_expressions.push_back(name);
    if (member(request, name)) any_value_expression = true;
  }
  if (!value_expressions.empty() && !any_value_expression &&
      member(request, "ExpressionAttributeValues")) {
    throw validation_error(
        "ExpressionAttributeValues can only be specified when using "
        "expressions: " +
        joined(value_expressions, " and ") +
        (value_expressions.size() > 1 ? " are null" : " is null"));
  }
}

RequestExpressions read_expressions(const json& request) {
  std::optional<NameMap> names = read_names(request);
  std::optional<model::AttributeMap> values = read_values(request);
  expressions::Placeholders placeholders;
  if (names) placeholders.names = &*names;
  if (values) placeholders.values = &*values;

  RequestExpressions result;
  result.update = bound_member<expressions::UpdateExpression>(
      request, "UpdateExpression", expressions::cached_update, expressions::bind_update,
      placeholders);
  result.condition =
      bound_member<expressions::Node>(request, "ConditionExpression", expressions::cached_condition,
                                      expressions::bind_condition, placeholders);
  result.key_condition = bound_member<expressions::Node>(request, "KeyConditionExpression",
                                                         expressions::cached_condition,
                                                         expressions::bind_condition, placeholders);
  result.filter =
      bound_member<expressions::Node>(request, "FilterExpression", expressions::cached_condition,
                                      expressions::bind_condition, placeholders);
  result.projection = bound_member<expressions::ProjectionExpression>(
      request, "ProjectionExpression", expressions::cached_projection, expressions::bind_projection,
      placeholders);

  std::vector<std::string> unused;
  if (names) {
    for (const auto& [key, name] : *names) {
      if (!placeholders.used_names.count(key)) unused.push_back(key);
    }
    if (!unused.empty()) {
      throw validation_error("Value provided in ExpressionAttributeNames unused in expressions: " +
                             unused_keys(unused));
    }
  }
  if (values) {
    for (const auto& [key, value] : *values) {
      if (!placeholders.used_values.count(key)) unused.push_back(key);
    }
    if (!unused.empty()) {
      throw validation_error("Value provided in ExpressionAttributeValues unused in expressions: " +
                             unused_keys(unused));
    }
  }
  return result;
}

}  // namespace eddy::operations
