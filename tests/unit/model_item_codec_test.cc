#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>

#include "model/item_codec.h"

namespace eddy::model {
namespace {

class RandomItems {
 public:
  explicit RandomItems(uint64_t seed) : rng_(seed) {}

  Item item() {
    Item result;
    int count = uniform(0, 6);
    for (int i = 0; i < count; ++i) result.emplace(bytes(0, 4), value(0));
    return result;
  }

  AttributeValue value(int depth) {
    int kind = uniform(0, depth < 4 ? 9 : 7);
    switch (kind) {
      case 0:
        return AttributeValue::string(bytes(0, 20));
      case 1:
        return AttributeValue::number(std::to_string(uniform(-1000000, 1000000)) + ".25");
      case 2:
        return AttributeValue::binary(bytes(0, 300));  // long enough for two-byte varints
      case 3:
        return AttributeValue::string_set(distinct(1, 4));
      case 4:
        return AttributeValue::number_set({"1", "-2.5", "1e+10"});
      case 5:
        return AttributeValue::binary_set(distinct(1, 3));
      case 6:
        return AttributeValue::null();
      case 7:
        return AttributeValue::boolean(uniform(0, 1) == 1);
      case 8: {
        std::vector<AttributeValue> elements;
        for (int i = uniform(0, 4); i > 0; --i) elements.push_back(value(depth + 1));
        return AttributeValue::list(std::move(elements));
      }
      default: {
        AttributeMap members;
        for (int i = uniform(0, 4); i > 0; --i) members.emplace(bytes(0, 3), value(depth + 1));
        return AttributeValue::map(std::move(members));
      }
    }
  }

  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }

 private:
  std::string bytes(int min_length, int max_length) {
    std::string result(static_cast<std::size_t>(uniform(min_length, max_length)), '\0');
    for (char& c : result) c = static_cast<char>(uniform(0, 255));
    return result;
  }

  std::vector<std::string> distinct(int min_count, int max_count) {
    std::vector<std::string> result;
    for (int i = uniform(min_count, max_count); i > 0; --i) {
      result.push_back(std::to_string(result.size()) + bytes(0, 3));
    }
    return result;
  }

  std::mt19937_64 rng_;
};

TEST(ItemCodec, RoundTripsRandomNestedItems) {
  RandomItems random(1);
  for (int i = 0; i < 3000; ++i) {
    Item item = random.item();
    ASSERT_EQ(decode_item(encode_item(item)), item);
  }
}

TEST(ItemCodec, RoundTripsEveryTypeAndEmptyValues) {
  Item item = {{"", AttributeValue::string("")},
               {"b", AttributeValue::binary(std::string("\x00\xFF", 2))},
               {"bool", AttributeValue::boolean(false)},
               {"l", AttributeValue::list({})},
               {"m", AttributeValue::map({})},
               {"n", AttributeValue::number("-0.000001")},
               {"ns", AttributeValue::number_set({"1", "2"})},
               {"null", AttributeValue::null()},
               {"ss", AttributeValue::string_set({""})},
               {"\xE2\x82\xAC", AttributeValue::binary_set({"", "x"})}};
  Item decoded = decode_item(encode_item(item));
  EXPECT_EQ(decoded, item);
  EXPECT_FALSE(decoded.at("bool").boolean_value());
  EXPECT_EQ(decode_item(encode_item({})), Item{});
}

TEST(ItemCodec, IsCompact) {
  Item item = {{"id", AttributeValue::string("abc")}, {"n", AttributeValue::number("42")}};
  // version, count, (len "id" tag len "abc"), (len "n" tag len "42")
  EXPECT_EQ(encode_item(item).size(), 1u + 1 + (1 + 2 + 1 + 1 + 3) + (1 + 1 + 1 + 1 + 2));
}

void expect_rejected_or_decoded(std::string_view bytes) {
  try {
    decode_item(bytes);
  } catch (const std::runtime_error&) {
  }
}

TEST(ItemCodec, TruncatedInputIsAlwaysRejected) {
  RandomItems random(2);
  for (int i = 0; i < 200; ++i) {
    std::string encoded = encode_item(random.item());
    for (std::size_t length = 0; length < encoded.size(); ++length) {
      ASSERT_THROW(decode_item(std::string_view(encoded).substr(0, length)), std::runtime_error)
          << "length " << length << " of " << encoded.size();
    }
  }
}

TEST(ItemCodec, CorruptInputNeverCrashes) {
  RandomItems random(3);
  for (int i = 0; i < 2000; ++i) {
    std::string encoded = encode_item(random.item());
    for (int flips = random.uniform(1, 3); flips > 0; --flips) {
      auto position =
          static_cast<std::size_t>(random.uniform(0, static_cast<int>(encoded.size()) - 1));
      encoded[position] = static_cast<char>(random.uniform(0, 255));
    }
    expect_rejected_or_decoded(encoded);
  }
  EXPECT_THROW(decode_item(std::string("\x02\x00", 2)), std::runtime_error);      // unknown version
  EXPECT_THROW(decode_item(std::string("\x01\x00\x00", 3)), std::runtime_error);  // trailing
  EXPECT_THROW(decode_item("\x01\xFF\xFF\xFF\xFF\x0F"), std::runtime_error);      // absurd count
  EXPECT_THROW(decode_item("\x01\x01\x01"
                           "a\x0B"),
               std::runtime_error);  // unknown tag
  std::string unordered =
      encode_item({{"a", AttributeValue::null()}, {"b", AttributeValue::null()}});
  std::swap(unordered[3], unordered[6]);  // names now "b", "a"
  EXPECT_THROW(decode_item(unordered), std::runtime_error);
  std::string deep = "\x01\x01\x01x";
  for (int i = 0; i < 100000; ++i) deep += "\x08\x01";  // lists in lists
  EXPECT_THROW(decode_item(deep), std::runtime_error);
}

}  // namespace
}  // namespace eddy::model
