#pragma once
// The parts of an AWS Signature Version 4 Authorization header eddy needs: who signed (access key
// id) and where (region), which decide the namespace without -sharedDb.
#include <optional>
#include <string>
#include <string_view>

namespace eddy::protocol {

struct SigV4Credential {
  std::string access_key_id;
  std::string date;     // yyyymmdd
  std::string region;
  std::string service;
  std::string signed_headers;
  std::string signature;
};

// Parses "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=...". Returns nullopt and sets `problem` to the
// message AWS gives when the header is incomplete or malformed.
std::optional<SigV4Credential> parse_authorization(std::string_view header, std::string& problem);

}  // namespace eddy::protocol
