#include "protocol/server.h"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <iostream>
#include <thread>
#include <vector>

#include "protocol/http_session.h"

namespace eddy::protocol {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Server::Server(ServerOptions options, const operations::Settings& settings,
               operations::Namespaces& namespaces)
    : options_(std::move(options)),
      io_(),
      acceptor_(asio::make_strand(io_)),
      router_(options_, settings, namespaces) {}

void Server::listen() {
  tcp::endpoint endpoint{asio::ip::make_address(options_.host), options_.port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  bound_port_ = acceptor_.local_endpoint().port();
}

void Server::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](boost::system::error_code error,
                                                        tcp::socket socket) {
    if (error == asio::error::operation_aborted) return;
    if (!error) {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<HttpSession>(std::move(socket), router_, options_)->start();
    }
    accept();
  });
}

void Server::run(const std::function<void()>& on_ready) {
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  signals.async_wait([this](boost::system::error_code, int) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    // Sessions finish the request they are serving; idle keep-alive reads are cut short.
    io_.stop();
  });
  accept();
  if (on_ready) on_ready();
  unsigned threads = options_.threads ? options_.threads : std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& thread : pool) thread.join();
}

}  // namespace eddy::protocol
