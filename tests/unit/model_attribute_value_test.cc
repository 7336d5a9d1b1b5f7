#include <gtest/gtest.h>

#include "model/attribute_value.h"

namespace eddy::model {
namespace {

TEST(AttributeValue, SetsAreEqualWhateverTheirOrder) {
  EXPECT_EQ(AttributeValue::string_set({"a", "b", "c"}),
            AttributeValue::string_set({"c", "a", "b"}));
  EXPECT_NE(AttributeValue::string_set({"a", "b"}), AttributeValue::string_set({"a", "c"}));
  EXPECT_NE(AttributeValue::string_set({"a"}), AttributeValue::string_set({"a", "b"}));
  EXPECT_EQ(AttributeValue::number_set({"1", "2.5"}), AttributeValue::number_set({"2.5", "1"}));
  EXPECT_NE(AttributeValue::string_set({"1"}), AttributeValue::number_set({"1"}));
}

TEST(AttributeValue, ListsAreOrderedAndMapsCompareMembers) {
  AttributeValue one = AttributeValue::number("1");
  AttributeValue two = AttributeValue::number("2");
  EXPECT_EQ(AttributeValue::list({one, two}), AttributeValue::list({one, two}));
  EXPECT_NE(AttributeValue::list({one, two}), AttributeValue::list({two, one}));
  EXPECT_EQ(AttributeValue::map({{"a", one}}), AttributeValue::map({{"a", one}}));
  EXPECT_NE(AttributeValue::map({{"a", one}}), AttributeValue::map({{"a", two}}));
  EXPECT_NE(AttributeValue::map({{"a", one}}), AttributeValue::map({{"b", one}}));
  EXPECT_EQ(AttributeValue::map({}), AttributeValue::map({}));
}

TEST(AttributeValue, ScalarsCompareTypeAndValue) {
  EXPECT_EQ(AttributeValue::null(), AttributeValue());
  EXPECT_EQ(AttributeValue::boolean(true), AttributeValue::boolean(true));
  EXPECT_NE(AttributeValue::boolean(true), AttributeValue::boolean(false));
  EXPECT_NE(AttributeValue::string("1"), AttributeValue::number("1"));
  EXPECT_NE(AttributeValue::string("x"), AttributeValue::binary("x"));
  EXPECT_EQ(type_name(AttributeValue::null().type()), "NULL");
  EXPECT_EQ(type_name(AttributeType::Bool), "BOOL");
  EXPECT_EQ(type_name(AttributeType::BS), "BS");
}

TEST(AttributeValue, CopiesAreDeep) {
  AttributeValue original =
      AttributeValue::map({{"inner", AttributeValue::map({{"x", AttributeValue::string("1")}})}});
  AttributeValue copy = original;
  copy.map_members().at("inner").map_members().at("x") = AttributeValue::string("2");
  EXPECT_EQ(original.map_members().at("inner").map_members().at("x").scalar(), "1");

  AttributeValue assigned;
  assigned = original;
  assigned.map_members().erase("inner");
  EXPECT_EQ(original.map_members().size(), 1u);

  AttributeValue& self = assigned;
  assigned = self;
  EXPECT_TRUE(assigned.map_members().empty());

  AttributeValue moved = std::move(copy);
  EXPECT_EQ(moved.map_members().at("inner").map_members().at("x").scalar(), "2");
}

}  // namespace
}  // namespace eddy::model
