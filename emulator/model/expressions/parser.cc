// A recursive-descent parser over the lexer's tokens. It never backtracks, so the token it stops
// at is the one DynamoDB's own parser names in its "Syntax error; token: ..." message.
//
// Conditions are parsed with one twist: an operand may stand where a condition is expected
// ("(a) = :v" reads "(a)" before it knows a comparison follows), so primaries return bare
// operands and every place that needs a condition checks for one.
#include "model/expressions/parser.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

#include "model/expressions/lexer.h"

namespace eddy::model::expressions {
namespace {

bool keyword_is(const Token& token, std::string_view keyword) {
  if (token.kind != TokenKind::Identifier || token.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(token.text[i])) != keyword[i]) return false;
  }
  return true;
}

bool is_condition_keyword(const Token& token) {
  return keyword_is(token, "AND") || keyword_is(token, "OR") || keyword_is(token, "NOT") ||
         keyword_is(token, "BETWEEN") || keyword_is(token, "IN");
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

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), tokens_(tokenize(text)) {
    if (tokens_.size() == 1) throw ExpressionError("The expression can not be empty;");
  }

  Node condition_expression() {
    Node condition = or_condition();
    require_condition(condition);
    expect_end();
    return condition;
  }

  UpdateExpression update_expression() {
    UpdateExpression update;
    bool seen[4] = {false, false, false, false};
    while (peek().kind != TokenKind::End) {
      std::optional<UpdateClause> clause = clause_of(peek());
      if (!clause) fail();
      ++at_;
      bool& clause_seen = seen[static_cast<int>(*clause)];
      if (clause_seen && update.repeated_clause.empty())
        update.repeated_clause = clause_text(*clause);
      clause_seen = true;
      do {
        update.actions.push_back(update_action(*clause));
      } while (accept(TokenKind::Comma));
      if (peek().kind != TokenKind::End && !clause_of(peek())) fail();
    }
    return update;
  }

  ProjectionExpression projection_expression() {
    ProjectionExpression projection;
    do {
      projection.paths.push_back(path());
    } while (accept(TokenKind::Comma));
    expect_end();
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

  // DynamoDB quotes the offending token and the text from the token before it to the token after.
  [[noreturn]] void fail() const {
    const Token& token = tokens_[at_];
    size_t begin = at_ > 0 ? tokens_[at_ - 1].begin : token.begin;
    size_t end = token.end;
    if (token.kind != TokenKind::End && tokens_[at_ + 1].kind != TokenKind::End) {
      end = tokens_[at_ + 1].end;
    }
    std::string shown = token.kind == TokenKind::End ? "<EOF>" : std::string(token.text);
    throw ExpressionError("Syntax error; token: \"" + shown + "\", near: \"" +
                          std::string(text_.substr(begin, end - begin)) + "\"");
  }

  void require_condition(const Node& node) const {
    if (!node.is_condition()) fail();
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
      left = or_condition();
      expect(TokenKind::CloseParen);
      ++left.parentheses;
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

  Node parenthesized_operand() {
    if (!accept(TokenKind::OpenParen)) return condition_operand();
    Node operand = parenthesized_operand();
    expect(TokenKind::CloseParen);
    ++operand.parentheses;
    return operand;
  }

  // A path, a value placeholder, or a function call (whose arguments are operands).
  Node condition_operand() {
    const Token& token = peek();
    if (token.kind == TokenKind::ValuePlaceholder) return value();
    if (token.kind == TokenKind::Identifier && tokens_[at_ + 1].kind == TokenKind::OpenParen &&
        !is_condition_keyword(token)) {
      return function_call([this] { return parenthesized_operand(); });
    }
    Node node;
    node.kind = NodeKind::Path;
    node.path = path();
    return node;
  }

  template <typename ArgumentParser>
  Node function_call(ArgumentParser argument) {
    Node call;
    call.kind = NodeKind::Function;
    call.function = std::string(peek().text);
    at_ += 2;  // the name and "("
    do {
      call.children.push_back(argument());
    } while (accept(TokenKind::Comma));
    expect(TokenKind::CloseParen);
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
        steps.push_back(PathStep::element(list_index(peek().text)));
        ++at_;
        expect(TokenKind::CloseBracket);
      } else {
        return steps;
      }
    }
  }

  PathStep path_member() {
    const Token& token = peek();
    bool placeholder = token.kind == TokenKind::NamePlaceholder;
    if (!placeholder && (token.kind != TokenKind::Identifier || is_condition_keyword(token))) {
      fail();
    }
    ++at_;
    return PathStep::member(std::string(token.text), placeholder);
  }

  // Indexes beyond any real list saturate: they then simply address nothing.
  static uint32_t list_index(std::string_view digits) {
    uint64_t index = 0;
    for (char c : digits) {
      index = std::min<uint64_t>(index * 10 + static_cast<uint64_t>(c - '0'),
                                 std::numeric_limits<uint32_t>::max());
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

  Node set_value() {
    Node left = update_operand();
    NodeKind kind;
    if (accept(TokenKind::Plus)) {
      kind = NodeKind::Plus;
    } else if (accept(TokenKind::Minus)) {
      kind = NodeKind::Minus;
    } else {
      return left;
    }
    return combine(kind, std::move(left), update_operand());
  }

  Node update_operand() {
    if (accept(TokenKind::OpenParen)) {
      Node inner = set_value();
      expect(TokenKind::CloseParen);
      ++inner.parentheses;
      return inner;
    }
    const Token& token = peek();
    if (token.kind == TokenKind::ValuePlaceholder) return value();
    if (token.kind == TokenKind::Identifier && tokens_[at_ + 1].kind == TokenKind::OpenParen) {
      return function_call([this] { return set_value(); });
    }
    Node node;
    node.kind = NodeKind::Path;
    node.path = path();
    return node;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t at_ = 0;
};

}  // namespace

Node parse_condition(std::string_view text) {
  return Parser(text).condition_expression();
}

UpdateExpression parse_update(std::string_view text) {
  return Parser(text).update_expression();
}

ProjectionExpression parse_projection(std::string_view text) {
  return Parser(text).projection_expression();
}

}  // namespace eddy::model::expressions
