// The expression parser: the trees it builds, and every error DynamoDB reports before it looks at
// a request's placeholders (syntax, redundant parentheses, functions, reserved words, list
// indexes, repeated clauses), with DynamoDB's wording and priority. The expected messages come
// from tests/integration/expression_facts.md and from DynamoDB Local.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "model/expressions/parser.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {
namespace {

// ---- Trees as text: "(AND (= a :v) (size b))", "SET a (+ b :v); REMOVE c" --------------------

std::string shape(const Path& path) {
  std::string text;
  for (const PathStep& step : path) {
    if (step.is_index) {
      text += "[" + std::to_string(step.index) + "]";
    } else {
      text += (text.empty() ? "" : ".") + step.name;
    }
  }
  return text;
}

std::string shape(const Node& node) {
  std::string head;
  switch (node.kind) {
    case NodeKind::Path:
      return shape(node.path);
    case NodeKind::Value:
      return node.placeholder;
    case NodeKind::Or:
      head = "OR";
      break;
    case NodeKind::And:
      head = "AND";
      break;
    case NodeKind::Not:
      head = "NOT";
      break;
    case NodeKind::Compare:
      head = comparator_text(node.comparator);
      break;
    case NodeKind::Between:
      head = "BETWEEN";
      break;
    case NodeKind::In:
      head = "IN";
      break;
    case NodeKind::Function:
      head = node.function;
      break;
    case NodeKind::Plus:
      head = "+";
      break;
    case NodeKind::Minus:
      head = "-";
      break;
  }
  for (const Node& child : node.children) head += " " + shape(child);
  return "(" + head + ")";
}

std::string condition(std::string_view text) {
  return shape(parse_condition(text));
}

std::string update(std::string_view text) {
  std::string result;
  for (const UpdateAction& action : parse_update(text).actions) {
    if (!result.empty()) result += "; ";
    result += std::string(clause_text(action.clause)) + " " + shape(action.path);
    if (action.clause != UpdateClause::Remove) result += " " + shape(action.value);
  }
  return result;
}

std::string projection(std::string_view text) {
  std::string result;
  for (const Path& path : parse_projection(text).paths) {
    result += (result.empty() ? "" : ", ") + shape(path);
  }
  return result;
}

// ---- Errors ----------------------------------------------------------------------------------

enum class Kind { Condition, Update, Projection };

// The message parsing `text` fails with, or "" when it parses.
std::string error(Kind kind, std::string_view text) {
  try {
    if (kind == Kind::Condition) parse_condition(text);
    if (kind == Kind::Update) parse_update(text);
    if (kind == Kind::Projection) parse_projection(text);
  } catch (const ExpressionError& failure) {
    return failure.what();
  }
  return "";
}
std::string condition_error(std::string_view text) {
  return error(Kind::Condition, text);
}
std::string update_error(std::string_view text) {
  return error(Kind::Update, text);
}

std::string syntax(std::string_view token, std::string_view near) {
  return "Syntax error; token: \"" + std::string(token) + "\", near: \"" + std::string(near) + "\"";
}
const std::string kParentheses = "The expression has redundant parentheses;";
std::string unknown_function(std::string_view name) {
  return "Invalid function name; function: " + std::string(name);
}
std::string misused(std::string_view name) {
  return "The function is not allowed to be used this way in an expression; function: " +
         std::string(name);
}
std::string reserved(std::string_view word) {
  return "Attribute name is a reserved keyword; reserved keyword: " + std::string(word);
}
std::string repeated(std::string_view clause) {
  return "The \"" + std::string(clause) +
         "\" section can only be used once in an update expression;";
}

// ---- Conditions ------------------------------------------------------------------------------

TEST(ExpressionParseCondition, ReadsEveryComparator) {
  EXPECT_EQ(condition("a = :v"), "(= a :v)");
  EXPECT_EQ(condition("a <> :v"), "(<> a :v)");
  EXPECT_EQ(condition("a < :v"), "(< a :v)");
  EXPECT_EQ(condition("a <= :v"), "(<= a :v)");
  EXPECT_EQ(condition("a > :v"), "(> a :v)");
  EXPECT_EQ(condition("a >= :v"), "(>= a :v)");
  EXPECT_EQ(condition(":v = a"), "(= :v a)");
  EXPECT_EQ(condition("a=b"), "(= a b)");
  EXPECT_EQ(condition("\ta\n<=\r\n:v "), "(<= a :v)");
}

TEST(ExpressionParseCondition, ReadsBetweenAndIn) {
  EXPECT_EQ(condition("a BETWEEN :lo AND :hi"), "(BETWEEN a :lo :hi)");
  EXPECT_EQ(condition("size(a) BETWEEN b AND size(c)"), "(BETWEEN (size a) b (size c))");
  EXPECT_EQ(condition("a IN (:x)"), "(IN a :x)");
  EXPECT_EQ(condition("a IN (:x, b.c, size(d))"), "(IN a :x b.c (size d))");
}

TEST(ExpressionParseCondition, ReadsFunctions) {
  EXPECT_EQ(condition("attribute_exists(a)"), "(attribute_exists a)");
  EXPECT_EQ(condition("attribute_not_exists(#n)"), "(attribute_not_exists #n)");
  EXPECT_EQ(condition("attribute_type(a, :t)"), "(attribute_type a :t)");
  EXPECT_EQ(condition("begins_with(a.b, :p)"), "(begins_with a.b :p)");
  EXPECT_EQ(condition("contains(:v, a)"), "(contains :v a)");
  EXPECT_EQ(condition("size(a) > :n"), "(> (size a) :n)");
  EXPECT_EQ(condition(":n <= size(a[2])"), "(<= :n (size a[2]))");
  // Operand counts and types are the binder's to judge.
  EXPECT_EQ(condition("attribute_exists(a, b)"), "(attribute_exists a b)");
  EXPECT_EQ(condition("size(size(a)) > b"), "(> (size (size a)) b)");
}

TEST(ExpressionParseCondition, ReadsNestedPathsAndNamePlaceholders) {
  EXPECT_EQ(condition("a.b[3].c = :v"), "(= a.b[3].c :v)");
  EXPECT_EQ(condition("a[0][12] = :v"), "(= a[0][12] :v)");
  EXPECT_EQ(condition("a[ 1 ] = b"), "(= a[1] b)");
  EXPECT_EQ(condition("a . b = c"), "(= a.b c)");
  EXPECT_EQ(condition("a_B1 = c"), "(= a_B1 c)");
  Node parsed = parse_condition("#a.b[3].#c = :v");
  const Path& path = parsed.children[0].path;
  ASSERT_EQ(path.size(), 4u);
  EXPECT_TRUE(path[0].placeholder);
  EXPECT_EQ(path[0].name, "#a");
  EXPECT_FALSE(path[1].placeholder);
  EXPECT_EQ(path[1].name, "b");
  EXPECT_TRUE(path[2].is_index);
  EXPECT_EQ(path[2].index, 3u);
  EXPECT_TRUE(path[3].placeholder);
  EXPECT_EQ(parsed.children[1].placeholder, ":v");
  EXPECT_EQ(parse_condition("a[2147483647] = b").children[0].path[1].index, 2147483647u);
}

TEST(ExpressionParseCondition, NotBindsTighterThanAndWhichBindsTighterThanOr) {
  EXPECT_EQ(condition("a = :x OR b = :y AND c = :z"), "(OR (= a :x) (AND (= b :y) (= c :z)))");
  EXPECT_EQ(condition("a = :x AND b = :y OR c = :z"), "(OR (AND (= a :x) (= b :y)) (= c :z))");
  EXPECT_EQ(condition("NOT a = :x AND b = :y"), "(AND (NOT (= a :x)) (= b :y))");
  EXPECT_EQ(condition("NOT a = :x OR b = :y"), "(OR (NOT (= a :x)) (= b :y))");
  EXPECT_EQ(condition("NOT NOT attribute_exists(a)"), "(NOT (NOT (attribute_exists a)))");
  // Chains associate to the left.
  EXPECT_EQ(condition("a = :x AND b = :y AND c = :z"), "(AND (AND (= a :x) (= b :y)) (= c :z))");
  EXPECT_EQ(condition("a = :x OR b = :y OR c = :z"), "(OR (OR (= a :x) (= b :y)) (= c :z))");
}

TEST(ExpressionParseCondition, ParenthesesRegroupAndAreCounted) {
  EXPECT_EQ(condition("(a = :x OR b = :y) AND c = :z"), "(AND (OR (= a :x) (= b :y)) (= c :z))");
  EXPECT_EQ(condition("NOT (a = :x AND b = :y)"), "(NOT (AND (= a :x) (= b :y)))");
  Node parsed = parse_condition("(a) = (:v)");
  EXPECT_EQ(shape(parsed), "(= a :v)");
  EXPECT_EQ(parsed.parentheses, 0);
  EXPECT_EQ(parsed.children[0].parentheses, 1);
  EXPECT_EQ(parsed.children[1].parentheses, 1);
  EXPECT_EQ(parse_condition("(a = :v)").parentheses, 1);
  EXPECT_EQ(condition("(size(a)) = b"), "(= (size a) b)");
}

TEST(ExpressionParseCondition, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(condition("a between :x and :y or not b in (:z)"),
            "(OR (BETWEEN a :x :y) (NOT (IN b :z)))");
  EXPECT_EQ(condition("a BeTwEeN :x AnD :y"), "(BETWEEN a :x :y)");
}

// ---- Updates ---------------------------------------------------------------------------------

TEST(ExpressionParseUpdate, ReadsSetValues) {
  EXPECT_EQ(update("SET a = :v"), "SET a :v");
  EXPECT_EQ(update("SET a.b[2].c = b"), "SET a.b[2].c b");
  EXPECT_EQ(update("SET a = b + :v"), "SET a (+ b :v)");
  EXPECT_EQ(update("SET a = :v - b"), "SET a (- :v b)");
  EXPECT_EQ(update("SET a = if_not_exists(a, :v)"), "SET a (if_not_exists a :v)");
  EXPECT_EQ(update("SET a = list_append(a, :l)"), "SET a (list_append a :l)");
  EXPECT_EQ(update("SET a = list_append(if_not_exists(a, :e), :l)"),
            "SET a (list_append (if_not_exists a :e) :l)");
  EXPECT_EQ(update("SET a = if_not_exists(a, :v) + :n"), "SET a (+ (if_not_exists a :v) :n)");
  EXPECT_EQ(update("SET a = (b - :v)"), "SET a (- b :v)");
  EXPECT_EQ(update("SET a = ((b) + :v)"), "SET a (+ b :v)");
  EXPECT_EQ(update("SET a = (b) + (:v)"), "SET a (+ b :v)");
  EXPECT_EQ(update("SET a = (list_append(a, :l))"), "SET a (list_append a :l)");
}

TEST(ExpressionParseUpdate, ReadsEveryClauseInTheOrderWritten) {
  EXPECT_EQ(update("REMOVE a, b.c[1]"), "REMOVE a; REMOVE b.c[1]");
  EXPECT_EQ(update("ADD n :one, s :ss"), "ADD n :one; ADD s :ss");
  EXPECT_EQ(update("DELETE s :ss"), "DELETE s :ss");
  EXPECT_EQ(update("REMOVE x SET a = :v, b = c ADD n :one DELETE s :ss"),
            "REMOVE x; SET a :v; SET b c; ADD n :one; DELETE s :ss");
  EXPECT_EQ(update("sEt a = :n rEmOvE b aDd c :n DeLeTe d :ss"),
            "SET a :n; REMOVE b; ADD c :n; DELETE d :ss");
}

// ---- Projections -----------------------------------------------------------------------------

TEST(ExpressionParseProjection, ReadsPathsInTheOrderWritten) {
  EXPECT_EQ(projection("a"), "a");
  EXPECT_EQ(projection("c, a.b[1].d, #n.e[2]"), "c, a.b[1].d, #n.e[2]");
  EXPECT_EQ(projection("a, a"), "a, a");  // overlaps are the binder's to judge
}

// ---- Empty and blank texts -------------------------------------------------------------------

TEST(ExpressionParseErrors, AnEmptyTextIsEmptyButABlankOneIsASyntaxError) {
  const std::string empty = "The expression can not be empty;";
  EXPECT_EQ(error(Kind::Condition, ""), empty);
  EXPECT_EQ(error(Kind::Update, ""), empty);
  EXPECT_EQ(error(Kind::Projection, ""), empty);
  EXPECT_EQ(error(Kind::Condition, "   "), syntax("<EOF>", "   "));
  EXPECT_EQ(error(Kind::Update, " "), syntax("<EOF>", " "));
  EXPECT_EQ(error(Kind::Projection, "\t"), syntax("<EOF>", "\t"));
}

// ---- Syntax errors ---------------------------------------------------------------------------

struct SyntaxCase {
  Kind kind;
  std::string_view text;
  std::string_view token;
  std::string_view near;
};

// "near" runs from the token before the offending one to the token after it, blanks included;
// at the end of the text the token is "<EOF>".
TEST(ExpressionParseErrors, SyntaxErrorsNameTheTokenAndItsNeighbours) {
  const SyntaxCase cases[] = {
      {Kind::Condition, "foo", "<EOF>", "foo"},
      {Kind::Condition, "attribute_not_exists(", "<EOF>", "("},
      {Kind::Condition, "attribute_type()", ")", "()"},
      {Kind::Condition, "a = = :v", "=", "= = :v"},
      {Kind::Condition, "a > 4", "4", "> 4"},
      {Kind::Condition, "a IN ()", ")", "()"},
      {Kind::Condition, "a IN (b,c,)", ")", ",)"},
      {Kind::Condition, "a IN b", "b", "IN b"},
      {Kind::Condition, "a = b AND", "<EOF>", "AND"},
      {Kind::Condition, "a = b OR", "<EOF>", "OR"},
      {Kind::Condition, "a = b AND c", "<EOF>", "c"},
      {Kind::Condition, "NOT", "<EOF>", "NOT"},
      {Kind::Condition, "(a = b", "<EOF>", "b"},
      {Kind::Condition, "a BETWEEN b c", "c", "b c"},
      {Kind::Condition, "a = b = c", "=", "b = c"},
      {Kind::Condition, "a < b < c", "<", "b < c"},
      {Kind::Condition, "(a = b) = c", "=", ") = c"},
      {Kind::Condition, "(a) = b AND (c)", "<EOF>", ")"},
      {Kind::Condition, "foo() = b", ")", "() ="},
      {Kind::Condition, "things are not gonna be ok", "are", "things are not"},
      {Kind::Condition, "a > between", "between", "> between"},
      {Kind::Condition, "attribute_exists(Pictures-RearView)", "-", "Pictures-RearView"},
      {Kind::Condition, "attribute_exists(\"Pictures.RearView\")", "\"", "(\"Pictures"},
      {Kind::Condition, "attribute_exists(Pictures..RearView)", ".", "..RearView"},
      {Kind::Condition, "attribute_exists(Pi#ctures.RearView)", "#ctures", "Pi#ctures."},
      {Kind::Condition, "attribute_exists(asdf[a])", "a", "[a]"},
      {Kind::Condition, "#$.b > a", "#", "#$"},
      {Kind::Condition, "a > :things.stuff", ".", ":things.stuff"},
      {Kind::Condition, "b[:a] > a", ":a", "[:a]"},
      {Kind::Condition, "b[#_] > a", "#_", "[#_]"},
      {Kind::Condition, "\xC3\xBC > a", "\xC3\xBC", "\xC3\xBC >"},
      {Kind::Condition, "size(a).b > a", ".", ").b"},
      {Kind::Condition, "size(a)[0] > a", "[", ")[0"},
      {Kind::Condition, "(size(a))[0] > a", "[", ")[0"},
      {Kind::Condition, "(a)between(b.(c.d))and(c)", "(", ".(c"},
      {Kind::Condition, "(a)between(b.c[4.5].#d)and(:a)", ".", "4.5"},
      {Kind::Condition, "a[-1] = b", "-", "[-1"},
      {Kind::Condition, "a[01] = b", "1", "01]"},  // no leading zeros
      {Kind::Condition, "a[1]x = b", "x", "]x ="},
      {Kind::Condition, "_a1 = b", "_", "_a1"},  // a name starts with a letter
      {Kind::Condition, "a.and = c", "and", ".and ="},
      {Kind::Condition, "a.set = c", "set", ".set ="},
      {Kind::Condition, "set = c", "set", "set ="},
      {Kind::Condition, "  = a", "=", "  = a"},
      {Kind::Condition, " a  = =  b ", "=", "= =  b"},
      {Kind::Condition, "a = b ) ", ")", "b ) "},
      {Kind::Condition, "a = ", "<EOF>", "= "},
      {Kind::Update, "SET", "<EOF>", "SET"},
      {Kind::Update, "SET a", "<EOF>", "a"},
      {Kind::Update, "SET a =", "<EOF>", "="},
      {Kind::Update, "REMOVE", "<EOF>", "REMOVE"},
      {Kind::Update, "SET a = b REMOVE", "<EOF>", "REMOVE"},
      {Kind::Update, "SET MyStr = myNum + 1", "1", "+ 1"},
      {Kind::Update, "SET MyStr = myNum Mystr2 myNum2", "Mystr2", "myNum Mystr2 myNum2"},
      {Kind::Update, "SET a = :v1, b = :v2,", "<EOF>", ","},
      {Kind::Update, "SET a = b,  ", "<EOF>", ",  "},
      {Kind::Update, "REMOVE a, SET b = c", "SET", ", SET b"},
      {Kind::Update, "SET a = b * c", "*", "b * c"},
      {Kind::Update, "SET a = b + c + d", "+", "c + d"},  // one "+" or "-" per value
      {Kind::Update, "SET a = (b + c) + d", "+", ") + d"},
      {Kind::Update, "SET a = b + (c + d)", "+", "c + d"},
      {Kind::Update, "SET a = if_not_exists(b, c + d)", "+", "c + d"},
      {Kind::Update, "SET a = if_not_exists()", ")", "()"},
      {Kind::Update, "SET a = - b", "-", "= - b"},
      {Kind::Update, "SET a = b -", "<EOF>", "-"},
      {Kind::Update, "SET a[1] = \"eight\"", "\"", "= \"eight"},
      {Kind::Update, "SET (a) = b", "(", "SET (a"},
      {Kind::Update, "SET set = c", "set", "SET set ="},
      {Kind::Update, "SET a = remove", "remove", "= remove"},
      {Kind::Update, "REMOVE a.remove", "remove", ".remove"},
      {Kind::Update, "whatever", "whatever", "whatever"},
      {Kind::Update, "remove a = b", "=", "a = b"},
      {Kind::Update, "ADD a", "<EOF>", "a"},
      {Kind::Update, "ADD a b", "b", "a b"},
      {Kind::Update, "ADD a :v :w", ":w", ":v :w"},
      {Kind::Update, "ADD a (:v)", "(", "a (:v"},
      {Kind::Update, "DELETE a b", "b", "a b"},
      {Kind::Projection, "!!! INVALID !!!", "!", "!!"},
      {Kind::Projection, "a,", "<EOF>", ","},
      {Kind::Projection, "a b", "b", "a b"},
      {Kind::Projection, "a, ,b", ",", ", ,b"},
      {Kind::Projection, ":v", ":v", ":v"},
  };
  for (const SyntaxCase& c : cases) {
    EXPECT_EQ(error(c.kind, c.text), syntax(c.token, c.near)) << c.text;
  }
}

// ---- Redundant parentheses -------------------------------------------------------------------

TEST(ExpressionParseErrors, TwoParenthesesAroundOneThingAreRedundant) {
  for (std::string_view text :
       {"((a = :v))", "((attribute_not_exists(pk)))", "a=a AND ((a=a AND a=a)) AND a=a",
        "a > ((views))", "((a)) = b", "(((a = b)) AND c = d)", "NOT ((a = b))", "a IN (((b)), c)",
        "a BETWEEN ((b)) AND c", "size(((a))) = b", "a > whatever((:things), ((a)))"}) {
    EXPECT_EQ(condition_error(text), kParentheses) << text;
  }
  for (std::string_view text : {"SET a = ((b + c))", "SET a = ((b)) + c", "SET a = (b) + ((c))",
                                "SET a = if_not_exists(((a)), :n)", "SET a = (((:n)))"}) {
    EXPECT_EQ(update_error(text), kParentheses) << text;
  }
  for (std::string_view text :
       {"(x = :v) AND (y = :v)", "(a = b AND c = d)", "(a = b AND (c = d))", "(a) = b", "a = (b)",
        "size((a)) = b", "(NOT (a = b))", "a IN ((b), c)", "((a = b) AND c = d)"}) {
    EXPECT_EQ(condition_error(text), "") << text;
  }
  for (std::string_view text :
       {"SET a = (b + c)", "SET a = ((b) + c)", "SET a = list_append((a), :n)"}) {
    EXPECT_EQ(update_error(text), "") << text;
  }
}

// DynamoDB's grammar rejects them the moment the second parenthesis closes.
TEST(ExpressionParseErrors, RedundantParenthesesRankByPositionAgainstSyntaxErrors) {
  EXPECT_EQ(condition_error("((a = b)) AND"), kParentheses);
  EXPECT_EQ(condition_error("((a)) = b c"), kParentheses);
  EXPECT_EQ(condition_error("a = b c AND ((c = d))"), syntax("c", "b c AND"));
  EXPECT_EQ(update_error("SET a = ((b)) c"), kParentheses);
  EXPECT_EQ(update_error("SET a = b c ((d))"), syntax("c", "b c ("));
  // ... and before anything found after parsing.
  EXPECT_EQ(condition_error("a = status AND ((a = b))"), kParentheses);
  EXPECT_EQ(condition_error("foo(a) AND ((a = :v))"), kParentheses);
}

// ---- Functions -------------------------------------------------------------------------------

TEST(ExpressionParseErrors, ConditionFunctionsMustBeKnownAndInTheirPlace) {
  EXPECT_EQ(condition_error("attRIbute_exIsts(a)"), unknown_function("attRIbute_exIsts"));
  EXPECT_EQ(condition_error("a=a and whatever((:things)) > a"), unknown_function("whatever"));
  EXPECT_EQ(condition_error("NOT foo(a)"), unknown_function("foo"));
  const std::string not_in_condition =
      "The function is not allowed in a condition expression; function: ";
  EXPECT_EQ(condition_error("if_not_exists(a, :v)"), not_in_condition + "if_not_exists");
  EXPECT_EQ(condition_error("a = list_append(a, b)"), not_in_condition + "list_append");
  EXPECT_EQ(condition_error("size(if_not_exists(a, b)) > c"), not_in_condition + "if_not_exists");
  EXPECT_EQ(condition_error("IF_NOT_EXISTS(a, b)"), unknown_function("IF_NOT_EXISTS"));
  // size() is no condition; the others are nothing else.
  EXPECT_EQ(condition_error("size(things)"), misused("size"));
  EXPECT_EQ(condition_error("(size(a)) OR b = c"), misused("size"));
  EXPECT_EQ(condition_error("NOT size(a)"), misused("size"));
  EXPECT_EQ(condition_error("attribute_not_exists(things) > b"), misused("attribute_not_exists"));
  EXPECT_EQ(condition_error("(attribute_exists(a)) = b"), misused("attribute_exists"));
  EXPECT_EQ(condition_error("a=a and attribute_exists((views), (#a)) > b"),
            misused("attribute_exists"));
  EXPECT_EQ(condition_error("size(contains(a, b)) > a"), misused("contains"));
  EXPECT_EQ(condition_error("a in (b, attribute_exists(things))"), misused("attribute_exists"));
  EXPECT_EQ(condition_error("a between b and attribute_exists(things)"),
            misused("attribute_exists"));
  EXPECT_EQ(condition_error("begins_with(a, begins_with(b, c))"), misused("begins_with"));
  EXPECT_EQ(condition_error("contains(size(a), b)"), "");
  EXPECT_EQ(condition_error("((attribute_exists(a)) AND b = c)"), "");
}

TEST(ExpressionParseErrors, UpdateFunctionsMustBeKnownAndInTheirPlace) {
  EXPECT_EQ(update_error("SET a = if_not_exist(a, :v)"), unknown_function("if_not_exist"));
  EXPECT_EQ(update_error("SET a = IF_NOT_EXISTS(a, b)"), unknown_function("IF_NOT_EXISTS"));
  EXPECT_EQ(update_error("SET a = if_not_exists(foo(a), b)"), unknown_function("foo"));
  const std::string not_in_update =
      "The function is not allowed in an update expression; function: ";
  EXPECT_EQ(update_error("SET a = size(b)"), not_in_update + "size");
  EXPECT_EQ(update_error("SET a = attribute_exists(b)"), not_in_update + "attribute_exists");
  EXPECT_EQ(update_error("SET a = size(b) + c"), not_in_update + "size");
  EXPECT_EQ(update_error("SET a = list_append(size(a), b)"), not_in_update + "size");
  // Only if_not_exists() may sit inside a function or beside "+" and "-".
  EXPECT_EQ(update_error("SET a = :s + list_append(:s, b)"), misused("list_append"));
  EXPECT_EQ(update_error("SET a = list_append(:s, b) + :s"), misused("list_append"));
  EXPECT_EQ(update_error("SET a = (list_append(a, b)) + c"), misused("list_append"));
  EXPECT_EQ(update_error("SET a = list_append(list_append(b, c), d)"), misused("list_append"));
  EXPECT_EQ(update_error("SET a = if_not_exists(b, (list_append(c, d)))"), misused("list_append"));
  EXPECT_EQ(update_error("SET a = list_append(if_not_exists(b, c), d)"), "");
  EXPECT_EQ(update_error("SET a = if_not_exists(b, c) + d"), "");
  EXPECT_EQ(update_error("SET a = if_not_exists(if_not_exists(a, b), c)"), "");
}

// ---- Reserved words, list indexes, repeated clauses ------------------------------------------

TEST(ExpressionParseErrors, ReservedWordsAreRefusedAsWrittenButNotBehindPlaceholders) {
  EXPECT_EQ(condition_error(":a < abOrT"), reserved("abOrT"));
  EXPECT_EQ(condition_error("a.status = b"), reserved("status"));
  EXPECT_EQ(condition_error("a.#b.Data = c"), reserved("Data"));
  EXPECT_EQ(condition_error("attribute_exists(views, #a)"), reserved("views"));
  EXPECT_EQ(update_error("SET count = :v"), reserved("count"));
  EXPECT_EQ(update_error(" remove Absolute "), reserved("Absolute"));
  EXPECT_EQ(error(Kind::Projection, "top, data"), reserved("data"));
  EXPECT_EQ(condition_error("#status = :v AND a.#name = b"), "");
}

TEST(ExpressionParseErrors, ListIndexesMustFitAJavaInt) {
  const std::string range = "List index is not within the allowable range; index: ";
  EXPECT_EQ(condition_error("a[2147483647] = b"), "");
  EXPECT_EQ(condition_error("a[2147483648] = b"), range + "[2147483648]");
  EXPECT_EQ(condition_error("a[99999999999999999999999] = b"), range + "[99999999999999999999999]");
  EXPECT_EQ(update_error("REMOVE a.b[4294967296]"), range + "[4294967296]");
  EXPECT_EQ(error(Kind::Projection, "a[3000000000]"), range + "[3000000000]");
}

// DynamoDB Local 1.25: 4096 Java characters at most, the size told only for conditions.
TEST(ExpressionParseErrors, ExpressionsAreAtMost4096JavaCharacters) {
  const std::string padded = "a = :v" + std::string(4096 - 6, ' ');
  EXPECT_EQ(condition_error(padded), "");
  EXPECT_EQ(condition_error(padded + " "),
            "Expression size has exceeded the maximum allowed size; expression size: 4097");
  // A character beyond the Basic Multilingual Plane is two Java characters, and the size is
  // measured before any syntax is looked at.
  std::string emoji_heavy = "a = :v" + std::string(2000, ' ');
  for (int i = 0; i < 1045; ++i) emoji_heavy += "\xF0\x9F\x98\x80";
  EXPECT_EQ(condition_error(emoji_heavy + "x"),
            "Expression size has exceeded the maximum allowed size; expression size: 4097");
  const std::string oversized = "Expression size has exceeded the maximum allowed size;";
  EXPECT_EQ(update_error("SET a = :v" + std::string(4096 - 10, ' ')), "");
  EXPECT_EQ(update_error("SET a = :v" + std::string(4097 - 10, ' ')), oversized);
  EXPECT_EQ(error(Kind::Projection, "a" + std::string(4100, ' ')), oversized);
}

// At most 32 levels, counting names and indexes; a deeper path is reported after the problems
// found on the way through the text (a reserved word, even a later one) and before any other.
TEST(ExpressionParseErrors, DocumentPathsHaveAtMost32Levels) {
  auto dotted = [](int levels) {
    std::string path = "m";
    for (int i = 1; i < levels; ++i) path += ".m";
    return path;
  };
  const std::string too_deep = "The document path has too many nesting levels; nesting levels: 33";
  EXPECT_EQ(update_error("SET " + dotted(32) + " = :v"), "");
  EXPECT_EQ(update_error("SET " + dotted(33) + " = :v"), too_deep);
  std::string indexed = "m";
  for (int i = 0; i < 32; ++i) indexed += "[0]";
  EXPECT_EQ(update_error("SET " + indexed + " = :v"), too_deep);
  EXPECT_EQ(condition_error("size(" + dotted(33) + ") = :v"), too_deep);
  EXPECT_EQ(update_error("SET " + dotted(33) + " = :v, status = :v"), reserved("status"));
  EXPECT_EQ(update_error("SET " + dotted(33) + " = :v,,"), syntax(",", ",,"));
}

TEST(ExpressionParseErrors, EachClauseMayAppearOnce) {
  EXPECT_EQ(update_error("SET a = :v SET b = :v"), repeated("SET"));
  EXPECT_EQ(update_error("set a = :v set b = :v"), repeated("SET"));
  EXPECT_EQ(update_error("REMOVE a REMOVE b"), repeated("REMOVE"));
  EXPECT_EQ(update_error("ADD a :v ADD b :v"), repeated("ADD"));
  EXPECT_EQ(update_error("DELETE a :v DELETE b :v"), repeated("DELETE"));
  EXPECT_EQ(update_error("SET a = b REMOVE c SET d = e"), repeated("SET"));
  EXPECT_EQ(update_error("ADD c :v SET d = e ADD f :v SET a = b"), repeated("ADD"));
}

// After parsing, DynamoDB walks the text once and reports the first of these problems it meets;
// a repeated clause is met where the second one ends.
TEST(ExpressionParseErrors, ProblemsFoundAfterParsingRankByPosition) {
  EXPECT_EQ(condition_error("foo(a) AND a = status"), unknown_function("foo"));
  EXPECT_EQ(condition_error("a = status AND foo(a)"), reserved("status"));
  EXPECT_EQ(condition_error("size(a) AND a = status"), misused("size"));
  EXPECT_EQ(condition_error("a = status AND size(a)"), reserved("status"));
  EXPECT_EQ(condition_error("size(a) AND foo(a)"), misused("size"));
  EXPECT_EQ(condition_error("foo(status)"), unknown_function("foo"));
  EXPECT_EQ(condition_error("size(status)"), misused("size"));
  EXPECT_EQ(condition_error("attribute_exists(status)"), reserved("status"));
  EXPECT_EQ(condition_error("size(foo(a)) > b"), unknown_function("foo"));
  EXPECT_EQ(condition_error("attribute_exists(b) = foo(a)"), misused("attribute_exists"));
  EXPECT_EQ(condition_error("foo(a) = attribute_exists(b)"), unknown_function("foo"));
  EXPECT_EQ(condition_error("a = status AND if_not_exists(a, b)"), reserved("status"));
  EXPECT_EQ(condition_error("if_not_exists(a, b) AND foo(a)"),
            "The function is not allowed in a condition expression; function: if_not_exists");
  EXPECT_EQ(condition_error("status = a[2147483648]"), reserved("status"));
  EXPECT_EQ(condition_error("a[2147483648] = status"),
            "List index is not within the allowable range; index: [2147483648]");
  EXPECT_EQ(update_error("SET c = status, a = foo(b)"), reserved("status"));
  EXPECT_EQ(update_error("SET a = foo(b), c = status"), unknown_function("foo"));
  EXPECT_EQ(update_error("SET a = size(b), b = foo(c)"),
            "The function is not allowed in an update expression; function: size");
  EXPECT_EQ(update_error("SET a = foo(b) SET c = d"), unknown_function("foo"));
  EXPECT_EQ(update_error("SET a = b SET c = foo(d)"), unknown_function("foo"));
  EXPECT_EQ(update_error("SET a = b SET c = d, status = e"), reserved("status"));
  EXPECT_EQ(update_error(" set #c = :c set abOrt = true "), reserved("abOrt"));
  EXPECT_EQ(update_error("SET a = b SET c = d REMOVE status"), repeated("SET"));
  EXPECT_EQ(update_error("SET a[2147483648] = b SET c = d"),
            "List index is not within the allowable range; index: [2147483648]");
  // Any syntax error outranks them all.
  EXPECT_EQ(condition_error("status = b c"), syntax("c", "b c"));
  EXPECT_EQ(condition_error("foo(a) = b c"), syntax("c", "b c"));
  EXPECT_EQ(update_error("SET a = b SET c = d REMOVE"), syntax("<EOF>", "REMOVE"));
}

// Found by libFuzzer: 2 000 opening parentheses overflowed the stack under ASan. Nesting is now
// refused past 100 levels, whatever nests (parentheses, NOT, function arguments), before the
// recursion gets deep; the crashing input is tests/fuzz/regressions/expressions/.
TEST(ExpressionParseNesting, RefusesMoreThanAHundredLevels) {
  const std::string kTooDeep = "The expression has too many nesting levels; nesting levels: 101";
  auto repeat = [](std::string_view piece, int times) {
    std::string text;
    for (int i = 0; i < times; ++i) text += piece;
    return text;
  };
  EXPECT_EQ(condition_error(repeat("(", 2000)), kTooDeep);
  EXPECT_EQ(condition_error(repeat("NOT ", 101) + "attribute_exists(a)"), kTooDeep);
  EXPECT_EQ(condition_error(repeat("NOT ", 100) + "a = b"), "");
  EXPECT_EQ(condition_error(repeat("(a = b AND ", 100) + "a = b" + repeat(")", 100)), "");
  EXPECT_EQ(condition_error(repeat("(a = b AND ", 101) + "a = b" + repeat(")", 101)), kTooDeep);
  EXPECT_EQ(update_error("SET a = " + repeat("(", 2000) + "b"), kTooDeep);
  EXPECT_EQ(update_error("SET a = " + repeat("if_not_exists(b, ", 101) + ":v" + repeat(")", 101)),
            kTooDeep);
  EXPECT_EQ(condition_error("a = " + repeat("(", 2000)), kTooDeep);
}

}  // namespace
}  // namespace eddy::model::expressions
