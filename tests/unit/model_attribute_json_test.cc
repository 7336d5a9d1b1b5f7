// Messages are DynamoDB's as recorded by dynalite 4.0: its tests (test/putItem.js "invalid
// values", "empty/invalid numbers", "unsupported datatype"; test/helpers.js assertType) and, for
// JSON type errors, validations/index.js checkType.
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
const std::string kObjectFound = "Start of structure or map found where not expected";
const std::string kUnexpectedField = "Unexpected field type";
const std::string kUnexpectedValue = "Unexpected value type in payload";
const std::string kUnexpectedToken = "Unexpected token received from parser";
const std::string kNotBase64 = "only base-64-encoded strings are convertible to bytes";
const std::string kBase64Length =
    "Base64 encoded length is expected a multiple of 4 bytes but found: ";
const std::string kNotCanonical = "Invalid last non-pad Base64 character dectected";
const std::string kStringArray = "Unrecognized collection type class java.lang.String";
const std::string kBooleanArray = "Unrecognized collection type class java.lang.Boolean";
const std::string kBlobArray = "Unrecognized collection type class java.nio.ByteBuffer";
const std::string kValueArray =
    "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue";
const std::string kValueMapArray =
    "Unrecognized collection type java.util.Map<java.lang.String, "
    "com.amazonaws.dynamodb.v20120810.AttributeValue>";

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

Failure map_failure_of(const json& value) {
  try {
    attribute_map_from_json(value);
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
      {json("x"), kUnexpectedValue},
      {json(5), kUnexpectedValue},
      {json(1.5), kUnexpectedValue},
      {json(true), kUnexpectedValue},
      {json::array(), kValueArray},
      {json::array({{{"S", "a"}}}), kValueArray},
      // String fields.
      {{{"S", true}}, "TRUE_VALUE cannot be converted to String"},
      {{{"S", false}}, "FALSE_VALUE cannot be converted to String"},
      {{{"S", 23}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"S", -1}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"S", 2147483648LL}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"S", 18446744073709551615ULL}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"S", 34.56}}, "DECIMAL_VALUE cannot be converted to String"},
      {{{"S", -0.5}}, "DECIMAL_VALUE cannot be converted to String"},
      // dynalite decides by the value: an integral float is a NUMBER_VALUE.
      {{{"S", 1.0}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"S", 1e300}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"S", json::array()}}, kStringArray},
      {{{"S", {"a"}}}, kStringArray},
      {{{"S", json::object()}}, kObjectFound},
      {{{"N", 5}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"N", 5.5}}, "DECIMAL_VALUE cannot be converted to String"},
      {{{"N", false}}, "FALSE_VALUE cannot be converted to String"},
      {{{"N", json::array()}}, kStringArray},
      {{{"N", {{"N", "1"}}}}, kObjectFound},
      // Blob fields.
      {{{"B", true}}, kNotBase64},
      {{{"B", false}}, kNotBase64},
      {{{"B", -2147483648LL}}, kNotBase64},
      {{{"B", 1.5}}, kNotBase64},
      {{{"B", json::array()}}, kBlobArray},
      {{{"B", json::object()}}, kObjectFound},
      {{{"B", "23456"}}, kBase64Length + "5"},
      {{{"B", "a"}}, kBase64Length + "1"},
      {{{"B", "Yg="}}, kBase64Length + "3"},
      // Lengths count UTF-16 code units, as DynamoDB does.
      {{{"B", "ab\xC3\xA9"}}, kBase64Length + "3"},
      {{{"B", "ab\xF0\x9F\x98\x80="}}, kBase64Length + "5"},
      // Anything else that does not decode and re-encode to itself, characters outside the
      // alphabet included.
      {{{"B", "=+/="}}, kNotCanonical},
      {{{"B", "ab*="}}, kNotCanonical},
      {{{"B", "Y g="}}, kNotCanonical},
      {{{"B", "-_-_"}}, kNotCanonical},  // the URL-safe alphabet
      {{{"B", "YQ=a"}}, kNotCanonical},
      {{{"B", "ab\xC3\xA9="}}, kNotCanonical},
      {{{"B", "ab\xF0\x9F\x98\x80"}}, kNotCanonical},
      {{{"B", "+/+="}}, kNotCanonical},
      {{{"B", "Yh=="}}, kNotCanonical},
      {{{"B", "a==="}}, kNotCanonical},
      {{{"B", "===="}}, kNotCanonical},
      // Boolean fields.
      {{{"BOOL", 23}}, "NUMBER_VALUE cannot be converted to Boolean"},
      {{{"BOOL", 0}}, "NUMBER_VALUE cannot be converted to Boolean"},
      {{{"NULL", 1}}, "NUMBER_VALUE cannot be converted to Boolean"},
      {{{"BOOL", 0.5}}, "DECIMAL_VALUE cannot be converted to Boolean"},
      {{{"NULL", -1.25}}, "DECIMAL_VALUE cannot be converted to Boolean"},
      {{{"BOOL", "23"}}, kUnexpectedToken},
      {{{"BOOL", ""}}, kUnexpectedToken},
      {{{"BOOL", " true"}}, kUnexpectedToken},
      {{{"NULL", "maybe"}}, kUnexpectedToken},
      {{{"BOOL", json::array()}}, kBooleanArray},
      {{{"NULL", {true}}}, kBooleanArray},
      {{{"BOOL", json::object()}}, kObjectFound},
      {{{"NULL", json::object()}}, kObjectFound},
      // List fields and their members.
      {{{"SS", "x"}}, kUnexpectedField},
      {{{"NS", 5}}, kUnexpectedField},
      {{{"BS", 1.5}}, kUnexpectedField},
      {{{"L", true}}, kUnexpectedField},
      {{{"L", "x"}}, kUnexpectedField},
      {{{"SS", json::object()}}, kObjectFound},
      {{{"NS", json::object()}}, kObjectFound},
      {{{"BS", json::object()}}, kObjectFound},
      {{{"L", json::object()}}, kObjectFound},
      {{{"SS", {1}}}, "NUMBER_VALUE cannot be converted to String"},
      {{{"NS", {"1", true}}}, "TRUE_VALUE cannot be converted to String"},
      {{{"NS", {1.5}}}, "DECIMAL_VALUE cannot be converted to String"},
      {{{"SS", {json::array()}}}, kStringArray},
      {{{"SS", {json::object()}}}, kObjectFound},
      {{{"BS", {"Yg==", "Yg="}}}, kBase64Length + "3"},
      {{{"BS", {"Yg==", "Yh=="}}}, kNotCanonical},
      {{{"BS", {false}}}, kNotBase64},
      {{{"BS", {json::array()}}}, kBlobArray},
      {{{"BS", {json::object()}}}, kObjectFound},
      {{{"L", {"x"}}}, kUnexpectedValue},
      {{{"L", {5}}}, kUnexpectedValue},
      {{{"L", {json::array()}}}, kValueArray},
      {{{"L", {{{"S", "a"}}, {{"BOOL", "x"}}}}}, kUnexpectedToken},
      // Map fields and their members.
      {{{"M", json::array()}}, kValueMapArray},
      {{{"M", {{{"S", "a"}}}}}, kValueMapArray},
      {{{"M", "x"}}, kUnexpectedField},
      {{{"M", 5}}, kUnexpectedField},
      {{{"M", true}}, kUnexpectedField},
      {{{"M", {{"a", 1}}}}, kUnexpectedValue},
      {{{"M", {{"a", "x"}}}}, kUnexpectedValue},
      {{{"M", {{"a", json::array()}}}}, kValueArray},
      {{{"M", {{"a", {{"BS", {true}}}}}}}, kNotBase64},
  };
  for (const auto& [value, message] : cases) expect_serialization(value, message);
}

TEST(AttributeJson, FieldsAreTypeCheckedInDynamoDbsOrder) {
  // S, B, N, BOOL, NULL, BS, NS, SS, L, M: the first mistyped field is reported.
  expect_serialization({{"N", 5}, {"B", 5}}, kNotBase64);
  expect_serialization({{"S", 5}, {"B", 5}}, "NUMBER_VALUE cannot be converted to String");
  expect_serialization({{"BOOL", 5}, {"N", true}}, "TRUE_VALUE cannot be converted to String");
  expect_serialization({{"NULL", {1}}, {"BOOL", "x"}}, kUnexpectedToken);
  expect_serialization({{"SS", {1}}, {"BS", {1}}}, kNotBase64);
  expect_serialization({{"M", json::array()}, {"L", json::object()}}, kObjectFound);
  // Depth first: a whole list is checked before the next field.
  expect_serialization({{"L", {{{"S", true}}}}, {"M", json::array()}},
                       "TRUE_VALUE cannot be converted to String");
}

TEST(AttributeJson, SerializationErrorsWinOverValidationErrorsAnywhere) {
  // The empty value comes first but the mistyped string deep inside decides the error.
  json value = {{"M", {{"a", json::object()}, {"b", {{"L", {{{"S", 5}}}}}}}}};
  expect_serialization(value, "NUMBER_VALUE cannot be converted to String");
  expect_serialization(nested_lists(200, {{"S", false}}),
                       "FALSE_VALUE cannot be converted to String");
  expect_serialization({{"S", "a"}, {"N", "x"}, {"NULL", false}, {"B", 1}}, kNotBase64);
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
  for (const char* text : {"true", "TRUE", "True", "1", "yes", "YES", "yEs"}) {
    EXPECT_TRUE(attribute_from_json({{"BOOL", text}}).boolean_value()) << text;
    EXPECT_EQ(attribute_from_json({{"NULL", text}}).type(), AttributeType::Null) << text;
  }
  for (const char* text : {"false", "FALSE", "fAlSe", "0", "no", "NO", "No"}) {
    EXPECT_FALSE(attribute_from_json({{"BOOL", text}}).boolean_value()) << text;
    expect_validation({{"NULL", text}},
                      kInvalid + "Null attribute value types must have the value of true");
  }
  // Upper-cased as JavaScript does: U+017F (long s) becomes 'S'.
  const char* long_s_yes = "ye\xC5\xBF";
  const char* long_s_false =
      "fal\xC5\xBF"
      "e";  // split: 'e' would extend the \x escape
  EXPECT_TRUE(attribute_from_json({{"BOOL", long_s_yes}}).boolean_value());
  EXPECT_FALSE(attribute_from_json({{"BOOL", long_s_false}}).boolean_value());
  expect_serialization({{"BOOL", "ye\xC5"}}, kUnexpectedToken);
}

TEST(AttributeJson, UnknownFieldsAndNullFieldsAreIgnored) {
  AttributeValue value = attribute_from_json({{"S", "a"}, {"X", 1}, {"N", nullptr}});
  EXPECT_EQ(value, AttributeValue::string("a"));
  // Null members of lists and maps pass the type check; validation reports them.
  expect_serialization({{"L", {nullptr, {{"S", 1}}}}},
                       "NUMBER_VALUE cannot be converted to String");
  expect_validation({{"L", {nullptr}}}, kEmpty);
  expect_validation({{"M", {{"a", nullptr}}}}, kEmpty);
}

TEST(AttributeJson, ItemsMustBeMapsOfValues) {
  EXPECT_TRUE(attribute_map_from_json(nullptr).empty());
  const std::vector<std::pair<json, std::string>> cases = {
      {json::array(), kValueMapArray},
      {json::array({{{"S", "a"}}}), kValueMapArray},
      {json("x"), kUnexpectedField},
      {json(5), kUnexpectedField},
      {json(true), kUnexpectedField},
      {{{"a", 5}}, kUnexpectedValue},
      {{{"a", "x"}}, kUnexpectedValue},
      {{{"a", json::array()}}, kValueArray},
      {{{"a", {{"S", "x"}}}, {"b", {{"S", true}}}}, "TRUE_VALUE cannot be converted to String"},
  };
  for (const auto& [value, message] : cases) {
    Failure failure = map_failure_of(value);
    EXPECT_EQ(failure.type, "SerializationException") << value.dump();
    EXPECT_EQ(failure.message, message) << value.dump();
  }
  Failure null_member = map_failure_of({{"a", nullptr}});
  EXPECT_EQ(null_member.type, "ValidationException");
  EXPECT_EQ(null_member.message, kEmpty);
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
  for (const char* text :
       {"YWI", "YWJ=" /* non-zero bits after the last byte */, "====", "YW=j", "YW*j"}) {
    try {
      base64_decode(text);
      ADD_FAILURE() << text << " accepted";
    } catch (const ApiError& error) {
      EXPECT_EQ(error.type(), "SerializationException") << text;
      EXPECT_EQ(error.message(), text == std::string("YWI") ? kBase64Length + "3" : kNotCanonical)
          << text;
    }
  }
}

}  // namespace
}  // namespace eddy::model
