#include "model/expressions/condition_evaluator.h"

#include <string_view>

#include "model/api_error.h"
#include "model/expressions/document_path.h"
#include "model/utf16_length.h"

namespace eddy::model::expressions {
namespace {

int sign_of(int comparison) {
  return (comparison > 0) - (comparison < 0);
}

// Orders two non-negative canonical numbers: the integer part's digit count, then its digits,
// then the fraction, which in canonical text has no trailing zeros and so compares as text.
int compare_magnitudes(std::string_view a, std::string_view b) {
  auto split = [](std::string_view text, std::string_view& integer, std::string_view& fraction) {
    size_t point = text.find('.');
    integer = text.substr(0, point);
    fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
    if (integer == "0") integer = {};  // "0.5": no integer digits at all
  };
  std::string_view a_integer, a_fraction, b_integer, b_fraction;
  split(a, a_integer, a_fraction);
  split(b, b_integer, b_fraction);
  if (a_integer.size() != b_integer.size()) return a_integer.size() < b_integer.size() ? -1 : 1;
  if (int order = a_integer.compare(b_integer); order != 0) return sign_of(order);
  return sign_of(a_fraction.compare(b_fraction));
}

// Orders numbers straight from their canonical text (Number::to_string: no exponent, no
// redundant zeros, zero is "0"), sparing a hot filter loop a full parse of every number.
int compare_canonical_numbers(std::string_view a, std::string_view b) {
  bool a_negative = a.starts_with('-');
  bool b_negative = b.starts_with('-');
  if (a_negative != b_negative) return a_negative ? -1 : 1;
  if (!a_negative) return compare_magnitudes(a, b);
  return -compare_magnitudes(a.substr(1), b.substr(1));
}

bool is_ordered_type(AttributeType type) {
  return type == AttributeType::S || type == AttributeType::N || type == AttributeType::B;
}

// Both values must share one of the ordered types (S, N, B); the caller checks.
int compare_ordered(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() == AttributeType::N) return compare_canonical_numbers(a.scalar(), b.scalar());
  // std::string compares as unsigned bytes: UTF-8 byte order for S, raw byte order for B.
  return sign_of(a.scalar().compare(b.scalar()));
}

bool ordered_comparable(const AttributeValue* a, const AttributeValue* b) {
  return a && b && a->type() == b->type() && is_ordered_type(a->type());
}

// An operand as evaluated: null when missing. size() of something without a size (a number, a
// boolean, NULL, a missing attribute) is missing too, so "<>" finds it unequal to anything, as
// DynamoDB Local does.
struct Operand {
  const AttributeValue* value = nullptr;
};

class ConditionEvaluator {
 public:
  explicit ConditionEvaluator(const Item& item) : item_(item) {}

  bool evaluate(const Node& node) const {
    switch (node.kind) {
      case NodeKind::Or:
        return evaluate(node.children[0]) || evaluate(node.children[1]);
      case NodeKind::And:
        return evaluate(node.children[0]) && evaluate(node.children[1]);
      case NodeKind::Not:
        return !evaluate(node.children[0]);
      case NodeKind::Compare:
        return compare(node);
      case NodeKind::Between:
        return between(node);
      case NodeKind::In:
        return in(node);
      case NodeKind::Function:
        return function(node);
      default:
        throw internal_error("An operand was evaluated as a condition");
    }
  }

 private:
  // `scratch` receives a value computed here (size()); others point into the item or the tree.
  Operand operand(const Node& node, AttributeValue& scratch) const {
    switch (node.kind) {
      case NodeKind::Path:
        return {find_path(item_, node.path)};
      case NodeKind::Value:
        return {node.value.get()};
      case NodeKind::Function:
        if (node.function == "size") return size(node, scratch);
        break;
      default:
        break;
    }
    throw internal_error("Unsupported operand in a condition: " + node.function);
  }

  Operand size(const Node& node, AttributeValue& scratch) const {
    AttributeValue argument_scratch;
    const AttributeValue* value = operand(node.children[0], argument_scratch).value;
    if (!value) return {};
    size_t length = 0;
    switch (value->type()) {
      case AttributeType::S:
        length = utf16_length(value->scalar());
        break;
      case AttributeType::B:
        length = value->scalar().size();
        break;
      case AttributeType::SS:
      case AttributeType::NS:
      case AttributeType::BS:
        length = value->set_elements().size();
        break;
      case AttributeType::L:
        length = value->list_elements().size();
        break;
      case AttributeType::M:
        length = value->map_members().size();
        break;
      default:
        return {};
    }
    scratch = AttributeValue::number(std::to_string(length));
    return {&scratch};
  }

  bool compare(const Node& node) const {
    AttributeValue left_scratch, right_scratch;
    Operand left = operand(node.children[0], left_scratch);
    Operand right = operand(node.children[1], right_scratch);
    const AttributeValue* a = left.value;
    const AttributeValue* b = right.value;
    switch (node.comparator) {
      case Comparator::Eq:
        return a && b && *a == *b;
      case Comparator::Ne:
        return !(a && b && *a == *b);
      case Comparator::Lt:
        return ordered_comparable(a, b) && compare_ordered(*a, *b) < 0;
      case Comparator::Le:
        return ordered_comparable(a, b) && compare_ordered(*a, *b) <= 0;
      case Comparator::Gt:
        return ordered_comparable(a, b) && compare_ordered(*a, *b) > 0;
      case Comparator::Ge:
        return ordered_comparable(a, b) && compare_ordered(*a, *b) >= 0;
    }
    return false;
  }

  bool between(const Node& node) const {
    AttributeValue scratch, lower_scratch, upper_scratch;
    const AttributeValue* value = operand(node.children[0], scratch).value;
    const AttributeValue* lower = operand(node.children[1], lower_scratch).value;
    const AttributeValue* upper = operand(node.children[2], upper_scratch).value;
    return ordered_comparable(value, lower) && ordered_comparable(value, upper) &&
           compare_ordered(*lower, *value) <= 0 && compare_ordered(*value, *upper) <= 0;
  }

  bool in(const Node& node) const {
    AttributeValue scratch;
    const AttributeValue* value = operand(node.children[0], scratch).value;
    if (!value) return false;
    for (size_t i = 1; i < node.children.size(); ++i) {
      AttributeValue candidate_scratch;
      const AttributeValue* candidate = operand(node.children[i], candidate_scratch).value;
      if (candidate && *candidate == *value) return true;
    }
    return false;
  }

  bool function(const Node& node) const {
    const std::string& name = node.function;
    if (name == "attribute_exists") return find_path(item_, node.children[0].path) != nullptr;
    if (name == "attribute_not_exists") return find_path(item_, node.children[0].path) == nullptr;
    AttributeValue first_scratch, second_scratch;
    const AttributeValue* first = operand(node.children[0], first_scratch).value;
    const AttributeValue* second = operand(node.children[1], second_scratch).value;
    if (!first || !second) return false;
    if (name == "attribute_type") {
      return second->type() == AttributeType::S && type_name(first->type()) == second->scalar();
    }
    if (name == "begins_with") {
      bool prefixable = first->type() == AttributeType::S || first->type() == AttributeType::B;
      return prefixable && first->type() == second->type() &&
             std::string_view(first->scalar()).starts_with(second->scalar());
    }
    if (name == "contains") return contains(*first, *second);
    throw internal_error("Unsupported function in a condition: " + name);
  }

  // contains(haystack, needle): a substring of a string or binary, an element of a set of the
  // needle's scalar type (canonical number text makes NS equality textual), or an element of a
  // list deep-equal to the needle.
  static bool contains(const AttributeValue& haystack, const AttributeValue& needle) {
    auto in_set = [&](AttributeType element_type) {
      if (needle.type() != element_type) return false;
      for (const std::string& element : haystack.set_elements()) {
        if (element == needle.scalar()) return true;
      }
      return false;
    };
    switch (haystack.type()) {
      case AttributeType::S:
      case AttributeType::B:
        return needle.type() == haystack.type() &&
               haystack.scalar().find(needle.scalar()) != std::string::npos;
      case AttributeType::SS:
        return in_set(AttributeType::S);
      case AttributeType::NS:
        return in_set(AttributeType::N);
      case AttributeType::BS:
        return in_set(AttributeType::B);
      case AttributeType::L:
        for (const AttributeValue& element : haystack.list_elements()) {
          if (element == needle) return true;
        }
        return false;
      default:
        return false;
    }
  }

  const Item& item_;
};

}  // namespace

bool evaluate_condition(const Node& condition, const Item& item) {
  return ConditionEvaluator(item).evaluate(condition);
}

}  // namespace eddy::model::expressions
