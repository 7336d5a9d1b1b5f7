#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_dec_float.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "model/api_error.h"
#include "model/number.h"

namespace eddy::model {
namespace {

// Wide enough to hold any sum of two in-range numbers exactly.
using ExactDecimal = boost::multiprecision::number<boost::multiprecision::cpp_dec_float<400>,
                                                   boost::multiprecision::et_off>;

const std::string kNotNumeric = "The parameter cannot be converted to a numeric value";
const std::string kTooManyDigits =
    "Attempting to store more than 38 significant digits in a Number";
const std::string kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
const std::string kUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

std::string canonical(std::string_view text) {
  return Number::parse(text).to_string();
}

// The ValidationException message parsing `text` fails with, or "" if it parses.
std::string parse_error(std::string_view text) {
  try {
    Number::parse(text);
  } catch (const ApiError& error) {
    EXPECT_EQ(error.type(), "ValidationException");
    return error.message();
  }
  return "";
}

std::string repeated(char c, std::size_t count) {
  return std::string(count, c);
}

TEST(NumberParse, CanonicalTextHasNoExponentNoSpareZerosAndNoNegativeZero) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0", "0"},
      {"-0", "0"},
      {"+0", "0"},
      {"0.000", "0"},
      {"-0.0e10", "0"},
      {"0e1000", "0"},
      {"1", "1"},
      {"+3", "3"},
      {"1.50", "1.5"},
      {"0.5", "0.5"},
      {".5", "0.5"},
      {"-.5", "-0.5"},
      {"5.", "5"},
      {"1e3", "1000"},
      {"1E+3", "1000"},
      {"-17e5", "-1700000"},
      {"-17.4E37", "-174" + repeated('0', 36)},
      {"1.5e-3", "0.0015"},
      {"0001.23", "1.23"},
      {"-7.1234", "-7.1234"},
      {"1e+5", "100000"},
      {"123.456e1", "1234.56"},
      {"123.456e-5", "0.00123456"},
      {"1E-130", "0." + repeated('0', 129) + "1"},
      {"1e125", "1" + repeated('0', 125)},
      // dynalite's "should put really long numbers", which records DynamoDB's answers.
      {"0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
      {"-00001.23456789012345678901234567890123456780000",
       "-1.2345678901234567890123456789012345678"},
      {"0009.99999999999999999999999999999999999990000e125", repeated('9', 38) + repeated('0', 88)},
      {"-0009.99999999999999999999999999999999999990000e125",
       "-" + repeated('9', 38) + repeated('0', 88)},
      {"0001.000e-130", "0." + repeated('0', 129) + "1"},
      {"-0001.000e-130", "-0." + repeated('0', 129) + "1"},
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_EQ(canonical(input), expected) << "input: " << input;
  }
}

TEST(NumberParse, RejectsTextThatIsNotANumberEchoingIt) {
  for (std::string text : {"abc", "b",     "1e",  "e5", ".",   "-",        "+",         "+-1",
                           "--1", "1.2.3", " 1",  "1 ", "NaN", "Infinity", "-Infinity", "0x10",
                           "1e+", "1e1.5", "1,5", "١",  "1d",  "e",        "..1",       "1e--1"}) {
    EXPECT_EQ(parse_error(text), kNotNumeric + ": " + text) << "input: " << text;
  }
}

TEST(NumberParse, EmptyTextHasTheBareMessage) {
  EXPECT_EQ(parse_error(""), kNotNumeric);
}

TEST(NumberParse, AcceptsExactlyTheSupportedRange) {
  EXPECT_EQ(parse_error("1e125"), "");
  EXPECT_EQ(parse_error("9.9999999999999999999999999999999999999e125"), "");
  EXPECT_EQ(parse_error("-9.9999999999999999999999999999999999999e125"), "");
  EXPECT_EQ(parse_error("1e-130"), "");
  EXPECT_EQ(parse_error("-1e-130"), "");
  EXPECT_EQ(parse_error("10e124"), "");
  EXPECT_EQ(parse_error("0.1e-129"), "");

  EXPECT_EQ(parse_error("1e126"), kOverflow);
  EXPECT_EQ(parse_error("-1e126"), kOverflow);
  EXPECT_EQ(parse_error("11e125"), kOverflow);
  EXPECT_EQ(parse_error("1e99999999999999999999999"), kOverflow);
  EXPECT_EQ(parse_error("1e-131"), kUnderflow);
  EXPECT_EQ(parse_error("-1e-131"), kUnderflow);
  EXPECT_EQ(parse_error("0.9e-130"), kUnderflow);
  EXPECT_EQ(parse_error("1e-99999999999999999999999"), kUnderflow);
}

TEST(NumberParse, CountsOnlySignificantDigits) {
  EXPECT_EQ(parse_error("123456789012345678901234567890123456789"), kTooManyDigits);
  EXPECT_EQ(parse_error("-1.23456789012345678901234567890123456789"), kTooManyDigits);
  EXPECT_EQ(parse_error("3.14159265358979323846264338327950288419"), kTooManyDigits);
  EXPECT_EQ(parse_error("3.1415926535897932384626433832795028841"), "");
  EXPECT_EQ(parse_error("31415926535897932384626433832795028841e30"), "");
  // Leading and trailing zeros are not significant.
  EXPECT_EQ(parse_error("000" + repeated('7', 38) + "000000"), "");
  EXPECT_EQ(parse_error("0.000" + repeated('7', 38) + "000"), "");
}

TEST(NumberParse, MagnitudeIsCheckedBeforePrecisionAsDynamoDbDoes) {
  EXPECT_EQ(parse_error(repeated('1', 40) + "e100"), kOverflow);
  EXPECT_EQ(parse_error("0." + repeated('1', 40) + "e-130"), kUnderflow);
}

TEST(NumberArithmetic, IsExactNotFloatingPoint) {
  auto sum = [](std::string_view a, std::string_view b) {
    return (Number::parse(a) + Number::parse(b)).to_string();
  };
  auto difference = [](std::string_view a, std::string_view b) {
    return (Number::parse(a) - Number::parse(b)).to_string();
  };
  EXPECT_EQ(sum("0.1", "0.2"), "0.3");
  EXPECT_EQ(sum("1", "10000000000000000000000"), "10000000000000000000001");
  EXPECT_EQ(difference("10000000000000000000000", "1"), "9999999999999999999999");
  EXPECT_EQ(sum("-5", "5"), "0");
  EXPECT_EQ(difference("5", "5"), "0");
  EXPECT_EQ(sum("0", "-2.5"), "-2.5");
  EXPECT_EQ(difference("0", "-2.5"), "2.5");
  EXPECT_EQ(difference("0", "0"), "0");
  EXPECT_EQ(sum("1.25", "-1.5"), "-0.25");
  EXPECT_EQ(sum("9.9999999999999999999999999999999999999e125", "-1e88"),
            canonical("9.9999999999999999999999999999999999998e125"));
  EXPECT_EQ(sum("1e-130", "1e-130"), canonical("2e-130"));
}

TEST(NumberArithmetic, ResultsOutsideTheRangeAreRejected) {
  auto sum_error = [](std::string_view a, std::string_view b, bool subtract = false) {
    try {
      if (subtract) {
        (void)(Number::parse(a) - Number::parse(b));
      } else {
        (void)(Number::parse(a) + Number::parse(b));
      }
    } catch (const ApiError& error) {
      return error.message();
    }
    return std::string();
  };
  EXPECT_EQ(sum_error("9e125", "9e125"), kOverflow);
  EXPECT_EQ(sum_error("9e125", "-9e125", true), kOverflow);
  EXPECT_EQ(sum_error("1.1e-130", "1e-130", true), kUnderflow);
  // A result needing more than 38 digits gets its own message, which arithmetic alone produces
  // (DynamoDB Local 1.25, and DynamoDB for TransactWriteItems arithmetic), even when the result
  // would overflow too.
  const std::string imprecise = "DynamoDB only supports precision up to 38 digits";
  EXPECT_EQ(sum_error("1e50", "1"), imprecise);
  EXPECT_EQ(sum_error("1e50", "1", true), imprecise);
  EXPECT_EQ(sum_error("1e-100", "1"), imprecise);
  EXPECT_EQ(sum_error("9.9999999999999999999999999999999999999e125",
                      "9.9999999999999999999999999999999999999e125"),
            imprecise);
  EXPECT_EQ(sum_error(repeated('9', 38), "1"), "");  // 1e38: one significant digit
}

TEST(NumberCompare, OrdersBySignThenMagnitude) {
  const std::vector<std::string> ascending = {"-9.9999999999999999999999999999999999999e125",
                                              "-1e125",
                                              "-100",
                                              "-12.5",
                                              "-12",
                                              "-1.23",
                                              "-1.2",
                                              "-1",
                                              "-0.5",
                                              "-1e-130",
                                              "0",
                                              "1e-130",
                                              "0.5",
                                              "1",
                                              "1.2",
                                              "1.23",
                                              "12",
                                              "12.5",
                                              "100",
                                              "1e125",
                                              "9.9999999999999999999999999999999999999e125"};
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    for (std::size_t j = 0; j < ascending.size(); ++j) {
      Number a = Number::parse(ascending[i]);
      Number b = Number::parse(ascending[j]);
      EXPECT_EQ(a <=> b, i <=> j) << ascending[i] << " vs " << ascending[j];
      EXPECT_EQ(a == b, i == j);
    }
  }
  EXPECT_EQ(Number::parse("1.50"), Number::parse("1.5"));
  EXPECT_EQ(Number::parse("-0"), Number());
}

TEST(NumberStoredSize, FollowsDynamoDbsBase100Layout) {
  // The sizes dynalite's putItem size-limit tests measured against DynamoDB.
  EXPECT_EQ(Number::parse("1" + repeated('0', 125)).stored_size(), 2u);
  EXPECT_EQ(Number::parse("11" + repeated('0', 124)).stored_size(), 2u);
  EXPECT_EQ(Number::parse("11111" + repeated('0', 121)).stored_size(), 4u);
  EXPECT_EQ(Number::parse("111111" + repeated('0', 120)).stored_size(), 4u);
  EXPECT_EQ(Number::parse("1111111" + repeated('0', 119)).stored_size(), 5u);
  EXPECT_EQ(Number::parse(repeated('1', 38) + repeated('0', 88)).stored_size(), 20u);
  // Zero, sign and decimal-point alignment.
  EXPECT_EQ(Number().stored_size(), 1u);
  EXPECT_EQ(Number::parse("1").stored_size(), 2u);
  EXPECT_EQ(Number::parse("-1").stored_size(), 3u);
  EXPECT_EQ(Number::parse("15").stored_size(), 2u);
  EXPECT_EQ(Number::parse("1.5").stored_size(), 3u);
  EXPECT_EQ(Number::parse("0.5").stored_size(), 2u);
  EXPECT_EQ(Number::parse("12345").stored_size(), 4u);
}

// Random in-range numbers, in varied spellings, with digit strings that often share prefixes.
std::string random_number_text(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> percent(0, 99);
  if (percent(rng) < 4) return percent(rng) < 50 ? "0" : "-0.000";
  const bool narrow_alphabet = percent(rng) < 50;
  std::uniform_int_distribution<int> digit_count(1, percent(rng) < 50 ? 4 : 38);
  std::uniform_int_distribution<int> digit(0, 9);
  std::string digits;
  int count = digit_count(rng);
  for (int i = 0; i < count; ++i) {
    int d = narrow_alphabet ? (digit(rng) < 5 ? 1 : 0) : digit(rng);
    if (i == 0 && d == 0) d = 1 + digit(rng) % 9;
    digits.push_back(static_cast<char>('0' + d));
  }
  std::uniform_int_distribution<int> exponent(percent(rng) < 50 ? -3 : -130,
                                              percent(rng) < 50 ? 3 : 125);
  std::string text = percent(rng) < 50 ? "-" : "";
  text += digits.substr(0, 1) + "." + digits.substr(1) + "e" + std::to_string(exponent(rng));
  return text;
}

TEST(NumberCompare, AgreesWithAnExactReferenceOnRandomValues) {
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 5000; ++i) {
    std::string a_text = random_number_text(rng);
    std::string b_text = random_number_text(rng);
    ExactDecimal a_ref(a_text);
    ExactDecimal b_ref(b_text);
    Number a = Number::parse(a_text);
    Number b = Number::parse(b_text);
    std::strong_ordering expected = a_ref < b_ref    ? std::strong_ordering::less
                                    : a_ref == b_ref ? std::strong_ordering::equal
                                                     : std::strong_ordering::greater;
    ASSERT_EQ(a <=> b, expected) << a_text << " vs " << b_text;
    // Canonical text denotes the same value.
    ASSERT_EQ(ExactDecimal(a.to_string()), a_ref) << a_text;
  }
}

TEST(NumberArithmetic, AgreesWithAnExactReferenceOnRandomValues) {
  std::mt19937_64 rng(7);
  int succeeded = 0;
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string a_text = random_number_text(rng);
    std::string b_text = random_number_text(rng);
    ExactDecimal exact = ExactDecimal(a_text) + ExactDecimal(b_text);
    // Representable iff rounding to 38 digits loses nothing and the magnitude is in range.
    // Scientific precision counts the digits after the point: 37 of them make 38 significant.
    ExactDecimal rounded(exact.str(37, std::ios_base::scientific));
    bool representable = rounded == exact && (exact == 0 || (abs(exact) >= ExactDecimal("1e-130") &&
                                                             abs(exact) < ExactDecimal("1e126")));
    try {
      Number sum = Number::parse(a_text) + Number::parse(b_text);
      ASSERT_TRUE(representable) << a_text << " + " << b_text;
      ASSERT_EQ(ExactDecimal(sum.to_string()), exact) << a_text << " + " << b_text;
      ++succeeded;
    } catch (const ApiError&) {
      ASSERT_FALSE(representable) << a_text << " + " << b_text;
      ++rejected;
    }
  }
  // Both outcomes were exercised.
  EXPECT_GT(succeeded, 500);
  EXPECT_GT(rejected, 500);
}

}  // namespace
}  // namespace eddy::model
