#include "dynamodb/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace cruddur::dynamodb {
namespace {

std::string hex(const unsigned char* bytes, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 15];
  }
  return text;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &size)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// SigV4 trims a header value and folds inner runs of spaces into one.
std::string canonical_value(std::string_view value) {
  std::string folded;
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = !folded.empty();
      continue;
    }
    if (in_space) folded += ' ';
    in_space = false;
    folded += c;
  }
  return folded;
}

// Lower-cased names in order, with their canonical values.
std::map<std::string, std::string> canonical_headers(const SignedRequestParts& request) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) headers[lower(name)] = canonical_value(value);
  return headers;
}

std::string signed_header_names(const std::map<std::string, std::string>& headers) {
  std::string names;
  for (const auto& [name, value] : headers) {
    if (!names.empty()) names += ';';
    names += name;
  }
  return names;
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
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return hex(digest, sizeof digest);
}

std::string canonical_request(const SignedRequestParts& request) {
  std::map<std::string, std::string> headers = canonical_headers(request);
  // Appended piece by piece: GCC 12 warns falsely on string + literal chains (bug 105329).
  std::string text = request.method;
  text += '\n';
  text += request.path;
  text += "\n\n";  // no query string
  for (const auto& [name, value] : headers) {
    text += name;
    text += ':';
    text += value;
    text += '\n';
  }
  text += '\n';
  text += signed_header_names(headers);
  text += '\n';
  text += sha256_hex(request.body);
  return text;
}

std::string authorization_header(const SignedRequestParts& request, const Credentials& credentials,
                                 const SigningScope& scope) {
  std::string date_time = header_value(request, "x-amz-date");
  std::string date = date_time.substr(0, 8);
  std::string credential_scope = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  std::string string_to_sign = "AWS4-HMAC-SHA256\n" + date_time + "\n" + credential_scope + "\n" +
                               sha256_hex(canonical_request(request));
  std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  key = hmac_sha256(key, scope.region);
  key = hmac_sha256(key, scope.service);
  key = hmac_sha256(key, "aws4_request");
  std::string signature = hmac_sha256(key, string_to_sign);
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + credential_scope +
         ", SignedHeaders=" + signed_header_names(canonical_headers(request)) + ", Signature=" +
         hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
}

}  // namespace cruddur::dynamodb
