#pragma once
// `cruddur serve`'s HTTP server: Beast sessions reading requests asynchronously, answered by
// ApiRoutes. The routes call DynamoDB synchronously, so the io_context runs on a few threads and
// a slow DynamoDB call holds one of them, not the whole server.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/api_routes.h"

namespace cruddur::http {

class ApiServer {
 public:
  // Binds address:port (port 0 picks a free one). Throws boost::system::system_error.
  ApiServer(ApiRoutes& routes, const std::string& address, unsigned short port);
  ~ApiServer();

  unsigned short port() const { return port_; }
  // Serves on `threads` threads until SIGINT or SIGTERM; returns once they have stopped.
  void run(int threads);

 private:
  void accept();

  ApiRoutes& routes_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
};

}  // namespace cruddur::http
