#include "model/partition_hash.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "model/number.h"

namespace eddy::model {
namespace {

uint32_t outliers_hash(const std::string& key_bytes) {
  static constexpr char kSalt[] = "Outliers";
  std::string input = kSalt + key_bytes;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_md5(), nullptr) != 1) {
    throw std::runtime_error("md5 failed");
  }
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         uint32_t{digest[3]};
}

}  // namespace

std::string dynamodb_key_bytes(const AttributeValue& value) {
  if (value.type() == AttributeType::N) return Number::parse(value.scalar()).dynamodb_bytes();
  return value.scalar();  // S (UTF-8) and B (raw bytes)
}

uint32_t partition_hash(const AttributeValue& hash_key) {
  return outliers_hash(dynamodb_key_bytes(hash_key));
}

uint32_t item_hash(const AttributeValue& hash_key, const AttributeValue* range_key) {
  std::string bytes = dynamodb_key_bytes(hash_key);
  if (range_key) bytes += dynamodb_key_bytes(*range_key);
  return outliers_hash(bytes);
}

}  // namespace eddy::model
