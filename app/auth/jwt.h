#pragma once
// Bearer tokens for Cruddur's API: Cognito's RS256 JWTs checked against the user pool's JWKS, and
// the tokens of the offline dev sign-in, which are shaped like Cognito's access tokens and signed
// by a key that lives only as long as the process.
#include <openssl/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cruddur::auth {

// A token that does not verify; what() says why in a short phrase (for logs, never sent to
// clients).
class TokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct VerifiedToken {
  std::string subject;    // the "sub" claim: Cognito's user id
  nlohmann::json claims;  // the whole payload
};

struct VerifierOptions {
  std::string issuer;     // expected "iss"; empty = not checked
  std::string client_id;  // expected app client: "client_id" of access tokens, "aud" of id tokens;
                          // empty = not checked
  int64_t leeway_seconds = 0;
};

// Out of line so that includers need only <openssl/types.h>, not <openssl/evp.h>.
struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Verifies RS256 JWTs as Cognito's resource servers do: three base64url parts; header "alg" must
// be "RS256" and "kid" must name a key of the JWKS; an RSASSA-PKCS1-v1_5 SHA-256 signature over
// "header.payload"; "exp" present and > now - leeway; "nbf" and "iat", when present, not beyond
// now + leeway; "iss" equal to options.issuer when set; "token_use" "access" or "id"; the app
// client ("client_id" of access tokens, "aud" of id tokens) equal to options.client_id when set;
// "sub" a non-empty string. Also refused: a "crit" header (no extension is understood) and
// tokens over 64 KiB. verify() is const and safe to call from several threads at once.
class TokenVerifier {
 public:
  // jwks: {"keys":[{"kty":"RSA","kid":..,"alg":"RS256","use":"sig","n":..,"e":..}, ...]}.
  // Keys that are not RSA (or are RSA for another alg or use) are skipped; throws
  // std::invalid_argument if the JWKS is malformed or has no usable key. A usable key has a
  // "kid" of its own, a modulus of 2048 to 16384 bits and an odd exponent of at least 3.
  TokenVerifier(const nlohmann::json& jwks, VerifierOptions options);
  ~TokenVerifier();
  TokenVerifier(TokenVerifier&&) noexcept;
  TokenVerifier& operator=(TokenVerifier&&) noexcept;

  // Throws TokenError.
  VerifiedToken verify(std::string_view token, int64_t now_unix_seconds) const;

  const VerifierOptions& options() const { return options_; }

 private:
  EVP_PKEY* key_for(const nlohmann::json& header) const;  // throws TokenError

  std::map<std::string, PkeyPtr, std::less<>> keys_;  // by kid
  VerifierOptions options_;
};

inline constexpr std::string_view kDevKeyId = "cruddur-dev";
inline constexpr std::string_view kDevIssuer = "cruddur-dev";
inline constexpr std::string_view kDevClientId = "cruddur-dev";

// Offline sign-in: an RSA-2048 key generated at construction, kid and issuer "cruddur-dev".
// issue() makes a Cognito-shaped access token: header {"alg":"RS256","kid":"cruddur-dev",
// "typ":"JWT"}, payload {"sub","iss","token_use":"access","client_id":"cruddur-dev","username",
// "iat","exp": now + ttl,"jti": random hex}. issue() is const and safe to call concurrently.
class DevTokenIssuer {
 public:
  DevTokenIssuer();  // throws std::runtime_error if OpenSSL cannot make the key
  ~DevTokenIssuer();
  DevTokenIssuer(DevTokenIssuer&&) noexcept;
  DevTokenIssuer& operator=(DevTokenIssuer&&) noexcept;

  // Throws nlohmann::json::type_error if subject or username is not UTF-8.
  std::string issue(const std::string& subject, const std::string& username,
                    int64_t now_unix_seconds, int64_t ttl_seconds = 3600) const;
  // Any header and payload, signed RS256 with the dev key whatever the header's "alg" says: for
  // tests of what the verifier must refuse.
  std::string sign(const nlohmann::json& header, const nlohmann::json& payload) const;
  nlohmann::json jwks() const;               // the public key as a JWKS, usable by TokenVerifier
  VerifierOptions verifier_options() const;  // issuer and client_id "cruddur-dev"

 private:
  PkeyPtr key_;
};

// base64url without padding (RFC 7515), exposed for tests.
std::string base64url_encode(std::string_view bytes);
// Throws TokenError on characters outside the alphabet (padding included), an impossible length
// or non-zero unused bits.
std::string base64url_decode(std::string_view text);

}  // namespace cruddur::auth
