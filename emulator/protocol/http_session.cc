#include "protocol/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

namespace eddy::protocol {

namespace beast = boost::beast;

namespace {

std::variant<beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>> make_stream(
    boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context* tls) {
  if (tls == nullptr) return beast::tcp_stream(std::move(socket));
  return beast::ssl_stream<beast::tcp_stream>(std::move(socket), *tls);
}

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context* tls,
                         RequestRouter& router, const ServerOptions& options,
                         SessionTracker& tracker)
    : stream_(make_stream(std::move(socket), tls)),
      router_(router),
      options_(options),
      tracker_(tracker) {
  boost::system::error_code error;
  boost::asio::ip::address peer = tcp().socket().remote_endpoint(error).address();
  if (peer.is_v6() && peer.to_v6().is_v4_mapped()) {
    peer = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, peer.to_v6());
  }
  from_loopback_ = !error && peer.is_loopback();
}

beast::tcp_stream& HttpSession::tcp() {
  return std::visit(
      [](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); }, stream_);
}

void HttpSession::start() {
  boost::asio::dispatch(tcp().get_executor(), [self = shared_from_this()] {
    auto* tls = std::get_if<TlsStream>(&self->stream_);
    if (tls == nullptr) return self->read_request();
    // A client that never finishes its handshake is cut off like one that never sends a request.
    self->tcp().expires_after(std::chrono::seconds(self->options_.request_timeout_seconds));
    tls->async_handshake(boost::asio::ssl::stream_base::server,
                         beast::bind_front_handler(&HttpSession::on_handshake, self));
  });
}

void HttpSession::on_handshake(beast::error_code error) {
  if (error) return close();  // plain HTTP on the TLS port, an untrusted certificate, ...
  read_request();
}

void HttpSession::finish_and_close() {
  boost::asio::dispatch(tcp().get_executor(), [self = shared_from_this()] {
    if (!self->awaiting_request_ || self->parser_->got_some() || self->buffer_.size() > 0) return;
    // Bytes already in the socket are a request the client sent before we stopped: take it.
    boost::system::error_code error;
    if (self->tcp().socket().available(error) > 0 && !error) return;
    self->close();
  });
}

void HttpSession::read_request() {
  if (tracker_.stopping() && buffer_.size() == 0) {
    beast::error_code error;
    if (tcp().socket().available(error) == 0 || error) return close();
  }
  awaiting_request_ = true;
  parser_.emplace();
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(64 * 1024);
  tcp().expires_after(std::chrono::seconds(options_.request_timeout_seconds));
  with_stream([this](auto& stream) {
    http::async_read(stream, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  });
}

void HttpSession::on_read(beast::error_code error, std::size_t) {
  awaiting_request_ = false;
  if (error == http::error::end_of_stream) return close();
  if (error == http::error::body_limit) {
    HttpRequest header_only{parser_->get().method(), parser_->get().target(),
                            parser_->get().version()};
    header_only.keep_alive(false);
    HttpResponse response = router_.error_response(
        header_only, 413, "RequestEntityTooLargeException",
        "Request Entity Too Large: the request body exceeds the limit of 16777216 bytes",
        "com.amazon.coral.service#");
    response.keep_alive(false);
    return send(std::move(response));
  }
  if (error) return close();  // timeout, reset, malformed HTTP: nothing sensible to answer

  tcp().expires_never();
  HttpRequest& request = parser_->get();
  // While the writer thread has the request, no asio operation of ours is pending: the guard
  // keeps this session's io_context running (a shutdown would otherwise let it return with the
  // answer still to come).
  auto answer_pending =
      std::make_shared<boost::asio::executor_work_guard<beast::tcp_stream::executor_type>>(
          tcp().get_executor());
  router_.route(
      request, from_loopback_, [self = shared_from_this(), answer_pending](HttpResponse response) {
        // The router may answer from the writer thread: hop back onto this session's
        // thread. Reads answer on it already, and are sent at once.
        boost::asio::dispatch(self->tcp().get_executor(),
                              [self, answer_pending, response = std::move(response)]() mutable {
                                self->send(std::move(response));
                                answer_pending->reset();
                              });
      });
}

void HttpSession::send(HttpResponse response) {
  response_ = std::move(response);
  if (tracker_.stopping()) response_.keep_alive(false);
  bool close_after = !response_.keep_alive();
  tcp().expires_after(std::chrono::seconds(options_.request_timeout_seconds));
  with_stream([this, close_after](auto& stream) {
    http::async_write(
        stream, response_,
        beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close_after));
  });
}

void HttpSession::on_write(bool close_after, beast::error_code error, std::size_t) {
  if (error || close_after) return close();
  read_request();
}

void HttpSession::close() {
  if (auto* tls = std::get_if<TlsStream>(&stream_); tls != nullptr && !tls_closing_) {
    // TLS says goodbye with close_notify first; a client that never answers it is not waited
    // for beyond a second.
    tls_closing_ = true;
    tcp().expires_after(std::chrono::seconds(1));
    return tls->async_shutdown([self = shared_from_this()](beast::error_code) { self->close(); });
  }
  beast::error_code ignored;
  tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  tcp().socket().close(ignored);
}

}  // namespace eddy::protocol
