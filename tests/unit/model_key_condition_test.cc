// KeyConditionExpression trees turned into key conditions, with DynamoDB's messages (recorded
// from dynalite's validations and DynamoDB Local). Most trees are built by hand so that these
// tests exercise the conversion alone; a few go through the parser and binder end to end.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

#include "expression_tree_builders.h"
#include "model/expressions/binder.h"
#include "model/expressions/key_condition.h"
#include "model/expressions/parser.h"

namespace eddy::model::expressions {
namespace {

using test::And;
using test::Between;
using test::Cmp;
using test::Eq;
using test::Fn;
using test::In;
using test::N;
using test::Ne;
using test::Not;
using test::Or;
using test::P;
using test::S;
using test::V;

// The message key_condition_from_expression throws for `tree`, or "" when it accepts it.
std::string error_of(const Node& tree) {
  try {
    key_condition_from_expression(tree);
  } catch (const ExpressionError& error) {
    return error.what();
  }
  return "";
}

// Parses and binds `text` against a fixed set of placeholders, then converts it.
KeyCondition from_text(std::string_view text) {
  std::map<std::string, std::string, std::less<>> names = {{"#k", "pk"}, {"#s", "sk"}};
  AttributeMap values = {{":v", S("a")}, {":w", S("b")}, {":n", N("1")}, {":m", N("2")}};
  Placeholders placeholders;
  placeholders.names = &names;
  placeholders.values = &values;
  return key_condition_from_expression(bind_condition(parse_condition(text), placeholders));
}

void expect_part(const KeyCondition::Part& part, const std::string& attribute, RangeOperator op,
                 const std::vector<AttributeValue>& values) {
  EXPECT_EQ(part.attribute, attribute);
  EXPECT_EQ(part.op, op);
  EXPECT_EQ(part.values, values);
}

TEST(KeyConditionTest, PartitionKeyEquality) {
  KeyCondition condition = key_condition_from_expression(Eq(P("pk"), V(S("a"))));
  ASSERT_EQ(condition.parts.size(), 1u);
  expect_part(condition.parts[0], "pk", RangeOperator::Eq, {S("a")});
}

TEST(KeyConditionTest, EachComparatorMapsToItsRangeOperator) {
  const std::pair<Comparator, RangeOperator> cases[] = {{Comparator::Eq, RangeOperator::Eq},
                                                        {Comparator::Lt, RangeOperator::Lt},
                                                        {Comparator::Le, RangeOperator::Le},
                                                        {Comparator::Gt, RangeOperator::Gt},
                                                        {Comparator::Ge, RangeOperator::Ge}};
  for (const auto& [comparator, op] : cases) {
    KeyCondition condition = key_condition_from_expression(
        And(Eq(P("pk"), V(S("a"))), Cmp(P("sk"), comparator, V(N("1")))));
    ASSERT_EQ(condition.parts.size(), 2u);
    expect_part(condition.parts[0], "pk", RangeOperator::Eq, {S("a")});
    expect_part(condition.parts[1], "sk", op, {N("1")});
  }
}

TEST(KeyConditionTest, ValueFirstComparisonsAreMirrored) {
  const std::pair<Comparator, RangeOperator> cases[] = {{Comparator::Eq, RangeOperator::Eq},
                                                        {Comparator::Lt, RangeOperator::Gt},
                                                        {Comparator::Le, RangeOperator::Ge},
                                                        {Comparator::Gt, RangeOperator::Lt},
                                                        {Comparator::Ge, RangeOperator::Le}};
  for (const auto& [comparator, op] : cases) {
    KeyCondition condition = key_condition_from_expression(Cmp(V(N("1")), comparator, P("sk")));
    ASSERT_EQ(condition.parts.size(), 1u);
    expect_part(condition.parts[0], "sk", op, {N("1")});
  }
}

TEST(KeyConditionTest, BetweenAndBeginsWith) {
  KeyCondition between = key_condition_from_expression(
      And(Eq(P("pk"), V(S("a"))), Between(P("sk"), V(N("1")), V(N("2")))));
  ASSERT_EQ(between.parts.size(), 2u);
  expect_part(between.parts[1], "sk", RangeOperator::Between, {N("1"), N("2")});

  KeyCondition prefix = key_condition_from_expression(
      And(Fn("begins_with", {P("sk"), V(S("x"))}), Eq(V(S("a")), P("pk"))));
  ASSERT_EQ(prefix.parts.size(), 2u);
  expect_part(prefix.parts[0], "sk", RangeOperator::BeginsWith, {S("x")});
  expect_part(prefix.parts[1], "pk", RangeOperator::Eq, {S("a")});
}

TEST(KeyConditionTest, OnlyAndMayJoinConditions) {
  Node pk = Eq(P("pk"), V(S("a")));
  Node sk = Eq(P("sk"), V(N("1")));
  EXPECT_EQ(error_of(Or(pk, sk)), "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(error_of(And(pk, Or(sk, sk))), "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(error_of(Not(pk)), "Invalid operator used in KeyConditionExpression: NOT");
  EXPECT_EQ(error_of(And(pk, Not(sk))), "Invalid operator used in KeyConditionExpression: NOT");
}

TEST(KeyConditionTest, InAndNotEqualAreRejected) {
  EXPECT_EQ(error_of(In(P("pk"), {V(S("a")), V(S("b"))})),
            "Invalid operator used in KeyConditionExpression: IN");
  EXPECT_EQ(error_of(And(Eq(P("pk"), V(S("a"))), Ne(P("sk"), V(N("1"))))),
            "Invalid operator used in KeyConditionExpression: <>");
}

TEST(KeyConditionTest, ConditionFunctionsOtherThanBeginsWithAreRejected) {
  EXPECT_EQ(error_of(Fn("attribute_exists", {P("pk")})),
            "Invalid operator used in KeyConditionExpression: attribute_exists");
  EXPECT_EQ(error_of(Fn("attribute_not_exists", {P("pk")})),
            "Invalid operator used in KeyConditionExpression: attribute_not_exists");
  EXPECT_EQ(error_of(Fn("attribute_type", {P("pk"), V(S("S"))})),
            "Invalid operator used in KeyConditionExpression: attribute_type");
  EXPECT_EQ(error_of(Fn("contains", {P("pk"), V(S("a"))})),
            "Invalid operator used in KeyConditionExpression: contains");
}

TEST(KeyConditionTest, SizeIsANestedOperation) {
  const char* nested = "KeyConditionExpressions cannot contain nested operations";
  EXPECT_EQ(error_of(Eq(Fn("size", {P("pk")}), V(N("1")))), nested);
  EXPECT_EQ(error_of(Eq(P("pk"), Fn("size", {P("sk")}))), nested);
  EXPECT_EQ(error_of(Between(P("pk"), V(N("1")), Fn("size", {P("sk")}))), nested);
  // DynamoDB reports the nested operation before the misplaced key attribute.
  EXPECT_EQ(error_of(Between(Fn("size", {P("pk")}), V(N("1")), V(N("2")))), nested);
}

TEST(KeyConditionTest, BetweenAndBeginsWithNeedTheKeyFirst) {
  EXPECT_EQ(error_of(Between(V(S("a")), P("pk"), V(S("b")))),
            "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
            "attribute as its first operand");
  EXPECT_EQ(error_of(Fn("begins_with", {V(S("a")), P("pk")})),
            "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
            "attribute as its first operand");
}

TEST(KeyConditionTest, OneAttributePerCondition) {
  const char* multiple =
      "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition";
  EXPECT_EQ(error_of(Eq(P("pk"), P("sk"))), multiple);
  EXPECT_EQ(error_of(Fn("begins_with", {P("pk"), P("sk")})), multiple);
  EXPECT_EQ(error_of(Between(P("sk"), V(N("1")), P("x"))), multiple);
  EXPECT_EQ(error_of(Eq(V(S("a")), V(S("b")))),
            "Invalid condition in KeyConditionExpression: No key attribute specified");
}

TEST(KeyConditionTest, NestedAttributesAreRejected) {
  const char* nested = "KeyConditionExpressions cannot have conditions on nested attributes";
  EXPECT_EQ(error_of(Eq(P("pk.a"), V(S("a")))), nested);
  EXPECT_EQ(error_of(Eq(P("pk[0]"), V(S("a")))), nested);
  EXPECT_EQ(error_of(Cmp(V(S("a")), Comparator::Lt, P("sk.a"))), nested);
  EXPECT_EQ(error_of(Fn("begins_with", {P("sk.a"), V(S("a"))})), nested);
  EXPECT_EQ(error_of(Between(P("sk[1]"), V(N("1")), V(N("2")))), nested);
}

TEST(KeyConditionTest, OneConditionPerKey) {
  const char* repeated = "KeyConditionExpressions must only contain one condition per key";
  EXPECT_EQ(error_of(And(Eq(P("pk"), V(S("a"))), Eq(P("pk"), V(S("b"))))), repeated);
  EXPECT_EQ(error_of(And(Fn("begins_with", {P("sk"), V(S("a"))}),
                         Cmp(V(S("b")), Comparator::Gt, P("sk")))),
            repeated);
}

TEST(KeyConditionTest, AtMostTwoConditions) {
  Node three = And(And(Eq(P("pk"), V(S("a"))), Eq(P("sk"), V(N("1")))), Eq(P("x"), V(S("a"))));
  EXPECT_EQ(error_of(three), "Conditions can be of length 1 or 2 only");
}

TEST(KeyConditionTest, TheFirstBadConditionWritten) {
  // Each condition is checked whole before the next, as DynamoDB does.
  Node pk = Eq(P("pk"), V(S("a")));
  EXPECT_EQ(error_of(And(And(pk, pk), Ne(P("sk"), V(N("1"))))),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(error_of(And(Ne(P("sk"), V(N("1"))), Eq(Fn("size", {P("pk")}), V(N("1"))))),
            "Invalid operator used in KeyConditionExpression: <>");
  EXPECT_EQ(error_of(And(Eq(Fn("size", {P("pk")}), V(N("1"))), Ne(P("sk"), V(N("1"))))),
            "KeyConditionExpressions cannot contain nested operations");
  EXPECT_EQ(error_of(And(Eq(V(S("a")), V(S("a"))), Eq(P("pk"), P("sk")))),
            "Invalid condition in KeyConditionExpression: No key attribute specified");
  // Too many conditions is only judged once every condition is valid.
  EXPECT_EQ(error_of(And(And(pk, Eq(P("sk"), V(N("1")))), Eq(P("sk"), V(N("2"))))),
            "KeyConditionExpressions must only contain one condition per key");
}

TEST(KeyConditionTest, ParsedAndBoundExpressions) {
  KeyCondition condition = from_text("#k = :v AND begins_with(#s, :w)");
  ASSERT_EQ(condition.parts.size(), 2u);
  expect_part(condition.parts[0], "pk", RangeOperator::Eq, {S("a")});
  expect_part(condition.parts[1], "sk", RangeOperator::BeginsWith, {S("b")});

  condition = from_text("(pk = :v) AND (:n < sk)");
  ASSERT_EQ(condition.parts.size(), 2u);
  expect_part(condition.parts[1], "sk", RangeOperator::Gt, {N("1")});

  condition = from_text("pk = :v AND sk BETWEEN :n AND :m");
  ASSERT_EQ(condition.parts.size(), 2u);
  expect_part(condition.parts[1], "sk", RangeOperator::Between, {N("1"), N("2")});

  try {
    from_text("pk = :v OR sk = :n");
    ADD_FAILURE() << "OR accepted";
  } catch (const ExpressionError& error) {
    EXPECT_STREQ(error.what(), "Invalid operator used in KeyConditionExpression: OR");
  }
}

}  // namespace
}  // namespace eddy::model::expressions
