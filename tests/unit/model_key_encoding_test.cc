// SQLite orders key BLOBs with memcmp; these tests check that this order is DynamoDB's order
// (numeric for N, code point for S, unsigned byte for B) against independent references.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "model/key_encoding.h"
#include "model/number.h"

namespace eddy::model {
namespace {

using ReferenceDecimal = boost::multiprecision::cpp_dec_float_50;  // exact for 38 digits

int memcmp_order(const std::string& a, const std::string& b) {
  int prefix = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (prefix != 0) return prefix < 0 ? -1 : 1;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

template <typename T>
int reference_order(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Sorts by encoding and checks every adjacent pair (hence the whole order) against the
// reference, then spot-checks random pairs.
template <typename Reference>
void expect_memcmp_order_matches(const std::vector<std::string>& encodings,
                                 const std::vector<Reference>& references,
                                 const std::vector<std::string>& labels, std::mt19937_64& rng) {
  std::vector<std::size_t> order(encodings.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return memcmp_order(encodings[a], encodings[b]) < 0;
  });
  for (std::size_t i = 1; i < order.size(); ++i) {
    std::size_t a = order[i - 1];
    std::size_t b = order[i];
    ASSERT_EQ(memcmp_order(encodings[a], encodings[b]),
              reference_order(references[a], references[b]))
        << labels[a] << " vs " << labels[b];
  }
  std::uniform_int_distribution<std::size_t> pick(0, encodings.size() - 1);
  for (int i = 0; i < 20000; ++i) {
    std::size_t a = pick(rng);
    std::size_t b = pick(rng);
    ASSERT_EQ(memcmp_order(encodings[a], encodings[b]),
              reference_order(references[a], references[b]))
        << labels[a] << " vs " << labels[b];
  }
}

std::string random_number_text(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> percent(0, 99);
  if (percent(rng) < 3) return "0";
  const bool narrow_alphabet = percent(rng) < 50;  // digit strings sharing prefixes
  std::uniform_int_distribution<int> digit_count(1, percent(rng) < 50 ? 5 : 38);
  std::uniform_int_distribution<int> digit(0, 9);
  std::string digits;
  int count = digit_count(rng);
  for (int i = 0; i < count; ++i) {
    int d = narrow_alphabet ? (digit(rng) < 5 ? 9 : 0) : digit(rng);
    if (i == 0 && d == 0) d = 1 + digit(rng) % 9;
    digits.push_back(static_cast<char>('0' + d));
  }
  int low = percent(rng) < 30 ? -2 : -130;
  int high = percent(rng) < 30 ? 2 : 125;
  std::uniform_int_distribution<int> exponent(low, high);
  return std::string(percent(rng) < 50 ? "-" : "") + digits.substr(0, 1) + "." + digits.substr(1) +
         "e" + std::to_string(exponent(rng));
}

TEST(KeyEncoding, NumbersSortNumericallyAcrossSignsAndMagnitudes) {
  std::mt19937_64 rng(12345);
  std::vector<std::string> texts = {"0",
                                    "1e-130",
                                    "-1e-130",
                                    "1e125",
                                    "-1e125",
                                    "9.9999999999999999999999999999999999999e125",
                                    "-9.9999999999999999999999999999999999999e125",
                                    "1",
                                    "-1",
                                    "10",
                                    "-10",
                                    "0.1",
                                    "-0.1",
                                    "1.1",
                                    "-1.1",
                                    "1.01"};
  while (texts.size() < 6000) texts.push_back(random_number_text(rng));

  std::vector<std::string> encodings;
  std::vector<ReferenceDecimal> references;
  for (const std::string& text : texts) {
    encodings.push_back(encode_key_value(AttributeValue::number(Number::parse(text).to_string())));
    references.emplace_back(text);
  }
  expect_memcmp_order_matches(encodings, references, texts, rng);
}

TEST(KeyEncoding, NumbersDecodeToTheirCanonicalText) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 5000; ++i) {
    AttributeValue value =
        AttributeValue::number(Number::parse(random_number_text(rng)).to_string());
    ASSERT_EQ(decode_key_value(AttributeType::N, encode_key_value(value)), value) << value.scalar();
  }
}

TEST(KeyEncoding, CorruptNumberKeysAreReportedNotMisread) {
  EXPECT_THROW(decode_key_value(AttributeType::N, ""), std::runtime_error);
  EXPECT_THROW(decode_key_value(AttributeType::N, std::string("\x07", 1)), std::runtime_error);
  EXPECT_THROW(decode_key_value(AttributeType::N, std::string("\x03\x80", 2)), std::runtime_error);
  EXPECT_THROW(decode_key_value(AttributeType::N, std::string("\x03\x80\x01x", 4)),
               std::runtime_error);
  std::string negative = encode_key_value(AttributeValue::number("-5"));
  negative.pop_back();  // no terminator
  EXPECT_THROW(decode_key_value(AttributeType::N, negative), std::runtime_error);
}

// UTF-8 of a code point sequence; the reference order is the sequence order.
std::string utf8(const std::vector<char32_t>& code_points) {
  std::string out;
  for (char32_t c : code_points) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

char32_t random_code_point(std::mt19937_64& rng) {
  // Clustered so that strings share prefixes, spread over every UTF-8 length.
  static const std::vector<std::pair<char32_t, char32_t>> kRanges = {
      {0x00, 0x02},       {0x41, 0x43},       {0x7E, 0x80},        {0xE9, 0xEA},
      {0x7FF, 0x800},     {0xD7FF, 0xD7FF},   {0xE000, 0xE000},    {0xFFFD, 0xFFFF},
      {0x10000, 0x10001}, {0x1F600, 0x1F600}, {0x10FFFF, 0x10FFFF}};
  std::uniform_int_distribution<std::size_t> range_index(0, kRanges.size() - 1);
  const auto& [low, high] = kRanges[range_index(rng)];
  return static_cast<char32_t>(std::uniform_int_distribution<uint32_t>(low, high)(rng));
}

TEST(KeyEncoding, StringsSortByCodePoint) {
  std::mt19937_64 rng(4242);
  std::uniform_int_distribution<int> length(0, 6);
  std::vector<std::string> encodings;
  std::vector<std::vector<char32_t>> references;
  std::vector<std::string> labels;
  for (int i = 0; i < 4000; ++i) {
    std::vector<char32_t> code_points(static_cast<std::size_t>(length(rng)));
    for (char32_t& c : code_points) c = random_code_point(rng);
    AttributeValue value = AttributeValue::string(utf8(code_points));
    encodings.push_back(encode_key_value(value));
    ASSERT_EQ(decode_key_value(AttributeType::S, encodings.back()), value);
    references.push_back(code_points);
    labels.push_back(value.scalar());
  }
  expect_memcmp_order_matches(encodings, references, labels, rng);
}

TEST(KeyEncoding, BinariesSortAsUnsignedBytes) {
  std::mt19937_64 rng(777);
  std::uniform_int_distribution<int> length(0, 6);
  std::uniform_int_distribution<int> byte_choice(0, 5);
  const unsigned char kBytes[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
  std::vector<std::string> encodings;
  std::vector<std::vector<unsigned char>> references;
  std::vector<std::string> labels;
  for (int i = 0; i < 4000; ++i) {
    std::vector<unsigned char> bytes(static_cast<std::size_t>(length(rng)));
    for (unsigned char& b : bytes) b = kBytes[byte_choice(rng)];
    AttributeValue value = AttributeValue::binary(std::string(bytes.begin(), bytes.end()));
    encodings.push_back(encode_key_value(value));
    ASSERT_EQ(decode_key_value(AttributeType::B, encodings.back()), value);
    references.push_back(bytes);
    labels.push_back(std::to_string(i));
  }
  expect_memcmp_order_matches(encodings, references, labels, rng);
}

TEST(KeyEncoding, OnlyScalarKeyTypesAreEncoded) {
  EXPECT_THROW(encode_key_value(AttributeValue::boolean(true)), std::invalid_argument);
  EXPECT_THROW(decode_key_value(AttributeType::SS, "x"), std::invalid_argument);
}

}  // namespace
}  // namespace eddy::model
