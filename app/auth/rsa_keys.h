#pragma once
// The OpenSSL 3 pieces behind RS256 (internal to cruddur_auth): RSA public keys from a JWK's
// modulus and exponent and back, key generation, and RSASSA-PKCS1-v1_5 SHA-256.
#include <string>
#include <string_view>

#include "auth/jwt.h"

namespace cruddur::auth::detail {

// From big-endian bytes; throws std::invalid_argument if OpenSSL refuses them.
PkeyPtr rsa_public_key(std::string_view modulus, std::string_view exponent);

// Throws std::runtime_error.
PkeyPtr generate_rsa_key(int bits);

// Big-endian bytes without leading zeros, as a JWK's "n" and "e" hold them.
std::string rsa_modulus(const EVP_PKEY* key);
std::string rsa_exponent(const EVP_PKEY* key);

int key_bits(const EVP_PKEY* key);

// Throws std::runtime_error.
std::string sign_rs256(EVP_PKEY* private_key, std::string_view data);

// False for any signature that does not verify, malformed ones included.
bool verify_rs256(EVP_PKEY* public_key, std::string_view data, std::string_view signature);

// Lower-case hex of `size` bytes from OpenSSL's CSPRNG; throws std::runtime_error.
std::string random_hex(size_t size);

}  // namespace cruddur::auth::detail
