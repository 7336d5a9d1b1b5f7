#pragma once
// The listening socket and the thread pool that runs every session.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>

#include "operations/namespaces.h"
#include "protocol/request_router.h"

namespace eddy::protocol {

class Server {
 public:
  Server(ServerOptions options, const operations::Settings& settings,
         operations::Namespaces& namespaces);

  // Binds and listens; throws with a readable message if the address is taken.
  void listen();
  unsigned short bound_port() const { return bound_port_; }
  // Serves until SIGINT/SIGTERM, then stops accepting, finishes in-flight responses and returns.
  void run(const std::function<void()>& on_ready);

 private:
  void accept();

  ServerOptions options_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  RequestRouter router_;
  unsigned short bound_port_ = 0;
};

}  // namespace eddy::protocol
