#include <gtest/gtest.h>

#include <string>

#include "model/item_size.h"
#include "model/number.h"

namespace eddy::model {
namespace {

AttributeValue number(std::string_view text) {
  return AttributeValue::number(Number::parse(text).to_string());
}

TEST(ItemSize, ScalarsCountTheirBytes) {
  EXPECT_EQ(attribute_size(AttributeValue::string("abc")), 3u);
  EXPECT_EQ(attribute_size(AttributeValue::string("")), 0u);
  EXPECT_EQ(attribute_size(AttributeValue::string("\xC3\xA9\xF0\x9F\x98\x80")), 6u);  // é😀
  EXPECT_EQ(attribute_size(AttributeValue::binary(std::string("\x00\xFF\x00", 3))), 3u);
  EXPECT_EQ(attribute_size(AttributeValue::null()), 1u);
  EXPECT_EQ(attribute_size(AttributeValue::boolean(false)), 1u);
}

TEST(ItemSize, NumbersCountBase100DigitsExponentAndSign) {
  EXPECT_EQ(attribute_size(number("0")), 1u);
  EXPECT_EQ(attribute_size(number("1")), 2u);
  EXPECT_EQ(attribute_size(number("-1")), 3u);
  EXPECT_EQ(attribute_size(number("12345")), 4u);
  EXPECT_EQ(attribute_size(number("-56.789")), 5u);
  EXPECT_EQ(attribute_size(number("1" + std::string(125, '0'))), 2u);
  EXPECT_EQ(attribute_size(number(std::string(38, '1') + std::string(88, '0'))), 20u);
}

TEST(ItemSize, SetsSumTheirElements) {
  EXPECT_EQ(attribute_size(AttributeValue::string_set({"a", "bc", ""})), 3u);
  EXPECT_EQ(attribute_size(AttributeValue::number_set({"1", "-1"})), 5u);
  EXPECT_EQ(attribute_size(AttributeValue::binary_set({"ab", "c"})), 3u);
}

TEST(ItemSize, DocumentsAddThreeBytesPlusOnePerElement) {
  EXPECT_EQ(attribute_size(AttributeValue::list({})), 3u);
  EXPECT_EQ(attribute_size(AttributeValue::map({})), 3u);
  EXPECT_EQ(attribute_size(AttributeValue::list({AttributeValue::string("a"), number("1")})),
            3u + (1 + 1) + (1 + 2));
  EXPECT_EQ(attribute_size(AttributeValue::map({{"ab", AttributeValue::string("c")}})),
            3u + 1 + 2 + 1);
  AttributeValue nested = AttributeValue::map(
      {{"l", AttributeValue::list({AttributeValue::null(), AttributeValue::map({})})}});
  EXPECT_EQ(attribute_size(nested), 3u + 1 + 1 + (3 + (1 + 1) + (1 + 3)));
}

TEST(ItemSize, ItemAddsAttributeNameBytes) {
  Item item = {{"a", AttributeValue::string("xyz")},
               {"\xC3\xBC", AttributeValue::boolean(true)},
               {"num", number("12345")}};
  EXPECT_EQ(item_size(item), (1u + 3) + (2 + 1) + (3 + 4));
  EXPECT_EQ(item_size({}), 0u);
}

// dynalite's putItem "item is too big" tests: these items are one byte over the limit.
TEST(ItemSize, MatchesDynamoDbsLimitBoundary) {
  const std::string key = "1234567890";
  Item too_big = {{"a", AttributeValue::string(key)},
                  {"b", AttributeValue::string(std::string(kMaxItemSize - key.size() - 1, 'a'))}};
  EXPECT_EQ(item_size(too_big), kMaxItemSize + 1);

  Item with_number = {
      {"a", AttributeValue::string(key)},
      {"b", AttributeValue::string(std::string(kMaxItemSize - key.size() - 22, 'a'))},
      {"c", number(std::string(38, '1') + std::string(88, '0'))}};
  EXPECT_EQ(item_size(with_number), kMaxItemSize + 1);
}

}  // namespace
}  // namespace eddy::model
