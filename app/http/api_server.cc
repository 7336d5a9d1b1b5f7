#include "http/api_server.h"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <memory>
#include <optional>

namespace cruddur::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr size_t kBodyLimit = 64 * 1024;  // a message is at most 1024 characters

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ApiRoutes& routes) : stream_(std::move(socket)), routes_(routes) {}

  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(kIdleTimeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

 private:
  void on_read(beast::error_code error, std::size_t) {
    if (error == bhttp::error::end_of_stream || error == beast::error::timeout ||
        error == asio::error::operation_aborted) {
      return close();
    }
    if (error) {
      // Too large or not HTTP: say so once and hang up.
      ApiResponse refusal{error == bhttp::error::body_limit ? 413 : 400, "application/json",
                          R"({"errors":["bad_request"]})"};
      return write(refusal, 11, false);
    }
    auto& request = parser_->get();
    ApiRequest api_request{std::string(request.method_string()), std::string(request.target()),
                           std::string(request[bhttp::field::authorization]), request.body()};
    ApiResponse answer = routes_.handle(api_request);
    if (request.method() == bhttp::verb::head) answer.body.clear();
    write(answer, request.version(), request.keep_alive());
  }

  void write(const ApiResponse& answer, unsigned version, bool keep_alive) {
    response_ = {};
    response_.version(version);
    response_.result(static_cast<bhttp::status>(answer.status));
    response_.set(bhttp::field::server, "cruddur");
    response_.set(bhttp::field::content_type, answer.content_type);
    // The page polls; a cached list would hide new messages.
    response_.set(bhttp::field::cache_control, "no-store");
    response_.body() = answer.body;
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this(), keep_alive](beast::error_code error, size_t) {
                         if (error || !keep_alive) return self->close();
                         self->read();
                       });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  ApiRoutes& routes_;
};

}  // namespace

ApiServer::ApiServer(ApiRoutes& routes, const std::string& address, unsigned short port)
    : routes_(routes), acceptor_(io_) {
  tcp::endpoint endpoint(asio::ip::make_address(address), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

ApiServer::~ApiServer() = default;

void ApiServer::accept() {
  acceptor_.async_accept(asio::make_strand(io_),
                         [this](beast::error_code error, tcp::socket socket) {
                           if (error == asio::error::operation_aborted) return;
                           if (!error)
                             std::make_shared<Session>(std::move(socket), routes_)->read();
                           accept();
                         });
}

void ApiServer::run(int threads) {
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code, int) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    io_.stop();
  });
  accept();
  std::vector<std::thread> pool;
  for (int index = 1; index < threads; ++index) pool.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& thread : pool) thread.join();
}

}  // namespace cruddur::http
