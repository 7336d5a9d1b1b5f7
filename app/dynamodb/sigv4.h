#pragma once
// AWS Signature Version 4 for the JSON protocol requests Cruddur sends (one POST to "/", no query
// string): the canonical request, the string to sign, the derived key and the Authorization
// header, as AWS documents them and as botocore computes them.
#include <map>
#include <string>
#include <string_view>

namespace cruddur::dynamodb {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

struct SigningScope {
  std::string region;
  std::string service;  // "dynamodb", or "dynamodb" too for the Streams API
};

struct SignedRequestParts {
  std::string method = "POST";
  std::string path = "/";
  // Header names as sent; every one is signed. Host and X-Amz-Date must be among them.
  std::map<std::string, std::string> headers;
  std::string body;
};

// "20260101T000000Z" for a Unix time in seconds.
std::string amz_date(long long unix_seconds);

std::string sha256_hex(std::string_view data);

// The canonical request (exposed for tests: botocore's is compared line by line).
std::string canonical_request(const SignedRequestParts& request);

// The Authorization header value for the request, signed at the request's X-Amz-Date.
std::string authorization_header(const SignedRequestParts& request, const Credentials& credentials,
                                 const SigningScope& scope);

}  // namespace cruddur::dynamodb
