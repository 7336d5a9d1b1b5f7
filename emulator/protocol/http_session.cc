#include "protocol/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace eddy::protocol {

namespace beast = boost::beast;

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, RequestRouter& router,
                         const ServerOptions& options)
    : stream_(std::move(socket)), router_(router), options_(options) {
  boost::system::error_code error;
  boost::asio::ip::address peer = stream_.socket().remote_endpoint(error).address();
  if (peer.is_v6() && peer.to_v6().is_v4_mapped()) {
    peer = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, peer.to_v6());
  }
  from_loopback_ = !error && peer.is_loopback();
}

void HttpSession::start() {
  boost::asio::dispatch(stream_.get_executor(),
                        [self = shared_from_this()] { self->read_request(); });
}

void HttpSession::read_request() {
  parser_.emplace();
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(64 * 1024);
  stream_.expires_after(std::chrono::seconds(options_.request_timeout_seconds));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code error, std::size_t) {
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

  stream_.expires_never();
  HttpRequest& request = parser_->get();
  router_.route(request, from_loopback_, [self = shared_from_this()](HttpResponse response) {
    // The router may answer from the writer thread: hop back onto this session's thread. Reads
    // answer on it already, and are sent at once.
    boost::asio::dispatch(
        self->stream_.get_executor(),
        [self, response = std::move(response)]() mutable { self->send(std::move(response)); });
  });
}

void HttpSession::send(HttpResponse response) {
  response_ = std::move(response);
  bool close_after = !response_.keep_alive();
  stream_.expires_after(std::chrono::seconds(options_.request_timeout_seconds));
  http::async_write(
      stream_, response_,
      beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close_after));
}

void HttpSession::on_write(bool close_after, beast::error_code error, std::size_t) {
  if (error || close_after) return close();
  read_request();
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace eddy::protocol
