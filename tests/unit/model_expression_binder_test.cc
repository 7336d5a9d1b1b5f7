// The binder: placeholders resolved against a request's names and values, and every error
// DynamoDB reports at that stage, in DynamoDB's order (operands before their operator; an update's
// actions last first, targets before values; a projection's paths last first). The expected
// messages come from tests/integration/expression_facts.md and from DynamoDB Local.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "expression_tree_builders.h"
#include "model/expressions/binder.h"
#include "model/expressions/parser.h"

namespace eddy::model::expressions {
namespace {

using test::B;
using test::Bool;
using test::BS;
using test::L;
using test::M;
using test::N;
using test::NS;
using test::Null;
using test::S;
using test::SS;

using Names = std::map<std::string, std::string, std::less<>>;

// One request's placeholders.
struct Request {
  Names names;
  AttributeMap values;
  Placeholders placeholders() {
    Placeholders result;
    result.names = &names;
    result.values = &values;
    return result;
  }
};

template <typename Body>
std::string error_of(Body&& body) {
  try {
    body();
  } catch (const ExpressionError& failure) {
    return failure.what();
  }
  return "";
}

std::string condition_error(std::string_view text, Request request = {}) {
  return error_of([&] {
    Placeholders placeholders = request.placeholders();
    bind_condition(parse_condition(text), placeholders);
  });
}
std::string update_error(std::string_view text, Request request = {}) {
  return error_of([&] {
    Placeholders placeholders = request.placeholders();
    bind_update(parse_update(text), placeholders);
  });
}
std::string projection_error(std::string_view text, Request request = {}) {
  return error_of([&] {
    Placeholders placeholders = request.placeholders();
    bind_projection(parse_projection(text), placeholders);
  });
}

Request values(AttributeMap values) {
  return Request{{}, std::move(values)};
}
Request names(Names names) {
  return Request{std::move(names), {}};
}

std::string no_name(std::string_view name) {
  return "An expression attribute name used in the document path is not defined; attribute "
         "name: " +
         std::string(name);
}
std::string no_value(std::string_view value) {
  return "An expression attribute value used in expression is not defined; attribute value: " +
         std::string(value);
}
std::string operands(std::string_view function, int count) {
  return "Incorrect number of operands for operator or function; operator or function: " +
         std::string(function) + ", number of operands: " + std::to_string(count);
}
std::string wrong_type(std::string_view op, std::string_view type) {
  return "Incorrect operand type for operator or function; operator or function: " +
         std::string(op) + ", operand type: " + std::string(type);
}
std::string repeated(std::string_view op, std::string_view path) {
  return "The first operand must be distinct from the remaining operands for this operator or "
         "function; operator: " +
         std::string(op) + ", first operand: " + std::string(path);
}
std::string needs_path(std::string_view function) {
  return "Operator or function requires a document path; operator or function: " +
         std::string(function);
}
std::string overlap(std::string_view one, std::string_view two) {
  return "Two document paths overlap with each other; must remove or rewrite one of these paths; "
         "path one: " +
         std::string(one) + ", path two: " + std::string(two);
}
std::string conflict(std::string_view one, std::string_view two) {
  return "Two document paths conflict with each other; must remove or rewrite one of these "
         "paths; path one: " +
         std::string(one) + ", path two: " + std::string(two);
}
std::string clause_type(std::string_view clause, std::string_view type) {
  return "Incorrect operand type for operator or function; operator: " + std::string(clause) +
         ", operand type: " + std::string(type) + ", typeSet: ALLOWED_FOR_" + std::string(clause) +
         "_OPERAND";
}

// ":v0, :v1, ..." and the values they stand for.
std::pair<std::string, AttributeMap> many_values(int count) {
  std::string list;
  AttributeMap defined;
  for (int i = 0; i < count; ++i) {
    std::string key = ":v" + std::to_string(i);
    list += (i ? ", " : "") + key;
    defined.emplace(key, N(std::to_string(i)));
  }
  return {list, defined};
}

// ---- Conditions ------------------------------------------------------------------------------

TEST(ExpressionBindCondition, ReportsUndefinedNamesAndValues) {
  EXPECT_EQ(condition_error("#s = :v", values({{":v", S("x")}})), no_name("#s"));
  EXPECT_EQ(condition_error("foo = :foo"), no_value(":foo"));
  EXPECT_EQ(condition_error("a.#b[1] = c", names({{"#a", "a"}})), no_name("#b"));
  Placeholders none;  // a request without ExpressionAttributeNames or ...Values
  EXPECT_EQ(error_of([&] { bind_condition(parse_condition("#n = a"), none); }), no_name("#n"));
  EXPECT_EQ(error_of([&] { bind_condition(parse_condition("a = :v"), none); }), no_value(":v"));
}

TEST(ExpressionBindCondition, CountsFunctionOperands) {
  EXPECT_EQ(condition_error("attribute_exists(a, b)"), operands("attribute_exists", 2));
  EXPECT_EQ(condition_error("attribute_not_exists(a, b)"), operands("attribute_not_exists", 2));
  EXPECT_EQ(condition_error("attribute_type(a)"), operands("attribute_type", 1));
  EXPECT_EQ(condition_error("begins_with(a)"), operands("begins_with", 1));
  EXPECT_EQ(condition_error("begins_with(a, size(b), c)"), operands("begins_with", 3));
  EXPECT_EQ(condition_error("contains(a)"), operands("contains", 1));
  EXPECT_EQ(condition_error("size(a, b) > c"), operands("size", 2));
}

TEST(ExpressionBindCondition, TheFirstOperandMayNotRepeat) {
  Request a_is_a = names({{"#a", "a"}});
  EXPECT_EQ(condition_error("a = a"), repeated("=", "[a]"));
  EXPECT_EQ(condition_error("#a <> a", a_is_a), repeated("<>", "[a]"));
  EXPECT_EQ(condition_error("a > #a", a_is_a), repeated(">", "[a]"));
  EXPECT_EQ(condition_error("contains(#a, #a)", names({{"#a", "data"}})),
            repeated("contains", "[data]"));
  EXPECT_EQ(condition_error("begins_with(ab.bc[1].a, ab.bc[1].#a)", a_is_a),
            repeated("begins_with", "[ab, bc, [1], a]"));
  EXPECT_EQ(condition_error("attribute_type(a, a)"), repeated("attribute_type", "[a]"));
  EXPECT_EQ(condition_error("x BETWEEN y AND x"), repeated("BETWEEN", "[x]"));
  EXPECT_EQ(condition_error("x IN (y, x)"), repeated("IN", "[x]"));
  EXPECT_EQ(condition_error(":a > :a", values({{":a", N("1")}})), "");
  EXPECT_EQ(condition_error("size(a) = size(a)"), "");
  EXPECT_EQ(condition_error("a.b = a.c AND a[1] = a[2]"), "");
}

TEST(ExpressionBindCondition, ChecksTheTypesOfFunctionOperands) {
  EXPECT_EQ(condition_error("begins_with(a, :n)", values({{":n", N("1")}})),
            wrong_type("begins_with", "N"));
  EXPECT_EQ(condition_error("begins_with(:ss, a)", values({{":ss", SS({"a"})}})),
            wrong_type("begins_with", "SS"));
  EXPECT_EQ(condition_error("begins_with(a, size(b))"), wrong_type("begins_with", "N"));
  EXPECT_EQ(condition_error("begins_with(a, :b)", values({{":b", B("x")}})), "");
  EXPECT_EQ(condition_error("size(:b) > a", values({{":b", Bool(true)}})),
            wrong_type("size", "BOOL"));
  EXPECT_EQ(condition_error("size(:n) > a", values({{":n", Null()}})), wrong_type("size", "NULL"));
  EXPECT_EQ(condition_error("size(size(a)) > b"), wrong_type("size", "N"));
  EXPECT_EQ(condition_error("size(:s) > a", values({{":s", S("x")}})), "");
  EXPECT_EQ(condition_error("size(:m) > a", values({{":m", M({})}})), "");
  EXPECT_EQ(condition_error("attribute_exists(:a)", values({{":a", N("1")}})),
            needs_path("attribute_exists"));
  EXPECT_EQ(condition_error("attribute_not_exists(size(:a))", values({{":a", S("1")}})),
            needs_path("attribute_not_exists"));
}

TEST(ExpressionBindCondition, AttributeTypeTakesOneOfTheTenTypeNames) {
  EXPECT_EQ(condition_error("attribute_type(a, :n)", values({{":n", N("1")}})),
            wrong_type("attribute_type", "N"));
  EXPECT_EQ(condition_error("attribute_type(a, size(b))"), wrong_type("attribute_type", "N"));
  // A path may hold any type; DynamoDB lists them in no fixed order.
  EXPECT_EQ(condition_error("attribute_type(a, b)").rfind(wrong_type("attribute_type", "{"), 0),
            0u);
  for (std::string_view name : {"STRING", "ss", "Bool"}) {
    EXPECT_EQ(condition_error("attribute_type(a, :t)", values({{":t", S(std::string(name))}})),
              "Invalid attribute type name found; type: " + std::string(name) +
                  ", valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}");
  }
  for (std::string_view name : {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}) {
    EXPECT_EQ(condition_error("attribute_type(a, :t)", values({{":t", S(std::string(name))}})), "");
  }
}

// Ordering works on numbers, strings and binaries; a literal of another type is refused.
TEST(ExpressionBindCondition, OrderingComparisonsAndBetweenTakeOnlyNumbersStringsAndBinaries) {
  const std::pair<std::string_view, AttributeValue> refused[] = {
      {"NS", NS({"1"})}, {"SS", SS({"a"})},    {"BS", BS({"x"})}, {"L", L({})},
      {"M", M({})},      {"BOOL", Bool(true)}, {"NULL", Null()}};
  for (const auto& [type, value] : refused) {
    for (std::string_view op : {"<", "<=", ">", ">="}) {
      std::string op_text(op);
      EXPECT_EQ(condition_error("x " + op_text + " :v", values({{":v", value}})),
                wrong_type(op, type));
      EXPECT_EQ(condition_error(":v " + op_text + " x", values({{":v", value}})),
                wrong_type(op, type));
    }
    EXPECT_EQ(condition_error("x BETWEEN :v AND :w", values({{":v", value}, {":w", value}})),
              wrong_type("BETWEEN", type));
    EXPECT_EQ(condition_error("x BETWEEN :n AND :v", values({{":v", value}, {":n", N("1")}})),
              wrong_type("BETWEEN", type));
    EXPECT_EQ(condition_error(":v BETWEEN x AND y", values({{":v", value}})),
              wrong_type("BETWEEN", type));
    EXPECT_EQ(condition_error("x = :v AND y <> :v AND z IN (:v)", values({{":v", value}})), "");
  }
  for (const AttributeValue& value : {N("1"), S("a"), B("x")}) {
    EXPECT_EQ(condition_error("x < :v AND :v >= size(y)", values({{":v", value}})), "");
  }
  EXPECT_EQ(condition_error(":ns < size(x)", values({{":ns", NS({"1"})}})), wrong_type("<", "NS"));
}

TEST(ExpressionBindCondition, BetweenBoundsWrittenAsValuesMustBeInOrder) {
  std::string prefix = "The BETWEEN operator requires ";
  EXPECT_EQ(condition_error("a between :b and :a", values({{":a", S("x")}, {":b", N("1")}})),
            prefix +
                "same data type for lower and upper bounds; lower bound operand: AttributeValue: "
                "{N:1}, upper bound operand: AttributeValue: {S:x}");
  EXPECT_EQ(condition_error("a between :b and :a", values({{":a", N("1")}, {":b", N("10")}})),
            prefix +
                "upper bound to be greater than or equal to lower bound; lower bound operand: "
                "AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(condition_error("a between :b and :a", values({{":a", S("a")}, {":b", S("b")}})),
            prefix +
                "upper bound to be greater than or equal to lower bound; lower bound operand: "
                "AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}");
  // A binary prints as the Java buffer holding it; bytes compare unsigned.
  EXPECT_EQ(condition_error("a between :b and :a",
                            values({{":a", B("\x01")}, {":b", B(std::string("\xff\x02\x03"))}})),
            prefix +
                "upper bound to be greater than or equal to lower bound; lower bound operand: "
                "AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]}, upper bound "
                "operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}");
  EXPECT_EQ(condition_error("a between :a and :a", values({{":a", N("1")}})), "");
  EXPECT_EQ(condition_error("a between :a and :b", values({{":a", N("9")}, {":b", N("10")}})), "");
  EXPECT_EQ(condition_error("a between size(b) and :s", values({{":s", S("x")}})), "");
}

TEST(ExpressionBindCondition, InTakesAtMostOneHundredCandidates) {
  auto [hundred, hundred_values] = many_values(100);
  EXPECT_EQ(condition_error("a IN (" + hundred + ")", values(hundred_values)), "");
  auto [too_many, too_many_values] = many_values(101);
  EXPECT_EQ(condition_error("a IN (" + too_many + ")", values(too_many_values)),
            "The IN operator is provided with too many operands; number of operands: 101");
  // The candidates are checked before their count, and a repeat before the count.
  EXPECT_EQ(condition_error("a IN (" + too_many + ", #u)", values(too_many_values)), no_name("#u"));
  EXPECT_EQ(condition_error("a IN (a, " + too_many + ")", values(too_many_values)),
            repeated("IN", "[a]"));
}

// Bottom-up and left to right; within one operator: count, types, repeat, its own rules.
TEST(ExpressionBindCondition, TheFirstProblemMetBottomUpWins) {
  Request ns = values({{":ns", NS({"1"})}, {":n", N("1")}, {":s", S("x")}, {":v", N("1")}});
  EXPECT_EQ(condition_error("x < :ns AND a = a", ns), wrong_type("<", "NS"));
  EXPECT_EQ(condition_error("a = a AND x < :ns", ns), repeated("=", "[a]"));
  EXPECT_EQ(condition_error("x < :ns AND attribute_exists(a, b)", ns), wrong_type("<", "NS"));
  EXPECT_EQ(condition_error("attribute_exists(a, b) AND x < :ns", ns),
            operands("attribute_exists", 2));
  EXPECT_EQ(condition_error("#u = :v AND x < :ns", ns), no_name("#u"));
  EXPECT_EQ(condition_error("x < :ns AND #u = :v", ns), wrong_type("<", "NS"));
  EXPECT_EQ(condition_error("x < :ns AND y = :undefined", ns), wrong_type("<", "NS"));
  EXPECT_EQ(condition_error("size(:n) < :ns", ns), wrong_type("size", "N"));
  EXPECT_EQ(condition_error(":ns < size(:n)", ns), wrong_type("size", "N"));
  EXPECT_EQ(condition_error("#u < size(:n, :n)", ns), no_name("#u"));
  EXPECT_EQ(condition_error("x BETWEEN x AND :ns", ns), wrong_type("BETWEEN", "NS"));
  EXPECT_EQ(condition_error("x BETWEEN :ns AND :s", ns), wrong_type("BETWEEN", "NS"));
  EXPECT_EQ(condition_error("x BETWEEN :s AND :n AND #u = :s", ns),
            "The BETWEEN operator requires same data type for lower and upper bounds; lower bound "
            "operand: AttributeValue: {S:x}, upper bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(condition_error("attribute_exists(:n, b)", ns), operands("attribute_exists", 2));
  EXPECT_EQ(condition_error("attribute_exists(b, #u)", ns), no_name("#u"));
  EXPECT_EQ(condition_error("begins_with(:hello, #a, #b)", names({{"#a", "a"}, {"#b", "b"}})),
            no_value(":hello"));
  EXPECT_EQ(condition_error("attribute_exists(#Pictures.RearView, :a) and a=a"),
            no_name("#Pictures"));
  EXPECT_EQ(condition_error("attribute_type(a, size(a)) and a=a and a=:n", ns),
            wrong_type("attribute_type", "N"));
  EXPECT_EQ(condition_error("a = a AND #a = b AND :views > a", names({{"#a", "a"}})),
            repeated("=", "[a]"));
}

// ---- Updates ---------------------------------------------------------------------------------

TEST(ExpressionBindUpdate, ReportsUndefinedNamesAndValues) {
  EXPECT_EQ(update_error("SET #n = :v", values({{":v", S("x")}})), no_name("#n"));
  EXPECT_EQ(update_error("SET a = :v"), no_value(":v"));
  EXPECT_EQ(update_error("REMOVE a.#b"), no_name("#b"));
  EXPECT_EQ(update_error("ADD a :n"), no_value(":n"));
}

TEST(ExpressionBindUpdate, ChecksFunctionsAndArithmetic) {
  Request typed = values({{":s", S("x")},
                          {":n", N("1")},
                          {":b", B("y")},
                          {":ns", NS({"1"})},
                          {":l", L({})},
                          {":m", M({})}});
  EXPECT_EQ(update_error("SET a = if_not_exists(b)"), operands("if_not_exists", 1));
  EXPECT_EQ(update_error("SET a = list_append(b)"), operands("list_append", 1));
  EXPECT_EQ(update_error("SET a = list_append(a, b, c)"), operands("list_append", 3));
  EXPECT_EQ(update_error("SET a = if_not_exists(:s, c)", typed), needs_path("if_not_exists"));
  EXPECT_EQ(update_error("SET a = if_not_exists(if_not_exists(a, b), c)"),
            needs_path("if_not_exists"));
  EXPECT_EQ(update_error("SET a = if_not_exists(a, a)"), repeated("if_not_exists", "[a]"));
  EXPECT_EQ(update_error("SET a = list_append(:s, a)", typed), wrong_type("list_append", "S"));
  EXPECT_EQ(update_error("SET a = list_append(a, :n)", typed), wrong_type("list_append", "N"));
  EXPECT_EQ(update_error("SET a = list_append(:m, a)", typed), wrong_type("list_append", "M"));
  EXPECT_EQ(update_error("SET a = a + :s", typed), wrong_type("+", "S"));
  EXPECT_EQ(update_error("SET a = :b - a", typed), wrong_type("-", "B"));
  EXPECT_EQ(update_error("SET a = a - :ns", typed), wrong_type("-", "NS"));
  EXPECT_EQ(update_error("SET a = :s + :ns", typed), wrong_type("+", "S"));
  EXPECT_EQ(update_error("SET a = if_not_exists(:s, b) + :s", typed), needs_path("if_not_exists"));
  // Neither arithmetic nor list_append() minds a repeated operand.
  EXPECT_EQ(update_error("SET a = b + b, c = list_append(c, c), d = :n - :n", typed), "");
  EXPECT_EQ(update_error("SET a = list_append(if_not_exists(a, :l), :l)", typed), "");
}

TEST(ExpressionBindUpdate, AddTakesNumbersAndSetsAndDeleteOnlySets) {
  const std::pair<std::string_view, AttributeValue> refused_by_both[] = {
      {"STRING", S("x")},       {"BINARY", B("x")},    {"NULL", Null()},
      {"BOOLEAN", Bool(false)}, {"LIST", L({N("1")})}, {"MAP", M({{"a", N("1")}})}};
  for (const auto& [type, value] : refused_by_both) {
    EXPECT_EQ(update_error("ADD a.b :v", values({{":v", value}})), clause_type("ADD", type));
    EXPECT_EQ(update_error("DELETE a.b :v", values({{":v", value}})), clause_type("DELETE", type));
  }
  EXPECT_EQ(update_error("DELETE a :v", values({{":v", N("1")}})), clause_type("DELETE", "NUMBER"));
  for (const AttributeValue& value : {N("1"), SS({"a"}), NS({"1"}), BS({"x"})}) {
    EXPECT_EQ(update_error("ADD a :v", values({{":v", value}})), "");
  }
  for (const AttributeValue& value : {SS({"a"}), NS({"1"}), BS({"x"})}) {
    EXPECT_EQ(update_error("DELETE a :v", values({{":v", value}})), "");
  }
}

TEST(ExpressionBindUpdate, TargetPathsMayNeitherOverlapNorConflict) {
  Request abc = Request{{{"#v", "val"}, {"#c", "c"}, {"#d", "[3]"}, {"#n", "name"}},
                        {{":a", S("1")}, {":b", S("2")}, {":m", M({})}, {":n", N("2")}}};
  EXPECT_EQ(update_error("SET #v = :a, #v = :b", abc), overlap("[val]", "[val]"));
  EXPECT_EQ(update_error("SET a = :a, #v = :b, val = :a", abc), overlap("[val]", "[val]"));
  EXPECT_EQ(update_error("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)", abc),
            overlap("[c, [1], a]", "[c]"));
  EXPECT_EQ(update_error("SET profile.#n = :a REMOVE profile", abc),
            overlap("[profile, name]", "[profile]"));
  EXPECT_EQ(update_error("SET mapx = :m, mapx.num = :n", abc), overlap("[mapx]", "[mapx, num]"));
  EXPECT_EQ(update_error("set #c[3].#d = a, #c[3] = a", abc), overlap("[c, [3], [3]]", "[c, [3]]"));
  EXPECT_EQ(update_error("REMOVE a[1], a[1].b"), overlap("[a, [1]]", "[a, [1], b]"));
  EXPECT_EQ(update_error("REMOVE a.b.c, a.b"), overlap("[a, b, c]", "[a, b]"));
  EXPECT_EQ(update_error("remove a.#c set a[1] = #d", abc), conflict("[a, c]", "[a, [1]]"));
  EXPECT_EQ(update_error("REMOVE a.b, a[1]"), conflict("[a, b]", "[a, [1]]"));
  EXPECT_EQ(update_error("REMOVE a[1], a.b"), conflict("[a, [1]]", "[a, b]"));
  EXPECT_EQ(update_error("set #c[3].#d = a, #c.#d[3] = if_not_exists(a)", abc),
            conflict("[c, [3], [3]]", "[c, [3], [3]]"));
  EXPECT_EQ(update_error("REMOVE a.b, a.c, l[1], l[2], m.x[1], m.y.z"), "");
}

// DynamoDB names as the second path the first leaf of its tree of paths, whose children sit in a
// Java HashMap: these cases pin the map's iteration order, including the growth of its table.
TEST(ExpressionBindUpdate, TheSecondPathNamedFollowsJavaHashMapOrder) {
  Request odd = names({{"#c", "c"}, {"#d", "[3]"}});
  EXPECT_EQ(update_error("REMOVE a, b, c, a"), overlap("[a]", "[c]"));
  EXPECT_EQ(update_error("REMOVE b, a, b"), overlap("[b]", "[b]"));
  EXPECT_EQ(update_error("REMOVE zz, a, zz"), overlap("[zz]", "[a]"));
  EXPECT_EQ(update_error("REMOVE x.a, y, x"), overlap("[x, a]", "[y]"));
  EXPECT_EQ(update_error("REMOVE y, x.a, x"), overlap("[x, a]", "[x]"));
  EXPECT_EQ(update_error("REMOVE x.q, x.b, x.c, x.q"), overlap("[x, q]", "[x, c]"));
  EXPECT_EQ(update_error("REMOVE a[1], a[2], a"), overlap("[a, [2]]", "[a]"));
  EXPECT_EQ(update_error("remove a, #c, a, #d", odd), overlap("[a]", "[[3]]"));
  EXPECT_EQ(update_error("set c.b.#c = a, c = a, #d = a", odd), overlap("[c, b, c]", "[[3]]"));
  EXPECT_EQ(update_error("SET a = b, a = c ADD d :s", values({{":s", S("x")}})),
            overlap("[a]", "[d]"));
  std::string twelve = "n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11, n12";
  EXPECT_EQ(update_error("REMOVE n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11, n3"),
            overlap("[n3]", "[n9]"));
  EXPECT_EQ(update_error("REMOVE " + twelve + ", n13, n1"), overlap("[n1]", "[n13]"));
  EXPECT_EQ(update_error("REMOVE " + twelve + ", n13, n5"), overlap("[n5]", "[n13]"));
  std::string more;
  for (int i = 13; i <= 26; ++i) more += ", n" + std::to_string(i);
  EXPECT_EQ(update_error("REMOVE " + twelve + more + ", n5"), overlap("[n5]", "[n24]"));
  // Past 12 children the table grows to 32 buckets, past 24 to 64.
  EXPECT_EQ(
      update_error("REMOVE g, qu, iidw, o6i8, e, oa, yl, eh9d, kg9d, hr, b, q9be, o66, g26, g"),
      overlap("[g]", "[o66]"));
  EXPECT_EQ(update_error("REMOVE n, v, yvw, t3ef, iedt, usyw, awkh, p, gip, m5fk, o9ri, n0w, vojf, "
                         "fo, va, pq, j, e8xu, e, ozzz, dzdm, c2, f, k, d, n"),
            overlap("[n]", "[fo]"));
  // A ninth child in one bucket grows the table too.
  EXPECT_EQ(update_error("REMOVE x6, x19, x80, x91, x130, x141, x152, x163, x174, x0, x20, x6"),
            overlap("[x6]", "[x91]"));
}

// Last action first: every target (its names, then its overlaps), then every value, then the
// operand of ADD or DELETE after the value it belongs to.
TEST(ExpressionBindUpdate, ActionsAreCheckedLastFirstTargetsBeforeValues) {
  Request typed = values({{":s", S("x")}, {":l", L({})}});
  EXPECT_EQ(update_error("SET #u = a, #w = b"), no_name("#w"));
  EXPECT_EQ(update_error("SET a = #u, b = #w"), no_name("#w"));
  EXPECT_EQ(update_error("SET #u = #w"), no_name("#u"));
  EXPECT_EQ(update_error("SET a = :u, #u = b"), no_name("#u"));
  EXPECT_EQ(update_error("SET a = :u, b = #u"), no_name("#u"));
  EXPECT_EQ(update_error("SET a = #u, b = :u"), no_value(":u"));
  EXPECT_EQ(update_error("SET a = :u, a = b"), overlap("[a]", "[a]"));
  EXPECT_EQ(update_error("SET a = #u, a = b"), overlap("[a]", "[a]"));
  EXPECT_EQ(update_error("SET a = b, #u = c, a = d"), no_name("#u"));
  EXPECT_EQ(update_error("SET a = b, a = d, #u = c"), no_name("#u"));
  EXPECT_EQ(update_error("ADD #u :l SET a = b", typed), no_name("#u"));
  EXPECT_EQ(update_error("SET a = list_append(b, :s), c = if_not_exists(b)", typed),
            operands("if_not_exists", 1));
  EXPECT_EQ(update_error("SET c = if_not_exists(b), a = list_append(b, :s)", typed),
            wrong_type("list_append", "S"));
  EXPECT_EQ(update_error("SET a = if_not_exists(b) ADD d :s", typed), clause_type("ADD", "STRING"));
  EXPECT_EQ(update_error("ADD d :s SET a = if_not_exists(b)", typed), operands("if_not_exists", 1));
  EXPECT_EQ(update_error("ADD a :u, b :l", typed), clause_type("ADD", "LIST"));
  EXPECT_EQ(update_error("ADD a :l, b :u", typed), no_value(":u"));
  EXPECT_EQ(update_error("set b = list_append(:a, a), c = if_not_exists(a) add a.b :a",
                         values({{":a", S("a")}})),
            clause_type("ADD", "STRING"));
}

// ---- Projections -----------------------------------------------------------------------------

TEST(ExpressionBindProjection, PathsAreCheckedLastFirst) {
  Request ab = names({{"#a", "a"}, {"#b", "b"}});
  EXPECT_EQ(projection_error("#p"), no_name("#p"));
  EXPECT_EQ(projection_error("a, #u, b, #w"), no_name("#w"));
  EXPECT_EQ(projection_error("a, a, #u"), no_name("#u"));
  EXPECT_EQ(projection_error("#u, a, a"), overlap("[a]", "[a]"));
  EXPECT_EQ(projection_error("#a, #a", ab), overlap("[a]", "[a]"));
  EXPECT_EQ(projection_error("#a, #a.#b", ab), overlap("[a]", "[a, b]"));
  EXPECT_EQ(projection_error("a.b.c, a"), overlap("[a, b, c]", "[a]"));
  EXPECT_EQ(projection_error("#a, #b", names({{"#a", "x"}, {"#b", "x"}})), overlap("[x]", "[x]"));
  EXPECT_EQ(projection_error("#a.b, x.b", names({{"#a", "x"}})), overlap("[x, b]", "[x, b]"));
  EXPECT_EQ(projection_error("a.b, a[1]"), conflict("[a, b]", "[a, [1]]"));
  EXPECT_EQ(projection_error("a[1], a.b"), conflict("[a, [1]]", "[a, b]"));
  EXPECT_EQ(projection_error("c, c, a.b, a[1]"), conflict("[a, b]", "[a, [1]]"));
  EXPECT_EQ(projection_error("a.b, a.c, l[0], l[2], #a.d", ab), "");
}

// ---- Bound trees and the placeholders they used ----------------------------------------------

TEST(ExpressionBindPlaceholders, ResolvesNamesAndValuesAndRecordsWhichWereUsed) {
  Request request{{{"#a", "a.b"}, {"#s", "status"}, {"#unused", "x"}},
                  {{":v", N("7")}, {":unused", S("y")}}};
  Placeholders placeholders = request.placeholders();
  Node parsed = parse_condition("#a.#s[2] = :v AND attribute_exists(#a)");
  Node bound = bind_condition(parsed, placeholders);
  const Path& path = bound.children[0].children[0].path;
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0].name, "a.b");  // one attribute whose name has a dot
  EXPECT_FALSE(path[0].placeholder);
  EXPECT_EQ(path[1].name, "status");  // reserved words are fine behind a placeholder
  EXPECT_EQ(path[2].index, 2u);
  const Node& value = bound.children[0].children[1];
  EXPECT_EQ(value.placeholder, ":v");
  ASSERT_TRUE(value.value);
  EXPECT_EQ(*value.value, N("7"));
  EXPECT_EQ(placeholders.used_names, (std::set<std::string, std::less<>>{"#a", "#s"}));
  EXPECT_EQ(placeholders.used_values, (std::set<std::string, std::less<>>{":v"}));
  // The parse is left as it was, ready to be bound again (it may sit in the cache).
  EXPECT_TRUE(parsed.children[0].children[0].path[0].placeholder);
  EXPECT_FALSE(parsed.children[0].children[1].value);
}

TEST(ExpressionBindPlaceholders, UsesAccumulateAcrossTheExpressionsOfARequest) {
  Request request{{{"#t", "t"}, {"#p", "p"}, {"#k", "k"}}, {{":n", N("1")}, {":s", SS({"a"})}}};
  Placeholders placeholders = request.placeholders();
  UpdateExpression update =
      bind_update(parse_update("SET #t = :n REMOVE x ADD y :n DELETE z :s"), placeholders);
  EXPECT_EQ(update.actions[0].path[0].name, "t");
  ASSERT_TRUE(update.actions[2].value.value);
  EXPECT_EQ(*update.actions[3].value.value, SS({"a"}));
  bind_condition(parse_condition("attribute_exists(#k)"), placeholders);
  ProjectionExpression projection = bind_projection(parse_projection("#p, q"), placeholders);
  EXPECT_EQ(projection.paths[0][0].name, "p");
  EXPECT_EQ(placeholders.used_names, (std::set<std::string, std::less<>>{"#k", "#p", "#t"}));
  EXPECT_EQ(placeholders.used_values, (std::set<std::string, std::less<>>{":n", ":s"}));
  // Binding only resolves: unused placeholders are the request's to refuse.
  Placeholders fresh = request.placeholders();
  bind_condition(parse_condition("a = :n"), fresh);
  EXPECT_TRUE(fresh.used_names.empty());
  EXPECT_EQ(fresh.used_values, (std::set<std::string, std::less<>>{":n"}));
}

}  // namespace
}  // namespace eddy::model::expressions
