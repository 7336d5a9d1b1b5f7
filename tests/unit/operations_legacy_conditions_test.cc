// Expected, QueryFilter / ScanFilter, KeyConditions and AttributesToGet: DynamoDB's messages
// (dynalite's validations, checked against DynamoDB Local where they differ) and the meaning of
// the translated trees, judged by evaluating them.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/condition_evaluator.h"
#include "operations/legacy_conditions.h"

namespace eddy::operations {
namespace {

using model::AttributeValue;
using model::expressions::Comparator;
using model::expressions::KeyCondition;
using model::expressions::Node;
using model::expressions::NodeKind;
using model::expressions::RangeOperator;
using nlohmann::json;

constexpr const char* kInvalid = "One or more parameter values were invalid: ";

// "<type>: <message>" of what `body` throws, or "" when it throws nothing.
std::string error_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const model::ApiError& error) {
    return error.type() + ": " + error.message();
  }
  return "";
}

std::string expected_error(const json& request) {
  return error_of([&] { expected_condition(request); });
}
std::string scan_error(const json& request) {
  return error_of([&] { filter_condition(request, "ScanFilter"); });
}
std::string query_error(const json& request) {
  return error_of([&] { filter_condition(request, "QueryFilter"); });
}
std::string key_error(const json& request) {
  return error_of([&] { key_conditions(request); });
}

std::string invalid(const std::string& detail) {
  return std::string("ValidationException: ") + kInvalid + detail;
}

// {"Expected": {"a": <entry>}}
json expected(const json& entry) {
  return {{"Expected", {{"a", entry}}}};
}
json scan(const json& entry) {
  return {{"ScanFilter", {{"a", entry}}}};
}
json condition(const char* op, const json& values) {
  return {{"ComparisonOperator", op}, {"AttributeValueList", values}};
}

// Whether Expected `request` holds for `item` (DynamoDB JSON).
bool holds(const json& request, const json& item) {
  std::optional<Node> tree = expected_condition(request);
  EXPECT_TRUE(tree.has_value());
  return tree &&
         model::expressions::evaluate_condition(*tree, model::attribute_map_from_json(item));
}

const json kItem = {{"s", {{"S", "hello"}}},
                    {"n", {{"N", "5"}}},
                    {"ss", {{"SS", {"x", "y"}}}},
                    {"l", {{"L", {{{"S", "v"}}}}}}};

// ---- Expected: messages --------------------------------------------------------------------

TEST(ExpectedConditionTest, AbsentOrEmptyMeansNoCondition) {
  EXPECT_FALSE(expected_condition(json::object()).has_value());
  EXPECT_FALSE(expected_condition({{"Expected", json::object()}}).has_value());
  EXPECT_FALSE(expected_condition({{"Expected", nullptr}}).has_value());
}

TEST(ExpectedConditionTest, IncompatibleMembers) {
  EXPECT_EQ(
      expected_error(expected({{"Value", {{"S", "x"}}}, {"AttributeValueList", {{{"S", "x"}}}}})),
      invalid("Value and AttributeValueList cannot be used together for Attribute: a"));
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", "EQ"}, {"Exists", true}})),
            invalid("Exists and ComparisonOperator cannot be used together for Attribute: a"));
  // DynamoDB names Exists with ComparisonOperator first when all four are given.
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", "EQ"},
                                     {"Exists", true},
                                     {"Value", {{"S", "x"}}},
                                     {"AttributeValueList", {{{"S", "x"}}}}})),
            invalid("Exists and ComparisonOperator cannot be used together for Attribute: a"));
  EXPECT_EQ(
      expected_error(expected({{"AttributeValueList", {{{"S", "x"}}}}})),
      invalid("AttributeValueList can only be used with a ComparisonOperator for Attribute: a"));
  EXPECT_EQ(
      expected_error(expected({{"Exists", true}, {"AttributeValueList", {{{"S", "x"}}}}})),
      invalid("AttributeValueList can only be used with a ComparisonOperator for Attribute: a"));
}

TEST(ExpectedConditionTest, ExistsAndValue) {
  EXPECT_EQ(expected_error(expected(json::object())),
            invalid("Value must be provided when Exists is null for Attribute: a"));
  EXPECT_EQ(expected_error(expected({{"Exists", nullptr}})),
            invalid("Value must be provided when Exists is null for Attribute: a"));
  EXPECT_EQ(expected_error(expected({{"Exists", true}})),
            invalid("Value must be provided when Exists is true for Attribute: a"));
  EXPECT_EQ(expected_error(expected({{"Exists", false}, {"Value", {{"S", "x"}}}})),
            invalid("Value cannot be used when Exists is false for Attribute: a"));
  // Checked before the value itself is.
  EXPECT_EQ(expected_error(expected({{"Exists", false}, {"Value", {{"NULL", false}}}})),
            invalid("Value cannot be used when Exists is false for Attribute: a"));
  EXPECT_EQ(expected_error(expected({{"Value", {{"NULL", false}}}})),
            invalid("Null attribute value types must have the value of true"));
  EXPECT_EQ(expected_error(expected({{"Exists", false}})), "");
  EXPECT_EQ(expected_error(expected({{"Exists", "false"}})), "");
}

TEST(ExpectedConditionTest, ComparisonOperatorNeedsValues) {
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", "EQ"}})),
            invalid("Value or AttributeValueList must be used with ComparisonOperator: EQ for "
                    "Attribute: a"));
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", "NULL"}})), "");
  EXPECT_EQ(expected_error(expected(condition("NULL", json::array()))), "");
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", "EQ"}, {"Value", {{"N", "1"}}}})), "");
}

TEST(ExpectedConditionTest, ArgumentCounts) {
  auto count = [](const char* op) {
    return invalid(std::string("Invalid number of argument(s) for the ") + op +
                   " ComparisonOperator");
  };
  EXPECT_EQ(expected_error(expected(condition("EQ", json::array()))), count("EQ"));
  EXPECT_EQ(expected_error(expected(condition("NE", {{{"N", "1"}}, {{"N", "2"}}}))), count("NE"));
  EXPECT_EQ(expected_error(expected(condition("BETWEEN", {{{"N", "1"}}}))), count("BETWEEN"));
  EXPECT_EQ(expected_error(expected(condition("IN", json::array()))), count("IN"));
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", "NULL"}, {"Value", {{"S", "x"}}}})),
            count("NULL"));
  EXPECT_EQ(expected_error(expected(condition("NOT_NULL", {{{"S", "x"}}}))), count("NOT_NULL"));
  EXPECT_EQ(expected_error(expected(condition("IN", {{{"N", "1"}}, {{"N", "2"}}, {{"N", "3"}}}))),
            "");
  // The values are checked first.
  EXPECT_EQ(
      expected_error(expected({{"ComparisonOperator", "NULL"}, {"Value", {{"NULL", false}}}})),
      invalid("Null attribute value types must have the value of true"));
}

TEST(ExpectedConditionTest, ValueTypes) {
  EXPECT_EQ(expected_error(expected(condition("BETWEEN", {{{"N", "1"}}, {{"S", "a"}}}))),
            invalid("AttributeValues inside AttributeValueList must be of same type"));
  EXPECT_EQ(expected_error(expected(condition("LT", {{{"SS", {"a"}}}}))),
            invalid("ComparisonOperator LT is not valid for SS AttributeValue type"));
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", "LT"}, {"Value", {{"BOOL", true}}}})),
            invalid("ComparisonOperator LT is not valid for BOOL AttributeValue type"));
  EXPECT_EQ(expected_error(expected(condition("CONTAINS", {{{"SS", {"a"}}}}))),
            invalid("ComparisonOperator CONTAINS is not valid for SS AttributeValue type"));
  EXPECT_EQ(expected_error(expected(condition("BEGINS_WITH", {{{"N", "1"}}}))),
            invalid("ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"));
  // An unacceptable type is reported before a mix of types.
  EXPECT_EQ(expected_error(expected(condition("IN", {{{"S", "x"}}, {{"SS", {"x"}}}}))),
            invalid("ComparisonOperator IN is not valid for SS AttributeValue type"));
  EXPECT_EQ(expected_error(expected(condition("EQ", {{{"L", json::array()}}}))), "");
  EXPECT_EQ(expected_error(expected(condition("NE", {{{"M", json::object()}}}))), "");
  EXPECT_EQ(expected_error(expected(condition("NOT_CONTAINS", {{{"BOOL", true}}}))), "");
}

TEST(ExpectedConditionTest, BetweenBoundsInOrder) {
  const std::string reversed =
      "ValidationException: The BETWEEN condition was provided a range where the lower bound is "
      "greater than the upper bound";
  EXPECT_EQ(expected_error(expected(condition("BETWEEN", {{{"N", "10"}}, {{"N", "9"}}}))),
            reversed);
  EXPECT_EQ(expected_error(expected(condition("BETWEEN", {{{"S", "b"}}, {{"S", "a"}}}))), reversed);
  EXPECT_EQ(expected_error(expected(condition("BETWEEN", {{{"B", "Yg=="}}, {{"B", "YQ=="}}}))),
            reversed);
  EXPECT_EQ(expected_error(expected(condition("BETWEEN", {{{"N", "-1"}}, {{"N", "1e0"}}}))), "");
  EXPECT_EQ(expected_error(expected(condition("BETWEEN", {{{"S", "a"}}, {{"S", "a"}}}))), "");
}

TEST(ExpectedConditionTest, ConstraintViolations) {
  EXPECT_EQ(expected_error(expected(condition("eq", {{{"S", "x"}}}))),
            "ValidationException: 1 validation error detected: Value 'eq' at "
            "'expected.a.member.comparisonOperator' failed to satisfy constraint: Member must "
            "satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, "
            "LE, BEGINS_WITH, GE, CONTAINS]");
  json request = expected(condition("BOGUS", {{{"S", "x"}}}));
  request["ConditionalOperator"] = "XOR";
  EXPECT_EQ(expected_error(request),
            "ValidationException: 2 validation errors detected: Value 'XOR' at "
            "'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value "
            "set: [OR, AND]; Value 'BOGUS' at 'expected.a.member.comparisonOperator' failed to "
            "satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, "
            "NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
}

TEST(ExpectedConditionTest, ConditionalOperatorNeedsTwoEntries) {
  EXPECT_EQ(expected_error({{"ConditionalOperator", "OR"}}),
            "ValidationException: ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_EQ(expected_error({{"ConditionalOperator", "AND"}, {"Expected", json::object()}}),
            "ValidationException: ConditionalOperator cannot be used without Filter or Expected");
  json one = expected({{"Exists", false}});
  one["ConditionalOperator"] = "OR";
  EXPECT_EQ(expected_error(one),
            "ValidationException: ConditionalOperator can only be used when Filter or Expected "
            "has two or more elements");
  // The entries are judged first.
  json bad = expected({{"Exists", true}});
  bad["ConditionalOperator"] = "OR";
  EXPECT_EQ(expected_error(bad),
            invalid("Value must be provided when Exists is true for Attribute: a"));
}

TEST(ExpectedConditionTest, JsonTypes) {
  EXPECT_EQ(expected_error({{"Expected", json::array()}}),
            "SerializationException: Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue>");
  EXPECT_EQ(expected_error({{"Expected", "x"}}), "SerializationException: Unexpected field type");
  EXPECT_EQ(expected_error(expected(json::array())),
            "SerializationException: Unrecognized collection type class "
            "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue");
  EXPECT_EQ(expected_error(expected("x")),
            "SerializationException: Unexpected value type in payload");
  EXPECT_EQ(expected_error(expected({{"ComparisonOperator", 5}})),
            "SerializationException: NUMBER_VALUE cannot be converted to String");
  EXPECT_EQ(expected_error(expected({{"Exists", "maybe"}})),
            "SerializationException: Unexpected token received from parser");
}

// ---- Expected: meaning ---------------------------------------------------------------------

TEST(ExpectedConditionTest, ValueFormIsEquality) {
  std::optional<Node> tree = expected_condition(expected({{"Value", {{"S", "x"}}}}));
  ASSERT_TRUE(tree);
  ASSERT_EQ(tree->kind, NodeKind::Compare);
  EXPECT_EQ(tree->comparator, Comparator::Eq);
  ASSERT_EQ(tree->children.size(), 2u);
  EXPECT_EQ(tree->children[0].kind, NodeKind::Path);
  EXPECT_EQ(tree->children[0].path.size(), 1u);
  EXPECT_EQ(tree->children[0].path[0].name, "a");
  EXPECT_EQ(tree->children[1].kind, NodeKind::Value);
  EXPECT_EQ(*tree->children[1].value, AttributeValue::string("x"));

  EXPECT_TRUE(holds({{"Expected", {{"s", {{"Value", {{"S", "hello"}}}}}}}}, kItem));
  EXPECT_TRUE(
      holds({{"Expected", {{"s", {{"Exists", true}, {"Value", {{"S", "hello"}}}}}}}}, kItem));
  EXPECT_FALSE(holds({{"Expected", {{"s", {{"Value", {{"S", "other"}}}}}}}}, kItem));
  EXPECT_FALSE(holds({{"Expected", {{"zz", {{"Value", {{"S", "hello"}}}}}}}}, kItem));
}

TEST(ExpectedConditionTest, ExistsFalseIsAttributeNotExists) {
  std::optional<Node> tree = expected_condition(expected({{"Exists", false}}));
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->kind, NodeKind::Function);
  EXPECT_EQ(tree->function, "attribute_not_exists");
  EXPECT_TRUE(holds({{"Expected", {{"zz", {{"Exists", false}}}}}}, kItem));
  EXPECT_FALSE(holds({{"Expected", {{"s", {{"Exists", false}}}}}}, kItem));
}

// Whether `attribute` <op> `values` holds for kItem.
bool op_holds(const char* attribute, const char* op, const json& values = json::array()) {
  json entry = {{"ComparisonOperator", op}};
  if (!values.empty()) entry["AttributeValueList"] = values;
  return holds({{"Expected", {{attribute, entry}}}}, kItem);
}

TEST(ExpectedConditionTest, ComparisonOperators) {
  EXPECT_TRUE(op_holds("n", "EQ", {{{"N", "5.0"}}}));
  EXPECT_FALSE(op_holds("n", "EQ", {{{"S", "5"}}}));
  EXPECT_TRUE(op_holds("n", "LT", {{{"N", "6"}}}));
  EXPECT_FALSE(op_holds("n", "LT", {{{"N", "5"}}}));
  EXPECT_TRUE(op_holds("n", "LE", {{{"N", "5"}}}));
  EXPECT_TRUE(op_holds("n", "GT", {{{"N", "4"}}}));
  EXPECT_TRUE(op_holds("n", "GE", {{{"N", "5"}}}));
  EXPECT_FALSE(op_holds("n", "GE", {{{"N", "6"}}}));
  EXPECT_TRUE(op_holds("s", "BEGINS_WITH", {{{"S", "he"}}}));
  EXPECT_FALSE(op_holds("s", "BEGINS_WITH", {{{"S", "lo"}}}));
  EXPECT_TRUE(op_holds("n", "IN", {{{"N", "4"}}, {{"N", "5"}}}));
  EXPECT_FALSE(op_holds("n", "IN", {{{"N", "4"}}, {{"N", "6"}}}));
  EXPECT_TRUE(op_holds("n", "BETWEEN", {{{"N", "5"}}, {{"N", "6"}}}));
  EXPECT_FALSE(op_holds("n", "BETWEEN", {{{"N", "6"}}, {{"N", "7"}}}));
  EXPECT_TRUE(op_holds("s", "NOT_NULL"));
  EXPECT_FALSE(op_holds("zz", "NOT_NULL"));
  EXPECT_TRUE(op_holds("zz", "NULL"));
  EXPECT_FALSE(op_holds("s", "NULL"));
  EXPECT_TRUE(op_holds("ss", "CONTAINS", {{{"S", "x"}}}));
  EXPECT_TRUE(op_holds("s", "CONTAINS", {{{"S", "ell"}}}));
  EXPECT_TRUE(op_holds("l", "CONTAINS", {{{"S", "v"}}}));
  EXPECT_FALSE(op_holds("zz", "CONTAINS", {{{"S", "v"}}}));
}

TEST(ExpectedConditionTest, NotEqualHoldsForAMissingAttribute) {
  EXPECT_TRUE(op_holds("zz", "NE", {{{"S", "v"}}}));
  EXPECT_TRUE(op_holds("n", "NE", {{{"S", "5"}}}));  // another type is unequal
  EXPECT_TRUE(op_holds("n", "NE", {{{"N", "6"}}}));
  EXPECT_FALSE(op_holds("n", "NE", {{{"N", "5"}}}));
}

TEST(ExpectedConditionTest, NotContainsFailsForAMissingAttribute) {
  // Unlike the expression NOT contains(zz, :v), legacy NOT_CONTAINS needs the attribute.
  EXPECT_FALSE(op_holds("zz", "NOT_CONTAINS", {{{"S", "v"}}}));
  EXPECT_FALSE(op_holds("l", "NOT_CONTAINS", {{{"S", "v"}}}));
  EXPECT_FALSE(op_holds("ss", "NOT_CONTAINS", {{{"S", "y"}}}));
  EXPECT_TRUE(op_holds("ss", "NOT_CONTAINS", {{{"S", "z"}}}));
  EXPECT_TRUE(op_holds("s", "NOT_CONTAINS", {{{"S", "xyz"}}}));
  EXPECT_TRUE(op_holds("n", "NOT_CONTAINS", {{{"S", "v"}}}));  // a number contains no string
}

TEST(ExpectedConditionTest, ConditionalOperatorJoinsEntries) {
  json both = {{"Expected", {{"s", {{"Exists", false}}}, {"zz", {{"Exists", false}}}}}};
  std::optional<Node> tree = expected_condition(both);
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->kind, NodeKind::And);
  EXPECT_FALSE(holds(both, kItem));
  both["ConditionalOperator"] = "AND";
  EXPECT_FALSE(holds(both, kItem));
  both["ConditionalOperator"] = "OR";
  tree = expected_condition(both);
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->kind, NodeKind::Or);
  EXPECT_TRUE(holds(both, kItem));

  json three = {{"Expected",
                 {{"s", {{"Exists", false}}},
                  {"n", {{"Exists", false}}},
                  {"zz", {{"ComparisonOperator", "NULL"}}}}},
                {"ConditionalOperator", "OR"}};
  EXPECT_TRUE(holds(three, kItem));
  three["ConditionalOperator"] = "AND";
  EXPECT_FALSE(holds(three, kItem));
}

// ---- QueryFilter and ScanFilter ------------------------------------------------------------

TEST(FilterConditionTest, AbsentMeansNoFilter) {
  EXPECT_FALSE(filter_condition(json::object(), "ScanFilter").has_value());
  EXPECT_FALSE(filter_condition({{"ScanFilter", json::object()}}, "ScanFilter").has_value());
  EXPECT_EQ(scan_error({{"ConditionalOperator", "OR"}}),
            "ValidationException: ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_EQ(query_error({{"ConditionalOperator", "OR"}, {"QueryFilter", json::object()}}),
            "ValidationException: ConditionalOperator cannot be used without Filter or Expected");
}

TEST(FilterConditionTest, ComparisonOperatorIsRequired) {
  EXPECT_EQ(scan_error(scan({{"AttributeValueList", {{{"S", "x"}}}}})),
            "ValidationException: 1 validation error detected: Value null at "
            "'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must "
            "not be null");
  EXPECT_EQ(query_error({{"QueryFilter", {{"a", json::object()}}}}),
            "ValidationException: 1 validation error detected: Value null at "
            "'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must "
            "not be null");
}

TEST(FilterConditionTest, ViolationsInDeclarationOrder) {
  const char* op_enum =
      "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
      "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";
  const char* and_or = "Member must satisfy enum value set: [OR, AND]";
  EXPECT_EQ(scan_error({{"ScanFilter", {{"a", condition("X", json::array())}}},
                        {"ConditionalOperator", "Y"}}),
            std::string("ValidationException: 2 validation errors detected: Value 'Y' at "
                        "'conditionalOperator' failed to satisfy constraint: ") +
                and_or + "; Value 'X' at 'scanFilter.a.member.comparisonOperator' failed to " +
                "satisfy constraint: " + op_enum);
  EXPECT_EQ(
      query_error(
          {{"QueryFilter", {{"a", condition("X", json::array())}}}, {"ConditionalOperator", "Y"}}),
      std::string("ValidationException: 2 validation errors detected: Value 'X' at "
                  "'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: ") +
          op_enum + "; Value 'Y' at 'conditionalOperator' failed to satisfy constraint: " + and_or);
}

TEST(FilterConditionTest, OperandChecks) {
  EXPECT_EQ(scan_error(scan({{"ComparisonOperator", "EQ"}})),
            invalid("Invalid number of argument(s) for the EQ ComparisonOperator"));
  EXPECT_EQ(scan_error(scan(condition("NULL", {{{"S", "x"}}}))),
            invalid("Invalid number of argument(s) for the NULL ComparisonOperator"));
  EXPECT_EQ(scan_error(scan(condition("CONTAINS", {{{"SS", {"a"}}}}))),
            invalid("ComparisonOperator CONTAINS is not valid for SS AttributeValue type"));
  EXPECT_EQ(scan_error(scan(condition("NOT_CONTAINS", {{{"L", json::array()}}}))),
            invalid("ComparisonOperator NOT_CONTAINS is not valid for L AttributeValue type"));
  EXPECT_EQ(scan_error(scan(condition("BETWEEN", {{{"SS", {"a"}}}, {{"N", "1"}}}))),
            invalid("ComparisonOperator BETWEEN is not valid for SS AttributeValue type"));
  EXPECT_EQ(scan_error(scan(condition("IN", {{{"S", "x"}}, {{"N", "1"}}}))),
            invalid("AttributeValues inside AttributeValueList must be of same type"));
  EXPECT_EQ(scan_error(scan(condition("BETWEEN", {{{"S", "b"}}, {{"S", "a"}}}))),
            "ValidationException: The BETWEEN condition was provided a range where the lower "
            "bound is greater than the upper bound");
  // Values are converted before they are counted.
  EXPECT_EQ(scan_error(scan(condition("EQ", {{{"NULL", false}}, {{"N", "1"}}}))),
            invalid("Null attribute value types must have the value of true"));
  EXPECT_EQ(scan_error(scan(condition("EQ", json::array({json::object()})))),
            "ValidationException: Supplied AttributeValue is empty, must contain exactly one of "
            "the supported datatypes");
  EXPECT_EQ(scan_error(scan(condition("EQ", {{{"M", json::object()}}}))), "");
  EXPECT_EQ(scan_error(scan(condition("NOT_NULL", json::array()))), "");
}

TEST(FilterConditionTest, ConditionalOperatorNeedsTwoEntries) {
  json one = scan(condition("EQ", {{{"N", "1"}}}));
  one["ConditionalOperator"] = "AND";
  EXPECT_EQ(scan_error(one),
            "ValidationException: ConditionalOperator can only be used when Filter or Expected "
            "has two or more elements");
  json bad = scan(condition("EQ", json::array()));
  bad["ConditionalOperator"] = "OR";
  EXPECT_EQ(scan_error(bad),
            invalid("Invalid number of argument(s) for the EQ ComparisonOperator"));
}

TEST(FilterConditionTest, TranslatesLikeExpected) {
  json filter = {
      {"QueryFilter",
       {{"n", condition("GT", {{{"N", "4"}}})}, {"zz", condition("NOT_CONTAINS", {{{"S", "v"}}})}}},
      {"ConditionalOperator", "OR"}};
  std::optional<Node> tree = filter_condition(filter, "QueryFilter");
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->kind, NodeKind::Or);
  model::Item item = model::attribute_map_from_json(kItem);
  EXPECT_TRUE(model::expressions::evaluate_condition(*tree, item));
  filter["ConditionalOperator"] = "AND";
  tree = filter_condition(filter, "QueryFilter");
  ASSERT_TRUE(tree);
  EXPECT_FALSE(model::expressions::evaluate_condition(*tree, item));
  filter.erase("ConditionalOperator");
  EXPECT_FALSE(filter_condition(filter, "ScanFilter").has_value());  // only the named member
}

// ---- KeyConditions -------------------------------------------------------------------------

TEST(KeyConditionsTest, Translation) {
  EXPECT_FALSE(key_conditions(json::object()).has_value());
  std::optional<KeyCondition> key =
      key_conditions({{"KeyConditions",
                       {{"pk", condition("EQ", {{{"S", "a"}}})},
                        {"sk", condition("BETWEEN", {{{"N", "1"}}, {{"N", "2"}}})}}}});
  ASSERT_TRUE(key);
  ASSERT_EQ(key->parts.size(), 2u);
  EXPECT_EQ(key->parts[0].attribute, "pk");
  EXPECT_EQ(key->parts[0].op, RangeOperator::Eq);
  EXPECT_EQ(key->parts[0].values, std::vector<AttributeValue>{AttributeValue::string("a")});
  EXPECT_EQ(key->parts[1].attribute, "sk");
  EXPECT_EQ(key->parts[1].op, RangeOperator::Between);
  EXPECT_EQ(key->parts[1].values.size(), 2u);

  const std::pair<const char*, RangeOperator> cases[] = {
      {"LT", RangeOperator::Lt},
      {"LE", RangeOperator::Le},
      {"GT", RangeOperator::Gt},
      {"GE", RangeOperator::Ge},
      {"BEGINS_WITH", RangeOperator::BeginsWith}};
  for (const auto& [name, op] : cases) {
    key = key_conditions({{"KeyConditions", {{"sk", condition(name, {{{"S", "1"}}})}}}});
    ASSERT_TRUE(key);
    EXPECT_EQ(key->parts[0].op, op) << name;
  }
}

TEST(KeyConditionsTest, Messages) {
  auto one = [](const char* op, const json& values) {
    return json{{"KeyConditions", {{"pk", condition(op, values)}}}};
  };
  EXPECT_EQ(key_error({{"KeyConditions", json::object()}}),
            "ValidationException: Conditions can be of length 1 or 2 only");
  EXPECT_EQ(key_error({{"KeyConditions",
                        {{"a", condition("EQ", {{{"S", "a"}}})},
                         {"b", condition("EQ", {{{"S", "a"}}})},
                         {"c", condition("EQ", {{{"S", "a"}}})}}}}),
            "ValidationException: Conditions can be of length 1 or 2 only");
  for (const char* op : {"NE", "IN", "CONTAINS", "NOT_CONTAINS"}) {
    EXPECT_EQ(key_error(one(op, {{{"S", "a"}}})),
              "ValidationException: Attempted conditional constraint is not an indexable "
              "operation")
        << op;
  }
  EXPECT_EQ(key_error(one("NULL", json::array())),
            "ValidationException: Attempted conditional constraint is not an indexable operation");
  EXPECT_EQ(key_error(one("EQ", {{{"S", "a"}}, {{"S", "b"}}})),
            invalid("Invalid number of argument(s) for the EQ ComparisonOperator"));
  EXPECT_EQ(key_error(one("LT", {{{"NS", {"1"}}}})),
            invalid("ComparisonOperator LT is not valid for NS AttributeValue type"));
  EXPECT_EQ(key_error(one("BETWEEN", {{{"N", "2"}}, {{"N", "1"}}})),
            "ValidationException: The BETWEEN condition was provided a range where the lower "
            "bound is greater than the upper bound");
  EXPECT_EQ(key_error({{"KeyConditions", {{"pk", {{"AttributeValueList", {{{"S", "a"}}}}}}}}}),
            "ValidationException: 1 validation error detected: Value null at "
            "'keyConditions.pk.member.comparisonOperator' failed to satisfy constraint: Member "
            "must not be null");
  EXPECT_EQ(key_error({{"KeyConditions", json::array()}}),
            "SerializationException: Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.Condition>");
}

// ---- AttributesToGet -----------------------------------------------------------------------

TEST(AttributesToGetTest, NamesBecomeTopLevelPaths) {
  EXPECT_FALSE(attributes_to_get(json::object()).has_value());
  auto paths = attributes_to_get({{"AttributesToGet", {"a", "b.c"}}});
  ASSERT_TRUE(paths);
  ASSERT_EQ(paths->size(), 2u);
  ASSERT_EQ((*paths)[1].size(), 1u);  // a dot is part of the name here
  EXPECT_EQ((*paths)[1][0].name, "b.c");
  EXPECT_FALSE((*paths)[1][0].is_index);
}

TEST(AttributesToGetTest, Messages) {
  auto error = [](const json& names) {
    return error_of([&] { attributes_to_get({{"AttributesToGet", names}}); });
  };
  EXPECT_EQ(error(json::array({"a", "b", "a", "b"})),
            invalid("Duplicate value in attribute name: a"));
  EXPECT_EQ(error(json::array()),
            "ValidationException: 1 validation error detected: Value '[]' at 'attributesToGet' "
            "failed to satisfy constraint: Member must have length greater than or equal to 1");
  json many = json::array();
  for (int i = 0; i < 256; ++i) many.push_back("a" + std::to_string(i));
  EXPECT_NE(error(many).find("Member must have length less than or equal to 255"),
            std::string::npos);
  EXPECT_EQ(error(json::array({1})),
            "SerializationException: NUMBER_VALUE cannot be converted to String");
  EXPECT_EQ(error("a"), "SerializationException: Unexpected field type");
}

}  // namespace
}  // namespace eddy::operations
