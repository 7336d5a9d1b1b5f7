#pragma once
// Where Cruddur's client sends requests and as whom: the AWS SDKs' environment variables and
// shared credentials file, so the same binary runs against eddy and against real DynamoDB.
#include <string>

#include "dynamodb/sigv4.h"

namespace cruddur::dynamodb {

struct ClientSettings {
  std::string endpoint;  // http(s)://host[:port]
  std::string region;
  Credentials credentials;
  int max_attempts = 5;      // first try included
  int base_delay_ms = 25;    // exponential backoff with full jitter...
  int max_delay_ms = 2000;   // ...capped here
  int timeout_seconds = 30;  // per attempt
};

// The settings the AWS SDKs would use:
// - region: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1;
// - endpoint: AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL (unless `real_aws`), else
//   https://dynamodb.<region>.amazonaws.com;
// - credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the
//   AWS_PROFILE (or default) section of AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials.
// Throws std::runtime_error naming what is missing.
ClientSettings settings_from_environment(bool real_aws);

// The [profile] section's keys of an AWS credentials file's text.
Credentials credentials_from_file_text(const std::string& text, const std::string& profile);

}  // namespace cruddur::dynamodb
