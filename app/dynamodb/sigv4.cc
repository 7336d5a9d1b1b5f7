#include "dynamodb/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <stdexcept>

#include "aws_sigv4.h"

namespace cruddur::dynamodb {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

aws_sigv4::CanonicalRequest canonical_parts(const SignedRequestParts& request) {
  aws_sigv4::CanonicalRequest parts{request.method, request.path, "", {}, sha256_hex(request.body)};
  for (const auto& [name, value] : request.headers) {
    parts.headers[lower(name)] = aws_sigv4::trim_all(value);
  }
  return parts;
}

std::string header_value(const SignedRequestParts& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (lower(key) == name) return value;
  }
  throw std::invalid_argument("a signed request needs a " + std::string(name) + " header");
}

}  // namespace

std::string amz_date(long long unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[20];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string sha256_hex(std::string_view data) {
  return aws_sigv4::sha256_hex(data);
}

std::string canonical_request(const SignedRequestParts& request) {
  return aws_sigv4::canonical_request_text(canonical_parts(request));
}

std::string authorization_header(const SignedRequestParts& request, const Credentials& credentials,
                                 const SigningScope& scope) {
  std::string date_time = header_value(request, "x-amz-date");
  aws_sigv4::CanonicalRequest parts = canonical_parts(request);
  std::string signature =
      aws_sigv4::signature(credentials.secret_access_key, date_time, scope.region, scope.service,
                           aws_sigv4::canonical_request_text(parts));
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
         aws_sigv4::credential_scope(date_time, scope.region, scope.service) +
         ", SignedHeaders=" + aws_sigv4::signed_header_names(parts.headers) +
         ", Signature=" + signature;
}

}  // namespace cruddur::dynamodb
