#include <gtest/gtest.h>

#include "model/number.h"
#include "model/time_to_live.h"

namespace eddy::model {
namespace {

Item item_with(AttributeValue value) {
  return Item{{"expires", std::move(value)}};
}

AttributeValue number(std::string_view text) {
  return AttributeValue::number(Number::parse(text).to_string());
}

TEST(TimeToLive, OnlyATopLevelNumberIsAnExpiry) {
  EXPECT_EQ(expiry_time(item_with(number("1700000000")), "expires"), 1700000000.0);
  EXPECT_EQ(expiry_time(item_with(number("1700000000.5")), "expires"), 1700000000.5);
  EXPECT_EQ(expiry_time(item_with(AttributeValue::string("1700000000")), "expires"), std::nullopt);
  EXPECT_EQ(expiry_time(item_with(AttributeValue::number_set({"1"})), "expires"), std::nullopt);
  EXPECT_EQ(expiry_time(item_with(AttributeValue::map({{"expires", number("1")}})), "expires"),
            std::nullopt);
  EXPECT_EQ(expiry_time(item_with(number("1")), "other"), std::nullopt);
  // The largest Number DynamoDB stores still reads as a finite time (that never comes).
  auto far =
      expiry_time(item_with(number("9.9999999999999999999999999999999999999E+125")), "expires");
  ASSERT_TRUE(far);
  EXPECT_FALSE(is_expired(*far, 1700000000.0));
}

TEST(TimeToLive, ExpiredMeansPastButNotFiveYearsPast) {
  double now = 1800000000.0;
  EXPECT_TRUE(is_expired(now - 1, now));
  EXPECT_FALSE(is_expired(now, now));
  EXPECT_FALSE(is_expired(now + 1, now));
  EXPECT_TRUE(is_expired(now - 4 * 365 * 24 * 3600.0, now));
  EXPECT_FALSE(is_expired(now - 6 * 365 * 24 * 3600.0, now));
  // Milliseconds by mistake: far in the future, never deleted.
  EXPECT_FALSE(is_expired(now * 1000, now));
  EXPECT_FALSE(is_expired(-1, now));
}

}  // namespace
}  // namespace eddy::model
