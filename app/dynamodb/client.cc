#include "dynamodb/client.h"

#include <zlib.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <random>
#include <thread>

namespace cruddur::dynamodb {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

thread_local int attempts_made = 0;

struct EndpointParts {
  bool tls = false;
  std::string host;
  std::string port;
};

EndpointParts parse_endpoint(const std::string& endpoint) {
  EndpointParts parts;
  std::string rest;
  if (endpoint.rfind("https://", 0) == 0) {
    parts.tls = true;
    rest = endpoint.substr(8);
  } else if (endpoint.rfind("http://", 0) == 0) {
    rest = endpoint.substr(7);
  } else {
    throw std::invalid_argument("endpoint must start with http:// or https://: " + endpoint);
  }
  rest = rest.substr(0, rest.find('/'));
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    parts.host = rest.substr(0, colon);
    parts.port = rest.substr(colon + 1);
  } else {
    parts.host = rest;
    parts.port = parts.tls ? "443" : "80";
  }
  if (parts.host.empty()) throw std::invalid_argument("endpoint has no host: " + endpoint);
  return parts;
}

asio::ssl::context& tls_context() {
  static asio::ssl::context context = [] {
    asio::ssl::context made(asio::ssl::context::tls_client);
    made.set_default_verify_paths();
    made.set_verify_mode(asio::ssl::verify_peer);
    return made;
  }();
  return context;
}

std::string crc32_text(const std::string& body) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  return std::to_string(crc);
}

// Sleep before attempt `attempt` (1 = the first retry): full jitter over an exponential cap.
std::chrono::milliseconds backoff(const ClientSettings& settings, int attempt) {
  static thread_local std::mt19937 random{std::random_device{}()};
  double cap =
      std::min<double>(settings.max_delay_ms, settings.base_delay_ms * std::pow(2.0, attempt - 1));
  std::uniform_real_distribution<double> jitter(0, cap);
  return std::chrono::milliseconds(static_cast<int64_t>(jitter(random)));
}

// A connection the server closed while idle, a reset, a timeout: try again on a new one.
struct RetryableTransport : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

bool DynamoDbError::retryable() const {
  return http_status_ >= 500 || type_ == "ProvisionedThroughputExceededException" ||
         type_ == "ThrottlingException" || type_ == "RequestLimitExceeded" ||
         type_ == "LimitExceededException";
}

// One keep-alive connection, plain or TLS, used by one call at a time.
class Client::Connection {
 public:
  Connection(const std::string& host, const std::string& port, bool tls, int timeout_seconds)
      : timeout_(timeout_seconds) {
    asio::ip::tcp::resolver resolver(io_);
    auto addresses = resolver.resolve(host, port);
    if (tls) {
      tls_stream_.emplace(io_, tls_context());
      if (!SSL_set_tlsext_host_name(tls_stream_->native_handle(), host.c_str())) {
        throw TransportError("TLS: cannot set the server name " + host);
      }
      tls_stream_->set_verify_callback(asio::ssl::host_name_verification(host));
      beast::get_lowest_layer(*tls_stream_).expires_after(timeout_);
      beast::get_lowest_layer(*tls_stream_).connect(addresses);
      tls_stream_->handshake(asio::ssl::stream_base::client);
    } else {
      plain_stream_.emplace(io_);
      plain_stream_->expires_after(timeout_);
      plain_stream_->connect(addresses);
    }
  }

  http::response<http::string_body> round_trip(http::request<http::string_body>& request) {
    http::response<http::string_body> response;
    if (tls_stream_) {
      exchange(*tls_stream_, beast::get_lowest_layer(*tls_stream_), request, response);
    } else {
      exchange(*plain_stream_, *plain_stream_, request, response);
    }
    return response;
  }

 private:
  template <class Stream>
  void exchange(Stream& stream, beast::tcp_stream& lowest,
                http::request<http::string_body>& request,
                http::response<http::string_body>& response) {
    lowest.expires_after(timeout_);
    http::write(stream, request);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer_, parser);
    response = parser.release();
  }

  asio::io_context io_;
  std::chrono::seconds timeout_;
  beast::flat_buffer buffer_;
  std::optional<beast::tcp_stream> plain_stream_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_stream_;
};

Client::Client(ClientSettings settings) : settings_(std::move(settings)) {
  EndpointParts parts = parse_endpoint(settings_.endpoint);
  host_ = parts.host;
  port_ = parts.port;
  tls_ = parts.tls;
}

Client::~Client() = default;

int Client::attempts_of_last_call() const {
  return attempts_made;
}

std::unique_ptr<Client::Connection> Client::take_connection() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  try {
    return std::make_unique<Connection>(host_, port_, tls_, settings_.timeout_seconds);
  } catch (const boost::system::system_error& failure) {
    throw RetryableTransport("cannot connect to " + settings_.endpoint + ": " + failure.what());
  }
}

void Client::give_back(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(connection));
}

nlohmann::json Client::call(std::string_view operation, const nlohmann::json& request) {
  return send("DynamoDB_20120810." + std::string(operation), request);
}

nlohmann::json Client::call_streams(std::string_view operation, const nlohmann::json& request) {
  return send("DynamoDBStreams_20120810." + std::string(operation), request);
}

nlohmann::json Client::send(const std::string& target, const nlohmann::json& request) {
  std::string body = request.dump();
  bool default_port = port_ == (tls_ ? "443" : "80");
  std::string host_header = default_port ? host_ : host_ + ":" + port_;
  attempts_made = 0;
  for (int attempt = 1;; ++attempt) {
    attempts_made = attempt;
    bool last = attempt >= settings_.max_attempts;
    try {
      SignedRequestParts parts;
      parts.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                       {"Host", host_header},
                       {"X-Amz-Date", amz_date(std::time(nullptr))},
                       {"X-Amz-Target", target}};
      if (!settings_.credentials.session_token.empty()) {
        parts.headers["X-Amz-Security-Token"] = settings_.credentials.session_token;
      }
      parts.body = body;
      SigningScope scope{settings_.region, "dynamodb"};
      http::request<http::string_body> message{http::verb::post, "/", 11};
      for (const auto& [name, value] : parts.headers) message.set(name, value);
      message.set(http::field::authorization,
                  authorization_header(parts, settings_.credentials, scope));
      message.set(http::field::user_agent, "cruddur/1.0");
      message.keep_alive(true);
      message.body() = body;
      message.prepare_payload();

      std::unique_ptr<Connection> connection = take_connection();
      http::response<http::string_body> response;
      try {
        response = connection->round_trip(message);
      } catch (const boost::system::system_error& failure) {
        throw RetryableTransport(std::string("request to ") + settings_.endpoint +
                                 " failed: " + failure.what());
      }
      if (response.keep_alive()) give_back(std::move(connection));
      auto crc = response.find("x-amz-crc32");
      if (crc != response.end() && std::string(crc->value()) != crc32_text(response.body())) {
        throw RetryableTransport("x-amz-crc32 does not match the response body");
      }
      nlohmann::json answer = nlohmann::json::parse(response.body(), nullptr, false);
      if (response.result_int() == 200 && !answer.is_discarded()) return answer;
      if (answer.is_discarded() || !answer.is_object()) {
        if (response.result_int() >= 500 && !last) throw RetryableTransport("HTTP 5xx");
        throw TransportError("HTTP " + std::to_string(response.result_int()) +
                             " without a DynamoDB error body from " + settings_.endpoint);
      }
      std::string type = answer.value("__type", std::string("UnknownError"));
      type = type.substr(type.find('#') + 1);
      std::string text = answer.contains("message") ? answer.value("message", std::string())
                                                    : answer.value("Message", std::string());
      DynamoDbError error(type, text, response.result_int(), answer);
      if (!error.retryable() || last) throw error;
    } catch (const RetryableTransport& failure) {
      if (last) throw TransportError(failure.what());
    }
    std::this_thread::sleep_for(backoff(settings_, attempt));
  }
}

}  // namespace cruddur::dynamodb
