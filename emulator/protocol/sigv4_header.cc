#include "protocol/sigv4_header.h"

#include <vector>

namespace eddy::protocol {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

std::optional<SigV4Credential> parse_authorization(std::string_view header, std::string& problem) {
  constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
  header = trim(header);
  if (header.substr(0, kAlgorithm.size()) != kAlgorithm) {
    problem.assign(
        "Authorization header requires 'Credential' parameter. Authorization header requires "
        "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
        "Authorization=");
    problem.append(header);
    return std::nullopt;
  }
  SigV4Credential result;
  std::string_view credential;
  bool has_signed_headers = false;
  bool has_signature = false;
  for (std::string_view part : split(header.substr(kAlgorithm.size()), ',')) {
    part = trim(part);
    size_t equals = part.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view key = trim(part.substr(0, equals));
    std::string_view value = trim(part.substr(equals + 1));
    if (key == "Credential") {
      credential = value;
    } else if (key == "SignedHeaders") {
      result.signed_headers = value;
      has_signed_headers = true;
    } else if (key == "Signature") {
      result.signature = value;
      has_signature = true;
    }
  }
  const std::pair<bool, std::string_view> requirements[] = {
      {!credential.empty(), "Authorization header requires 'Credential' parameter. "},
      {has_signature, "Authorization header requires 'Signature' parameter. "},
      {has_signed_headers, "Authorization header requires 'SignedHeaders' parameter. "},
  };
  std::string missing;
  for (const auto& [present, message] : requirements) {
    if (!present) missing.append(message.data(), message.size());
  }
  if (!missing.empty()) {
    problem = std::move(missing);
    problem.append("Authorization=").append(header);
    return std::nullopt;
  }
  std::vector<std::string_view> scope = split(credential, '/');
  if (scope.size() != 5 || scope[0].empty() || scope[4] != "aws4_request") {
    problem = "Credential should be scoped to a valid region. ";
    return std::nullopt;
  }
  result.access_key_id = scope[0];
  result.date = scope[1];
  result.region = scope[2];
  result.service = scope[3];
  return result;
}

}  // namespace eddy::protocol
