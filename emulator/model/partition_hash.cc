#include "model/partition_hash.h"

#include <openssl/evp.h>

#include <stdexcept>
#include <string_view>

#include "model/number.h"

namespace eddy::model {
namespace {

// One MD5 context per thread, with the algorithm fetched once: OpenSSL 3 looks the algorithm up
// on every EVP_Digest call otherwise, which costs more than hashing a key.
class Md5 {
 public:
  Md5() : algorithm_(EVP_MD_fetch(nullptr, "MD5", nullptr)), context_(EVP_MD_CTX_new()) {
    if (!algorithm_ || !context_) throw std::runtime_error("md5 is not available");
  }
  ~Md5() {
    EVP_MD_CTX_free(context_);
    EVP_MD_free(algorithm_);
  }
  Md5(const Md5&) = delete;

  uint32_t first_32_bits(std::string_view prefix, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestInit_ex(context_, algorithm_, nullptr) != 1 ||
        EVP_DigestUpdate(context_, prefix.data(), prefix.size()) != 1 ||
        EVP_DigestUpdate(context_, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context_, digest, &length) != 1) {
      throw std::runtime_error("md5 failed");
    }
    return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
           uint32_t{digest[3]};
  }

 private:
  EVP_MD* algorithm_;
  EVP_MD_CTX* context_;
};

uint32_t outliers_hash(const std::string& key_bytes) {
  static thread_local Md5 md5;
  return md5.first_32_bits("Outliers", key_bytes);
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
