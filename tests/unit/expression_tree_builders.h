#pragma once
// Hand-built bound expression trees and attribute values for the evaluator tests, so that they
// exercise evaluation alone, independent of the parser and binder.
#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/api_error.h"
#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"
#include "model/number.h"

namespace eddy::model::expressions::test {

// ---- Attribute values ------------------------------------------------------------------------

inline AttributeValue S(std::string text) {
  return AttributeValue::string(std::move(text));
}
inline AttributeValue N(std::string_view text) {
  return AttributeValue::number(Number::parse(text).to_string());
}
inline AttributeValue B(std::string bytes) {
  return AttributeValue::binary(std::move(bytes));
}
inline AttributeValue SS(std::vector<std::string> elements) {
  return AttributeValue::string_set(std::move(elements));
}
inline AttributeValue NS(const std::vector<std::string>& elements) {
  std::vector<std::string> canonical;
  for (const std::string& element : elements)
    canonical.push_back(Number::parse(element).to_string());
  return AttributeValue::number_set(std::move(canonical));
}
inline AttributeValue BS(std::vector<std::string> elements) {
  return AttributeValue::binary_set(std::move(elements));
}
inline AttributeValue M(AttributeMap members) {
  return AttributeValue::map(std::move(members));
}
inline AttributeValue L(std::vector<AttributeValue> elements) {
  return AttributeValue::list(std::move(elements));
}
inline AttributeValue Null() {
  return AttributeValue::null();
}
inline AttributeValue Bool(bool value) {
  return AttributeValue::boolean(value);
}

// ---- Paths and nodes -------------------------------------------------------------------------

// "a.b[2].c" as a bound path (names are plain words here; no placeholders to resolve).
inline Path path(std::string_view text) {
  Path steps;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '.') {
      ++i;
    } else if (text[i] == '[') {
      size_t close = text.find(']', i);
      steps.push_back(
          PathStep::element(std::stoul(std::string(text.substr(i + 1, close - i - 1)))));
      i = close + 1;
    } else {
      size_t end = text.find_first_of(".[", i);
      if (end == std::string_view::npos) end = text.size();
      steps.push_back(PathStep::member(std::string(text.substr(i, end - i))));
      i = end;
    }
  }
  return steps;
}

inline Node node(NodeKind kind, std::vector<Node> children = {}) {
  Node result;
  result.kind = kind;
  result.children = std::move(children);
  return result;
}

inline Node P(std::string_view text) {
  Node result = node(NodeKind::Path);
  result.path = path(text);
  return result;
}

inline Node V(AttributeValue value) {
  Node result = node(NodeKind::Value);
  result.placeholder = ":v";
  result.value = std::make_shared<const AttributeValue>(std::move(value));
  return result;
}

inline Node Fn(std::string name, std::vector<Node> arguments) {
  Node result = node(NodeKind::Function, std::move(arguments));
  result.function = std::move(name);
  return result;
}

inline Node Cmp(Node left, Comparator comparator, Node right) {
  Node result = node(NodeKind::Compare, {std::move(left), std::move(right)});
  result.comparator = comparator;
  return result;
}
inline Node Eq(Node left, Node right) {
  return Cmp(std::move(left), Comparator::Eq, std::move(right));
}
inline Node Ne(Node left, Node right) {
  return Cmp(std::move(left), Comparator::Ne, std::move(right));
}
inline Node And(Node left, Node right) {
  return node(NodeKind::And, {std::move(left), std::move(right)});
}
inline Node Or(Node left, Node right) {
  return node(NodeKind::Or, {std::move(left), std::move(right)});
}
inline Node Not(Node condition) {
  return node(NodeKind::Not, {std::move(condition)});
}
inline Node Between(Node operand, Node lower, Node upper) {
  return node(NodeKind::Between, {std::move(operand), std::move(lower), std::move(upper)});
}
inline Node In(Node operand, std::vector<Node> candidates) {
  candidates.insert(candidates.begin(), std::move(operand));
  return node(NodeKind::In, std::move(candidates));
}
inline Node Plus(Node left, Node right) {
  return node(NodeKind::Plus, {std::move(left), std::move(right)});
}
inline Node Minus(Node left, Node right) {
  return node(NodeKind::Minus, {std::move(left), std::move(right)});
}

// ---- Update actions --------------------------------------------------------------------------

inline UpdateAction action(UpdateClause clause, std::string_view target, Node value = {}) {
  UpdateAction result;
  result.clause = clause;
  result.path = path(target);
  result.value = std::move(value);
  return result;
}
inline UpdateAction Set(std::string_view target, Node value) {
  return action(UpdateClause::Set, target, std::move(value));
}
inline UpdateAction Remove(std::string_view target) {
  return action(UpdateClause::Remove, target);
}
inline UpdateAction Add(std::string_view target, AttributeValue value) {
  return action(UpdateClause::Add, target, V(std::move(value)));
}
inline UpdateAction Delete(std::string_view target, AttributeValue value) {
  return action(UpdateClause::Delete, target, V(std::move(value)));
}
inline UpdateExpression Update(std::vector<UpdateAction> actions) {
  UpdateExpression result;
  result.actions = std::move(actions);
  return result;
}

// The ValidationException message `body` throws, or "" when it throws nothing.
template <typename Body>
std::string validation_message(Body&& body) {
  try {
    body();
  } catch (const ApiError& error) {
    EXPECT_EQ(error.type(), "ValidationException");
    return error.message();
  }
  return "";
}

}  // namespace eddy::model::expressions::test
