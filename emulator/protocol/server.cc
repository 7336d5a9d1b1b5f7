#include "protocol/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "operations/clock.h"
#include "operations/ttl_sweeper.h"
#include "protocol/http_session.h"

namespace eddy::protocol {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

unsigned thread_count(const ServerOptions& options) {
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  return threads == 0 ? 1 : threads;
}

std::vector<std::unique_ptr<asio::io_context>> make_contexts(unsigned count) {
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (unsigned i = 0; i < count; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  return contexts;
}

std::optional<asio::ssl::context> make_tls_context(const ServerOptions& options) {
  if (options.tls_certificate_file.empty()) return std::nullopt;
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code error;
  context.use_certificate_chain_file(options.tls_certificate_file, error);
  if (error) {
    throw std::runtime_error("-tls: cannot use certificate " + options.tls_certificate_file + ": " +
                             error.message());
  }
  // OpenSSL also checks here that the key is the certificate's ("key values mismatch").
  context.use_private_key_file(options.tls_key_file, asio::ssl::context::pem, error);
  if (error) {
    throw std::runtime_error("-tls: cannot use private key " + options.tls_key_file + ": " +
                             error.message());
  }
  return context;
}

}  // namespace

Server::Server(ServerOptions options, const operations::Settings& settings,
               operations::Namespaces& namespaces)
    : options_(std::move(options)),
      tls_(make_tls_context(options_)),
      contexts_(make_contexts(thread_count(options_))),
      acceptor_(*contexts_[0]),
      router_(options_, settings, namespaces),
      settings_(settings),
      namespaces_(namespaces),
      sweep_timer_(*contexts_[0]),
      accept_retry_timer_(*contexts_[0]) {}

asio::io_context& Server::next_context() {
  asio::io_context& context = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  return context;
}

void Server::listen() {
  tcp::endpoint endpoint{asio::ip::make_address(options_.host), options_.port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  bound_port_ = acceptor_.local_endpoint().port();
}

void Server::accept() {
  acceptor_.async_accept(next_context(),
                         [this](boost::system::error_code error, tcp::socket socket) {
                           if (error == asio::error::operation_aborted) return;
                           if (error) return pause_accepting(error);
                           start_session(std::move(socket));
                           accept();
                         });
}

void Server::take_waiting_connections() {
  // Connections still in the listen backlog have usually sent their request already; closing
  // the listening socket would reset them. Take them as sessions: each answers what it has.
  boost::system::error_code error;
  acceptor_.non_blocking(true, error);
  for (int taken = 0; !error && taken < 4096; ++taken) {
    tcp::socket socket(next_context());
    acceptor_.accept(socket, error);
    if (error) break;
    start_session(std::move(socket));
  }
}

void Server::start_session(tcp::socket socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto session = std::make_shared<HttpSession>(std::move(socket), tls_ ? &*tls_ : nullptr, router_,
                                               options_, sessions_);
  sessions_.add(session);
  session->start();
}

void Server::pause_accepting(const boost::system::error_code& error) {
  // Out of descriptors (EMFILE, ENFILE) or memory: the connection stays in the listen backlog
  // and accept would fail again at once, spinning a core. Wait for sessions to close instead.
  if (!accept_paused_logged_) {
    std::cerr << "eddy: cannot accept connections (" << error.message()
              << "); retrying every 50 ms until some close" << std::endl;
    accept_paused_logged_ = true;
  }
  accept_retry_timer_.expires_after(std::chrono::milliseconds(50));
  accept_retry_timer_.async_wait([this](boost::system::error_code wait_error) {
    if (wait_error || !acceptor_.is_open()) return;
    accept();
  });
}

void Server::schedule_sweep() {
  double interval = settings_.ttl_sweep_interval_seconds;
  if (interval <= 0) return;
  sweep_timer_.expires_after(std::chrono::milliseconds(static_cast<int64_t>(interval * 1000)));
  sweep_timer_.async_wait([this](boost::system::error_code error) {
    if (error) return;
    if (!sweeping_.exchange(true)) {
      operations::sweep_all_expired(namespaces_, operations::now_seconds(),
                                    [this](int64_t) { sweeping_ = false; });
    }
    schedule_sweep();
  });
}

void Server::run(const std::function<void()>& on_ready) {
  // Keeps every context running while it has no session yet.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  for (auto& context : contexts_) keep_running.push_back(asio::make_work_guard(*context));
  asio::signal_set signals(*contexts_[0], SIGINT, SIGTERM);
  signals.async_wait([this, &keep_running](boost::system::error_code error, int) {
    if (error) return;
    take_waiting_connections();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    sweep_timer_.cancel();
    accept_retry_timer_.cancel();
    sessions_.begin_shutdown();
    // Each context now returns once its sessions are done; a client that never finishes its
    // request is cut off at the deadline.
    keep_running.clear();
    shutdown_deadline_ = std::chrono::steady_clock::now() + kShutdownGrace;
    watch_shutdown();
  });
  accept();
  schedule_sweep();
  if (on_ready) on_ready();
  std::vector<std::thread> pool;
  for (size_t i = 1; i < contexts_.size(); ++i) {
    pool.emplace_back([this, i] { contexts_[i]->run(); });
  }
  contexts_[0]->run();
  for (auto& thread : pool) thread.join();
}

void Server::watch_shutdown() {
  if (sessions_.live() == 0 || std::chrono::steady_clock::now() >= shutdown_deadline_) {
    for (auto& context : contexts_) context->stop();
    return;
  }
  sweep_timer_.expires_after(std::chrono::milliseconds(20));
  sweep_timer_.async_wait([this](boost::system::error_code) { watch_shutdown(); });
}

}  // namespace eddy::protocol
