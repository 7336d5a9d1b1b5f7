#pragma once
// A Query's key condition, from either KeyConditionExpression or the legacy KeyConditions:
// equality on the partition key and at most one condition on the sort key.
#include <optional>
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

enum class RangeOperator : uint8_t { Eq, Lt, Le, Gt, Ge, Between, BeginsWith };

struct KeyCondition {
  struct Part {
    std::string attribute;
    RangeOperator op = RangeOperator::Eq;
    std::vector<AttributeValue> values;  // one, or two for Between
  };
  // In the order written; checking them against the table's key schema (which attribute is the
  // partition key, their types) is the Query operation's job, since only it knows the index.
  std::vector<Part> parts;
};

// The key condition a bound KeyConditionExpression states. Throws ExpressionError whose message
// is DynamoDB's whole message (these carry no "Invalid KeyConditionExpression: " prefix), e.g.
// "Invalid operator used in KeyConditionExpression: OR",
// "KeyConditionExpressions must only contain one condition per key".
KeyCondition key_condition_from_expression(const Node& bound);

}  // namespace eddy::model::expressions
