// base64url without padding, as JWS compact serialisation uses it (RFC 7515 section 2, RFC 4648
// section 5).
#include <array>

#include "auth/jwt.h"

namespace cruddur::auth {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int kInvalid = -1;

constexpr std::array<int, 256> decoding_table() {
  std::array<int, 256> table{};
  for (int& value : table) value = kInvalid;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

constexpr std::array<int, 256> kDecoding = decoding_table();

int sextet(char c) {
  int value = kDecoding[static_cast<unsigned char>(c)];
  if (value == kInvalid) throw TokenError("bad base64url character");
  return value;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t bits = 0;
  int pending = 0;  // bits in `bits` not yet written
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      text += kAlphabet[(bits >> pending) & 63];
    }
  }
  if (pending > 0) text += kAlphabet[(bits << (6 - pending)) & 63];
  return text;
}

std::string base64url_decode(std::string_view text) {
  // One leftover character carries only 6 bits: less than a byte, so no encoder makes it.
  if (text.size() % 4 == 1) throw TokenError("bad base64url length");
  std::string bytes;
  bytes.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int pending = 0;
  for (char c : text) {
    bits = (bits << 6) | static_cast<uint32_t>(sextet(c));
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      bytes += static_cast<char>((bits >> pending) & 255);
    }
  }
  // Rejecting set unused bits keeps one encoding per byte string, so a signature cannot be
  // re-spelled into a different token that still verifies.
  if ((bits & ((1u << pending) - 1)) != 0) throw TokenError("non-canonical base64url");
  return bytes;
}

}  // namespace cruddur::auth
