#include "protocol/signature_check.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "aws_sigv4.h"

namespace eddy::protocol {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::system_clock;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// "20260101T000000Z" <-> time points, in UTC.
std::optional<Clock::time_point> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  std::tm fields{};
  std::string copy(text);
  const char* end = strptime(copy.c_str(), "%Y%m%dT%H%M%SZ", &fields);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return Clock::from_time_t(timegm(&fields));
}

std::string format_amz_date(Clock::time_point when) {
  std::time_t seconds = Clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[20];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string_view header(const http::request<http::string_body>& request, std::string_view name) {
  auto found = request.find(boost::beast::string_view(name.data(), name.size()));
  if (found == request.end()) return {};
  return std::string_view(found->value().data(), found->value().size());
}

// What the client signed, rebuilt from what arrived.
aws_sigv4::CanonicalRequest canonical_form(const http::request<http::string_body>& request,
                                           const SigV4Credential& credential) {
  std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  aws_sigv4::CanonicalRequest canonical;
  canonical.method = std::string(request.method_string());
  // The path as sent, encoded once more: what botocore and the other SDKs sign.
  canonical.uri = aws_sigv4::uri_encode(path.empty() ? "/" : path, true);

  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [name, value] : query_parameters(target)) {
    if (credential.presigned && name == "X-Amz-Signature") continue;
    query.emplace_back(aws_sigv4::uri_encode(name, false), aws_sigv4::uri_encode(value, false));
  }
  std::sort(query.begin(), query.end());
  for (const auto& [name, value] : query) {
    if (!canonical.query.empty()) canonical.query += '&';
    canonical.query += name;
    canonical.query += '=';
    canonical.query += value;
  }

  size_t start = 0;
  const std::string& names = credential.signed_headers;
  while (start <= names.size()) {
    size_t end = std::min(names.find(';', start), names.size());
    std::string name = lower(std::string_view(names).substr(start, end - start));
    std::string joined;
    for (const auto& field : request) {
      if (lower(std::string_view(field.name_string().data(), field.name_string().size())) != name) {
        continue;
      }
      if (!joined.empty()) joined += ',';
      joined += aws_sigv4::trim_all(std::string_view(field.value().data(), field.value().size()));
    }
    if (!name.empty()) canonical.headers[name] = joined;
    start = end + 1;
  }

  // Always the hash of the body that arrived, whatever the client declared: DynamoDB signs its
  // payloads, and a declared hash (or S3's UNSIGNED-PAYLOAD) would let a body change unnoticed.
  canonical.payload_hash = aws_sigv4::sha256_hex(request.body());
  return canonical;
}

AuthFailure invalid_signature(std::string message) {
  return {"InvalidSignatureException", std::move(message)};
}

// AWS's words for a signature too old or too new, e.g. "Signature expired: 20260101T000000Z is
// now earlier than 20260101T000501Z (20260101T001501Z - 15 min.)".
std::optional<AuthFailure> check_time(std::string_view amz_date, Clock::time_point signed_at,
                                      Clock::time_point now) {
  now = std::chrono::time_point_cast<std::chrono::seconds>(now);
  if (signed_at < now - kAllowedClockSkew) {
    return invalid_signature("Signature expired: " + std::string(amz_date) +
                             " is now earlier than " + format_amz_date(now - kAllowedClockSkew) +
                             " (" + format_amz_date(now) + " - 15 min.)");
  }
  if (signed_at > now + kAllowedClockSkew) {
    return invalid_signature("Signature not yet current: " + std::string(amz_date) +
                             " is still later than " + format_amz_date(now + kAllowedClockSkew) +
                             " (" + format_amz_date(now) + " + 15 min.)");
  }
  return std::nullopt;
}

}  // namespace

KeyRing read_credentials_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read credentials file " + path);
  KeyRing keys;
  struct Profile {
    std::string name, key_id, secret, token;
    int line = 0;
  };
  std::vector<Profile> profiles;
  std::string text;
  for (int line = 1; std::getline(file, text); ++line) {
    std::string_view content = trim(text);
    if (content.empty() || content[0] == '#' || content[0] == ';') continue;
    if (content.front() == '[' && content.back() == ']') {
      profiles.push_back(
          {std::string(trim(content.substr(1, content.size() - 2))), "", "", "", line});
      continue;
    }
    size_t equals = content.find('=');
    if (equals == std::string_view::npos || profiles.empty()) {
      throw std::runtime_error(path + ":" + std::to_string(line) +
                               ": expected [profile] or name = value");
    }
    std::string name = lower(trim(content.substr(0, equals)));
    std::string value(trim(content.substr(equals + 1)));
    if (name == "aws_access_key_id") profiles.back().key_id = value;
    if (name == "aws_secret_access_key") profiles.back().secret = value;
    if (name == "aws_session_token") profiles.back().token = value;
  }
  for (const Profile& profile : profiles) {
    if (profile.key_id.empty() || profile.secret.empty()) {
      throw std::runtime_error(path + ":" + std::to_string(profile.line) + ": profile [" +
                               profile.name +
                               "] needs aws_access_key_id and aws_secret_access_key");
    }
    keys[profile.key_id] = SecretKey{profile.secret, profile.token};
  }
  if (keys.empty()) throw std::runtime_error(path + ": no credentials in the file");
  return keys;
}

std::optional<AuthFailure> check_signature(const http::request<http::string_body>& request,
                                           const SigV4Credential& credential, const KeyRing& keys,
                                           Clock::time_point now) {
  auto key = keys.find(credential.access_key_id);
  std::string token(header(request, "x-amz-security-token"));
  if (credential.presigned) {
    for (auto& [name, value] :
         query_parameters(std::string_view(request.target().data(), request.target().size()))) {
      if (name == "X-Amz-Security-Token") token = std::move(value);
    }
  }
  if (key == keys.end() || token != key->second.session_token) {
    return AuthFailure{"UnrecognizedClientException",
                       "The security token included in the request is invalid."};
  }

  std::string amz_date =
      credential.presigned ? credential.amz_date : std::string(header(request, "x-amz-date"));
  std::optional<Clock::time_point> signed_at = parse_amz_date(amz_date);
  if (!signed_at) {
    return AuthFailure{"IncompleteSignatureException",
                       "Authorization header requires existence of either a 'X-Amz-Date' or a "
                       "'Date' header."};
  }
  if (auto failure = check_time(amz_date, *signed_at, now)) return failure;
  if (credential.expires_seconds &&
      now > *signed_at + std::chrono::seconds(*credential.expires_seconds)) {
    std::chrono::seconds lifetime(*credential.expires_seconds);
    return invalid_signature("Signature expired: " + amz_date + " is now earlier than " +
                             format_amz_date(now - lifetime) + " (" + format_amz_date(now) + " - " +
                             std::to_string(lifetime.count()) + " sec.)");
  }
  if (credential.date != amz_date.substr(0, 8)) {
    return invalid_signature(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
        "version of date from HTTP: '" +
        credential.date + "' != '" + amz_date.substr(0, 8) + "', from '" + amz_date + "'.");
  }

  std::string canonical = aws_sigv4::canonical_request_text(canonical_form(request, credential));
  std::string expected = aws_sigv4::signature(key->second.secret_access_key, amz_date,
                                              credential.region, credential.service, canonical);
  bool matches = expected.size() == credential.signature.size() &&
                 CRYPTO_memcmp(expected.data(), credential.signature.data(), expected.size()) == 0;
  if (!matches) {
    // AWS once put this text in the response; a log line helps as much and tells a stranger
    // nothing.
    std::cerr << "eddy: signature mismatch for access key " << credential.access_key_id
              << "; the canonical request eddy signed was:\n"
              << canonical << std::endl;
    return invalid_signature(
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.");
  }
  return std::nullopt;
}

}  // namespace eddy::protocol
