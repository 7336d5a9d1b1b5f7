#pragma once
#include <string>
#include <vector>

namespace eddy::protocol {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  // -cors: allowed origins ("*" for any); empty disables CORS headers.
  std::vector<std::string> cors_origins = {"*"};
  unsigned threads = 0;  // 0: one per core
  size_t max_body_bytes = 16 * 1024 * 1024;
  int request_timeout_seconds = 60;
};

}  // namespace eddy::protocol
