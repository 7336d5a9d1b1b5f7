#pragma once
// Strict mode (-credentials FILE): every request must be signed with SigV4 by a key in the file,
// and is refused as DynamoDB refuses it otherwise. dynamodb-local accepts any signature; eddy
// does too unless told, so that this stays opt-in.
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "protocol/sigv4_header.h"

namespace eddy::protocol {

struct SecretKey {
  std::string secret_access_key;
  std::string session_token;  // empty: requests must not carry one
};

// Access key id -> its secret.
using KeyRing = std::map<std::string, SecretKey, std::less<>>;

// Reads an AWS shared credentials file (~/.aws/credentials: [profile] sections with
// aws_access_key_id, aws_secret_access_key and optionally aws_session_token). Throws
// std::runtime_error naming the file and line of anything it cannot read.
KeyRing read_credentials_file(const std::string& path);

struct AuthFailure {
  std::string type;  // UnrecognizedClientException, InvalidSignatureException, ...
  std::string message;
};

// How far a signature's time may be from eddy's clock, either way (AWS's rule).
constexpr std::chrono::minutes kAllowedClockSkew{15};

// Checks the signature credential claims for request: the key is known, the time is within
// kAllowedClockSkew of now (and a presigned URL has not expired), and the signature is the one
// the key's secret gives. nullopt when all hold.
std::optional<AuthFailure> check_signature(
    const boost::beast::http::request<boost::beast::http::string_body>& request,
    const SigV4Credential& credential, const KeyRing& keys,
    std::chrono::system_clock::time_point now);

}  // namespace eddy::protocol
