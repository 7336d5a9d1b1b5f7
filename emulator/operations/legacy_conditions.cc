// The legacy conditions are validated in three passes, as DynamoDB does: JSON types first (a
// SerializationException), then the members' constraints (one "N validation errors detected"
// report), then each entry's meaning, entry by entry. Only then is the tree built.
#include "operations/legacy_conditions.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/number.h"
#include "operations/request_reader.h"

namespace eddy::operations {
namespace {

using model::AttributeType;
using model::AttributeValue;
using model::expressions::Comparator;
using model::expressions::KeyCondition;
using model::expressions::Node;
using model::expressions::NodeKind;
using model::expressions::Path;
using model::expressions::PathStep;
using model::expressions::RangeOperator;

enum class Operator : uint8_t {
  Eq,
  Ne,
  Le,
  Lt,
  Ge,
  Gt,
  NotNull,
  Null,
  Contains,
  NotContains,
  BeginsWith,
  In,
  Between
};

// Which value types an operator accepts, as DynamoDB (Local) checks them for Expected and filters
// alike: every type for EQ and NE, scalars only for orderings, and BOOL and NULL besides for
// CONTAINS and NOT_CONTAINS.
enum TypeSet : uint8_t { kAnyType, kOrdered, kPrefixable, kContainable };

struct OperatorInfo {
  std::string_view name;
  Operator op;
  size_t min_values;
  size_t max_values;
  TypeSet types;
  bool indexable;  // usable in KeyConditions, as `range`
  RangeOperator range;
};

constexpr size_t kUnbounded = SIZE_MAX;

constexpr OperatorInfo kOperators[] = {
    {"EQ", Operator::Eq, 1, 1, kAnyType, true, RangeOperator::Eq},
    {"NE", Operator::Ne, 1, 1, kAnyType, false, {}},
    {"LE", Operator::Le, 1, 1, kOrdered, true, RangeOperator::Le},
    {"LT", Operator::Lt, 1, 1, kOrdered, true, RangeOperator::Lt},
    {"GE", Operator::Ge, 1, 1, kOrdered, true, RangeOperator::Ge},
    {"GT", Operator::Gt, 1, 1, kOrdered, true, RangeOperator::Gt},
    {"NOT_NULL", Operator::NotNull, 0, 0, kAnyType, false, {}},
    {"NULL", Operator::Null, 0, 0, kAnyType, false, {}},
    {"CONTAINS", Operator::Contains, 1, 1, kContainable, false, {}},
    {"NOT_CONTAINS", Operator::NotContains, 1, 1, kContainable, false, {}},
    {"BEGINS_WITH", Operator::BeginsWith, 1, 1, kPrefixable, true, RangeOperator::BeginsWith},
    {"IN", Operator::In, 1, kUnbounded, kOrdered, false, {}},
    {"BETWEEN", Operator::Between, 2, 2, kOrdered, true, RangeOperator::Between},
};

// The order DynamoDB lists the ComparisonOperator values in its enum violation.
const std::vector<std::string_view> kOperatorEnum = {
    "IN",       "NULL", "BETWEEN", "LT",          "NOT_CONTAINS", "EQ",      "GT",
    "NOT_NULL", "NE",   "LE",      "BEGINS_WITH", "GE",           "CONTAINS"};
const std::vector<std::string_view> kConditionalOperatorEnum = {"OR", "AND"};

// Only reached after the enum check, so the name is always one of kOperators.
const OperatorInfo& operator_info(std::string_view name) {
  for (const OperatorInfo& info : kOperators) {
    if (info.name == name) return info;
  }
  throw model::internal_error("Unknown ComparisonOperator " + std::string(name));
}

bool accepts(TypeSet types, AttributeType type) {
  bool ordered = type == AttributeType::S || type == AttributeType::N || type == AttributeType::B;
  switch (types) {
    case kAnyType:
      return true;
    case kOrdered:
      return ordered;
    case kPrefixable:
      return type == AttributeType::S || type == AttributeType::B;
    case kContainable:
      return ordered || type == AttributeType::Bool || type == AttributeType::Null;
  }
  return false;
}

[[noreturn]] void invalid_parameter(const std::string& detail) {
  throw model::validation_error("One or more parameter values were invalid: " + detail);
}

// ---- Reading -----------------------------------------------------------------------------------

// One entry of Expected, of a filter, or of KeyConditions, with its members' JSON types checked.
struct RawCondition {
  std::string attribute;
  std::optional<std::string> comparison_operator;
  const json* value_list = nullptr;  // AttributeValueList
  const json* value = nullptr;       // Value (Expected only)
  std::optional<bool> exists;        // Exists (Expected only)
};

// `structure` is the Java class of the map's values, which the deserializer's messages name.
// Nullopt when the request lacks the member.
std::optional<std::vector<RawCondition>> read_conditions(const json& request,
                                                         std::string_view member_name,
                                                         std::string_view structure) {
  const json* map = member(request, member_name);
  if (!map) return std::nullopt;
  if (map->is_array()) {
    throw model::serialization_error(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810." +
        std::string(structure) + ">");
  }
  if (!map->is_object()) throw model::serialization_error("Unexpected field type");
  std::vector<RawCondition> conditions;
  for (auto it = map->begin(); it != map->end(); ++it) {
    const json& entry = it.value();
    if (entry.is_array()) {
      throw model::serialization_error(
          "Unrecognized collection type class com.amazonaws.dynamodb.v20120810." +
          std::string(structure));
    }
    if (!entry.is_object() && !entry.is_null()) {
      throw model::serialization_error("Unexpected value type in payload");
    }
    RawCondition condition;
    condition.attribute = it.key();
    if (entry.is_object()) {
      condition.comparison_operator = string_member(entry, "ComparisonOperator");
      condition.value_list = list_member(entry, "AttributeValueList");
      if (structure == "ExpectedAttributeValue") {
        condition.value = member(entry, "Value");
        condition.exists = boolean_member(entry, "Exists");
      }
    }
    conditions.push_back(std::move(condition));
  }
  return conditions;
}

std::string lower_first(std::string_view name) {
  std::string result(name);
  if (!result.empty()) result[0] = static_cast<char>(std::tolower(result[0]));
  return result;
}

void check_operator_enums(const std::vector<RawCondition>& conditions, std::string_view member_name,
                          bool required, Violations& violations) {
  for (const RawCondition& condition : conditions) {
    std::string path =
        lower_first(member_name) + "." + condition.attribute + ".member.comparisonOperator";
    const std::optional<std::string>& name = condition.comparison_operator;
    if (required) violations.not_null(name ? &*name : nullptr, path);
    violations.enumeration(condition.comparison_operator, path, kOperatorEnum);
  }
}

// ---- Meaning -----------------------------------------------------------------------------------

struct Condition {
  std::string attribute;
  const OperatorInfo* info = nullptr;
  std::vector<AttributeValue> values;
};

std::vector<AttributeValue> convert_values(const json* list) {
  std::vector<AttributeValue> values;
  if (!list) return values;
  for (const json& element : *list) values.push_back(model::attribute_from_json(element));
  return values;
}

bool lower_above_upper(const AttributeValue& lower, const AttributeValue& upper) {
  if (lower.type() == AttributeType::N) {
    return model::Number::parse(lower.scalar()) > model::Number::parse(upper.scalar());
  }
  return lower.scalar() > upper.scalar();  // bytewise, unsigned: UTF-8 order for S
}

// The checks every operator-and-values condition shares, once its values are converted.
void check_operands(const OperatorInfo& info, const std::vector<AttributeValue>& values) {
  if (values.size() < info.min_values || values.size() > info.max_values) {
    invalid_parameter("Invalid number of argument(s) for the " + std::string(info.name) +
                      " ComparisonOperator");
  }
  for (const AttributeValue& value : values) {
    if (!accepts(info.types, value.type())) {
      invalid_parameter("ComparisonOperator " + std::string(info.name) + " is not valid for " +
                        std::string(model::type_name(value.type())) + " AttributeValue type");
    }
  }
  for (const AttributeValue& value : values) {
    if (value.type() != values.front().type()) {
      invalid_parameter("AttributeValues inside AttributeValueList must be of same type");
    }
  }
  if (info.op == Operator::Between && lower_above_upper(values[0], values[1])) {
    throw model::validation_error(
        "The BETWEEN condition was provided a range where the lower bound is greater than the "
        "upper bound");
  }
}

// A QueryFilter, ScanFilter or KeyConditions entry.
Condition filter_entry(const RawCondition& raw) {
  Condition condition;
  condition.attribute = raw.attribute;
  condition.values = convert_values(raw.value_list);
  const OperatorInfo& info = operator_info(*raw.comparison_operator);
  check_operands(info, condition.values);
  condition.info = &info;
  return condition;
}

// An Expected entry: either ComparisonOperator with values, or the older Value / Exists form.
Condition expected_entry(const RawCondition& raw) {
  const std::string& attribute = raw.attribute;
  if (raw.comparison_operator && raw.exists) {
    invalid_parameter("Exists and ComparisonOperator cannot be used together for Attribute: " +
                      attribute);
  }
  if (raw.value && raw.value_list) {
    invalid_parameter("Value and AttributeValueList cannot be used together for Attribute: " +
                      attribute);
  }
  Condition condition;
  condition.attribute = attribute;
  if (raw.comparison_operator) {
    const OperatorInfo& info = operator_info(*raw.comparison_operator);
    if (info.min_values > 0 && !raw.value && !raw.value_list) {
      invalid_parameter("Value or AttributeValueList must be used with ComparisonOperator: " +
                        std::string(info.name) + " for Attribute: " + attribute);
    }
    if (raw.value) {
      condition.values.push_back(model::attribute_from_json(*raw.value));
    } else {
      condition.values = convert_values(raw.value_list);
    }
    check_operands(info, condition.values);
    condition.info = &info;
    return condition;
  }
  if (raw.value_list) {
    invalid_parameter(
        "AttributeValueList can only be used with a ComparisonOperator for "
        "Attribute: " +
        attribute);
  }
  bool exists = raw.exists.value_or(true);
  if (exists && !raw.value) {
    invalid_parameter(std::string("Value must be provided when Exists is ") +
                      (raw.exists ? "true" : "null") + " for Attribute: " + attribute);
  }
  if (!exists && raw.value) {
    invalid_parameter("Value cannot be used when Exists is false for Attribute: " + attribute);
  }
  if (exists) {
    condition.info = &operator_info("EQ");
    condition.values.push_back(model::attribute_from_json(*raw.value));
  } else {
    condition.info = &operator_info("NULL");
  }
  return condition;
}

// DynamoDB checks this after the entries themselves, and counts the entries, not their meaning.
void check_conditional_operator_use(const std::optional<std::string>& conditional_operator,
                                    size_t conditions) {
  if (!conditional_operator) return;
  if (conditions == 0) {
    throw model::validation_error("ConditionalOperator cannot be used without Filter or Expected");
  }
  if (conditions == 1) {
    throw model::validation_error(
        "ConditionalOperator can only be used when Filter or Expected has two or more elements");
  }
}

// ---- Trees -------------------------------------------------------------------------------------

Node node_of(NodeKind kind, std::vector<Node> children) {
  Node node;
  node.kind = kind;
  node.children = std::move(children);
  return node;
}

Node attribute_node(const std::string& name) {
  Node node;
  node.kind = NodeKind::Path;
  node.path.push_back(PathStep::member(name));
  return node;
}

Node value_node(AttributeValue value) {
  Node node;
  node.kind = NodeKind::Value;
  node.value = std::make_shared<const AttributeValue>(std::move(value));
  return node;
}

Node function_node(std::string name, std::vector<Node> arguments) {
  Node node = node_of(NodeKind::Function, std::move(arguments));
  node.function = std::move(name);
  return node;
}

Node compare_node(Comparator comparator, Node left, Node right) {
  Node node = node_of(NodeKind::Compare, {});
  node.children.push_back(std::move(left));
  node.children.push_back(std::move(right));
  node.comparator = comparator;
  return node;
}

Node condition_node(Condition condition) {
  Node attribute = attribute_node(condition.attribute);
  std::vector<Node> values;
  for (AttributeValue& value : condition.values) values.push_back(value_node(std::move(value)));
  auto compare = [&](Comparator comparator) {
    return compare_node(comparator, std::move(attribute), std::move(values[0]));
  };
  switch (condition.info->op) {
    case Operator::Eq:
      return compare(Comparator::Eq);
    case Operator::Ne:
      // "<>" is true of a missing attribute, as legacy NE is.
      return compare(Comparator::Ne);
    case Operator::Le:
      return compare(Comparator::Le);
    case Operator::Lt:
      return compare(Comparator::Lt);
    case Operator::Ge:
      return compare(Comparator::Ge);
    case Operator::Gt:
      return compare(Comparator::Gt);
    case Operator::NotNull:
      return function_node("attribute_exists", {std::move(attribute)});
    case Operator::Null:
      return function_node("attribute_not_exists", {std::move(attribute)});
    case Operator::Contains:
      return function_node("contains", {std::move(attribute), std::move(values[0])});
    case Operator::NotContains: {
      // Unlike NOT contains(), legacy NOT_CONTAINS is false of a missing attribute (DynamoDB
      // fails an Expected and filters out an item on it), so the attribute must exist.
      Node exists = function_node("attribute_exists", {attribute});
      Node contains = function_node("contains", {std::move(attribute), std::move(values[0])});
      return node_of(NodeKind::And,
                     {std::move(exists), node_of(NodeKind::Not, {std::move(contains)})});
    }
    case Operator::BeginsWith:
      return function_node("begins_with", {std::move(attribute), std::move(values[0])});
    case Operator::In:
      values.insert(values.begin(), std::move(attribute));
      return node_of(NodeKind::In, std::move(values));
    case Operator::Between:
      values.insert(values.begin(), std::move(attribute));
      return node_of(NodeKind::Between, std::move(values));
  }
  throw model::internal_error("Unknown legacy ComparisonOperator");
}

std::optional<Node> combine(std::vector<Condition> conditions,
                            const std::optional<std::string>& conditional_operator) {
  if (conditions.empty()) return std::nullopt;
  NodeKind joint = conditional_operator == "OR" ? NodeKind::Or : NodeKind::And;
  Node tree = condition_node(std::move(conditions[0]));
  for (size_t i = 1; i < conditions.size(); ++i) {
    tree = node_of(joint, {std::move(tree), condition_node(std::move(conditions[i]))});
  }
  return tree;
}

std::string list_for_message(const std::vector<std::string>& names) {
  std::string shown = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) shown += ", ";
    shown += names[i];
  }
  return shown + "]";
}

}  // namespace

std::optional<Node> expected_condition(const json& request) {
  std::vector<RawCondition> raw = read_conditions(request, "Expected", "ExpectedAttributeValue")
                                      .value_or(std::vector<RawCondition>());
  std::optional<std::string> conditional_operator = string_member(request, "ConditionalOperator");

  // PutItem, UpdateItem and DeleteItem declare ConditionalOperator before Expected.
  Violations violations;
  violations.enumeration(conditional_operator, "conditionalOperator", kConditionalOperatorEnum);
  check_operator_enums(raw, "Expected", false, violations);
  violations.throw_if_any();

  std::vector<Condition> conditions;
  for (const RawCondition& entry : raw) conditions.push_back(expected_entry(entry));
  check_conditional_operator_use(conditional_operator, conditions.size());
  return combine(std::move(conditions), conditional_operator);
}

std::optional<Node> filter_condition(const json& request, const char* member_name) {
  std::vector<RawCondition> raw =
      read_conditions(request, member_name, "Condition").value_or(std::vector<RawCondition>());
  std::optional<std::string> conditional_operator = string_member(request, "ConditionalOperator");

  // Query declares QueryFilter before ConditionalOperator; Scan declares ScanFilter after it.
  Violations violations;
  bool filter_first = std::string_view(member_name) == "QueryFilter";
  if (filter_first) check_operator_enums(raw, member_name, true, violations);
  violations.enumeration(conditional_operator, "conditionalOperator", kConditionalOperatorEnum);
  if (!filter_first) check_operator_enums(raw, member_name, true, violations);
  violations.throw_if_any();

  std::vector<Condition> conditions;
  for (const RawCondition& entry : raw) conditions.push_back(filter_entry(entry));
  check_conditional_operator_use(conditional_operator, conditions.size());
  return combine(std::move(conditions), conditional_operator);
}

std::optional<KeyCondition> key_conditions(const json& request) {
  std::optional<std::vector<RawCondition>> read =
      read_conditions(request, "KeyConditions", "Condition");
  if (!read) return std::nullopt;
  const std::vector<RawCondition>& raw = *read;

  Violations violations;
  check_operator_enums(raw, "KeyConditions", true, violations);
  violations.throw_if_any();

  std::vector<Condition> conditions;
  for (const RawCondition& entry : raw) conditions.push_back(filter_entry(entry));
  if (conditions.empty() || conditions.size() > 2) {
    throw model::validation_error("Conditions can be of length 1 or 2 only");
  }
  KeyCondition key_condition;
  for (Condition& condition : conditions) {
    KeyCondition::Part part;
    if (!condition.info->indexable) {
      throw model::validation_error(
          "Attempted conditional constraint is not an indexable operation");
    }
    part.op = condition.info->range;
    part.attribute = std::move(condition.attribute);
    part.values = std::move(condition.values);
    key_condition.parts.push_back(std::move(part));
  }
  return key_condition;
}

std::optional<std::vector<Path>> attributes_to_get(const json& request) {
  const json* list = list_member(request, "AttributesToGet");
  if (!list) return std::nullopt;
  std::vector<std::string> names;
  for (const json& element : *list) names.push_back(as_string(element));

  Violations violations;
  if (names.empty()) {
    violations.add(list_for_message(names), "attributesToGet",
                   "Member must have length greater than or equal to 1");
  }
  if (names.size() > 255) {
    violations.add(list_for_message(names), "attributesToGet",
                   "Member must have length less than or equal to 255");
  }
  violations.throw_if_any();

  std::vector<Path> paths;
  for (size_t i = 0; i < names.size(); ++i) {
    // The first name seen a second time is the one DynamoDB reports.
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
        names.begin() + static_cast<std::ptrdiff_t>(i)) {
      invalid_parameter("Duplicate value in attribute name: " + names[i]);
    }
    paths.push_back(Path{PathStep::member(names[i])});
  }
  return paths;
}

}  // namespace eddy::operations
