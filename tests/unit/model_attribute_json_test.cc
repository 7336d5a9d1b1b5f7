// Messages are DynamoDB's as recorded by dynalite's tests (test/putItem.js "invalid values",
// "empty/invalid numbers", "unsupported datatype"; test/helpers.js assertType).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "model/api_error.h"
#include "model/attribute_json.h"

namespace eddy::model {
namespace {

using nlohmann::json;

const std::string kInvalid = "One or more parameter values were invalid: ";
const std::string kEmpty =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
const std::string kSeveral =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";
const std::string kNesting =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";
const std::string kNumberClass = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";

struct Failure {
  std::string type;
  std::string message;
};

Failure failure_of(const json& value) {
  try {
    attribute_from_json(value);
  } catch (const ApiError& error) {
    return {error.type(), error.message()};
  }
  return {"", "(accepted)"};
}

void expect_validation(const json& value, const std::string& message) {
  Failure failure = failure_of(value);
  EXPECT_EQ(failure.type, "ValidationException") << value.dump();
  EXPECT_EQ(failure.message, message) << value.dump();
}

void expect_serialization(const json& value, const std::string& message) {
  Failure failure = failure_of(value);
  EXPECT_EQ(failure.type, "SerializationException") << value.dump();
  EXPECT_EQ(failure.message, message) << value.dump();
}

json nested_lists(int containers, json leaf) {
  json value = std::move(leaf);
  for (int i = 0; i < containers; ++i) {
    json list = json::array();
    list.push_back(std::move(value));
    value = json::object();
    value["L"] = std::move(list);
  }
  return value;
}

TEST(AttributeJson, EmptyOrUnknownValueIsRejected) {
  for (const json& value : {json::object(), json{{"a", ""}}, json{{"M", {{"a", json::object()}}}},
                            json{{"L", json::array({json::object()})}},
                            json{{"L", json::array({{{"a", {}}}})}}, json{{"S", nullptr}}}) {
    expect_validation(value, kEmpty);
  }
}

TEST(AttributeJson, SeveralTypesAreRejectedAfterEachIsValidated) {
  expect_validation({{"S", "a"}, {"N", "1"}}, kSeveral);
  expect_validation({{"S", "a"}, {"BOOL", true}}, kSeveral);
  // The number is validated before the type count is.
  expect_validation({{"S", ""}, {"N", ""}}, "The parameter cannot be converted to a numeric value");
  expect_validation({{"S", "a"}, {"N", ""}},
                    "The parameter cannot be converted to a numeric value");
  expect_validation({{"S", "a"}, {"N", "b"}},
                    "The parameter cannot be converted to a numeric value: b");
}

TEST(AttributeJson, InvalidValuesHaveDynamoDbsMessages) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"NULL", false}}, "Null attribute value types must have the value of true"},
      {{{"NULL", "no"}}, "Null attribute value types must have the value of true"},
      {{{"SS", json::array()}}, "An string set  may not be empty"},
      {{{"NS", json::array()}}, "An number set  may not be empty"},
      {{{"BS", json::array()}}, "Binary sets should not be empty"},
      {{{"SS", {"a", "a"}}}, "Input collection [a, a] contains duplicates."},
      {{{"SS", {"x", "a", "b", "a"}}}, "Input collection [x, a, b, a] contains duplicates."},
      {{{"BS", {"Yg==", "Yg=="}}}, "Input collection [Yg==, Yg==]of type BS contains duplicates."},
  };
  for (const auto& [value, detail] : cases) expect_validation(value, kInvalid + detail);
}

TEST(AttributeJson, NumberSetMembersAreNumbersAndUniqueByValue) {
  expect_validation({{"NS", {"1", ""}}}, "The parameter cannot be converted to a numeric value");
  expect_validation({{"NS", {"1", "b"}}},
                    "The parameter cannot be converted to a numeric value: b");
  expect_validation({{"NS", {"1", "1"}}}, "Input collection contains duplicates");
  expect_validation({{"NS", {"1", "1.0"}}}, "Input collection contains duplicates");
  expect_validation({{"NS", {"1e126"}}},
                    "Number overflow. Attempting to store a number with magnitude larger than "
                    "supported range");
  AttributeValue set = attribute_from_json({{"NS", {"1.50", "-0", "1e2"}}});
  EXPECT_EQ(set.set_elements(), (std::vector<std::string>{"1.5", "0", "100"}));
}

TEST(AttributeJson, NumbersAreValidatedAndCanonicalised) {
  expect_validation({{"N", "123456789012345678901234567890123456789"}},
                    "Attempting to store more than 38 significant digits in a Number");
  expect_validation({{"N", "-1e-131"}},
                    "Number underflow. Attempting to store a number with magnitude smaller than "
                    "supported range");
  EXPECT_EQ(attribute_from_json({{"N", "-1.50e1"}}).scalar(), "-15");
}

TEST(AttributeJson, WrongJsonTypesAreSerializationErrors) {
  const std::vector<std::pair<json, std::string>> cases = {
      // The attribute value itself.
      {json("x"), "Expected null"},
      {json(5), "Expected null"},
      {json(true), "Expected null"},
      {json::array(), "Start of list found where not expected"},
      // String fields.
      {{{"S", true}}, "class java.lang.Boolean can not be converted to an String"},
      {{{"S", 23}}, kNumberClass + " can not be converted to an String"},
      {{{"S", 34.56}}, kNumberClass + " can not be converted to an String"},
      {{{"S", 2147483648LL}}, kNumberClass + " can not be converted to an String"},
      {{{"S", json::array()}}, "Start of list found where not expected"},
      {{{"S", json::object()}}, "Start of structure or map found where not expected."},
      {{{"N", 5}}, kNumberClass + " can not be converted to an String"},
      // Blob fields.
      {{{"B", true}}, "class java.lang.Boolean can not be converted to a Blob"},
      {{{"B", -2147483648LL}}, kNumberClass + " can not be converted to a Blob"},
      {{{"B", json::object()}}, "Start of structure or map found where not expected."},
      {{{"B", "23456"}},
       "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of "
       "4 bytes but found: 5"},
      {{{"B", "=+/="}}, "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"},
      {{{"B", "ab*="}}, "'ab*=' can not be converted to a Blob: Invalid Base64 character: '*'"},
      // Lengths count UTF-16 code units, as DynamoDB's Java does.
      {{{"B", "ab\xC3\xA9="}},
       "'ab\xC3\xA9=' can not be converted to a Blob: Invalid Base64 character: '\xC3\xA9'"},
      {{{"B", "ab\xF0\x9F\x98\x80"}},
       "'ab\xF0\x9F\x98\x80' can not be converted to a Blob: Invalid Base64 character: "
       "'\xF0\x9F\x98\x80'"},
      {{{"B", "ab\xC3\xA9"}},
       "'ab\xC3\xA9' can not be converted to a Blob: Base64 encoded length is expected a "
       "multiple of 4 bytes but found: 3"},
      {{{"B", "+/+="}},
       "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"},
      {{{"B", "a==="}},
       "'a===' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"},
      // Boolean fields.
      {{{"BOOL", 23}}, kNumberClass + " can not be converted to an Boolean"},
      {{{"BOOL", "23"}}, "'23' can not be converted to an Boolean"},
      {{{"NULL", "maybe"}}, "'MAYBE' can not be converted to an Boolean"},
      {{{"BOOL", json::array()}}, "Start of list found where not expected"},
      {{{"NULL", json::object()}}, "Start of structure or map found where not expected."},
      // List fields and their members.
      {{{"SS", "x"}}, "Expected list or null"},
      {{{"NS", 5}}, "Expected list or null"},
      {{{"L", true}}, "Expected list or null"},
      {{{"BS", json::object()}}, "Start of structure or map found where not expected."},
      {{{"SS", {1}}}, kNumberClass + " can not be converted to an String"},
      {{{"BS", {"Yg==", "Yg="}}},
       "'Yg=' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 "
       "bytes but found: 3"},
      {{{"L", {"x"}}}, "Expected null"},
      {{{"L", {json::array()}}}, "Start of list found where not expected"},
      // Map fields and their members.
      {{{"M", json::array()}}, "Start of list found where not expected"},
      {{{"M", "x"}}, "Expected map or null"},
      {{{"M", {{"a", 1}}}}, "Expected null"},
      {{{"M", {{"a", {{"BS", {true}}}}}}},
       "class java.lang.Boolean can not be converted to a Blob"},
  };
  for (const auto& [value, message] : cases) expect_serialization(value, message);
}

TEST(AttributeJson, SerializationErrorsWinOverValidationErrorsAnywhere) {
  // The empty value comes first but the mistyped string deep inside decides the error.
  json value = {{"M", {{"a", json::object()}, {"b", {{"L", {{{"S", 5}}}}}}}}};
  expect_serialization(value, kNumberClass + " can not be converted to an String");
  expect_serialization(nested_lists(200, {{"S", false}}),
                       "class java.lang.Boolean can not be converted to an String");
}

TEST(AttributeJson, NestingIsLimitedTo32LevelsCountingTheItem) {
  EXPECT_NO_THROW(attribute_from_json(nested_lists(31, {{"S", "leaf"}})));
  EXPECT_NO_THROW(attribute_from_json(nested_lists(30, {{"M", json::object()}})));
  expect_validation(nested_lists(32, {{"S", "leaf"}}), kNesting);
  expect_validation(nested_lists(31, {{"M", json::object()}}), kNesting);
  expect_validation(nested_lists(5000, {{"S", "leaf"}}), kNesting);

  json item = {{"deep", nested_lists(32, {{"N", "1"}})}};
  try {
    attribute_map_from_json(item);
    FAIL() << "accepted";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.message(), kNesting);
  }
}

TEST(AttributeJson, AcceptsEveryTypeIncludingEmptyStringsAndBinaries) {
  // dynalite "should put multi attribute item" and "should put empty values".
  json item = {
      {"b", {{"N", "-56.789"}}},
      {"c", {{"B", "Yg=="}}},
      {"d", {{"BOOL", false}}},
      {"e", {{"NULL", true}}},
      {"f", {{"SS", {"a"}}}},
      {"g", {{"NS", {"-56.789"}}}},
      {"h", {{"BS", {"Yg=="}}}},
      {"i", {{"L", {{{"S", "a"}}, {{"L", json::array()}}, {{"M", json::object()}}}}}},
      {"j", {{"M", {{"a", {{"M", json::object()}}}, {"b", {{"L", json::array()}}}}}}},
      {"k", {{"S", ""}}},
      {"l", {{"B", ""}}},
      {"m", {{"SS", {""}}}},
      {"n", {{"BS", {""}}}},
  };
  AttributeMap attributes = attribute_map_from_json(item);
  EXPECT_EQ(attributes.at("c").scalar(), "b");
  EXPECT_EQ(attributes.at("h").set_elements(), std::vector<std::string>{"b"});
  EXPECT_EQ(attributes.at("k").type(), AttributeType::S);
  EXPECT_EQ(attributes.at("l").scalar(), "");
  EXPECT_EQ(to_json(attributes), item);
}

TEST(AttributeJson, BooleanFieldsAcceptDynamoDbsStringSpellings) {
  EXPECT_TRUE(attribute_from_json({{"BOOL", "yes"}}).boolean_value());
  EXPECT_TRUE(attribute_from_json({{"BOOL", "TRUE"}}).boolean_value());
  EXPECT_FALSE(attribute_from_json({{"BOOL", "0"}}).boolean_value());
  EXPECT_EQ(attribute_from_json({{"NULL", "true"}}).type(), AttributeType::Null);
}

TEST(AttributeJson, UnknownFieldsAndNullFieldsAreIgnored) {
  AttributeValue value = attribute_from_json({{"S", "a"}, {"X", 1}, {"N", nullptr}});
  EXPECT_EQ(value, AttributeValue::string("a"));
}

TEST(AttributeJson, ItemMembersMustBeValues) {
  EXPECT_TRUE(attribute_map_from_json(nullptr).empty());
  try {
    attribute_map_from_json(json::array());
    FAIL() << "accepted";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.type(), "SerializationException");
    EXPECT_EQ(error.message(), "Start of list found where not expected");
  }
  try {
    attribute_map_from_json({{"a", nullptr}});
    FAIL() << "accepted";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.message(), kEmpty);
  }
}

TEST(AttributeJson, ToJsonWritesDynamoDbJson) {
  EXPECT_EQ(to_json(AttributeValue::number("1.5")), json({{"N", "1.5"}}));
  EXPECT_EQ(to_json(AttributeValue::binary(std::string("\x00\xFF", 2))), json({{"B", "AP8="}}));
  EXPECT_EQ(to_json(AttributeValue::null()), json({{"NULL", true}}));
  EXPECT_EQ(to_json(AttributeValue::boolean(false)), json({{"BOOL", false}}));
  EXPECT_EQ(to_json(AttributeValue::binary_set({"a", "b"})), json({{"BS", {"YQ==", "Yg=="}}}));
}

TEST(Base64, RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << i;
    bytes.push_back(static_cast<char>((i * 37) & 0xFF));
  }
  EXPECT_EQ(base64_encode("b"), "Yg==");
  EXPECT_EQ(base64_encode("ab"), "YWI=");
  EXPECT_EQ(base64_encode("abc"), "YWJj");
  EXPECT_EQ(base64_decode("YWJj"), "abc");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_THROW(base64_decode("YWI"), ApiError);
  EXPECT_THROW(base64_decode("YWJ="), ApiError);  // non-zero bits after the last byte
  EXPECT_THROW(base64_decode("===="), ApiError);
}

}  // namespace
}  // namespace eddy::model
