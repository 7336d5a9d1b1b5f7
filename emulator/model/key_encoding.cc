#include "model/key_encoding.h"

#include <stdexcept>
#include <string>

#include "model/api_error.h"
#include "model/number.h"

namespace eddy::model {
namespace {

// The layout Number::order_preserving_bytes writes.
constexpr unsigned char kNegativeClass = 0x01;
constexpr unsigned char kZeroClass = 0x02;
constexpr unsigned char kPositiveClass = 0x03;
constexpr unsigned char kNegativeTerminator = 0xFF;
constexpr int kExponentBias = 0x8000;
constexpr std::size_t kHeaderSize = 3;  // class byte + two exponent bytes

[[noreturn]] void corrupt(const char* what) {
  throw std::runtime_error(std::string("corrupt number key encoding: ") + what);
}

std::string decode_number_text(std::string_view bytes) {
  if (bytes.empty()) corrupt("empty");
  auto number_class = static_cast<unsigned char>(bytes[0]);
  if (number_class == kZeroClass) {
    if (bytes.size() != 1) corrupt("trailing bytes after zero");
    return "0";
  }
  if (number_class != kNegativeClass && number_class != kPositiveClass) corrupt("bad class byte");
  if (bytes.size() <= kHeaderSize) corrupt("truncated");

  bool negative = number_class == kNegativeClass;
  unsigned biased = (static_cast<unsigned>(static_cast<unsigned char>(bytes[1])) << 8) |
                    static_cast<unsigned char>(bytes[2]);
  if (negative) biased = 0xFFFF - biased;
  int exponent = static_cast<int>(biased) - kExponentBias;

  std::string_view digit_bytes = bytes.substr(kHeaderSize);
  if (negative) {
    if (static_cast<unsigned char>(digit_bytes.back()) != kNegativeTerminator) {
      corrupt("missing terminator");
    }
    digit_bytes.remove_suffix(1);
  }
  if (digit_bytes.empty()) corrupt("no digits");

  // 0.<digits>E<exponent>, which Number::parse turns back into canonical text.
  std::string text = negative ? "-0." : "0.";
  for (char byte : digit_bytes) {
    if (byte < '0' || byte > '9') corrupt("bad digit");
    text.push_back(negative ? static_cast<char>('9' - (byte - '0')) : byte);
  }
  text.push_back('E');
  text.append(std::to_string(exponent));
  try {
    return Number::parse(text).to_string();
  } catch (const ApiError& error) {
    corrupt(error.what());
  }
}

}  // namespace

std::string encode_key_value(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::S:
    case AttributeType::B:
      // memcmp order is DynamoDB's order: UTF-8 bytes for S, unsigned bytes for B.
      return value.scalar();
    case AttributeType::N:
      return Number::parse(value.scalar()).order_preserving_bytes();
    default:
      throw std::invalid_argument("key values must be S, N or B, not " +
                                  std::string(type_name(value.type())));
  }
}

AttributeValue decode_key_value(AttributeType type, std::string_view bytes) {
  switch (type) {
    case AttributeType::S:
      return AttributeValue::string(std::string(bytes));
    case AttributeType::B:
      return AttributeValue::binary(std::string(bytes));
    case AttributeType::N:
      return AttributeValue::number(decode_number_text(bytes));
    default:
      throw std::invalid_argument("key values must be S, N or B, not " +
                                  std::string(type_name(type)));
  }
}

}  // namespace eddy::model
