#include "protocol/sigv4_header.h"

#include <map>
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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    int high = 0, low = 0;
    if (text[i] == '%' && i + 2 < text.size() && (high = hex_value(text[i + 1])) >= 0 &&
        (low = hex_value(text[i + 2])) >= 0) {
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

// "AKID/20260101/us-east-1/dynamodb/aws4_request" into result's key, date, region and service.
bool read_scope(std::string_view credential, SigV4Credential& result, std::string& problem) {
  std::vector<std::string_view> scope = split(credential, '/');
  if (scope.size() != 5 || scope[0].empty() || scope[4] != "aws4_request") {
    problem = "Credential should be scoped to a valid region. ";
    return false;
  }
  result.access_key_id = scope[0];
  result.date = scope[1];
  result.region = scope[2];
  result.service = scope[3];
  return true;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> query_parameters(std::string_view target) {
  std::vector<std::pair<std::string, std::string>> parameters;
  size_t question = target.find('?');
  if (question == std::string_view::npos) return parameters;
  for (std::string_view pair : split(target.substr(question + 1), '&')) {
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    parameters.emplace_back(
        percent_decode(pair.substr(0, equals)),
        equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1)));
  }
  return parameters;
}

bool has_query_signature(std::string_view target) {
  for (const auto& [name, value] : query_parameters(target)) {
    if (name == "X-Amz-Algorithm") return true;
  }
  return false;
}

std::optional<SigV4Credential> parse_query_signature(std::string_view target,
                                                     std::string& problem) {
  std::map<std::string, std::string, std::less<>> found;
  for (auto& [name, value] : query_parameters(target)) found.emplace(name, value);
  for (const char* required : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                               "X-Amz-SignedHeaders", "X-Amz-Date"}) {
    if (!found.count(required)) {
      problem = std::string("AWS query-string parameters must include '") + required +
                "'. Re-examine the query-string parameters.";
      return std::nullopt;
    }
  }
  if (found["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256") {
    problem = "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"";
    return std::nullopt;
  }
  SigV4Credential result;
  if (!read_scope(found["X-Amz-Credential"], result, problem)) return std::nullopt;
  result.presigned = true;
  result.signature = found["X-Amz-Signature"];
  result.signed_headers = found["X-Amz-SignedHeaders"];
  result.amz_date = found["X-Amz-Date"];
  if (auto expires = found.find("X-Amz-Expires"); expires != found.end()) {
    const std::string& text = expires->second;
    bool digits = !text.empty() && text.size() <= 9 &&
                  text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      problem = "X-Amz-Expires should be a number";
      return std::nullopt;
    }
    result.expires_seconds = std::stoll(text);
  }
  return result;
}

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
  if (!read_scope(credential, result, problem)) return std::nullopt;
  return result;
}

}  // namespace eddy::protocol
