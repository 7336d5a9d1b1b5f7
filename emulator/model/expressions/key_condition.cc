// A KeyConditionExpression is a condition tree restricted to what an index lookup can use: simple
// conditions on top-level attributes, joined only by AND. The conditions are checked one by one
// in the order written, each fully before the next, so that the first offending condition
// decides the message, as in DynamoDB.
#include "model/expressions/key_condition.h"

#include <algorithm>
#include <string_view>

#include "model/expressions/parser.h"

namespace eddy::model::expressions {
namespace {

constexpr size_t kMaxKeyConditions = 2;  // the partition key and the sort key

[[noreturn]] void invalid_operator(std::string_view op) {
  throw ExpressionError("Invalid operator used in KeyConditionExpression: " + std::string(op));
}

[[noreturn]] void invalid_condition(std::string_view detail) {
  throw ExpressionError("Invalid condition in KeyConditionExpression: " + std::string(detail));
}

// Only the functions that can be a condition of their own reach here; size() cannot (the parser
// rejects it as a condition), but it is answered the way DynamoDB answers it as an operand.
bool is_rejected_function(const std::string& name) {
  return name == "attribute_exists" || name == "attribute_not_exists" || name == "attribute_type" ||
         name == "contains";
}

RangeOperator range_operator(Comparator comparator) {
  switch (comparator) {
    case Comparator::Lt:
      return RangeOperator::Lt;
    case Comparator::Le:
      return RangeOperator::Le;
    case Comparator::Gt:
      return RangeOperator::Gt;
    case Comparator::Ge:
      return RangeOperator::Ge;
    default:
      return RangeOperator::Eq;
  }
}

// ":v < pk" states "pk > :v": the key attribute always ends up on the left.
RangeOperator mirrored(RangeOperator op) {
  switch (op) {
    case RangeOperator::Lt:
      return RangeOperator::Gt;
    case RangeOperator::Le:
      return RangeOperator::Ge;
    case RangeOperator::Gt:
      return RangeOperator::Lt;
    case RangeOperator::Ge:
      return RangeOperator::Le;
    default:
      return op;
  }
}

class KeyConditionBuilder {
 public:
  void add(const Node& node) {
    switch (node.kind) {
      case NodeKind::And:
        for (const Node& child : node.children) add(child);
        return;
      case NodeKind::Or:
        invalid_operator("OR");
      case NodeKind::Not:
        invalid_operator("NOT");
      case NodeKind::In:
        invalid_operator("IN");
      case NodeKind::Compare:
        if (node.comparator == Comparator::Ne) invalid_operator(comparator_text(node.comparator));
        add_simple(node);
        return;
      case NodeKind::Between:
        add_simple(node);
        return;
      case NodeKind::Function:
        if (is_rejected_function(node.function)) invalid_operator(node.function);
        if (node.function != "begins_with") {
          throw ExpressionError("KeyConditionExpressions cannot contain nested operations");
        }
        add_simple(node);
        return;
      default:
        // A bare operand is never a condition in a bound tree; it names no key condition.
        invalid_condition("No key attribute specified");
    }
  }

  KeyCondition take() { return std::move(result_); }

 private:
  // One comparison, BETWEEN or begins_with: exactly one of its operands must be a top-level
  // attribute, and every other operand a value.
  void add_simple(const Node& node) {
    for (const Node& operand : node.children) {
      if (operand.kind != NodeKind::Path && operand.kind != NodeKind::Value) {
        throw ExpressionError("KeyConditionExpressions cannot contain nested operations");
      }
    }
    bool needs_key_first = node.kind == NodeKind::Between || node.kind == NodeKind::Function;
    if (needs_key_first && node.children[0].kind != NodeKind::Path) {
      const char* op = node.kind == NodeKind::Between ? "BETWEEN" : "begins_with";
      invalid_condition(std::string(op) + " operator must have the key attribute as its first " +
                        "operand");
    }
    const Node* key = nullptr;
    size_t key_position = 0;
    for (size_t i = 0; i < node.children.size(); ++i) {
      const Node& operand = node.children[i];
      if (operand.kind != NodeKind::Path) continue;
      if (key) invalid_condition("Multiple attribute names used in one condition");
      if (operand.path.size() > 1) {
        throw ExpressionError(
            "KeyConditionExpressions cannot have conditions on nested attributes");
      }
      key = &operand;
      key_position = i;
    }
    if (!key) invalid_condition("No key attribute specified");
    const std::string& attribute = key->path[0].name;
    bool repeated =
        std::any_of(result_.parts.begin(), result_.parts.end(),
                    [&](const KeyCondition::Part& part) { return part.attribute == attribute; });
    if (repeated)
      throw ExpressionError("KeyConditionExpressions must only contain one condition per key");

    KeyCondition::Part part;
    part.attribute = attribute;
    if (node.kind == NodeKind::Between) {
      part.op = RangeOperator::Between;
    } else if (node.kind == NodeKind::Function) {
      part.op = RangeOperator::BeginsWith;
    } else {
      part.op = range_operator(node.comparator);
      if (key_position != 0) part.op = mirrored(part.op);
    }
    for (size_t i = 0; i < node.children.size(); ++i) {
      // Every other operand is a Value node, which binding always gives a value.
      if (i != key_position) part.values.push_back(*node.children[i].value);
    }
    result_.parts.push_back(std::move(part));
  }

  KeyCondition result_;
};

}  // namespace

KeyCondition key_condition_from_expression(const Node& bound) {
  KeyConditionBuilder builder;
  builder.add(bound);
  KeyCondition condition = builder.take();
  // Checked once the whole expression is known to be well formed, as for legacy KeyConditions.
  if (condition.parts.size() > kMaxKeyConditions) {
    throw ExpressionError("Conditions can be of length 1 or 2 only");
  }
  return condition;
}

}  // namespace eddy::model::expressions
