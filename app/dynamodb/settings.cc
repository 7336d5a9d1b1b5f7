#include "dynamodb/settings.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cruddur::dynamodb {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string trimmed(const std::string& text) {
  size_t start = text.find_first_not_of(" \t\r");
  if (start == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(start, end - start + 1);
}

}  // namespace

Credentials credentials_from_file_text(const std::string& text, const std::string& profile) {
  Credentials credentials;
  std::istringstream lines(text);
  std::string line;
  bool in_profile = false;
  while (std::getline(lines, line)) {
    line = trimmed(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      in_profile = trimmed(line.substr(1, line.size() - 2)) == profile;
      continue;
    }
    size_t equals = line.find('=');
    if (!in_profile || equals == std::string::npos) continue;
    std::string key = trimmed(line.substr(0, equals));
    std::string value = trimmed(line.substr(equals + 1));
    if (key == "aws_access_key_id") credentials.access_key_id = value;
    if (key == "aws_secret_access_key") credentials.secret_access_key = value;
    if (key == "aws_session_token") credentials.session_token = value;
  }
  return credentials;
}

ClientSettings settings_from_environment(bool real_aws) {
  ClientSettings settings;
  settings.region = environment("AWS_REGION");
  if (settings.region.empty()) settings.region = environment("AWS_DEFAULT_REGION");
  if (settings.region.empty()) settings.region = "us-east-1";
  if (!real_aws) {
    settings.endpoint = environment("AWS_ENDPOINT_URL_DYNAMODB");
    if (settings.endpoint.empty()) settings.endpoint = environment("AWS_ENDPOINT_URL");
  }
  if (settings.endpoint.empty()) {
    settings.endpoint = "https://dynamodb." + settings.region + ".amazonaws.com";
  }
  settings.credentials = {environment("AWS_ACCESS_KEY_ID"), environment("AWS_SECRET_ACCESS_KEY"),
                          environment("AWS_SESSION_TOKEN")};
  if (settings.credentials.access_key_id.empty()) {
    std::string path = environment("AWS_SHARED_CREDENTIALS_FILE");
    if (path.empty() && !environment("HOME").empty()) {
      path = environment("HOME") + "/.aws/credentials";
    }
    std::string profile = environment("AWS_PROFILE");
    std::ifstream file(path);
    if (file) {
      std::stringstream text;
      text << file.rdbuf();
      settings.credentials =
          credentials_from_file_text(text.str(), profile.empty() ? "default" : profile);
    }
  }
  if (settings.credentials.access_key_id.empty() ||
      settings.credentials.secret_access_key.empty()) {
    throw std::runtime_error(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add them to "
        "~/.aws/credentials (eddy accepts any values)");
  }
  return settings;
}

}  // namespace cruddur::dynamodb
