#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expression_tree_builders.h"
#include "model/expressions/projection.h"

namespace eddy::model::expressions {
namespace {

using namespace test;  // NOLINT: the builders are the tests' vocabulary

Item projected(const Item& item, const std::vector<std::string>& texts) {
  std::vector<Path> paths;
  for (const std::string& text : texts) paths.push_back(path(text));
  return project(item, paths);
}

AttributeValue letters(std::string_view text) {
  std::vector<AttributeValue> elements;
  for (char letter : text) elements.push_back(S(std::string(1, letter)));
  return L(std::move(elements));
}

const Item kItem = {
    {"id", S("1")},
    {"n", N("7")},
    {"m", M({{"a", N("1")}, {"b", M({{"c", S("x")}, {"d", S("y")}})}, {"e", Null()}})},
    {"l", letters("abcd")},
    {"lm", L({M({{"x", N("1")}, {"y", N("2")}, {"z", N("3")}}), M({{"x", N("4")}}),
              M({{"x", N("5")}, {"y", N("6")}})})},
    {"empty", M({})},
};

TEST(ProjectionExpression, KeepsNamedTopLevelAttributes) {
  EXPECT_EQ(projected(kItem, {"id", "n", "missing"}), (Item{{"id", S("1")}, {"n", N("7")}}));
  EXPECT_EQ(projected(kItem, {"m"}), (Item{{"m", kItem.at("m")}}));
  EXPECT_EQ(projected(kItem, {"empty"}), (Item{{"empty", M({})}}));  // empty, but named whole
  EXPECT_EQ(projected(kItem, {}), Item{});
  EXPECT_EQ(projected(Item{}, {"a", "b.c"}), Item{});
}

TEST(ProjectionExpression, MapsKeepOnlyTheNamedMembers) {
  EXPECT_EQ(projected(kItem, {"m.a"}), (Item{{"m", M({{"a", N("1")}})}}));
  EXPECT_EQ(projected(kItem, {"m.b.d", "m.a", "m.e"}),
            (Item{{"m", M({{"a", N("1")}, {"b", M({{"d", S("y")}})}, {"e", Null()}})}}));
  EXPECT_EQ(projected(kItem, {"m.b.c", "m.b.d"}),
            (Item{{"m", M({{"b", kItem.at("m").map_members().at("b")}})}}));
}

TEST(ProjectionExpression, ListsKeepTheNamedElementsCompactedInIndexOrder) {
  EXPECT_EQ(projected(kItem, {"l[3]", "l[1]"}), (Item{{"l", letters("bd")}}));
  EXPECT_EQ(projected(kItem, {"l[0]"}), (Item{{"l", letters("a")}}));
  EXPECT_EQ(projected(kItem, {"l[2]", "l[9]"}), (Item{{"l", letters("c")}}));
  EXPECT_EQ(projected(kItem, {"lm[2].y", "lm[0].z", "lm[0].x", "lm[1].y"}),
            (Item{{"lm", L({M({{"x", N("1")}, {"z", N("3")}}), M({{"y", N("6")}})})}}));
}

TEST(ProjectionExpression, PathsThatNameNothingLeaveNoEmptyContainers) {
  EXPECT_EQ(projected(kItem, {"m.missing", "l[4]", "lm[1].y", "n.x", "l.x", "m[0]"}), Item{});
  EXPECT_EQ(projected(kItem, {"m.missing", "m.a"}), (Item{{"m", M({{"a", N("1")}})}}));
}

// UPDATED_NEW of dynalite's "should update nested attributes" case, recorded against DynamoDB.
TEST(ProjectionExpression, UpdatedNewOfARecordedNestedUpdate) {
  Item updated = {{"a", S("key")},
                  {"b", M({{"a", S("key")}, {"b", N("2")}, {"c", N("4")}})},
                  {"c", L({N("1"), S("key"), N("3"), N("-1"), N("2"), SS({"a"})})}};
  EXPECT_EQ(
      projected(updated, {"b.c", "b.a", "c[1]", "c[4]", "c[2]", "c[8]", "c[6]"}),
      (Item{{"b", M({{"a", S("key")}, {"c", N("4")}})}, {"c", L({S("key"), N("3"), N("2")})}}));
}

TEST(ProjectionExpression, AWholeValueAbsorbsItsParts) {
  // DynamoDB rejects such overlapping paths earlier; the projection still stays sensible.
  EXPECT_EQ(projected(kItem, {"m", "m.a"}), (Item{{"m", kItem.at("m")}}));
  EXPECT_EQ(projected(kItem, {"m.a", "m"}), (Item{{"m", kItem.at("m")}}));
  EXPECT_EQ(projected(kItem, {"m.b.c", "m.b"}),
            (Item{{"m", M({{"b", kItem.at("m").map_members().at("b")}})}}));
}

}  // namespace
}  // namespace eddy::model::expressions
