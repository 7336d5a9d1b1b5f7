#pragma once
// Splits an expression into tokens, remembering where each sits so that a syntax error can quote
// its neighbourhood as DynamoDB does.
#include <string_view>
#include <vector>

namespace eddy::model::expressions {

enum class TokenKind : unsigned char {
  Identifier,        // [A-Za-z][A-Za-z0-9_]*, keywords included (the parser decides)
  NamePlaceholder,   // #[A-Za-z0-9_]+
  ValuePlaceholder,  // :[A-Za-z0-9_]+
  Number,            // 0 or [1-9][0-9]* (list indexes)
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  OpenParen,
  CloseParen,
  OpenBracket,
  CloseBracket,
  Comma,
  Dot,
  Plus,
  Minus,
  Invalid,  // any other character (one UTF-8 sequence), or a lone '#' or ':'
  End,
};

struct Token {
  TokenKind kind;
  std::string_view text;  // a view into the expression; empty for End
  size_t begin;           // byte offsets into the expression
  size_t end;
};

// The tokens of `text`, always ending with one End token.
std::vector<Token> tokenize(std::string_view text);

}  // namespace eddy::model::expressions
