// Cruddur's bearer tokens: the dev issuer's round trip, every rejection the verifier owes a
// resource server, base64url, JWKS loading, and PyJWT's tokens from
// tests/unit/data/jwt_vectors.json (tests/tools/make_jwt_vectors.py).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "auth/jwt.h"

namespace cruddur::auth {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1795219200;  // 2026-11-21T00:00:00Z

// One key for the whole suite: each RSA-2048 generation costs tens of milliseconds.
const DevTokenIssuer& dev_issuer() {
  static const DevTokenIssuer issuer;
  return issuer;
}

TokenVerifier dev_verifier(int64_t leeway_seconds = 0) {
  VerifierOptions options = dev_issuer().verifier_options();
  options.leeway_seconds = leeway_seconds;
  return TokenVerifier(dev_issuer().jwks(), options);
}

json dev_header() {
  return {{"alg", "RS256"}, {"kid", "cruddur-dev"}, {"typ", "JWT"}};
}

json access_claims() {
  return {{"sub", "user-1"},       {"iss", "cruddur-dev"},
          {"token_use", "access"}, {"client_id", "cruddur-dev"},
          {"username", "andrew"},  {"iat", kNow - 10},
          {"exp", kNow + 3600}};
}

json id_claims() {
  return {{"sub", "user-1"},      {"iss", "cruddur-dev"}, {"token_use", "id"},
          {"aud", "cruddur-dev"}, {"iat", kNow - 10},     {"exp", kNow + 3600}};
}

std::string signed_token(const json& claims, const json& header = dev_header()) {
  return dev_issuer().sign(header, claims);
}

// "verified", or the TokenError's reason: a rejection for the wrong reason (say a bad signature
// where the expiry was meant) would otherwise pass unnoticed.
std::string outcome(const TokenVerifier& verifier, std::string_view token, int64_t now = kNow) {
  try {
    verifier.verify(token, now);
    return "verified";
  } catch (const TokenError& error) {
    return error.what();
  }
}

std::string outcome(std::string_view token) {
  return outcome(dev_verifier(), token);
}

std::vector<std::string> parts_of(const std::string& token) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot = token.find('.'); dot != std::string::npos; dot = token.find('.', start)) {
    parts.push_back(token.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(token.substr(start));
  return parts;
}

json decoded_part(const std::string& token, size_t index) {
  return json::parse(base64url_decode(parts_of(token).at(index)));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

json dev_jwk() {
  return dev_issuer().jwks()["keys"][0];
}

// ---- the dev issuer ----

TEST(AppJwt, DevTokenRoundTripYieldsSubjectAndUsername) {
  std::string token = dev_issuer().issue("user-1", "andrew", kNow);
  VerifiedToken verified = dev_verifier().verify(token, kNow);
  EXPECT_EQ(verified.subject, "user-1");
  EXPECT_EQ(verified.claims["username"], "andrew");
  EXPECT_EQ(verified.claims["token_use"], "access");
  EXPECT_EQ(verified.claims["client_id"], "cruddur-dev");
  EXPECT_EQ(verified.claims["iss"], "cruddur-dev");
  EXPECT_EQ(verified.claims["iat"], kNow);
  EXPECT_EQ(verified.claims["exp"], kNow + 3600);
  EXPECT_EQ(decoded_part(token, 0), dev_header());
}

TEST(AppJwt, DevTokensExpireAfterTheirTtlAndHaveFreshJtis) {
  std::string token = dev_issuer().issue("user-1", "andrew", kNow, 60);
  EXPECT_EQ(outcome(dev_verifier(), token, kNow + 59), "verified");
  EXPECT_EQ(outcome(dev_verifier(), token, kNow + 60), "expired");
  std::string jti = decoded_part(token, 1)["jti"];
  EXPECT_EQ(jti.size(), 32u);
  EXPECT_EQ(jti.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(decoded_part(dev_issuer().issue("user-1", "andrew", kNow), 1)["jti"], jti);
}

TEST(AppJwt, DevJwksIsCognitoShaped) {
  json jwks = dev_issuer().jwks();
  ASSERT_EQ(jwks["keys"].size(), 1u);
  json key = jwks["keys"][0];
  EXPECT_EQ(key["kty"], "RSA");
  EXPECT_EQ(key["kid"], "cruddur-dev");
  EXPECT_EQ(key["alg"], "RS256");
  EXPECT_EQ(key["use"], "sig");
  EXPECT_EQ(key["e"], "AQAB");
  EXPECT_EQ(base64url_decode(key["n"].get<std::string>()).size(), 256u);  // RSA-2048
  VerifierOptions options = dev_issuer().verifier_options();
  EXPECT_EQ(options.issuer, "cruddur-dev");
  EXPECT_EQ(options.client_id, "cruddur-dev");
}

TEST(AppJwt, AnotherIssuersKeyDoesNotVerify) {
  DevTokenIssuer other;  // same kid, different key
  EXPECT_EQ(outcome(other.issue("user-1", "andrew", kNow)), "bad signature");
}

// ---- tampering ----

TEST(AppJwt, TamperedPayloadIsRejected) {
  std::vector<std::string> parts = parts_of(dev_issuer().issue("user-1", "andrew", kNow));
  json claims = json::parse(base64url_decode(parts[1]));
  claims["sub"] = "user-2";
  EXPECT_EQ(outcome(parts[0] + "." + base64url_encode(claims.dump()) + "." + parts[2]),
            "bad signature");
}

TEST(AppJwt, TamperedSignatureIsRejected) {
  std::string token = dev_issuer().issue("user-1", "andrew", kNow);
  std::string flipped = token;
  char& c = flipped[token.size() - 20];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(outcome(flipped), "bad signature");
  EXPECT_EQ(outcome(token.substr(0, token.rfind('.') + 1)), "bad signature");  // none at all
  std::vector<std::string> parts = parts_of(token);
  std::string signature = base64url_decode(parts[2]);
  std::string signing_input = parts[0] + "." + parts[1] + ".";
  EXPECT_EQ(outcome(signing_input + base64url_encode(signature.substr(1))), "bad signature");
  EXPECT_EQ(outcome(signing_input + base64url_encode(signature + signature)), "bad signature");
  EXPECT_EQ(outcome(signing_input + base64url_encode(std::string(256, '\0'))), "bad signature");
  // The same bytes spelled with set unused bits: one spelling per signature, no malleability.
  std::string respelled = parts[2];
  respelled.back() = static_cast<char>(respelled.back() + 1);
  EXPECT_EQ(outcome(signing_input + respelled), "non-canonical base64url");
}

TEST(AppJwt, UnknownOrMissingKidIsRejected) {
  json header = dev_header();
  header["kid"] = "someone-else";
  EXPECT_EQ(outcome(signed_token(access_claims(), header)), "unknown kid");
  header.erase("kid");
  EXPECT_EQ(outcome(signed_token(access_claims(), header)), "no kid");
  header["kid"] = 7;
  EXPECT_EQ(outcome(signed_token(access_claims(), header)), "no kid");
}

TEST(AppJwt, AlgNoneIsRejected) {
  json header = dev_header();
  header["alg"] = "none";
  std::string token = signed_token(access_claims(), header);
  EXPECT_EQ(outcome(token), "alg is not RS256");  // even with a good RSA signature
  EXPECT_EQ(outcome(token.substr(0, token.rfind('.') + 1)), "alg is not RS256");
  for (json alg : {json("rs256"), json("RS512"), json("PS256"), json(nullptr), json(256)}) {
    header["alg"] = alg;
    EXPECT_EQ(outcome(signed_token(access_claims(), header)), "alg is not RS256") << alg;
  }
  header.erase("alg");
  EXPECT_EQ(outcome(signed_token(access_claims(), header)), "alg is not RS256");
}

TEST(AppJwt, Hs256KeyedWithThePublicKeyIsRejected) {
  json header = dev_header();
  header["alg"] = "HS256";
  std::string signing_input =
      base64url_encode(header.dump()) + "." + base64url_encode(access_claims().dump());
  for (const std::string& secret : {dev_jwk()["n"].get<std::string>(), dev_jwk().dump()}) {
    std::string mac = base64url_encode(hmac_sha256(secret, signing_input));
    EXPECT_EQ(outcome(signing_input + "." + mac), "alg is not RS256");
  }
}

TEST(AppJwt, CriticalHeaderExtensionsAreRejected) {
  json header = dev_header();
  header["crit"] = {"exp"};
  EXPECT_EQ(outcome(signed_token(access_claims(), header)), "unsupported crit header");
}

// ---- time ----

TEST(AppJwt, ExpiredTokensAreRejectedUnlessWithinLeeway) {
  json claims = access_claims();
  claims["exp"] = kNow - 30;
  std::string token = signed_token(claims);
  EXPECT_EQ(outcome(token), "expired");
  EXPECT_EQ(outcome(dev_verifier(60), token), "verified");
  EXPECT_EQ(outcome(dev_verifier(30), token), "expired");  // exp must be > now - leeway
  EXPECT_EQ(outcome(dev_verifier(31), token), "verified");
  claims["exp"] = kNow;
  EXPECT_EQ(outcome(signed_token(claims)), "expired");
  claims["exp"] = kNow + 1;
  EXPECT_EQ(outcome(signed_token(claims)), "verified");
  claims["exp"] = static_cast<double>(kNow) + 0.5;  // NumericDate may have a fraction
  EXPECT_EQ(outcome(signed_token(claims)), "verified");
}

TEST(AppJwt, ExpIsRequiredAndNumeric) {
  json claims = access_claims();
  claims.erase("exp");
  EXPECT_EQ(outcome(signed_token(claims)), "no \"exp\"");
  for (json exp : {json(std::to_string(kNow + 60)), json(nullptr), json::array({kNow + 60})}) {
    claims["exp"] = exp;
    EXPECT_EQ(outcome(signed_token(claims)), "\"exp\" is not a number") << exp;
  }
}

TEST(AppJwt, FutureNotBeforeAndIssuedAtAreRejectedBeyondLeeway) {
  json claims = access_claims();
  claims["nbf"] = kNow + 60;
  EXPECT_EQ(outcome(signed_token(claims)), "not yet valid");
  EXPECT_EQ(outcome(dev_verifier(60), signed_token(claims)), "verified");
  claims["nbf"] = kNow;
  EXPECT_EQ(outcome(signed_token(claims)), "verified");
  claims["iat"] = kNow + 60;
  EXPECT_EQ(outcome(signed_token(claims)), "issued in the future");
  EXPECT_EQ(outcome(dev_verifier(120), signed_token(claims)), "verified");
  claims["iat"] = "yesterday";
  EXPECT_EQ(outcome(signed_token(claims)), "\"iat\" is not a number");
}

// ---- issuer, token use, client ----

TEST(AppJwt, WrongIssuerIsRejected) {
  json claims = access_claims();
  claims["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other";
  EXPECT_EQ(outcome(signed_token(claims)), "wrong iss");
  claims.erase("iss");
  EXPECT_EQ(outcome(signed_token(claims)), "wrong iss");
  VerifierOptions unchecked = dev_issuer().verifier_options();
  unchecked.issuer.clear();
  EXPECT_EQ(outcome(TokenVerifier(dev_issuer().jwks(), unchecked), signed_token(claims)),
            "verified");
}

TEST(AppJwt, AccessTokenForAnotherClientIsRejected) {
  json claims = access_claims();
  claims["client_id"] = "another-client";
  EXPECT_EQ(outcome(signed_token(claims)), "wrong client_id");
  claims["aud"] = "cruddur-dev";  // access tokens name their client in client_id only
  EXPECT_EQ(outcome(signed_token(claims)), "wrong client_id");
  claims.erase("client_id");
  EXPECT_EQ(outcome(signed_token(claims)), "wrong client_id");
  VerifierOptions unchecked = dev_issuer().verifier_options();
  unchecked.client_id.clear();
  EXPECT_EQ(outcome(TokenVerifier(dev_issuer().jwks(), unchecked), signed_token(claims)),
            "verified");
}

TEST(AppJwt, IdTokenIsCheckedByAud) {
  VerifiedToken verified = dev_verifier().verify(signed_token(id_claims()), kNow);
  EXPECT_EQ(verified.subject, "user-1");
  EXPECT_EQ(verified.claims["token_use"], "id");
  json claims = id_claims();
  claims["aud"] = json::array({"another-client", "cruddur-dev"});
  EXPECT_EQ(outcome(signed_token(claims)), "verified");
  claims["aud"] = "another-client";
  EXPECT_EQ(outcome(signed_token(claims)), "wrong aud");
  claims["aud"] = json::array({"another-client"});
  EXPECT_EQ(outcome(signed_token(claims)), "wrong aud");
  claims.erase("aud");
  claims["client_id"] = "cruddur-dev";  // id tokens name their client in aud only
  EXPECT_EQ(outcome(signed_token(claims)), "wrong aud");
}

TEST(AppJwt, RefreshAndMissingTokenUseAreRejected) {
  json claims = access_claims();
  for (json use : {json("refresh"), json("Access"), json(""), json(1)}) {
    claims["token_use"] = use;
    EXPECT_EQ(outcome(signed_token(claims)), "wrong token_use") << use;
  }
  claims.erase("token_use");
  EXPECT_EQ(outcome(signed_token(claims)), "wrong token_use");
}

TEST(AppJwt, MissingOrEmptySubIsRejected) {
  json claims = access_claims();
  claims.erase("sub");
  EXPECT_EQ(outcome(signed_token(claims)), "no \"sub\"");
  claims["sub"] = "";
  EXPECT_EQ(outcome(signed_token(claims)), "no \"sub\"");
  claims["sub"] = 42;
  EXPECT_EQ(outcome(signed_token(claims)), "no \"sub\"");
}

// ---- garbage ----

TEST(AppJwt, MalformedTokensAreTokenErrors) {
  std::string token = dev_issuer().issue("user-1", "andrew", kNow);
  std::vector<std::string> parts = parts_of(token);
  std::vector<std::string> garbage = {
      "",
      ".",
      "..",
      "...",
      "garbage",
      "Bearer " + token,
      parts[0] + "." + parts[1],           // two parts
      token + "." + parts[2],              // four parts
      "." + parts[1] + "." + parts[2],     // empty header
      "e30." + parts[1] + "." + parts[2],  // header {}
      base64url_encode("not json") + "." + parts[1] + "." + parts[2],
      base64url_encode("[\"RS256\"]") + "." + parts[1] + "." + parts[2],
      base64url_encode("{\"alg\":\"RS256\"") + "." + parts[1] + "." + parts[2],
      base64url_encode("{\"alg\":\"RS\xff\"}") + "." + parts[1] + "." + parts[2],
      parts[0] + "=." + parts[1] + "." + parts[2],  // padding
      parts[0] + "." + parts[1] + "." + parts[2] + "=",
      parts[0] + "." + parts[1] + "." + parts[2] + "+",  // base64, not base64url
      parts[0] + "." + parts[1] + "!." + parts[2],
      parts[0] + "." + parts[1] + "." + parts[2].substr(1),  // impossible length
      std::string(100000, 'a') + "." + parts[1] + "." + parts[2],
      std::string(40000, '[') + "." + parts[1] + "." + parts[2],
      base64url_encode(std::string(20000, '[') + std::string(20000, ']')) + "." + parts[1] + "." +
          parts[2],  // deep nesting
      std::string("\0.\0.\0", 5),
  };
  TokenVerifier verifier = dev_verifier();
  for (const std::string& text : garbage) {
    EXPECT_THROW(verifier.verify(text, kNow), TokenError) << text.substr(0, 80);
  }
  EXPECT_EQ(outcome(parts[0] + "." + parts[1] + "." + parts[2]), "verified");
}

TEST(AppJwt, EveryOneCharacterChangeIsRejected) {
  std::string token = dev_issuer().issue("user-1", "andrew", kNow);
  TokenVerifier verifier = dev_verifier();
  for (size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {'A', 'f', '-', '.', '=', '\0', '\xff'}) {
      if (token[i] == replacement) continue;
      std::string changed = token;
      changed[i] = replacement;
      EXPECT_THROW(verifier.verify(changed, kNow), TokenError) << i << " " << replacement;
    }
  }
}

TEST(AppJwt, SignedPayloadThatIsNotAnObjectIsRejected) {
  for (json payload : {json("user-1"), json::array({1, 2}), json(nullptr), json(3)}) {
    EXPECT_EQ(outcome(signed_token(payload)), "payload is not a JSON object") << payload;
  }
}

// ---- base64url ----

TEST(AppJwt, Base64UrlMatchesRfc4648Vectors) {
  std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"},
      // Base64's '+' and '/' are base64url's '-' and '_'.
      {"\xfb\xff", "-_8"},
      {"\xfb\xff\xbf", "-_-_"},
      {"\xff\xff\xff", "____"},
      {"\x3e\x3f", "Pj8"},
      {std::string("\0\0", 2), "AAA"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base64url_encode(bytes), text);
    EXPECT_EQ(base64url_decode(text), bytes) << text;
  }
}

TEST(AppJwt, Base64UrlRoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (size_t length = 0; length <= bytes.size(); length += 37) {
    std::string prefix = bytes.substr(0, length);
    EXPECT_EQ(base64url_decode(base64url_encode(prefix)), prefix);
  }
  EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
}

TEST(AppJwt, Base64UrlRejectsBadCharactersAndLengths) {
  for (std::string text : {"Zg==", "Zg=", "Z", "Zm9vY", "Zm9v+", "Zm9v/", "Zm 9v", "Zm9v\n", "Zh",
                           "Zm9", "Zm9vYh", "\xc3\xa9"}) {
    EXPECT_THROW(base64url_decode(text), TokenError) << text;
  }
  EXPECT_THROW(base64url_decode(std::string("Zm\0v", 4)), TokenError);
}

// ---- JWKS ----

TEST(AppJwt, NonRsaKeysInTheJwksAreSkipped) {
  json ec_key = {{"kty", "EC"},    {"kid", "ec-1"}, {"alg", "ES256"}, {"use", "sig"},
                 {"crv", "P-256"}, {"x", "AAAA"},   {"y", "AAAA"}};
  json oct_key = {{"kty", "oct"}, {"kid", "hmac-1"}, {"k", "c2VjcmV0"}};
  json rsa_for_encryption = dev_jwk();
  rsa_for_encryption["kid"] = "rsa-enc";
  rsa_for_encryption["use"] = "enc";
  json jwks = {{"keys", {ec_key, oct_key, rsa_for_encryption, dev_jwk()}}};
  TokenVerifier verifier(jwks, dev_issuer().verifier_options());
  EXPECT_EQ(outcome(verifier, dev_issuer().issue("user-1", "andrew", kNow)), "verified");
  json header = dev_header();
  header["kid"] = "rsa-enc";
  EXPECT_EQ(outcome(verifier, signed_token(access_claims(), header)), "unknown kid");
  EXPECT_THROW(TokenVerifier({{"keys", {ec_key, oct_key}}}, {}), std::invalid_argument);
}

TEST(AppJwt, JwksWithoutUsableKeysIsRejected) {
  json rs512 = dev_jwk();
  rs512["alg"] = "RS512";
  for (json jwks : {json::object(), json({{"keys", json::array()}}),
                    json({{"keys", json::array({rs512})}}), json::array(), json("keys"),
                    json({{"keys", json::object()}}), json({{"keys", json::array({1})}})}) {
    EXPECT_THROW(TokenVerifier(jwks, {}), std::invalid_argument) << jwks;
  }
}

TEST(AppJwt, MalformedRsaKeysAreRejected) {
  auto with = [](const char* name, json value) {
    json key = dev_jwk();
    if (value.is_null()) {
      key.erase(name);
    } else {
      key[name] = value;
    }
    return json{{"keys", json::array({key})}};
  };
  std::vector<json> bad = {
      with("n", nullptr),
      with("e", nullptr),
      with("kid", nullptr),
      with("n", 12),
      with("n", "not base64url!"),
      with("n", base64url_encode(std::string(128, '\xc5'))),  // RSA-1024
      with("n", ""),
      with("e", "AQ"),  // e = 1 would make every signature forgeable
      with("e", "AQA"),
      with("e", base64url_encode(std::string(9, '\x01'))),  // over 64 bits
  };
  for (const json& jwks : bad) {
    EXPECT_THROW(TokenVerifier(jwks, {}), std::invalid_argument) << jwks;
  }
  json twice = {{"keys", {dev_jwk(), dev_jwk()}}};
  EXPECT_THROW(TokenVerifier(twice, {}), std::invalid_argument);
  // Leading zero bytes in "n" and "e" are harmless.
  EXPECT_NO_THROW(TokenVerifier(with("e", "AAEAAQ"), {}));
}

// ---- verifiers in use ----

TEST(AppJwt, VerifierMovesAndVerifiesFromSeveralThreads) {
  TokenVerifier moved = dev_verifier();
  TokenVerifier verifier = std::move(moved);
  std::vector<std::string> tokens;
  for (int i = 0; i < 8; ++i) {
    tokens.push_back(dev_issuer().issue("user-" + std::to_string(i), "u", kNow));
  }
  std::vector<int> verified(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round) {
        for (size_t i = 0; i < tokens.size(); ++i) {
          if (verifier.verify(tokens[i], kNow).subject == "user-" + std::to_string(i)) {
            ++verified[t];
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(verified, std::vector<int>(4, 80));
}

// ---- PyJWT's tokens ----

json pyjwt_vectors() {
  std::ifstream file(std::string(EDDY_TEST_DATA_DIR) + "/jwt_vectors.json");
  return json::parse(file);
}

VerifierOptions options_of(const json& vectors) {
  return {vectors["issuer"].get<std::string>(), vectors["client_id"].get<std::string>(), 0};
}

TEST(AppJwt, AgreesWithPyJwtOnItsVectors) {
  json vectors = pyjwt_vectors();
  TokenVerifier verifier(vectors["jwks"], options_of(vectors));
  int64_t now = vectors["now"];
  ASSERT_GE(vectors["tokens"].size(), 5u);
  for (const json& vector : vectors["tokens"]) {
    std::string token = vector["token"];
    if (!vector["valid"].get<bool>()) {
      EXPECT_THROW(verifier.verify(token, now), TokenError) << vector["name"];
      continue;
    }
    VerifiedToken verified = verifier.verify(token, now);
    EXPECT_EQ(verified.subject, vectors["subject"]) << vector["name"];
    EXPECT_EQ(verified.claims, vector["claims"]) << vector["name"];
  }
}

TEST(AppJwt, PyJwtVectorsExpireWithoutLeeway) {
  json vectors = pyjwt_vectors();
  TokenVerifier verifier(vectors["jwks"], options_of(vectors));
  std::string token = vectors["tokens"][0]["token"];
  int64_t exp = vectors["tokens"][0]["claims"]["exp"];
  EXPECT_EQ(outcome(verifier, token, exp - 1), "verified");
  EXPECT_EQ(outcome(verifier, token, exp), "expired");
}

}  // namespace
}  // namespace cruddur::auth
