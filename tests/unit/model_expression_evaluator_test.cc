#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "expression_tree_builders.h"
#include "model/expressions/condition_evaluator.h"
#include "model/expressions/document_path.h"

namespace eddy::model::expressions {
namespace {

using namespace test;  // NOLINT: the builders are the tests' vocabulary

const AttributeType kAllTypes[] = {AttributeType::S,   AttributeType::N,  AttributeType::B,
                                   AttributeType::SS,  AttributeType::NS, AttributeType::BS,
                                   AttributeType::M,   AttributeType::L,  AttributeType::Null,
                                   AttributeType::Bool};

// One item holding a value of every type, under its type's name.
Item every_type_item() {
  return {{"S", S("abc")},
          {"N", N("12.5")},
          {"B", B(std::string("\x01\x02\x03", 3))},
          {"SS", SS({"x", "y"})},
          {"NS", NS({"1", "2.5"})},
          {"BS", BS({"\x01", "\x02"})},
          {"M", M({{"k", S("v")}, {"n", N("1")}})},
          {"L", L({S("x"), N("1"), M({{"k", S("v")}})})},
          {"NULL", Null()},
          {"BOOL", Bool(true)}};
}

bool eval(const Node& condition, const Item& item) {
  return evaluate_condition(condition, item);
}

TEST(DocumentPathExpression, FindsNestedMembersAndElements) {
  Item item = {{"a", M({{"b", L({N("1"), M({{"c", S("deep")}})})}})}};
  ASSERT_NE(find_path(item, path("a.b[1].c")), nullptr);
  EXPECT_EQ(*find_path(item, path("a.b[1].c")), S("deep"));
  EXPECT_EQ(*find_path(item, path("a.b[0]")), N("1"));
  EXPECT_EQ(find_path(item, path("a.b[2]")), nullptr);    // past the end
  EXPECT_EQ(find_path(item, path("a.x")), nullptr);       // missing member
  EXPECT_EQ(find_path(item, path("a[0]")), nullptr);      // index into a map
  EXPECT_EQ(find_path(item, path("a.b.c")), nullptr);     // name into a list
  EXPECT_EQ(find_path(item, path("a.b[0].c")), nullptr);  // name into a number
  EXPECT_EQ(find_path(item, path("zzz")), nullptr);
  EXPECT_EQ(find_path(Item{}, path("a")), nullptr);
}

TEST(ConditionExpressionEvaluation, EqualityIsDeepAndTyped) {
  Item item = every_type_item();
  for (const auto& [name, value] : item) {
    EXPECT_TRUE(eval(Eq(P(name), V(value)), item)) << name;
    EXPECT_FALSE(eval(Ne(P(name), V(value)), item)) << name;
  }
  EXPECT_TRUE(eval(Eq(P("N"), V(N("12.50"))), item));          // numerically
  EXPECT_TRUE(eval(Eq(P("SS"), V(SS({"y", "x"}))), item));     // as a set
  EXPECT_TRUE(eval(Eq(P("NS"), V(NS({"2.50", "1"}))), item));  // as a set of numbers
  EXPECT_FALSE(eval(Eq(P("L"), V(L({N("1"), S("x")}))), item));
  EXPECT_FALSE(eval(Eq(P("M"), V(M({{"k", S("v")}}))), item));
  EXPECT_FALSE(eval(Eq(P("BOOL"), V(Bool(false))), item));
  EXPECT_TRUE(eval(Eq(P("S"), P("S")), item));
  EXPECT_TRUE(eval(Eq(P("M.k"), P("L[2].k")), item));
}

TEST(ConditionExpressionEvaluation, DifferentTypesAreNeverEqual) {
  Item item = {{"s", S("1")}, {"n", N("1")}, {"b", B("1")}, {"ss", SS({"1"})}, {"ns", NS({"1"})}};
  for (const char* left : {"s", "n", "b", "ss", "ns"}) {
    for (const char* right : {"s", "n", "b", "ss", "ns"}) {
      if (std::string(left) == right) continue;
      EXPECT_FALSE(eval(Eq(P(left), P(right)), item)) << left << " = " << right;
      EXPECT_TRUE(eval(Ne(P(left), P(right)), item)) << left << " <> " << right;
    }
  }
}

TEST(ConditionExpressionEvaluation, MissingAttributesAreUnequalToEverything) {
  Item item = {{"a", S("x")}};
  EXPECT_FALSE(eval(Eq(P("missing"), V(S("x"))), item));
  EXPECT_TRUE(eval(Ne(P("missing"), V(S("x"))), item));
  EXPECT_FALSE(eval(Eq(V(S("x")), P("missing")), item));
  EXPECT_TRUE(eval(Ne(V(S("x")), P("missing")), item));
  EXPECT_FALSE(eval(Eq(P("missing"), P("other")), item));
  EXPECT_TRUE(eval(Ne(P("missing"), P("other")), item));
  EXPECT_FALSE(eval(Eq(P("a.b"), V(S("x"))), item));  // stepping into a string
  for (Comparator ordering : {Comparator::Lt, Comparator::Le, Comparator::Gt, Comparator::Ge}) {
    EXPECT_FALSE(eval(Cmp(P("missing"), ordering, V(S("x"))), item));
    EXPECT_FALSE(eval(Cmp(V(S("x")), ordering, P("missing")), item));
  }
}

TEST(ConditionExpressionEvaluation, OrdersStringsByUtf8Bytes) {
  Item item = {{"s", S("b")}};
  EXPECT_TRUE(eval(Cmp(P("s"), Comparator::Gt, V(S("a"))), item));
  EXPECT_TRUE(eval(Cmp(P("s"), Comparator::Lt, V(S("ba"))), item));
  EXPECT_TRUE(eval(Cmp(P("s"), Comparator::Le, V(S("b"))), item));
  EXPECT_TRUE(eval(Cmp(P("s"), Comparator::Ge, V(S("b"))), item));
  EXPECT_FALSE(eval(Cmp(P("s"), Comparator::Lt, V(S("b"))), item));
  EXPECT_TRUE(eval(Cmp(V(S("B")), Comparator::Lt, P("s")), item));  // upper case first
  // "é" is 0xC3 0xA9: above every ASCII byte, so above "z" (signed chars would say below).
  EXPECT_TRUE(eval(Cmp(V(S("\xC3\xA9")), Comparator::Gt, V(S("z"))), item));
  EXPECT_TRUE(eval(Cmp(V(S("")), Comparator::Lt, V(S("a"))), item));
}

TEST(ConditionExpressionEvaluation, OrdersBinaryAsUnsignedBytes) {
  Item item = {{"b", B("\x7F")}};
  EXPECT_TRUE(eval(Cmp(V(B("\x80")), Comparator::Gt, P("b")), item));
  EXPECT_TRUE(eval(Cmp(V(B(std::string("\x7F\x00", 2))), Comparator::Gt, P("b")), item));
  EXPECT_TRUE(eval(Cmp(V(B("\x01")), Comparator::Lt, P("b")), item));
}

TEST(ConditionExpressionEvaluation, OrdersNumbersNumerically) {
  const std::vector<std::string> ascending = {"-9.9999999999999999999999999999999999999E+125",
                                              "-1000",
                                              "-10",
                                              "-9.5",
                                              "-9",
                                              "-1",
                                              "-0.51",
                                              "-0.5",
                                              "-1E-130",
                                              "0",
                                              "1E-130",
                                              "0.0001",
                                              "0.5",
                                              "0.51",
                                              "1",
                                              "1.5",
                                              "9",
                                              "10",
                                              "10.01",
                                              "100",
                                              "12345678901234567890123456789012345678",
                                              "9.9999999999999999999999999999999999999E+125"};
  for (size_t i = 0; i < ascending.size(); ++i) {
    for (size_t j = 0; j < ascending.size(); ++j) {
      Node a = V(N(ascending[i])), b = V(N(ascending[j]));
      EXPECT_EQ(eval(Cmp(a, Comparator::Lt, b), {}), i < j)
          << ascending[i] << " < " << ascending[j];
      EXPECT_EQ(eval(Cmp(a, Comparator::Le, b), {}), i <= j)
          << ascending[i] << " <= " << ascending[j];
      EXPECT_EQ(eval(Cmp(a, Comparator::Gt, b), {}), i > j)
          << ascending[i] << " > " << ascending[j];
      EXPECT_EQ(eval(Cmp(a, Comparator::Ge, b), {}), i >= j)
          << ascending[i] << " >= " << ascending[j];
    }
  }
}

TEST(ConditionExpressionEvaluation, NumberOrderAgreesWithNumberOnRandomValues) {
  std::mt19937 random(20240607);
  auto random_number = [&] {
    std::string text = random() % 2 ? "-" : "";
    int digits = 1 + static_cast<int>(random() % 12);
    for (int i = 0; i < digits; ++i) text += static_cast<char>('0' + random() % 10);
    text += "e" + std::to_string(static_cast<int>(random() % 20) - 10);
    return Number::parse(text);
  };
  for (int i = 0; i < 2000; ++i) {
    Number a = random_number(), b = random_number();
    Node left = V(AttributeValue::number(a.to_string()));
    Node right = V(AttributeValue::number(b.to_string()));
    EXPECT_EQ(eval(Cmp(left, Comparator::Lt, right), {}), a < b)
        << a.to_string() << " " << b.to_string();
    EXPECT_EQ(eval(Cmp(left, Comparator::Ge, right), {}), a >= b);
  }
}

TEST(ConditionExpressionEvaluation, OrderingAcrossTypesOrOfUnorderedTypesIsFalse) {
  Item item = every_type_item();
  for (AttributeType left : kAllTypes) {
    for (AttributeType right : kAllTypes) {
      bool ordered = left == right && (left == AttributeType::S || left == AttributeType::N ||
                                       left == AttributeType::B);
      Node a = P(type_name(left)), b = P(type_name(right));
      // Each value equals itself, so "<=" and ">=" hold exactly for the ordered types.
      EXPECT_EQ(eval(Cmp(a, Comparator::Le, b), item), ordered)
          << type_name(left) << type_name(right);
      EXPECT_EQ(eval(Cmp(a, Comparator::Ge, b), item), ordered)
          << type_name(left) << type_name(right);
      EXPECT_FALSE(eval(Cmp(a, Comparator::Lt, b), item));
      EXPECT_FALSE(eval(Cmp(a, Comparator::Gt, b), item));
    }
  }
  EXPECT_FALSE(eval(Cmp(V(S("1")), Comparator::Lt, V(N("2"))), item));
  EXPECT_FALSE(eval(Cmp(V(N("1")), Comparator::Lt, V(S("2"))), item));
}

TEST(ConditionExpressionEvaluation, BetweenIsInclusiveAndTyped) {
  Item item = {{"n", N("5")}, {"s", S("m")}, {"b", B("\x05")}};
  EXPECT_TRUE(eval(Between(P("n"), V(N("1")), V(N("10"))), item));
  EXPECT_TRUE(eval(Between(P("n"), V(N("5")), V(N("5"))), item));
  EXPECT_FALSE(eval(Between(P("n"), V(N("5.01")), V(N("10"))), item));
  EXPECT_FALSE(eval(Between(P("n"), V(N("-10")), V(N("4.99"))), item));
  EXPECT_TRUE(eval(Between(P("s"), V(S("a")), V(S("z"))), item));
  EXPECT_FALSE(eval(Between(P("s"), V(S("n")), V(S("z"))), item));
  EXPECT_TRUE(eval(Between(P("b"), V(B("\x01")), V(B("\x80"))), item));
  EXPECT_FALSE(eval(Between(P("n"), V(S("1")), V(S("9"))), item));  // type mismatch
  EXPECT_FALSE(eval(Between(P("n"), V(N("1")), V(S("9"))), item));  // one bound mismatched
  EXPECT_FALSE(eval(Between(P("missing"), V(N("1")), V(N("9"))), item));
  EXPECT_FALSE(eval(Between(P("n"), P("missing"), V(N("9"))), item));
  EXPECT_FALSE(eval(Between(V(SS({"a"})), V(SS({"a"})), V(SS({"a"}))), item));
  EXPECT_TRUE(eval(Not(Between(P("missing"), V(N("1")), V(N("9")))), item));
}

TEST(ConditionExpressionEvaluation, InMatchesAnyEqualCandidateOfTheSameType) {
  Item item = {{"n", N("2")}, {"s", S("2")}, {"ss", SS({"a", "b"})}, {"other", N("2.0")}};
  EXPECT_TRUE(eval(In(P("n"), {V(N("1")), V(N("2")), V(N("3"))}), item));
  EXPECT_FALSE(eval(In(P("n"), {V(N("1")), V(N("3"))}), item));
  EXPECT_FALSE(eval(In(P("n"), {V(S("2"))}), item));
  EXPECT_TRUE(eval(In(P("s"), {V(N("2")), V(S("2"))}), item));
  EXPECT_TRUE(eval(In(P("n"), {P("missing"), P("other")}), item));
  EXPECT_TRUE(eval(In(P("ss"), {V(SS({"b", "a"}))}), item));
  EXPECT_FALSE(eval(In(P("missing"), {V(N("2"))}), item));
  EXPECT_FALSE(eval(In(P("missing"), {P("also_missing")}), item));
}

TEST(ConditionExpressionEvaluation, LogicalOperatorsCombine) {
  Item item = {{"a", N("1")}};
  Node yes = Eq(P("a"), V(N("1")));
  Node no = Eq(P("a"), V(N("2")));
  EXPECT_TRUE(eval(And(yes, yes), item));
  EXPECT_FALSE(eval(And(yes, no), item));
  EXPECT_FALSE(eval(And(no, yes), item));
  EXPECT_TRUE(eval(Or(no, yes), item));
  EXPECT_TRUE(eval(Or(yes, no), item));
  EXPECT_FALSE(eval(Or(no, no), item));
  EXPECT_TRUE(eval(Not(no), item));
  EXPECT_FALSE(eval(Not(yes), item));
  EXPECT_TRUE(eval(Or(And(no, yes), Not(And(yes, no))), item));
}

TEST(ConditionExpressionEvaluation, AttributeExistsFollowsDocumentPaths) {
  Item item = {{"a", M({{"b", L({Null(), N("1")})}})}, {"nothing", Null()}};
  for (const char* present : {"a", "a.b", "a.b[0]", "a.b[1]", "nothing"}) {
    EXPECT_TRUE(eval(Fn("attribute_exists", {P(present)}), item)) << present;
    EXPECT_FALSE(eval(Fn("attribute_not_exists", {P(present)}), item)) << present;
  }
  for (const char* absent : {"x", "a.x", "a.b[2]", "a[0]", "a.b.c", "a.b[1].c", "nothing.x"}) {
    EXPECT_FALSE(eval(Fn("attribute_exists", {P(absent)}), item)) << absent;
    EXPECT_TRUE(eval(Fn("attribute_not_exists", {P(absent)}), item)) << absent;
  }
  EXPECT_TRUE(eval(Fn("attribute_not_exists", {P("a")}), Item{}));  // a missing item is empty
}

TEST(ConditionExpressionEvaluation, AttributeTypeNamesEachType) {
  Item item = every_type_item();
  for (AttributeType actual : kAllTypes) {
    for (AttributeType asked : kAllTypes) {
      Node condition =
          Fn("attribute_type", {P(type_name(actual)), V(S(std::string(type_name(asked))))});
      EXPECT_EQ(eval(condition, item), actual == asked)
          << type_name(actual) << " " << type_name(asked);
    }
  }
  EXPECT_FALSE(eval(Fn("attribute_type", {P("missing"), V(S("NULL"))}), item));
  EXPECT_TRUE(eval(Fn("attribute_type", {P("M.k"), V(S("S"))}), item));
}

TEST(ConditionExpressionEvaluation, BeginsWithTakesStringsAndBinaries) {
  Item item = {{"s", S("prefix-rest")},
               {"b", B("\x01\x02\x03")},
               {"n", N("123")},
               {"p", S("prefix")},
               {"ss", SS({"prefix"})}};
  EXPECT_TRUE(eval(Fn("begins_with", {P("s"), V(S("pre"))}), item));
  EXPECT_TRUE(eval(Fn("begins_with", {P("s"), V(S("prefix-rest"))}), item));
  EXPECT_TRUE(eval(Fn("begins_with", {P("s"), V(S(""))}), item));
  EXPECT_FALSE(eval(Fn("begins_with", {P("s"), V(S("prefix-rest!"))}), item));
  EXPECT_FALSE(eval(Fn("begins_with", {P("s"), V(S("rest"))}), item));
  EXPECT_TRUE(eval(Fn("begins_with", {P("s"), P("p")}), item));
  EXPECT_TRUE(eval(Fn("begins_with", {P("b"), V(B("\x01\x02"))}), item));
  EXPECT_FALSE(eval(Fn("begins_with", {P("b"), V(B("\x02"))}), item));
  EXPECT_FALSE(eval(Fn("begins_with", {P("b"), V(S("\x01"))}), item));  // type mismatch
  EXPECT_FALSE(eval(Fn("begins_with", {P("s"), V(B("pre"))}), item));
  EXPECT_FALSE(eval(Fn("begins_with", {P("n"), V(N("1"))}), item));  // numbers: never
  EXPECT_FALSE(eval(Fn("begins_with", {P("ss"), V(S("pre"))}), item));
  EXPECT_FALSE(eval(Fn("begins_with", {P("missing"), V(S("pre"))}), item));
  EXPECT_FALSE(eval(Fn("begins_with", {P("s"), P("missing")}), item));
  EXPECT_TRUE(eval(Not(Fn("begins_with", {P("missing"), V(S("pre"))})), item));
}

TEST(ConditionExpressionEvaluation, ContainsSearchesStringsBinariesSetsAndLists) {
  Item item = every_type_item();
  auto contains = [&](const char* haystack, AttributeValue needle) {
    return eval(Fn("contains", {P(haystack), V(std::move(needle))}), item);
  };
  EXPECT_TRUE(contains("S", S("bc")));
  EXPECT_TRUE(contains("S", S("abc")));
  EXPECT_FALSE(contains("S", S("abcd")));
  EXPECT_FALSE(contains("S", B("b")));
  EXPECT_TRUE(contains("B", B("\x02\x03")));
  EXPECT_FALSE(contains("B", B("\x03\x02")));
  EXPECT_FALSE(contains("B", S("\x02")));
  EXPECT_TRUE(contains("SS", S("y")));
  EXPECT_FALSE(contains("SS", S("xy")));
  EXPECT_FALSE(contains("SS", SS({"x"})));  // an element, not a subset
  EXPECT_TRUE(contains("NS", N("2.50")));   // numerically
  EXPECT_FALSE(contains("NS", S("1")));
  EXPECT_FALSE(contains("SS", N("1")));
  EXPECT_TRUE(contains("BS", B("\x02")));
  EXPECT_FALSE(contains("BS", S("\x02")));
  EXPECT_TRUE(contains("L", S("x")));
  EXPECT_TRUE(contains("L", N("1.0")));
  EXPECT_TRUE(contains("L", M({{"k", S("v")}})));  // deep equality
  EXPECT_FALSE(contains("L", M({{"k", S("w")}})));
  EXPECT_FALSE(contains("L", B("x")));
  EXPECT_FALSE(contains("N", N("1")));
  EXPECT_FALSE(contains("M", S("k")));  // maps: never, not even by member name
  EXPECT_FALSE(contains("BOOL", Bool(true)));
  EXPECT_FALSE(contains("NULL", Null()));
  EXPECT_FALSE(contains("missing", S("x")));
  EXPECT_TRUE(eval(Fn("contains", {P("SS"), P("L[0]")}), item));
  EXPECT_FALSE(eval(Fn("contains", {P("SS"), P("missing")}), item));
}

TEST(ConditionExpressionEvaluation, SizeMeasuresEachSizedType) {
  Item item = every_type_item();
  item["ascii"] = S("hello");
  item["accented"] = S("h\xC3\xA9llo");         // é: 2 bytes, 1 UTF-16 unit
  item["emoji"] = S("a\xF0\x9F\x98\x80");       // 😀: 4 bytes, a surrogate pair
  item["cjk"] = S("\xE4\xB8\xAD\xE6\x96\x87");  // 中文: 3 bytes each, 1 unit each
  item["empty"] = S("");
  const std::vector<std::pair<std::string, std::string>> sizes = {
      {"S", "3"}, {"B", "3"},     {"SS", "2"},       {"NS", "2"},    {"BS", "2"},  {"M", "2"},
      {"L", "3"}, {"ascii", "5"}, {"accented", "5"}, {"emoji", "3"}, {"cjk", "2"}, {"empty", "0"}};
  for (const auto& [name, size] : sizes) {
    EXPECT_TRUE(eval(Eq(Fn("size", {P(name)}), V(N(size))), item)) << name;
    EXPECT_TRUE(eval(Eq(V(N(size)), Fn("size", {P(name)})), item)) << name;
  }
  EXPECT_TRUE(eval(Cmp(Fn("size", {P("L")}), Comparator::Gt, V(N("2.5"))), item));
  EXPECT_TRUE(eval(Cmp(Fn("size", {P("L")}), Comparator::Lt, Fn("size", {P("ascii")})), item));
  EXPECT_TRUE(eval(Between(Fn("size", {P("S")}), V(N("1")), V(N("3"))), item));
  EXPECT_TRUE(eval(In(Fn("size", {P("S")}), {V(N("1")), V(N("3"))}), item));
  EXPECT_TRUE(eval(Eq(Fn("size", {P("L[2]")}), V(N("1"))), item));
  EXPECT_FALSE(eval(Eq(Fn("size", {P("S")}), V(S("3"))), item));  // size is a number
}

// DynamoDB Local: size() of a number, boolean, NULL or missing attribute is like a missing
// attribute: every comparison is false except "<>", which is true.
TEST(ConditionExpressionEvaluation, SizeWithoutAValueIsLikeAMissingAttribute) {
  Item item = every_type_item();
  for (const char* unsized : {"N", "BOOL", "NULL", "missing", "M.missing"}) {
    Node size = Fn("size", {P(unsized)});
    for (Comparator comparator : {Comparator::Eq, Comparator::Lt, Comparator::Le, Comparator::Gt,
                                  Comparator::Ge}) {
      EXPECT_FALSE(eval(Cmp(size, comparator, V(N("1"))), item)) << unsized;
      EXPECT_FALSE(eval(Cmp(V(N("1")), comparator, size), item)) << unsized;
    }
    EXPECT_TRUE(eval(Cmp(size, Comparator::Ne, V(N("1"))), item)) << unsized;
    EXPECT_TRUE(eval(Cmp(V(N("1")), Comparator::Ne, size), item)) << unsized;
    EXPECT_FALSE(eval(Between(size, V(N("0")), V(N("100"))), item)) << unsized;
    EXPECT_FALSE(eval(In(size, {V(N("1"))}), item)) << unsized;
  }
}

}  // namespace
}  // namespace eddy::model::expressions
