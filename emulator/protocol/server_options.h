#pragma once
#include <optional>
#include <string>
#include <vector>

#include "protocol/signature_check.h"

namespace eddy::protocol {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  // -cors: allowed origins ("*" for any); empty disables CORS headers.
  std::vector<std::string> cors_origins = {"*"};
  unsigned threads = 0;  // 0: one per core
  size_t max_body_bytes = 16 * 1024 * 1024;
  int request_timeout_seconds = 60;
  // -credentials FILE: verify every signature against these keys (strict mode).
  std::optional<KeyRing> credentials;
  // -tls CERT KEY: serve HTTPS with this PEM certificate chain and private key.
  std::string tls_certificate_file;
  std::string tls_key_file;
};

}  // namespace eddy::protocol
