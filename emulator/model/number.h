#pragma once
// DynamoDB's Number: an exact decimal of at most 38 significant digits whose magnitude lies in
// [1E-130, 9.99..9E+125] (or is zero). Never a double.
#include <compare>
#include <string>
#include <string_view>

namespace eddy::model {

class Number {
 public:
  Number() = default;  // zero

  // Parses DynamoDB's accepted syntax ("-1.5e3", "+0.10", ".5", "5."); throws ApiError
  // (ValidationException) with DynamoDB's message:
  //  - not a number:  "The parameter cannot be converted to a numeric value: <text>"
  //    (empty text:   "The parameter cannot be converted to a numeric value")
  //  - > 38 digits:   "Attempting to store more than 38 significant digits in a Number"
  //  - too large:     "Number overflow. Attempting to store a number with magnitude larger than
  //                    supported range"
  //  - too small:     "Number underflow. Attempting to store a number with magnitude smaller than
  //                    supported range"
  static Number parse(std::string_view text);

  // DynamoDB's canonical text: no exponent, no leading/trailing zeros, "-0" -> "0".
  // e.g. "1.50" -> "1.5", "1e3" -> "1000", "-.5" -> "-0.5".
  std::string to_string() const;

  // Exact arithmetic; the result is range-checked like parse (same messages).
  Number operator+(const Number& other) const;
  Number operator-(const Number& other) const;

  std::strong_ordering operator<=>(const Number& other) const;
  bool operator==(const Number& other) const = default;

  bool is_zero() const { return digits_.empty(); }
  bool is_negative() const { return negative_; }
  int significant_digits() const { return static_cast<int>(digits_.size()); }

  // Bytes whose memcmp order equals numeric order (used for keys in SQLite indexes).
  std::string order_preserving_bytes() const;

  // DynamoDB's own serialized form of the number (a base-100 format: an exponent byte, then
  // digit pairs, negatives complemented), which its partition hashing reads.
  std::string dynamodb_bytes() const;

  // Bytes DynamoDB counts for this number in item size: about 1 + ceil(significant digits / 2);
  // exactly, 1 byte of exponent + one per base-100 digit pair aligned on the decimal point
  // (+1 for negatives), zero being 1 byte, as dynalite measured against DynamoDB.
  size_t stored_size() const;

 private:
  bool negative_ = false;
  std::string digits_;  // significant digits '1'..'9' first, no trailing zeros; empty for zero
  int exponent_ = 0;    // value = 0.d1d2d3... * 10^exponent_
};

}  // namespace eddy::model
