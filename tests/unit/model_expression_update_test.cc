#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expression_tree_builders.h"
#include "model/expressions/update_applier.h"

namespace eddy::model::expressions {
namespace {

using namespace test;  // NOLINT: the builders are the tests' vocabulary

const std::string kMissingAttribute =
    "The provided expression refers to an attribute that does not exist in the item";
const std::string kIncorrectType = "An operand in the update expression has an incorrect data type";
const std::string kInvalidPath =
    "The document path provided in the update expression is invalid for update";
const std::string kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
const std::string kLargest = "9.9999999999999999999999999999999999999E+125";
// A sum of two of these has one significant digit and no room below 1E126.
const std::string kLargeRound = "9E+125";
const std::string kImprecise = "DynamoDB only supports precision up to 38 digits";

Item updated(Item item, std::vector<UpdateAction> actions) {
  apply_update(Update(std::move(actions)), item);
  return item;
}

// The error message of an update that must fail, checking that the item is left untouched.
std::string failure(const Item& item, std::vector<UpdateAction> actions) {
  Item copy = item;
  std::string message = validation_message([&] { apply_update(Update(std::move(actions)), copy); });
  EXPECT_EQ(copy, item) << "a failed update changed the item";
  return message;
}

AttributeValue letters(std::string_view text) {
  std::vector<AttributeValue> elements;
  for (char letter : text) elements.push_back(S(std::string(1, letter)));
  return L(std::move(elements));
}

TEST(UpdateExpressionSet, AddsAndReplacesTopLevelAttributes) {
  Item item = {{"id", S("1")}, {"a", N("1")}};
  EXPECT_EQ(updated(item, {Set("a", V(S("x"))), Set("b", V(L({N("2")})))}),
            (Item{{"id", S("1")}, {"a", S("x")}, {"b", L({N("2")})}}));
  EXPECT_EQ(updated({}, {Set("a", V(Null()))}), (Item{{"a", Null()}}));
}

TEST(UpdateExpressionSet, ReachesIntoMapsAndLists) {
  Item item = {{"m", M({{"x", N("1")}, {"l", letters("ab")}})}};
  EXPECT_EQ(updated(item, {Set("m.y", V(N("2"))), Set("m.x", V(N("3"))), Set("m.l[1]", V(S("z")))}),
            (Item{{"m", M({{"x", N("3")}, {"y", N("2")}, {"l", letters("az")}})}}));
}

TEST(UpdateExpressionSet, PastTheEndOfAListAppendsInIndexOrder) {
  Item item = {{"l", letters("abc")}};
  EXPECT_EQ(updated(item, {Set("l[3]", V(S("d")))}), (Item{{"l", letters("abcd")}}));
  EXPECT_EQ(updated(item, {Set("l[100]", V(S("d")))}), (Item{{"l", letters("abcd")}}));
  EXPECT_EQ(
      updated(item, {Set("l[10]", V(S("y"))), Set("l[5]", V(S("x"))), Set("l[0]", V(S("A")))}),
      (Item{{"l", letters("Abcxy")}}));
}

TEST(UpdateExpressionSet, ValuesComeFromTheItemAsItWas) {
  Item item = {{"a", N("1")}, {"b", N("2")}, {"m", M({{"x", S("deep")}})}};
  EXPECT_EQ(updated(item, {Set("a", P("b")), Set("b", P("a")), Set("c", P("m.x"))}),
            (Item{{"a", N("2")}, {"b", N("1")}, {"c", S("deep")}, {"m", M({{"x", S("deep")}})}}));
  EXPECT_EQ(updated(item, {Set("a", V(N("10"))), Set("c", Plus(P("a"), V(N("1"))))})["c"], N("2"));
}

TEST(UpdateExpressionSet, ArithmeticIsExactOnNumbersOnly) {
  Item item = {{"n", N("0.1")}, {"s", S("1")}, {"l", L({})}};
  EXPECT_EQ(updated(item, {Set("n", Plus(P("n"), V(N("0.2"))))})["n"], N("0.3"));
  EXPECT_EQ(updated(item, {Set("n", Minus(P("n"), V(N("0.3"))))})["n"], N("-0.2"));
  EXPECT_EQ(updated(item, {Set("n", Plus(V(N("12345678901234567890123456789012345678")),
                                         V(N("-12345678901234567890123456789012345677"))))})["n"],
            N("1"));
  EXPECT_EQ(failure(item, {Set("n", Plus(P("n"), P("s")))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Set("n", Minus(P("l"), P("n")))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Set("n", Plus(P("n"), P("missing")))}), kMissingAttribute);
  EXPECT_EQ(failure(item, {Set("n", Plus(P("missing"), P("s")))}), kMissingAttribute);
  // The left operand is judged entirely before the right one is looked at.
  EXPECT_EQ(failure(item, {Set("n", Plus(P("s"), P("missing")))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Set("n", Plus(V(N(kLargeRound)), V(N(kLargeRound))))}), kOverflow);
  EXPECT_EQ(failure(item, {Set("n", Minus(V(N("-" + kLargeRound)), V(N(kLargeRound))))}),
            kOverflow);
  // An exact result longer than 38 digits is refused as such, even when it also overflows.
  EXPECT_EQ(failure(item, {Set("n", Plus(V(N(kLargest)), V(N(kLargest))))}), kImprecise);
  EXPECT_EQ(failure(item, {Set("n", Plus(P("n"), V(N("1E-100"))))}), kImprecise);
}

TEST(UpdateExpressionSet, IfNotExistsAndListAppend) {
  Item item = {{"n", N("5")}, {"l", letters("ab")}, {"s", S("x")}};
  EXPECT_EQ(updated(item, {Set("n", Fn("if_not_exists", {P("n"), V(N("0"))}))})["n"], N("5"));
  EXPECT_EQ(
      updated(item, {Set("c", Plus(Fn("if_not_exists", {P("c"), V(N("0"))}), V(N("1"))))})["c"],
      N("1"));
  EXPECT_EQ(updated(item, {Set("c", Fn("if_not_exists", {P("c"), P("n")}))})["c"], N("5"));
  EXPECT_EQ(updated(item, {Set("l", Fn("list_append", {P("l"), V(letters("cd"))}))})["l"],
            letters("abcd"));
  EXPECT_EQ(updated(item, {Set("l", Fn("list_append", {V(letters("z")), P("l")}))})["l"],
            letters("zab"));
  EXPECT_EQ(updated(item, {Set("new", Fn("list_append", {Fn("if_not_exists", {P("new"), V(L({}))}),
                                                         V(letters("q"))}))})["new"],
            letters("q"));
  EXPECT_EQ(failure(item, {Set("l", Fn("list_append", {P("l"), P("s")}))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Set("l", Fn("list_append", {V(SS({"a"})), P("l")}))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Set("l", Fn("list_append", {P("l"), P("missing")}))}),
            kMissingAttribute);
  EXPECT_EQ(failure(item, {Set("x", P("missing"))}), kMissingAttribute);
  EXPECT_EQ(failure(item, {Set("x", P("l[2]"))}), kMissingAttribute);
}

TEST(UpdateExpressionPaths, ParentsMustExistWithTheRightType) {
  Item item = {{"m", M({{"x", N("1")}})}, {"l", letters("ab")}, {"s", S("x")}};
  for (const char* target :
       {"missing.x", "m.missing.x", "m[0]", "l.x", "s.x", "s[0]", "l[5].x", "m.x.y", "l[0][0]"}) {
    EXPECT_EQ(failure(item, {Set(target, V(N("1")))}), kInvalidPath) << target;
    EXPECT_EQ(failure(item, {Remove(target)}), kInvalidPath) << target;
    EXPECT_EQ(failure(item, {Add(target, N("1"))}), kInvalidPath) << target;
    EXPECT_EQ(failure(item, {Delete(target, SS({"a"}))}), kInvalidPath) << target;
  }
}

TEST(UpdateExpressionRemove, DeletesMembersAndElements) {
  Item item = {{"a", N("1")}, {"m", M({{"x", N("1")}, {"y", N("2")}})}, {"l", letters("abcd")}};
  EXPECT_EQ(updated(item, {Remove("a"), Remove("m.x"), Remove("l[1]")}),
            (Item{{"m", M({{"y", N("2")}})}, {"l", letters("acd")}}));
  EXPECT_EQ(
      updated(item, {Remove("missing"), Remove("m.missing"), Remove("l[4]"), Remove("l[99]")}),
      item);
}

TEST(UpdateExpressionRemove, SeveralElementsOfOneListUseTheOriginalIndexes) {
  Item item = {{"l", letters("abcdef")}};
  EXPECT_EQ(updated(item, {Remove("l[0]"), Remove("l[2]"), Remove("l[4]")}),
            (Item{{"l", letters("bdf")}}));
  EXPECT_EQ(updated(item, {Remove("l[4]"), Remove("l[0]"), Remove("l[5]")}),
            (Item{{"l", letters("bcd")}}));
  // A SET beside a REMOVE in the same list also means the original element.
  EXPECT_EQ(updated(item, {Remove("l[0]"), Set("l[1]", V(S("X")))}),
            (Item{{"l", letters("Xcdef")}}));
  EXPECT_EQ(updated(item, {Remove("l[1]"), Set("l[9]", V(S("z")))}),
            (Item{{"l", letters("acdefz")}}));
  // Appends do not make an out-of-range REMOVE index exist.
  EXPECT_EQ(updated(item, {Set("l[7]", V(S("z"))), Remove("l[6]")}),
            (Item{{"l", letters("abcdefz")}}));
}

TEST(UpdateExpressionRemove, NestedListsKeepTheirOriginalIndexes) {
  Item item = {{"l", L({letters("ab"), letters("cd"), letters("ef")})}};
  EXPECT_EQ(updated(item, {Remove("l[0]"), Remove("l[2][0]"), Set("l[1][5]", V(S("x")))}),
            (Item{{"l", L({letters("cdx"), letters("f")})}}));
  Item maps = {{"l", L({M({{"l", letters("ab")}}), M({{"l", letters("cd")}})})}};
  EXPECT_EQ(updated(maps, {Remove("l[0]"), Remove("l[1].l[0]")}),
            (Item{{"l", L({M({{"l", letters("d")}})})}}));
}

TEST(UpdateExpressionAdd, AddsNumbers) {
  Item item = {{"n", N("1.5")}, {"m", M({})}, {"l", L({N("1")})}};
  EXPECT_EQ(updated(item, {Add("n", N("-2"))})["n"], N("-0.5"));
  EXPECT_EQ(updated(item, {Add("new", N("3"))})["new"], N("3"));  // from zero
  EXPECT_EQ(updated(item, {Add("m.n", N("3"))})["m"], M({{"n", N("3")}}));
  EXPECT_EQ(updated(item, {Add("l[0]", N("3"))})["l"], L({N("4")}));
  EXPECT_EQ(updated(item, {Add("l[7]", N("3"))})["l"], L({N("1"), N("3")}));
  EXPECT_EQ(failure({{"n", N(kLargeRound)}}, {Add("n", N(kLargeRound))}), kOverflow);
  EXPECT_EQ(failure({{"n", N(kLargest)}}, {Add("n", N(kLargest))}), kImprecise);
  EXPECT_EQ(failure(item, {Add("m", N("1"))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Add("n", NS({"1"}))}), kIncorrectType);
}

TEST(UpdateExpressionAdd, UnitesSets) {
  Item item = {{"ss", SS({"a", "b"})}, {"ns", NS({"1", "2"})}, {"bs", BS({"\x01"})}, {"s", S("a")}};
  EXPECT_EQ(updated(item, {Add("ss", SS({"b", "c"}))})["ss"], SS({"a", "b", "c"}));
  EXPECT_EQ(updated(item, {Add("ns", NS({"2.0", "3"}))})["ns"], NS({"1", "2", "3"}));
  EXPECT_EQ(updated(item, {Add("ns", NS({"2.0", "3"}))})["ns"].set_elements().size(), 3u);
  EXPECT_EQ(updated(item, {Add("bs", BS({"\x02", "\x01"}))})["bs"], BS({"\x01", "\x02"}));
  EXPECT_EQ(updated(item, {Add("new", SS({"x"}))})["new"], SS({"x"}));
  EXPECT_EQ(failure(item, {Add("ss", NS({"1"}))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Add("s", SS({"a"}))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Add("ns", N("1"))}), kIncorrectType);
}

TEST(UpdateExpressionDelete, RemovesSetElementsAndEmptiedSets) {
  Item item = {{"ss", SS({"a", "b", "c"})},
               {"ns", NS({"1", "2"})},
               {"s", S("a")},
               {"m", M({{"bs", BS({"\x01"})}, {"k", N("1")}})},
               {"l", L({SS({"x"}), SS({"y", "z"})})}};
  EXPECT_EQ(updated(item, {Delete("ss", SS({"a", "c", "q"}))})["ss"], SS({"b"}));
  EXPECT_EQ(updated(item, {Delete("ns", NS({"2.00"}))})["ns"], NS({"1"}));
  EXPECT_FALSE(updated(item, {Delete("ns", NS({"1", "2"}))}).contains("ns"));
  EXPECT_EQ(updated(item, {Delete("m.bs", BS({"\x01"}))})["m"], M({{"k", N("1")}}));
  EXPECT_EQ(updated(item, {Delete("l[0]", SS({"x"})), Delete("l[1]", SS({"y"}))})["l"],
            L({SS({"z"})}));
  EXPECT_EQ(updated(item, {Delete("missing", SS({"a"})), Delete("l[5]", SS({"a"}))}), item);
  EXPECT_EQ(failure(item, {Delete("ss", NS({"1"}))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Delete("s", SS({"a"}))}), kIncorrectType);
  EXPECT_EQ(failure(item, {Delete("ss", S("a"))}), kIncorrectType);
}

TEST(UpdateExpressionAtomicity, AFailingActionLeavesTheItemUnchanged) {
  Item item = {{"a", N("1")}, {"b", S("x")}, {"l", letters("abc")}, {"ss", SS({"a"})}};
  // Each failure comes after actions that would change the item if applied one by one.
  EXPECT_EQ(failure(item, {Set("a", V(N("2"))), Remove("l[0]"), Set("l[5]", V(S("z"))),
                           Delete("ss", SS({"a"})), Add("b", N("1"))}),
            kIncorrectType);
  EXPECT_EQ(failure(item, {Remove("b"), Add("a", N("1")), Set("x.y", V(N("1")))}), kInvalidPath);
  EXPECT_EQ(failure(item, {Remove("b"), Set("c", P("missing"))}), kMissingAttribute);
  // SET values are all computed before any action applies.
  EXPECT_EQ(failure(item, {Remove("b"), Add("n", N(kLargest)),
                           Set("o", Plus(V(N(kLargeRound)), V(N(kLargeRound))))}),
            kOverflow);
}

// dynalite's "should update nested attributes" case, recorded against DynamoDB.
TEST(UpdateExpressionActions, NestedUpdateRecordedFromDynamoDb) {
  Item item = {{"a", S("key")},
               {"b", M({{"a", N("1")}, {"b", N("2")}, {"c", N("3")}})},
               {"c", L({N("1"), N("3")})}};
  Item result = updated(item, {Set("b.c", Plus(P("c[1]"), P("b.a"))), Set("b.a", P("a")),
                               Set("c[1]", P("a")), Set("c[4]", Minus(P("b.a"), P("b.b"))),
                               Set("c[2]", P("b.c")), Add("c[8]", SS({"a"})), Add("c[6]", N("2"))});
  EXPECT_EQ(result, (Item{{"a", S("key")},
                          {"b", M({{"a", S("key")}, {"b", N("2")}, {"c", N("4")}})},
                          {"c", L({N("1"), S("key"), N("3"), N("-1"), N("2"), SS({"a"})})}}));
}

TEST(UpdateExpressionActions, ClausesCombine) {
  Item item = {{"id", S("k")},  {"count", N("1")},    {"tags", SS({"a"})},
               {"old", S("x")}, {"l", letters("ab")}, {"gone", SS({"a"})}};
  EXPECT_EQ(
      updated(item, {Set("name", V(S("n"))), Set("l", Fn("list_append", {P("l"), V(letters("c"))})),
                     Remove("old"), Add("count", N("2")), Add("tags", SS({"b"})),
                     Delete("gone", SS({"a"}))}),
      (Item{{"id", S("k")},
            {"count", N("3")},
            {"tags", SS({"a", "b"})},
            {"name", S("n")},
            {"l", letters("abc")}}));
}

}  // namespace
}  // namespace eddy::model::expressions
