#pragma once
// AWS Signature Version 4, the pieces both sides need: Cruddur signs its requests with them and
// eddy's strict mode (-credentials) checks clients' signatures with them, so the two can never
// disagree about a canonical request. Spelled as AWS's SigV4 documentation and botocore spell it.
#include <map>
#include <string>
#include <string_view>

namespace aws_sigv4 {

struct CanonicalRequest {
  std::string method;  // "POST"
  std::string uri;     // already URI-encoded, "/"
  std::string query;   // already canonical (sorted, encoded); empty for none
  // Lower-case names of the signed headers and their values, each value already trimmed and
  // with repeated values joined by ','. The map keeps them in the order SigV4 needs.
  std::map<std::string, std::string> headers;
  std::string payload_hash;  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

// The text whose hash is signed, as AWS's error messages print it.
std::string canonical_request_text(const CanonicalRequest& request);

// "host;x-amz-date;x-amz-target".
std::string signed_header_names(const std::map<std::string, std::string>& headers);

// SigV4's Trimall: no spaces at either end, inner runs of spaces and tabs folded into one space.
std::string trim_all(std::string_view value);

// RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~ (and '/' if keep_slash).
std::string uri_encode(std::string_view text, bool keep_slash);

std::string sha256_hex(std::string_view data);

// The hex signature of canonical request `text`, signed at amz_date ("20260101T000000Z") for
// the scope <date>/<region>/<service>/aws4_request.
std::string signature(std::string_view secret_access_key, std::string_view amz_date,
                      std::string_view region, std::string_view service, std::string_view text);

// "<yyyymmdd>/<region>/<service>/aws4_request".
std::string credential_scope(std::string_view amz_date, std::string_view region,
                             std::string_view service);

}  // namespace aws_sigv4
