#include "model/number.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <cstdlib>

#include "model/api_error.h"

namespace eddy::model {
namespace {

constexpr std::size_t kMaxSignificantDigits = 38;
// Limits on the exponent of the number written as d.ddd x 10^e.
constexpr int64_t kMaxScientificExponent = 125;
constexpr int64_t kMinScientificExponent = -130;
// Exponent digits beyond this cannot change the outcome (overflow, underflow or zero) and
// saturating keeps the arithmetic in range whatever the input length.
constexpr int64_t kExponentSaturation = int64_t{1} << 40;

constexpr const char* kNotNumeric = "The parameter cannot be converted to a numeric value";
constexpr const char* kTooManyDigits =
    "Attempting to store more than 38 significant digits in a Number";
// What DynamoDB says of arithmetic (SET a = a + :v, ADD) whose exact result needs more digits.
constexpr const char* kImpreciseResult = "DynamoDB only supports precision up to 38 digits";
constexpr const char* kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr const char* kUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

// Bias keeping the biased exponent positive in two big-endian bytes.
constexpr int kExponentBias = 0x8000;
constexpr char kNegativeClass = 0x01;
constexpr char kZeroClass = 0x02;
constexpr char kPositiveClass = 0x03;
// Larger than any (inverted) digit byte: a negative number with fewer digits has the larger
// value, so its encoding must compare greater where the digit strings stop agreeing.
constexpr char kNegativeTerminator = static_cast<char>(0xFF);

// value = 0.digits x 10^exponent, the same convention as Number's members.
struct Decimal {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;
};

void strip_trailing_zeros(std::string& digits) {
  auto last = digits.find_last_not_of('0');
  digits.erase(last == std::string::npos ? 0 : last + 1);
}

enum class RangeProblem { kNone, kOverflow, kUnderflow, kTooManyDigits };

// The order of the checks is DynamoDB's: magnitude first, then precision.
RangeProblem range_problem(const Decimal& value) {
  if (value.digits.empty()) return RangeProblem::kNone;
  int64_t scientific_exponent = value.exponent - 1;
  if (scientific_exponent > kMaxScientificExponent) return RangeProblem::kOverflow;
  if (scientific_exponent < kMinScientificExponent) return RangeProblem::kUnderflow;
  if (value.digits.size() > kMaxSignificantDigits) return RangeProblem::kTooManyDigits;
  return RangeProblem::kNone;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

Decimal parse_decimal(std::string_view text) {
  auto not_numeric = [&] {
    return validation_error(std::string(kNotNumeric) + ": " + std::string(text));
  };
  if (text.empty()) throw validation_error(kNotNumeric);

  Decimal result;
  std::size_t pos = 0;
  if (text[pos] == '+' || text[pos] == '-') {
    result.negative = text[pos] == '-';
    ++pos;
  }

  bool seen_point = false;
  bool seen_digit = false;
  int64_t point_position = 0;  // digits of `result.digits` left of the decimal point
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (is_digit(c)) {
      seen_digit = true;
      if (result.digits.empty() && c == '0') {
        // A leading zero is not significant; after the point it shifts the value right.
        if (seen_point) --point_position;
        continue;
      }
      result.digits.push_back(c);
      if (!seen_point) ++point_position;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) throw not_numeric();

  int64_t exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool negative_exponent = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      negative_exponent = text[pos] == '-';
      ++pos;
    }
    if (pos == text.size() || !is_digit(text[pos])) throw not_numeric();
    for (; pos < text.size() && is_digit(text[pos]); ++pos) {
      exponent = std::min(exponent * 10 + (text[pos] - '0'), kExponentSaturation);
    }
    if (negative_exponent) exponent = -exponent;
  }
  if (pos != text.size()) throw not_numeric();

  strip_trailing_zeros(result.digits);
  if (result.digits.empty()) return Decimal{};
  result.exponent = point_position + exponent;

  switch (range_problem(result)) {
    case RangeProblem::kOverflow:
      throw validation_error(kOverflow);
    case RangeProblem::kUnderflow:
      throw validation_error(kUnderflow);
    case RangeProblem::kTooManyDigits:
      throw validation_error(kTooManyDigits);
    case RangeProblem::kNone:
      break;
  }
  return result;
}

using boost::multiprecision::cpp_int;

cpp_int power_of_ten(int64_t exponent) {
  return boost::multiprecision::pow(cpp_int(10), static_cast<unsigned>(exponent));
}

// Exact sum of two in-range decimals. Operands are at most ~300 decimal places apart, so the
// aligned mantissas stay small.
Decimal add_decimals(const Decimal& a, const Decimal& b) {
  if (a.digits.empty()) return b;
  if (b.digits.empty()) return a;
  // Power of ten of each operand's last digit.
  int64_t a_scale = a.exponent - static_cast<int64_t>(a.digits.size());
  int64_t b_scale = b.exponent - static_cast<int64_t>(b.digits.size());
  int64_t common_scale = std::min(a_scale, b_scale);
  cpp_int a_mantissa = cpp_int(a.digits) * power_of_ten(a_scale - common_scale);
  cpp_int b_mantissa = cpp_int(b.digits) * power_of_ten(b_scale - common_scale);
  if (a.negative) a_mantissa = -a_mantissa;
  if (b.negative) b_mantissa = -b_mantissa;
  cpp_int sum = a_mantissa + b_mantissa;

  Decimal result;
  if (sum.is_zero()) return result;
  result.negative = sum.sign() < 0;
  if (result.negative) sum = -sum;
  result.digits = sum.str();
  result.exponent = common_scale + static_cast<int64_t>(result.digits.size());
  strip_trailing_zeros(result.digits);

  // A result too long to hold is reported as such before its range is looked at: DynamoDB Local
  // 1.25 says so for 1 + 1E-130 and for 9.99..9E125 + 9.99..9E125, and so does DynamoDB today
  // (older DynamoDB called 1E50 + 1 an overflow, as ScyllaDB's test_number.py recorded).
  if (result.digits.size() > kMaxSignificantDigits) throw validation_error(kImpreciseResult);
  switch (range_problem(result)) {
    case RangeProblem::kUnderflow:
      throw validation_error(kUnderflow);
    case RangeProblem::kOverflow:
      throw validation_error(kOverflow);
    case RangeProblem::kTooManyDigits:
    case RangeProblem::kNone:
      break;
  }
  return result;
}

char inverted_digit(char digit) {
  return static_cast<char>('9' - (digit - '0'));
}

}  // namespace

Number Number::parse(std::string_view text) {
  Decimal parsed = parse_decimal(text);
  Number number;
  number.negative_ = parsed.negative && !parsed.digits.empty();
  number.digits_ = std::move(parsed.digits);
  number.exponent_ = static_cast<int>(parsed.exponent);
  return number;
}

std::string Number::to_string() const {
  if (is_zero()) return "0";
  std::string text;
  const auto digit_count = static_cast<int>(digits_.size());
  text.reserve(digits_.size() + static_cast<std::size_t>(std::abs(exponent_)) + 3);
  if (negative_) text.push_back('-');
  if (exponent_ <= 0) {
    text.append("0.");
    text.append(static_cast<std::size_t>(-exponent_), '0');
    text.append(digits_);
  } else if (exponent_ < digit_count) {
    text.append(digits_, 0, static_cast<std::size_t>(exponent_));
    text.push_back('.');
    text.append(digits_, static_cast<std::size_t>(exponent_));
  } else {
    text.append(digits_);
    text.append(static_cast<std::size_t>(exponent_ - digit_count), '0');
  }
  return text;
}

Number Number::operator+(const Number& other) const {
  Decimal sum = add_decimals(Decimal{negative_, digits_, exponent_},
                             Decimal{other.negative_, other.digits_, other.exponent_});
  Number number;
  number.negative_ = sum.negative;
  number.digits_ = std::move(sum.digits);
  number.exponent_ = static_cast<int>(sum.exponent);
  return number;
}

Number Number::operator-(const Number& other) const {
  Number negated = other;
  negated.negative_ = !other.negative_ && !other.is_zero();
  return *this + negated;
}

std::strong_ordering Number::operator<=>(const Number& other) const {
  auto sign = [](const Number& n) { return n.is_zero() ? 0 : (n.negative_ ? -1 : 1); };
  int my_sign = sign(*this);
  int other_sign = sign(other);
  if (my_sign != other_sign || my_sign == 0) return my_sign <=> other_sign;

  std::strong_ordering magnitude = exponent_ <=> other.exponent_;
  if (magnitude == std::strong_ordering::equal) {
    // Without trailing zeros, digit strings of equal exponent compare like their values.
    int digits_order = digits_.compare(other.digits_);
    magnitude = digits_order <=> 0;
  }
  return my_sign > 0 ? magnitude : 0 <=> magnitude;
}

std::string Number::order_preserving_bytes() const {
  if (is_zero()) return std::string(1, kZeroClass);
  std::string bytes;
  bytes.reserve(digits_.size() + 4);
  auto biased = static_cast<unsigned>(exponent_ + kExponentBias);
  if (!negative_) {
    bytes.push_back(kPositiveClass);
    bytes.push_back(static_cast<char>((biased >> 8) & 0xFF));
    bytes.push_back(static_cast<char>(biased & 0xFF));
    bytes.append(digits_);
  } else {
    unsigned inverted = 0xFFFF - biased;
    bytes.push_back(kNegativeClass);
    bytes.push_back(static_cast<char>((inverted >> 8) & 0xFF));
    bytes.push_back(static_cast<char>(inverted & 0xFF));
    for (char digit : digits_) bytes.push_back(inverted_digit(digit));
    bytes.push_back(kNegativeTerminator);
  }
  return bytes;
}

// DynamoDB stores numbers in base 100 with the pairs aligned on the decimal point, plus an
// exponent byte and, for negatives, a terminator byte. A digit string therefore needs an extra
// byte when its first pair holds a single digit and its digit count is even. This follows
// dynalite, whose sizes were measured against DynamoDB's item size limit.
std::string Number::dynamodb_bytes() const {
  if (is_zero()) return std::string(1, static_cast<char>(0x80));
  // Digits are paired from the decimal point: an odd exponent needs a leading zero digit.
  bool pad = exponent_ % 2 != 0;
  std::string digits = (pad ? "0" : "") + digits_;
  std::string bytes;
  int exponent_byte = (exponent_ + (pad ? 1 : 0)) / 2 - 64;
  bytes.push_back(static_cast<char>(negative_ ? ~exponent_byte : exponent_byte));
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    int pair = (digits[i] - '0') * 10 + (i + 1 < digits.size() ? digits[i + 1] - '0' : 0);
    bytes.push_back(static_cast<char>(negative_ ? 101 - pair : pair + 1));
  }
  // Short negatives end with a terminator byte so that they order after their longer
  // extensions.
  std::size_t pairs = bytes.size() - 1;
  if (negative_ && pairs < 20) bytes.push_back(static_cast<char>(102));
  return bytes;
}

std::size_t Number::stored_size() const {
  if (is_zero()) return 1;
  std::size_t digit_count = digits_.size();
  bool scientific_exponent_even = ((exponent_ - 1) & 1) == 0;
  std::size_t size = 1 + (digit_count + 1) / 2;
  if (digit_count % 2 == 0 && scientific_exponent_even) ++size;
  if (negative_) ++size;
  return size;
}

}  // namespace eddy::model
