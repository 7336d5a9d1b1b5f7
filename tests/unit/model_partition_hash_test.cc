// Partition hashing must reproduce DynamoDB's placement of keys, or Scan orders and parallel
// Scan segments differ from DynamoDB's. Expected prefixes: dynalite's hashPrefix (recorded
// against DynamoDB), first 24 bits.
#include <gtest/gtest.h>

#include <cstdio>

#include "model/number.h"
#include "model/partition_hash.h"

namespace eddy::model {
namespace {

std::string top_24_bits(uint32_t hash) {
  char text[8];
  std::snprintf(text, sizeof text, "%06x", hash >> 8);
  return text;
}

TEST(PartitionHash, NumbersHashAsDynamoDBSerializesThem) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"1", "c3a031"},
      {"-1", "0267df"},
      {"10", "3c465f"},
      {"0.5", "b4a0a7"},
      {"-0.5", "b97920"},
      {"123.456", "5a8060"},
      {"-123.456", "747372"},
      {"1E+125", "2f2857"},
      {"-9.9999999999999999999999999999999999999E+125", "21889b"},
      {"1E-130", "727de7"},
      {"12345678901234567890", "b957d4"},
      {"-42", "7efbab"},
      {"100", "6840bd"},
      {"-100", "1326ef"},
      {"7", "0275cc"},
  };
  for (const auto& [text, prefix] : expected) {
    AttributeValue number = AttributeValue::number(Number::parse(text).to_string());
    EXPECT_EQ(top_24_bits(partition_hash(number)), prefix) << text;
  }
}

TEST(PartitionHash, StringsAndBinariesHashTheirBytes) {
  // md5("Outliers" + "abc") and md5("Outliers") for the empty binary.
  EXPECT_EQ(partition_hash(AttributeValue::string("abc")),
            partition_hash(AttributeValue::binary("abc")));
  EXPECT_NE(partition_hash(AttributeValue::string("abc")),
            partition_hash(AttributeValue::string("abd")));
  // The item hash of a hash-only key is its partition hash.
  AttributeValue key = AttributeValue::string("GRP#1");
  EXPECT_EQ(item_hash(key, nullptr), partition_hash(key));
  AttributeValue sort = AttributeValue::string("2023");
  EXPECT_NE(item_hash(key, &sort), partition_hash(key));
}

}  // namespace
}  // namespace eddy::model
