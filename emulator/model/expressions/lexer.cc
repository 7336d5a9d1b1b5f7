#include "model/expressions/lexer.h"

namespace eddy::model::expressions {
namespace {

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
// A name continues with letters, digits and underscores, but only a letter starts one: DynamoDB
// reads "_a" as a stray "_" followed by the name "a".
bool is_word_char(char c) {
  return is_letter(c) || is_digit(c) || c == '_';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Length of the UTF-8 sequence starting with `lead`, so a stray non-ASCII character is reported
// whole rather than as a broken byte.
size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t at = 0;
  auto emit = [&](TokenKind kind, size_t length) {
    tokens.push_back({kind, text.substr(at, length), at, at + length});
    at += length;
  };
  auto word_length = [&](size_t from) {
    size_t end = from;
    while (end < text.size() && is_word_char(text[end])) ++end;
    return end - from;
  };
  while (at < text.size()) {
    char c = text[at];
    char next = at + 1 < text.size() ? text[at + 1] : '\0';
    if (is_space(c)) {
      ++at;
    } else if (is_letter(c)) {
      emit(TokenKind::Identifier, word_length(at));
    } else if (is_digit(c)) {
      // A number never has a leading zero: DynamoDB reads "01" as the two numbers "0" and "1".
      size_t end = at + 1;
      if (c != '0') {
        while (end < text.size() && is_digit(text[end])) ++end;
      }
      emit(TokenKind::Number, end - at);
    } else if (c == '#' || c == ':') {
      size_t length = word_length(at + 1);
      if (length == 0) {
        emit(TokenKind::Invalid, 1);
      } else {
        emit(c == '#' ? TokenKind::NamePlaceholder : TokenKind::ValuePlaceholder, length + 1);
      }
    } else if (c == '<' && next == '>') {
      emit(TokenKind::NotEqual, 2);
    } else if (c == '<' && next == '=') {
      emit(TokenKind::LessEqual, 2);
    } else if (c == '>' && next == '=') {
      emit(TokenKind::GreaterEqual, 2);
    } else {
      TokenKind kind = TokenKind::Invalid;
      switch (c) {
        case '=':
          kind = TokenKind::Equal;
          break;
        case '<':
          kind = TokenKind::Less;
          break;
        case '>':
          kind = TokenKind::Greater;
          break;
        case '(':
          kind = TokenKind::OpenParen;
          break;
        case ')':
          kind = TokenKind::CloseParen;
          break;
        case '[':
          kind = TokenKind::OpenBracket;
          break;
        case ']':
          kind = TokenKind::CloseBracket;
          break;
        case ',':
          kind = TokenKind::Comma;
          break;
        case '.':
          kind = TokenKind::Dot;
          break;
        case '+':
          kind = TokenKind::Plus;
          break;
        case '-':
          kind = TokenKind::Minus;
          break;
        default:
          break;
      }
      size_t length = kind == TokenKind::Invalid
                          ? std::min(utf8_length(static_cast<unsigned char>(c)), text.size() - at)
                          : 1;
      emit(kind, length);
    }
  }
  tokens.push_back({TokenKind::End, std::string_view(), text.size(), text.size()});
  return tokens;
}

}  // namespace eddy::model::expressions
