#pragma once
// The expression members of one request (UpdateExpression, ConditionExpression,
// KeyConditionExpression, FilterExpression, ProjectionExpression, and the placeholders they
// share), read, parsed (through the cache) and bound, with DynamoDB's checks in DynamoDB's order.
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "model/expressions/syntax_tree.h"

namespace eddy::operations {

// The expression members an operation accepts and the legacy members they replace, each in the
// order DynamoDB lists them in its messages.
struct ExpressionStyle {
  std::vector<std::string_view> expressions;
  std::vector<std::string_view> legacy;
};

// DynamoDB's first check of a request's expressions: the two styles may not be mixed, and
// placeholders come only with expressions.
void check_expression_style(const nlohmann::json& request, const ExpressionStyle& style);

struct RequestExpressions {
  std::optional<model::expressions::UpdateExpression> update;
  std::optional<model::expressions::Node> condition;
  std::optional<model::expressions::Node> key_condition;
  std::optional<model::expressions::Node> filter;
  std::optional<model::expressions::ProjectionExpression> projection;
};

// Checks ExpressionAttributeNames and ExpressionAttributeValues, then parses and binds every
// expression member present, then rejects placeholders no expression used. Throws
// ValidationException with DynamoDB's messages ("Invalid ConditionExpression: ...").
RequestExpressions read_expressions(const nlohmann::json& request);

}  // namespace eddy::operations
