// to_json_text must write exactly what nlohmann's dump writes, which clients already accept.
#include <gtest/gtest.h>

#include <random>

#include "protocol/json_text.h"

namespace eddy::protocol {
namespace {

using json = nlohmann::json;

std::string reference(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(JsonText, MatchesNlohmannOnResponseShapes) {
  json response = {
      {"Item",
       {{"pk", {{"S", "GRP#5ae290ed"}}}, {"n", {{"N", "-1.5E+10"}}}, {"ok", {{"BOOL", true}}}}},
      {"Count", 20},
      {"ScannedCount", 4294967296ULL},
      {"Negative", -7},
      {"ConsumedCapacity", {{"CapacityUnits", 0.5}, {"TableName", "t"}}},
      {"Empty", json::object()},
      {"List", json::array({1, "two", nullptr, false, json::array()})},
      {"CreationDateTime", 1763702400.123},
      {"Whole", 3.0},
      {"Huge", 1e300},
      {"Tiny", 1.5e-7}};
  EXPECT_EQ(to_json_text(response), reference(response));
}

TEST(JsonText, EscapesLikeNlohmann) {
  for (std::string text :
       {std::string("plain"), std::string("quote \" backslash \\ slash /"),
        std::string("\b\f\n\r\t"), std::string("\x01\x1f\x7f", 3), std::string("nul \0 inside", 12),
        std::string("héllo ✓ 𝄞 日本"), std::string(""), std::string(5000, 'x') + "\n"}) {
    json value = {{"S", text}, {text, "key"}};
    EXPECT_EQ(to_json_text(value), reference(value)) << text;
  }
}

TEST(JsonText, ReplacesInvalidUtf8AsNlohmannDoes) {
  for (std::string text :
       {std::string("\xff"), std::string("ok \xc3"), std::string("\xc3\x28 after"),
        std::string("\xe0\x80\xaf"), std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
        std::string("\xc0\xaf"), std::string("tail \xe2\x82")}) {
    json value = {{"message", text}};
    EXPECT_EQ(to_json_text(value), reference(value));
  }
}

TEST(JsonText, AgreesOnRandomStrings) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 40);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    int n = length(random);
    for (int i = 0; i < n; ++i) text += static_cast<char>(byte(random));
    json value = json::array({text});
    ASSERT_EQ(to_json_text(value), reference(value)) << round;
  }
}

}  // namespace
}  // namespace eddy::protocol
