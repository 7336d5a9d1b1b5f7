#pragma once
// The parts of an AWS Signature Version 4 signature eddy needs, from an Authorization header or
// from a presigned URL's query string: who signed (access key id) and where (region), which decide
// the namespace without -sharedDb, and what strict mode (-credentials) checks.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eddy::protocol {

struct SigV4Credential {
  std::string access_key_id;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string signed_headers;
  std::string signature;
  // Presigned (query-string) form only: X-Amz-Date and X-Amz-Expires, which the header form
  // carries in headers instead.
  bool presigned = false;
  std::string amz_date;
  std::optional<long long> expires_seconds;  // none: only the 15-minute rule applies
};

// Parses "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=...". Returns nullopt and sets `problem` to the
// message AWS gives when the header is incomplete or malformed.
std::optional<SigV4Credential> parse_authorization(std::string_view header, std::string& problem);

// Whether a request target's query string carries a presigned signature (X-Amz-Algorithm).
bool has_query_signature(std::string_view target);

// Parses the X-Amz-* parameters of a presigned request's target; like parse_authorization on a
// missing or malformed part.
std::optional<SigV4Credential> parse_query_signature(std::string_view target, std::string& problem);

// The query string's parameters, percent-decoded, in the order given ("a=1&b" -> {a,1},{b,""}).
std::vector<std::pair<std::string, std::string>> query_parameters(std::string_view target);

}  // namespace eddy::protocol
