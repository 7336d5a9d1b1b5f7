// A recursive-descent parser over the lexer's tokens. It never backtracks, so the token it stops
// at is the one DynamoDB's own parser names in its "Syntax error; token: ..." message.
//
// DynamoDB checks an expression in stages, and the first stage to find fault decides the message:
//   1. parsing: syntax errors, and redundant parentheses, which its grammar rejects the moment
//      the second parenthesis closes around the same thing;
//   2. a walk over the parse in text order: function names and where functions stand, reserved
//      words used as names, list indexes beyond a Java int, and a clause keyword used twice;
//   3. binding against the request's placeholders (binder.h).
// This parser does the first two: stage-2 problems are noted with their position while parsing
// and the earliest is thrown once the whole text has parsed, since any syntax error outranks them.
//
// Conditions are parsed with one twist: an operand may stand where a condition is expected
// ("(a) = :v" reads "(a)" before it knows a comparison follows), so primaries return bare
// operands and every place that needs a condition checks for one. For the same reason a function
// call is judged (is it allowed there?) only once its place is known.
#include "model/expressions/parser.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>

#include "model/expressions/lexer.h"
#include "model/expressions/reserved_words.h"
#include "model/utf16_length.h"

namespace eddy::model::expressions {
namespace {

constexpr size_t kMaxExpressionLength = 4096;
// Parentheses, NOTs and function arguments are parsed by recursion, a few stack frames per level,
// and 4 KB of "(((..." is 4 000 levels: enough to overflow an 8 MB stack under AddressSanitizer
// (libFuzzer found it). DynamoDB documents no such limit; no real expression comes near this one.
constexpr int kMaxNesting = 100;
constexpr size_t kMaxPathLevels = 32;

bool keyword_is(const Token& token, std::string_view keyword) {
  if (token.kind != TokenKind::Identifier || token.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(token.text[i])) != keyword[i]) return false;
  }
  return true;
}

// The words DynamoDB's grammar lexes as keywords, in any case: none of them can name an attribute
// or a function ("a.set", "SET set = b" and "and(a)" are syntax errors).
bool is_keyword(const Token& token) {
  static constexpr std::string_view kKeywords[] = {"AND", "OR",  "NOT",    "BETWEEN", "IN",
                                                   "SET", "ADD", "DELETE", "REMOVE"};
  for (std::string_view keyword : kKeywords) {
    if (keyword_is(token, keyword)) return true;
  }
  return false;
}

std::optional<Comparator> comparator_of(const Token& token) {
  switch (token.kind) {
    case TokenKind::Equal:
      return Comparator::Eq;
    case TokenKind::NotEqual:
      return Comparator::Ne;
    case TokenKind::Less:
      return Comparator::Lt;
    case TokenKind::LessEqual:
      return Comparator::Le;
    case TokenKind::Greater:
      return Comparator::Gt;
    case TokenKind::GreaterEqual:
      return Comparator::Ge;
    default:
      return std::nullopt;
  }
}

std::optional<UpdateClause> clause_of(const Token& token) {
  if (keyword_is(token, "SET")) return UpdateClause::Set;
  if (keyword_is(token, "REMOVE")) return UpdateClause::Remove;
  if (keyword_is(token, "ADD")) return UpdateClause::Add;
  if (keyword_is(token, "DELETE")) return UpdateClause::Delete;
  return std::nullopt;
}

// Function names are case-sensitive.
bool is_condition_function(std::string_view name) {
  return name == "attribute_exists" || name == "attribute_not_exists" || name == "attribute_type" ||
         name == "begins_with" || name == "contains" || name == "size";
}

bool is_update_function(std::string_view name) {
  return name == "if_not_exists" || name == "list_append";
}

std::string misused_function(std::string_view name) {
  return "The function is not allowed to be used this way in an expression; function: " +
         std::string(name);
}

class Parser {
 public:
  // Only a text of no characters is "empty": DynamoDB parses blanks, finds no token, and reports
  // a syntax error at the end.
  explicit Parser(std::string_view text) : text_(text), tokens_(tokenize(text)) {
    if (text.empty()) throw ExpressionError("The expression can not be empty;");
  }

  Node condition_expression() {
    Node condition = or_condition();
    require_condition(condition);
    expect_end();
    throw_after_parse();
    return condition;
  }

  UpdateExpression update_expression() {
    UpdateExpression update;
    bool seen[4] = {false, false, false, false};
    do {
      std::optional<UpdateClause> clause = clause_of(peek());
      if (!clause) fail();
      ++at_;
      do {
        update.actions.push_back(update_action(*clause));
      } while (accept(TokenKind::Comma));
      // DynamoDB objects to a repeated clause as it leaves the second one, so a problem inside
      // that clause comes first and one after it comes later.
      bool& clause_seen = seen[static_cast<int>(*clause)];
      if (clause_seen) {
        defer(peek().begin, std::string("The \"") + clause_text(*clause) +
                                "\" section can only be used once in an update expression;");
      }
      clause_seen = true;
      if (peek().kind != TokenKind::End && !clause_of(peek())) fail();
    } while (peek().kind != TokenKind::End);
    throw_after_parse();
    return update;
  }

  ProjectionExpression projection_expression() {
    ProjectionExpression projection;
    do {
      projection.paths.push_back(path());
    } while (accept(TokenKind::Comma));
    expect_end();
    throw_after_parse();
    return projection;
  }

 private:
  const Token& peek() const { return tokens_[at_]; }

  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    ++at_;
    return true;
  }
  bool accept_keyword(std::string_view keyword) {
    if (!keyword_is(peek(), keyword)) return false;
    ++at_;
    return true;
  }
  void expect(TokenKind kind) {
    if (!accept(kind)) fail();
  }
  void expect_end() {
    if (peek().kind != TokenKind::End) fail();
  }

  // DynamoDB quotes the offending token with its neighbours: the token before it, the blanks
  // around it, and the token after it. "<EOF>" and the missing neighbours at the ends quote as
  // nothing, though the blanks at either end of the text still show.
  [[noreturn]] void fail() const {
    const Token& token = tokens_[at_];
    size_t begin = at_ > 0 ? tokens_[at_ - 1].begin : 0;
    size_t end = text_.size();
    if (token.kind != TokenKind::End && tokens_[at_ + 1].kind != TokenKind::End) {
      end = tokens_[at_ + 1].end;
    }
    std::string shown = token.kind == TokenKind::End ? "<EOF>" : std::string(token.text);
    throw ExpressionError("Syntax error; token: \"" + shown + "\", near: \"" +
                          std::string(text_.substr(begin, end - begin)) + "\"");
  }

  // Counts one level of recursion for as long as it lives.
  class Nesting {
   public:
    explicit Nesting(Parser& parser) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting) {
        throw ExpressionError("The expression has too many nesting levels; nesting levels: " +
                              std::to_string(parser_.nesting_));
      }
    }
    ~Nesting() { --parser_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };

  // A node wrapped twice, "((a))", is rejected as soon as the second parenthesis closes, before
  // any syntax error further on is seen.
  static void add_parenthesis(Node& node) {
    if (++node.parentheses >= 2) throw ExpressionError("The expression has redundant parentheses;");
  }

  // Notes a problem of the second stage (see the top of the file); the earliest in the text wins.
  void defer(size_t position, std::string message) {
    if (!deferred_ || position < deferred_position_) {
      deferred_ = std::move(message);
      deferred_position_ = position;
    }
  }
  // A path nested too deeply ranks after the problems found on the way through the text, however
  // early it comes, and before anything binding finds (DynamoDB Local 1.25).
  void throw_after_parse() const {
    throw_deferred();
    if (too_deep_) {
      throw ExpressionError("The document path has too many nesting levels; nesting levels: " +
                            std::to_string(*too_deep_));
    }
  }

  void throw_deferred() const {
    if (deferred_) throw ExpressionError(*deferred_);
  }

  void require_condition(const Node& node) {
    if (!node.is_condition()) fail();
    judge_condition_function(node, false);
  }

  // Whether a function may stand where it does: in a condition, the five boolean functions may
  // be conditions and only size() may be an operand; the update functions are refused outright.
  void judge_condition_function(const Node& call, bool as_operand) {
    if (call.kind != NodeKind::Function) return;
    const std::string& name = call.function;
    if (is_update_function(name)) {
      defer(pending_function_,
            "The function is not allowed in a condition expression; function: " + name);
    } else if (!is_condition_function(name)) {
      defer(pending_function_, "Invalid function name; function: " + name);
    } else if ((name == "size") != as_operand) {
      defer(pending_function_, misused_function(name));
    }
  }

  // In an update only if_not_exists() may sit inside another function or beside "+" or "-".
  void judge_update_function(const Node& call, bool nested) {
    if (call.kind != NodeKind::Function) return;
    const std::string& name = call.function;
    if (is_condition_function(name)) {
      defer(pending_function_,
            "The function is not allowed in an update expression; function: " + name);
    } else if (!is_update_function(name)) {
      defer(pending_function_, "Invalid function name; function: " + name);
    } else if (nested && name != "if_not_exists") {
      defer(pending_function_, misused_function(name));
    }
  }

  // ---- conditions ----

  Node or_condition() {
    Node left = and_condition();
    while (keyword_is(peek(), "OR")) {
      require_condition(left);
      ++at_;
      Node right = and_condition();
      require_condition(right);
      left = combine(NodeKind::Or, std::move(left), std::move(right));
    }
    return left;
  }

  Node and_condition() {
    Node left = not_condition();
    while (keyword_is(peek(), "AND")) {
      require_condition(left);
      ++at_;
      Node right = not_condition();
      require_condition(right);
      left = combine(NodeKind::And, std::move(left), std::move(right));
    }
    return left;
  }

  Node not_condition() {
    if (!accept_keyword("NOT")) return primary_condition();
    Nesting level(*this);
    Node operand = not_condition();
    require_condition(operand);
    Node negation;
    negation.kind = NodeKind::Not;
    negation.children.push_back(std::move(operand));
    return negation;
  }

  Node primary_condition() {
    Node left;
    if (accept(TokenKind::OpenParen)) {
      Nesting level(*this);
      left = or_condition();
      expect(TokenKind::CloseParen);
      add_parenthesis(left);
    } else {
      left = condition_operand();
    }
    if (!comparator_of(peek()) && !keyword_is(peek(), "BETWEEN") && !keyword_is(peek(), "IN")) {
      return left;
    }
    if (left.is_condition() && left.kind != NodeKind::Function) fail();
    return comparison(std::move(left));
  }

  Node comparison(Node left) {
    judge_condition_function(left, true);
    Node node;
    node.children.push_back(std::move(left));
    if (std::optional<Comparator> comparator = comparator_of(peek())) {
      ++at_;
      node.kind = NodeKind::Compare;
      node.comparator = *comparator;
      node.children.push_back(parenthesized_operand());
    } else if (accept_keyword("BETWEEN")) {
      node.kind = NodeKind::Between;
      node.children.push_back(parenthesized_operand());
      if (!accept_keyword("AND")) fail();
      node.children.push_back(parenthesized_operand());
    } else {
      ++at_;  // IN
      node.kind = NodeKind::In;
      expect(TokenKind::OpenParen);
      do {
        node.children.push_back(parenthesized_operand());
      } while (accept(TokenKind::Comma));
      expect(TokenKind::CloseParen);
    }
    return node;
  }

  // An operand whose place is known: the right of a comparison, a bound, a candidate, an argument.
  Node parenthesized_operand() {
    if (!accept(TokenKind::OpenParen)) {
      Node operand = condition_operand();
      judge_condition_function(operand, true);
      return operand;
    }
    Nesting level(*this);
    Node operand = parenthesized_operand();
    expect(TokenKind::CloseParen);
    add_parenthesis(operand);
    return operand;
  }

  // A path, a value placeholder, or a function call (whose arguments are operands); unjudged.
  Node condition_operand() {
    if (peek().kind == TokenKind::ValuePlaceholder) return value();
    if (is_function_call()) return function_call([this] { return parenthesized_operand(); });
    Node node;
    node.kind = NodeKind::Path;
    node.path = path();
    return node;
  }

  bool is_function_call() const {
    return peek().kind == TokenKind::Identifier && tokens_[at_ + 1].kind == TokenKind::OpenParen &&
           !is_keyword(peek());
  }

  // The caller judges the call once it knows where the call stands; until then pending_function_
  // keeps where its name was written. Arguments are judged as they are read, before the call
  // ends, so nothing read between the end of a call and its judgement can move the position.
  template <typename ArgumentParser>
  Node function_call(ArgumentParser argument) {
    Node call;
    call.kind = NodeKind::Function;
    call.function = std::string(peek().text);
    size_t position = peek().begin;
    at_ += 2;  // the name and "("
    Nesting level(*this);
    do {
      call.children.push_back(argument());
    } while (accept(TokenKind::Comma));
    expect(TokenKind::CloseParen);
    pending_function_ = position;
    return call;
  }

  Node value() {
    Node node;
    node.kind = NodeKind::Value;
    node.placeholder = std::string(peek().text);
    ++at_;
    return node;
  }

  Path path() {
    Path steps;
    steps.push_back(path_member());
    while (true) {
      if (accept(TokenKind::Dot)) {
        steps.push_back(path_member());
      } else if (accept(TokenKind::OpenBracket)) {
        if (peek().kind != TokenKind::Number) fail();
        steps.push_back(PathStep::element(list_index(peek())));
        ++at_;
        expect(TokenKind::CloseBracket);
      } else {
        if (steps.size() > kMaxPathLevels && !too_deep_) too_deep_ = steps.size();
        return steps;
      }
    }
  }

  // Reserved words are refused only as written; "#n" may stand for any of them.
  PathStep path_member() {
    const Token& token = peek();
    bool placeholder = token.kind == TokenKind::NamePlaceholder;
    if (!placeholder && (token.kind != TokenKind::Identifier || is_keyword(token))) fail();
    if (!placeholder && is_reserved_word(token.text)) {
      defer(token.begin,
            "Attribute name is a reserved keyword; reserved keyword: " + std::string(token.text));
    }
    ++at_;
    return PathStep::member(std::string(token.text), placeholder);
  }

  // DynamoDB reads an index into a Java int and refuses one that does not fit.
  uint32_t list_index(const Token& digits) {
    constexpr uint64_t kLargest = std::numeric_limits<int32_t>::max();
    uint64_t index = 0;
    for (char c : digits.text) {
      index = std::min<uint64_t>(index * 10 + static_cast<uint64_t>(c - '0'), kLargest + 1);
    }
    if (index > kLargest) {
      defer(digits.begin, "List index is not within the allowable range; index: [" +
                              std::string(digits.text) + "]");
    }
    return static_cast<uint32_t>(index);
  }

  static Node combine(NodeKind kind, Node left, Node right) {
    Node node;
    node.kind = kind;
    node.children.push_back(std::move(left));
    node.children.push_back(std::move(right));
    return node;
  }

  // ---- updates ----

  UpdateAction update_action(UpdateClause clause) {
    UpdateAction action;
    action.clause = clause;
    action.path = path();
    switch (clause) {
      case UpdateClause::Set:
        expect(TokenKind::Equal);
        action.value = set_value();
        judge_update_function(action.value, false);
        break;
      case UpdateClause::Remove:
        break;
      case UpdateClause::Add:
      case UpdateClause::Delete:
        if (peek().kind != TokenKind::ValuePlaceholder) fail();
        action.value = value();
        break;
    }
    return action;
  }

  // An operand, or one "+" or "-" between two operands, optionally in parentheses. A sum in
  // parentheses is no operand: "(b + c) + d" and "b + (c + d)" are syntax errors. A bare operand
  // comes back unjudged, its place still open: "(f(x))" may yet be followed by "+ 1".
  Node set_value() {
    Node left;
    if (accept(TokenKind::OpenParen)) {
      Nesting level(*this);
      left = set_value();
      expect(TokenKind::CloseParen);
      add_parenthesis(left);
      if (left.kind == NodeKind::Plus || left.kind == NodeKind::Minus) return left;
    } else {
      left = update_operand();
    }
    NodeKind kind;
    if (accept(TokenKind::Plus)) {
      kind = NodeKind::Plus;
    } else if (accept(TokenKind::Minus)) {
      kind = NodeKind::Minus;
    } else {
      return left;
    }
    judge_update_function(left, true);
    Node right = update_operand();
    judge_update_function(right, true);
    return combine(kind, std::move(left), std::move(right));
  }

  // A path, a value placeholder or a function call, optionally in parentheses; unjudged.
  Node update_operand() {
    if (accept(TokenKind::OpenParen)) {
      Nesting level(*this);
      Node inner = update_operand();
      expect(TokenKind::CloseParen);
      add_parenthesis(inner);
      return inner;
    }
    if (peek().kind == TokenKind::ValuePlaceholder) return value();
    if (is_function_call()) {
      return function_call([this] {
        Node argument = update_operand();
        judge_update_function(argument, true);
        return argument;
      });
    }
    Node node;
    node.kind = NodeKind::Path;
    node.path = path();
    return node;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t at_ = 0;
  size_t pending_function_ = 0;
  int nesting_ = 0;                 // levels of recursion open now (see Nesting)
  std::optional<size_t> too_deep_;  // levels of the first path nested too deeply, if any
  std::optional<std::string> deferred_;
  size_t deferred_position_ = 0;
};

// DynamoDB measures an expression before reading it, in Java characters, and tells the size of
// an oversized condition but not of an oversized update or projection.
void check_length(std::string_view text, bool show_length) {
  size_t length = utf16_length(text);
  if (length <= kMaxExpressionLength) return;
  std::string message = "Expression size has exceeded the maximum allowed size;";
  if (show_length) message += " expression size: " + std::to_string(length);
  throw ExpressionError(message);
}

}  // namespace

Node parse_condition(std::string_view text) {
  check_length(text, true);
  return Parser(text).condition_expression();
}

UpdateExpression parse_update(std::string_view text) {
  check_length(text, false);
  return Parser(text).update_expression();
}

ProjectionExpression parse_projection(std::string_view text) {
  check_length(text, false);
  return Parser(text).projection_expression();
}

}  // namespace eddy::model::expressions
