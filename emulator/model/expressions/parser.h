#pragma once
// DynamoDB's expression grammar, parsed for exact error reporting. Syntax errors come out the way
// DynamoDB words them: `Syntax error; token: "<tok>", near: "<previous tok> <tok> <next tok>"`
// (`"<EOF>"` at the end of the text), and an empty text as "The expression can not be empty;".
// The parser also rejects what DynamoDB rejects before it looks at any placeholder: redundant
// parentheses, unknown or misplaced functions, reserved words, list indexes out of range and a
// repeated update clause. The rest, which DynamoDB checks as it resolves the request's names and
// values (undefined placeholders, operand counts and types, overlapping paths), is left to bind().
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

// An expression DynamoDB rejects. The message lacks the "Invalid <Kind>Expression: " prefix,
// which depends on the request member the text came from.
class ExpressionError : public std::runtime_error {
 public:
  explicit ExpressionError(const std::string& message) : std::runtime_error(message) {}
};

// ConditionExpression, FilterExpression and KeyConditionExpression share one grammar.
Node parse_condition(std::string_view text);
UpdateExpression parse_update(std::string_view text);
ProjectionExpression parse_projection(std::string_view text);

}  // namespace eddy::model::expressions
