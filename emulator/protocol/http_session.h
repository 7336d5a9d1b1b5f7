#pragma once
// One client connection: read a request, route it, write the response, repeat while the client
// keeps the connection alive. Async all the way (Beast's advanced_server shape): a slow or silent
// client costs a socket and a timer, never a thread.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>
#include <variant>

#include "protocol/request_router.h"
#include "protocol/session_tracker.h"

namespace eddy::protocol {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // tls: the server's context under -tls (the session then speaks HTTPS), else nullptr.
  HttpSession(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context* tls,
              RequestRouter& router, const ServerOptions& options, SessionTracker& tracker);
  void start();
  // Shutdown: a session waiting for a request that has not begun to arrive closes now; one
  // with a request in hand answers it (with Connection: close) and then closes.
  void finish_and_close();

 private:
  void on_handshake(boost::beast::error_code error);
  void read_request();
  void on_read(boost::beast::error_code error, std::size_t bytes);
  void send(HttpResponse response);
  void on_write(bool close, boost::beast::error_code error, std::size_t bytes);
  void close();

  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  // The TCP connection under either form: timeouts, the socket, the executor.
  boost::beast::tcp_stream& tcp();
  // Calls use(stream) with whichever stream this session reads and writes.
  template <class Use>
  void with_stream(Use&& use) {
    std::visit([&](auto& stream) { use(stream); }, stream_);
  }

  std::variant<boost::beast::tcp_stream, TlsStream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpResponse response_;
  RequestRouter& router_;
  const ServerOptions& options_;
  SessionTracker& tracker_;
  bool from_loopback_ = false;
  bool awaiting_request_ = false;  // a read of the next request is pending
  bool tls_closing_ = false;       // close_notify sent (or being sent)
};

}  // namespace eddy::protocol
