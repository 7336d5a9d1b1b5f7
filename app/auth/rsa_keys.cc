#include "auth/rsa_keys.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>  // EVP_RSA_gen, not the deprecated RSA_* API

#include <memory>
#include <stdexcept>

namespace cruddur::auth {

void PkeyDeleter::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

namespace detail {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilderPtr =
    std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyContextPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using DigestContextPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// OpenSSL queues an error per failed call on the thread; a verifier that sees garbage all day
// must not let them pile up, nor leave them for unrelated code (TLS) to misreport.
[[noreturn]] void fail(const char* what) {
  ERR_clear_error();
  throw std::runtime_error(what);
}

BignumPtr bignum(std::string_view big_endian) {
  BignumPtr number(BN_bin2bn(bytes_of(big_endian), static_cast<int>(big_endian.size()), nullptr));
  if (!number) fail("BN_bin2bn failed");
  return number;
}

ParamsPtr public_key_params(const BIGNUM* modulus, const BIGNUM* exponent) {
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new());
  if (!builder || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent)) {
    fail("OSSL_PARAM_BLD failed");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (!params) fail("OSSL_PARAM_BLD_to_param failed");
  return params;
}

std::string big_endian_param(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (!EVP_PKEY_get_bn_param(key, name, &raw)) fail("EVP_PKEY_get_bn_param failed");
  BignumPtr number(raw);
  std::string bytes(static_cast<size_t>(BN_num_bytes(number.get())), '\0');
  BN_bn2bin(number.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return bytes;
}

}  // namespace

PkeyPtr rsa_public_key(std::string_view modulus, std::string_view exponent) {
  BignumPtr n = bignum(modulus);
  BignumPtr e = bignum(exponent);
  ParamsPtr params = public_key_params(n.get(), e.get());
  PkeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    ERR_clear_error();
    throw std::invalid_argument("OpenSSL rejects the RSA key");
  }
  return PkeyPtr(key);
}

PkeyPtr generate_rsa_key(int bits) {
  PkeyPtr key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) fail("RSA key generation failed");
  return key;
}

std::string rsa_modulus(const EVP_PKEY* key) {
  return big_endian_param(key, OSSL_PKEY_PARAM_RSA_N);
}

std::string rsa_exponent(const EVP_PKEY* key) {
  return big_endian_param(key, OSSL_PKEY_PARAM_RSA_E);
}

int key_bits(const EVP_PKEY* key) {
  return EVP_PKEY_get_bits(key);
}

std::string sign_rs256(EVP_PKEY* private_key, std::string_view data) {
  DigestContextPtr context(EVP_MD_CTX_new());
  size_t size = 0;
  // An "RSA" key (not "RSA-PSS") signs with PKCS#1 v1.5 padding by default: what RS256 is.
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, private_key) <= 0 ||
      EVP_DigestSign(context.get(), nullptr, &size, bytes_of(data), data.size()) <= 0) {
    fail("EVP_DigestSign failed");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     bytes_of(data), data.size()) <= 0) {
    fail("EVP_DigestSign failed");
  }
  signature.resize(size);
  return signature;
}

bool verify_rs256(EVP_PKEY* public_key, std::string_view data, std::string_view signature) {
  DigestContextPtr context(EVP_MD_CTX_new());
  bool verified =
      context &&
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, public_key) > 0 &&
      EVP_DigestVerify(context.get(), bytes_of(signature), signature.size(), bytes_of(data),
                       data.size()) == 1;
  ERR_clear_error();
  return verified;
}

std::string random_hex(size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string bytes(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(size)) != 1) {
    fail("RAND_bytes failed");
  }
  std::string text;
  text.reserve(size * 2);
  for (unsigned char byte : bytes) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 15];
  }
  return text;
}

}  // namespace detail
}  // namespace cruddur::auth
