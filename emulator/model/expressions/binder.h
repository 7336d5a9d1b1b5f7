#pragma once
// Binding: checks a parsed tree against one request's ExpressionAttributeNames and
// ExpressionAttributeValues and returns a copy with every placeholder resolved. This is DynamoDB's
// last stage of validation (the parser does the earlier ones): undefined names and values,
// operand counts and types, repeated operands, BETWEEN's bounds, IN's size, and overlapping or
// conflicting paths, reported in the order DynamoDB finds them (see binder.cc).
#include <map>
#include <set>
#include <string>

#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

// The request's placeholders, and which of them the request's expressions used: DynamoDB rejects
// a request that defines a placeholder none of its expressions uses.
struct Placeholders {
  const std::map<std::string, std::string, std::less<>>* names = nullptr;  // "#n" -> name
  const AttributeMap* values = nullptr;                                    // ":v" -> value
  std::set<std::string, std::less<>> used_names;
  std::set<std::string, std::less<>> used_values;
};

// Each throws ExpressionError (message without the "Invalid ...Expression: " prefix).
Node bind_condition(const Node& parsed, Placeholders& placeholders);
UpdateExpression bind_update(const UpdateExpression& parsed, Placeholders& placeholders);
ProjectionExpression bind_projection(const ProjectionExpression& parsed,
                                     Placeholders& placeholders);

}  // namespace eddy::model::expressions
