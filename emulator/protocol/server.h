#pragma once
// The listening socket and the thread pool that runs every session.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "operations/namespaces.h"
#include "protocol/request_router.h"
#include "protocol/session_tracker.h"

namespace eddy::protocol {

class Server {
 public:
  // Throws std::runtime_error if -tls's certificate or key cannot be loaded.
  Server(ServerOptions options, const operations::Settings& settings,
         operations::Namespaces& namespaces);

  // Binds and listens; throws with a readable message if the address is taken.
  void listen();
  unsigned short bound_port() const { return bound_port_; }
  // Serves until SIGINT/SIGTERM, then stops accepting, answers the requests already received
  // (for at most kShutdownGrace) and returns.
  void run(const std::function<void()>& on_ready);

  static constexpr std::chrono::seconds kShutdownGrace{10};

 private:
  void accept();
  void start_session(boost::asio::ip::tcp::socket socket);
  void pause_accepting(const boost::system::error_code& error);
  // At shutdown: the connections the kernel has completed but we have not accepted yet.
  void take_waiting_connections();
  // Every -ttlSweepInterval seconds: deletes expired items in every open namespace.
  void schedule_sweep();
  // After the signal: stops the contexts once no session is left, or at the deadline.
  void watch_shutdown();

  boost::asio::io_context& next_context();

  ServerOptions options_;
  std::optional<boost::asio::ssl::context> tls_;  // under -tls
  // One io_context per thread, each run by exactly one thread: a session lives on one of them
  // for its whole life, so its handlers never contend for a shared scheduler lock.
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  size_t next_context_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  RequestRouter router_;
  const operations::Settings& settings_;
  operations::Namespaces& namespaces_;
  boost::asio::steady_timer sweep_timer_;
  boost::asio::steady_timer accept_retry_timer_;
  bool accept_paused_logged_ = false;
  std::atomic<bool> sweeping_{false};  // a sweep slower than the interval is not piled on
  unsigned short bound_port_ = 0;
  SessionTracker sessions_;
  std::chrono::steady_clock::time_point shutdown_deadline_;
};

}  // namespace eddy::protocol
