#include "aws_sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace aws_sigv4 {
namespace {

std::string hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 15];
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

}  // namespace

std::string signed_header_names(const std::map<std::string, std::string>& headers) {
  std::string names;
  for (const auto& [name, value] : headers) {
    if (!names.empty()) names += ';';
    names += name;
  }
  return names;
}

std::string canonical_request_text(const CanonicalRequest& request) {
  // Appended piece by piece: GCC 12 warns falsely on string + literal chains (bug 105329).
  std::string text = request.method;
  text += '\n';
  text += request.uri;
  text += '\n';
  text += request.query;
  text += '\n';
  for (const auto& [name, value] : request.headers) {
    text += name;
    text += ':';
    text += value;
    text += '\n';
  }
  text += '\n';
  text += signed_header_names(request.headers);
  text += '\n';
  text += request.payload_hash;
  return text;
}

std::string trim_all(std::string_view value) {
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

std::string uri_encode(std::string_view text, bool keep_slash) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kDigits[c >> 4];
      encoded += kDigits[c & 15];
    }
  }
  return encoded;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string credential_scope(std::string_view amz_date, std::string_view region,
                             std::string_view service) {
  std::string scope(amz_date.substr(0, 8));
  scope += '/';
  scope += region;
  scope += '/';
  scope += service;
  scope += "/aws4_request";
  return scope;
}

std::string signature(std::string_view secret_access_key, std::string_view amz_date,
                      std::string_view region, std::string_view service, std::string_view text) {
  std::string string_to_sign = "AWS4-HMAC-SHA256\n";
  string_to_sign += amz_date;
  string_to_sign += '\n';
  string_to_sign += credential_scope(amz_date, region, service);
  string_to_sign += '\n';
  string_to_sign += sha256_hex(text);
  std::string key = "AWS4";
  key += secret_access_key;
  key = hmac_sha256(key, amz_date.substr(0, 8));
  key = hmac_sha256(key, region);
  key = hmac_sha256(key, service);
  key = hmac_sha256(key, "aws4_request");
  return hex(hmac_sha256(key, string_to_sign));
}

}  // namespace aws_sigv4
