#include "auth/jwt.h"

#include <cmath>
#include <optional>
#include <utility>

#include "auth/rsa_keys.h"

namespace cruddur::auth {
namespace {

using nlohmann::json;

// Far beyond any Cognito token (a few KB) and any HTTP header a server accepts; it bounds the
// work an unauthenticated caller can ask for.
constexpr size_t kMaxTokenSize = 64 * 1024;
// Cognito's keys are 2048 bits; smaller ones are within reach of factoring, larger than 16384
// only cost time.
constexpr int kMinKeyBits = 2048;
constexpr int kMaxKeyBits = 16384;

// ---- JWKS ----

const json* member(const json& object, const char* name) {
  auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

bool is_string_equal(const json* value, std::string_view expected) {
  return value && value->is_string() && value->get_ref<const std::string&>() == expected;
}

// An absent "alg" or "use" leaves the key open to any use (RFC 7517 sections 4.2 and 4.4).
bool usable_for_rs256(const json& jwk) {
  const json* alg = member(jwk, "alg");
  const json* use = member(jwk, "use");
  return is_string_equal(member(jwk, "kty"), "RSA") && (!alg || is_string_equal(alg, "RS256")) &&
         (!use || is_string_equal(use, "sig"));
}

std::string required_jwk_string(const json& jwk, const char* name) {
  const json* value = member(jwk, name);
  if (!value || !value->is_string()) {
    throw std::invalid_argument(std::string("an RSA JWK needs a string \"") + name + "\"");
  }
  return value->get<std::string>();
}

std::string jwk_bytes(const json& jwk, const char* name) {
  try {
    return base64url_decode(required_jwk_string(jwk, name));
  } catch (const TokenError& error) {
    throw std::invalid_argument(std::string("JWK \"") + name + "\": " + error.what());
  }
}

// With an exponent of 1 any "signature" that is the padded digest itself verifies; an even one
// is no RSA key at all.
void check_exponent(std::string_view big_endian) {
  while (!big_endian.empty() && big_endian.front() == '\0') big_endian.remove_prefix(1);
  if (big_endian.size() > sizeof(uint64_t)) throw std::invalid_argument("RSA exponent too large");
  uint64_t exponent = 0;
  for (unsigned char byte : big_endian) exponent = (exponent << 8) | byte;
  if (exponent < 3 || exponent % 2 == 0) throw std::invalid_argument("bad RSA exponent");
}

PkeyPtr public_key_of(const json& jwk) {
  std::string modulus = jwk_bytes(jwk, "n");
  std::string exponent = jwk_bytes(jwk, "e");
  check_exponent(exponent);
  PkeyPtr key = detail::rsa_public_key(modulus, exponent);
  int bits = detail::key_bits(key.get());
  if (bits < kMinKeyBits || bits > kMaxKeyBits) {
    throw std::invalid_argument("RSA key of " + std::to_string(bits) + " bits");
  }
  return key;
}

std::map<std::string, PkeyPtr, std::less<>> load_keys(const json& jwks) {
  const json* keys = jwks.is_object() ? member(jwks, "keys") : nullptr;
  if (!keys || !keys->is_array()) {
    throw std::invalid_argument("a JWKS is an object with a \"keys\" array");
  }
  std::map<std::string, PkeyPtr, std::less<>> loaded;
  for (const json& jwk : *keys) {
    if (!jwk.is_object()) throw std::invalid_argument("a JWK is an object");
    if (!usable_for_rs256(jwk)) continue;
    std::string kid = required_jwk_string(jwk, "kid");
    if (loaded.count(kid)) throw std::invalid_argument("two JWKs with kid " + kid);
    loaded.emplace(std::move(kid), public_key_of(jwk));
  }
  if (loaded.empty()) throw std::invalid_argument("the JWKS has no RS256 signing key");
  return loaded;
}

// ---- compact serialisation ----

struct CompactParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // "header.payload"
};

CompactParts split(std::string_view token) {
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    throw TokenError("not three dot-separated parts");
  }
  return {token.substr(0, first), token.substr(first + 1, second - first - 1),
          token.substr(second + 1), token.substr(0, second)};
}

json decode_object(std::string_view part, const char* what) {
  json value = json::parse(base64url_decode(part), nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) throw TokenError(std::string(what) + " is not a JSON object");
  return value;
}

std::string sign_compact(EVP_PKEY* key, const std::string& header, const std::string& payload) {
  std::string signing_input = base64url_encode(header) + "." + base64url_encode(payload);
  return signing_input + "." + base64url_encode(detail::sign_rs256(key, signing_input));
}

// ---- claims ----

// A NumericDate (RFC 7519 section 2) may have a fraction; double also spares the leeway
// arithmetic from signed overflow.
std::optional<double> numeric_date(const json& claims, const char* name) {
  const json* value = member(claims, name);
  if (!value) return std::nullopt;
  if (!value->is_number() || !std::isfinite(value->get<double>())) {
    throw TokenError(std::string("\"") + name + "\" is not a number");
  }
  return value->get<double>();
}

void check_times(const json& claims, int64_t now, int64_t leeway) {
  std::optional<double> expires = numeric_date(claims, "exp");
  if (!expires) throw TokenError("no \"exp\"");
  auto later = static_cast<double>(now) + static_cast<double>(leeway);
  auto earlier = static_cast<double>(now) - static_cast<double>(leeway);
  if (!(*expires > earlier)) throw TokenError("expired");
  std::optional<double> not_before = numeric_date(claims, "nbf");
  if (not_before && *not_before > later) throw TokenError("not yet valid");
  std::optional<double> issued = numeric_date(claims, "iat");
  if (issued && *issued > later) throw TokenError("issued in the future");
}

// Cognito's id tokens carry the client id as a string "aud"; RFC 7519 also allows an array.
bool audience_includes(const json* audience, std::string_view client_id) {
  if (audience && audience->is_array()) {
    for (const json& entry : *audience) {
      if (is_string_equal(&entry, client_id)) return true;
    }
    return false;
  }
  return is_string_equal(audience, client_id);
}

// Cognito names the app client differently in its two kinds of token; refresh tokens are opaque
// and never reach a resource server.
void check_use_and_client(const json& claims, const std::string& client_id) {
  const json* token_use = member(claims, "token_use");
  bool access = is_string_equal(token_use, "access");
  if (!access && !is_string_equal(token_use, "id")) throw TokenError("wrong token_use");
  if (client_id.empty()) return;
  if (access && !is_string_equal(member(claims, "client_id"), client_id)) {
    throw TokenError("wrong client_id");
  }
  if (!access && !audience_includes(member(claims, "aud"), client_id)) {
    throw TokenError("wrong aud");
  }
}

std::string subject_of(const json& claims) {
  const json* subject = member(claims, "sub");
  if (!subject || !subject->is_string() || subject->get_ref<const std::string&>().empty()) {
    throw TokenError("no \"sub\"");
  }
  return subject->get<std::string>();
}

}  // namespace

// ---- TokenVerifier ----

TokenVerifier::TokenVerifier(const json& jwks, VerifierOptions options)
    : keys_(load_keys(jwks)), options_(std::move(options)) {}

TokenVerifier::~TokenVerifier() = default;
TokenVerifier::TokenVerifier(TokenVerifier&&) noexcept = default;
TokenVerifier& TokenVerifier::operator=(TokenVerifier&&) noexcept = default;

EVP_PKEY* TokenVerifier::key_for(const json& header) const {
  // Only RS256: "none" would need no key and HS256 would treat the public key as an HMAC secret.
  if (!is_string_equal(member(header, "alg"), "RS256")) throw TokenError("alg is not RS256");
  // Critical extensions must be understood (RFC 7515 section 4.1.11); none are.
  if (member(header, "crit")) throw TokenError("unsupported crit header");
  const json* kid = member(header, "kid");
  if (!kid || !kid->is_string()) throw TokenError("no kid");
  auto found = keys_.find(kid->get_ref<const std::string&>());
  if (found == keys_.end()) throw TokenError("unknown kid");
  return found->second.get();
}

VerifiedToken TokenVerifier::verify(std::string_view token, int64_t now_unix_seconds) const {
  if (token.size() > kMaxTokenSize) throw TokenError("token too long");
  CompactParts parts = split(token);
  EVP_PKEY* key = key_for(decode_object(parts.header, "header"));
  if (!detail::verify_rs256(key, parts.signing_input, base64url_decode(parts.signature))) {
    throw TokenError("bad signature");
  }
  json claims = decode_object(parts.payload, "payload");
  check_times(claims, now_unix_seconds, options_.leeway_seconds);
  if (!options_.issuer.empty() && !is_string_equal(member(claims, "iss"), options_.issuer)) {
    throw TokenError("wrong iss");
  }
  check_use_and_client(claims, options_.client_id);
  std::string subject = subject_of(claims);
  return {std::move(subject), std::move(claims)};
}

// ---- DevTokenIssuer ----

DevTokenIssuer::DevTokenIssuer() : key_(detail::generate_rsa_key(2048)) {}

DevTokenIssuer::~DevTokenIssuer() = default;
DevTokenIssuer::DevTokenIssuer(DevTokenIssuer&&) noexcept = default;
DevTokenIssuer& DevTokenIssuer::operator=(DevTokenIssuer&&) noexcept = default;

std::string DevTokenIssuer::issue(const std::string& subject, const std::string& username,
                                  int64_t now_unix_seconds, int64_t ttl_seconds) const {
  // Ordered as Cognito orders them, which makes tokens easier to read in a debugger.
  nlohmann::ordered_json header = {
      {"alg", "RS256"}, {"kid", std::string(kDevKeyId)}, {"typ", "JWT"}};
  nlohmann::ordered_json payload = {{"sub", subject},
                                    {"iss", std::string(kDevIssuer)},
                                    {"token_use", "access"},
                                    {"client_id", std::string(kDevClientId)},
                                    {"username", username},
                                    {"iat", now_unix_seconds},
                                    {"exp", now_unix_seconds + ttl_seconds},
                                    {"jti", detail::random_hex(16)}};
  return sign_compact(key_.get(), header.dump(), payload.dump());
}

std::string DevTokenIssuer::sign(const json& header, const json& payload) const {
  return sign_compact(key_.get(), header.dump(), payload.dump());
}

json DevTokenIssuer::jwks() const {
  json key = {{"kty", "RSA"},
              {"kid", std::string(kDevKeyId)},
              {"alg", "RS256"},
              {"use", "sig"},
              {"n", base64url_encode(detail::rsa_modulus(key_.get()))},
              {"e", base64url_encode(detail::rsa_exponent(key_.get()))}};
  return json{{"keys", json::array({key})}};
}

VerifierOptions DevTokenIssuer::verifier_options() const {
  return {std::string(kDevIssuer), std::string(kDevClientId), 0};
}

}  // namespace cruddur::auth
