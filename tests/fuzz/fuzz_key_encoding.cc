// libFuzzer target: the order-preserving key encoding. Two values of one key type (S, N or B,
// picked by the first byte; the two are separated by the first '|') must encode so that memcmp
// orders them as DynamoDB does, and each must decode to itself. The raw bytes are also decoded as
// if read from an index, which must either fail with std::runtime_error or give a value.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/api_error.h"
#include "model/key_encoding.h"
#include "model/number.h"

namespace {

using namespace eddy::model;

int sign(int value) {
  return (value > 0) - (value < 0);
}

int memcmp_order(const std::string& a, const std::string& b) {
  int common = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (common != 0) return sign(common);
  return sign(static_cast<int>(a.size() > b.size()) - static_cast<int>(a.size() < b.size()));
}

void check_order(AttributeType type, std::string_view first, std::string_view second) {
  AttributeValue a, b;
  int expected = 0;
  if (type == AttributeType::N) {
    Number x = Number::parse(first), y = Number::parse(second);  // ApiError if not numbers
    a = AttributeValue::number(x.to_string());
    b = AttributeValue::number(y.to_string());
    auto order = x <=> y;
    expected = order < 0 ? -1 : order > 0 ? 1 : 0;
  } else {
    if (type == AttributeType::S) {
      a = AttributeValue::string(std::string(first));
      b = AttributeValue::string(std::string(second));
    } else {
      a = AttributeValue::binary(std::string(first));
      b = AttributeValue::binary(std::string(second));
    }
    expected = memcmp_order(std::string(first), std::string(second));
  }
  std::string encoded_a = encode_key_value(a), encoded_b = encode_key_value(b);
  if (memcmp_order(encoded_a, encoded_b) != expected) std::abort();
  if (!(decode_key_value(type, encoded_a) == a) || !(decode_key_value(type, encoded_b) == b)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  constexpr AttributeType kTypes[] = {AttributeType::S, AttributeType::N, AttributeType::B};
  AttributeType type = kTypes[data[0] % 3];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t bar = rest.find('|');
  std::string_view first = rest.substr(0, bar);
  std::string_view second = bar == std::string_view::npos ? first : rest.substr(bar + 1);
  try {
    check_order(type, first, second);
  } catch (const ApiError&) {
  }
  try {
    (void)decode_key_value(type, rest);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
