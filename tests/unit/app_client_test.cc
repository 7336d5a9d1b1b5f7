// Cruddur's DynamoDB client against a scripted HTTP server on loopback: retries with backoff on
// throttling and 5xx, a corrupted body caught by x-amz-crc32, DynamoDB errors surfaced with
// their type and message, and signed requests.
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <thread>

#include "dynamodb/client.h"
#include "dynamodb/settings.h"

namespace cruddur::dynamodb {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct Scripted {
  int status;
  std::string body;
  bool corrupt_crc = false;
};

// Answers each request with the next scripted response, on one keep-alive connection at a time.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::deque<Scripted> script)
      : script_(std::move(script)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    io_.stop();
    thread_.join();
  }
  std::string endpoint() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  std::vector<http::request<http::string_body>> requests;

 private:
  void serve() {
    while (!script_.empty()) {
      beast::error_code error;
      asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, error);
      if (error) return;
      beast::flat_buffer buffer;
      while (!script_.empty()) {
        http::request<http::string_body> request;
        http::read(socket, buffer, request, error);
        if (error) break;
        requests.push_back(request);
        Scripted next = script_.front();
        script_.pop_front();
        http::response<http::string_body> response{static_cast<http::status>(next.status), 11};
        response.body() = next.body;
        uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(next.body.data()),
                          static_cast<uInt>(next.body.size()));
        response.set("x-amz-crc32", std::to_string(next.corrupt_crc ? crc + 1 : crc));
        response.keep_alive(true);
        response.prepare_payload();
        http::write(socket, response, error);
        if (error) break;
      }
    }
  }

  std::deque<Scripted> script_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

ClientSettings settings_for(const ScriptedServer& server) {
  ClientSettings settings;
  settings.endpoint = server.endpoint();
  settings.region = "us-east-1";
  settings.credentials = {"AKIDTEST", "secret", ""};
  settings.base_delay_ms = 1;
  settings.max_delay_ms = 5;
  settings.max_attempts = 4;
  return settings;
}

const char* kThrottled =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",)"
    R"("message":"The level of configured provisioned throughput for the table was exceeded."})";

TEST(DynamoDbClient, RetriesThrottlingThenSucceeds) {
  ScriptedServer server({{400, kThrottled},
                         {500, R"({"__type":"x#InternalServerError"})"},
                         {200, R"({"TableNames":["cruddur-messages"]})"}});
  Client client(settings_for(server));
  nlohmann::json answer = client.call("ListTables", nlohmann::json::object());
  EXPECT_EQ(answer["TableNames"][0], "cruddur-messages");
  EXPECT_EQ(client.attempts_of_last_call(), 3);
  ASSERT_EQ(server.requests.size(), 3u);
  const auto& request = server.requests.back();
  EXPECT_EQ(request[http::field::content_type], "application/x-amz-json-1.0");
  EXPECT_EQ(request["X-Amz-Target"], "DynamoDB_20120810.ListTables");
  EXPECT_EQ(std::string(request[http::field::authorization])
                .rfind("AWS4-HMAC-SHA256 Credential=AKIDTEST/", 0),
            0u);
}

TEST(DynamoDbClient, SurfacesDynamoDbErrorsWithoutRetrying) {
  ScriptedServer server(
      {{400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
             R"("message":"The conditional request failed"})"}});
  Client client(settings_for(server));
  try {
    client.call("PutItem", {{"TableName", "t"}});
    FAIL() << "no error";
  } catch (const DynamoDbError& error) {
    EXPECT_EQ(error.type(), "ConditionalCheckFailedException");
    EXPECT_EQ(error.message(), "The conditional request failed");
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_FALSE(error.retryable());
  }
  EXPECT_EQ(client.attempts_of_last_call(), 1);
}

TEST(DynamoDbClient, GivesUpAfterMaxAttempts) {
  ScriptedServer server(
      {{400, kThrottled}, {400, kThrottled}, {400, kThrottled}, {400, kThrottled}});
  Client client(settings_for(server));
  EXPECT_THROW(client.call("GetItem", nlohmann::json::object()), DynamoDbError);
  EXPECT_EQ(client.attempts_of_last_call(), 4);
}

TEST(DynamoDbClient, ACorruptedBodyIsCaughtByItsChecksumAndRetried) {
  ScriptedServer server({{200, R"({"Item":{}})", true}, {200, R"({"Item":{"a":{"S":"b"}}})"}});
  Client client(settings_for(server));
  EXPECT_EQ(client.call("GetItem", nlohmann::json::object())["Item"]["a"]["S"], "b");
  EXPECT_EQ(client.attempts_of_last_call(), 2);
}

TEST(DynamoDbClient, StreamsCallsUseTheStreamsTarget) {
  ScriptedServer server({{200, R"({"Streams":[]})"}});
  Client client(settings_for(server));
  client.call_streams("ListStreams", nlohmann::json::object());
  EXPECT_EQ(server.requests.at(0)["X-Amz-Target"], "DynamoDBStreams_20120810.ListStreams");
}

TEST(DynamoDbClient, AnUnreachableEndpointIsATransportError) {
  ClientSettings settings;
  settings.endpoint = "http://127.0.0.1:1";
  settings.credentials = {"a", "b", ""};
  settings.region = "us-east-1";
  settings.max_attempts = 2;
  settings.base_delay_ms = 1;
  Client client(settings);
  EXPECT_THROW(client.call("ListTables", nlohmann::json::object()), TransportError);
}

TEST(ClientSettings, CredentialsFileProfiles) {
  std::string text =
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key=s1\n"
      "# a comment\n[cruddur]\n aws_access_key_id=AKIDCRUDDUR \naws_secret_access_key = s2\n"
      "aws_session_token = t2\n";
  Credentials fallback = credentials_from_file_text(text, "default");
  EXPECT_EQ(fallback.access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(fallback.secret_access_key, "s1");
  Credentials named = credentials_from_file_text(text, "cruddur");
  EXPECT_EQ(named.access_key_id, "AKIDCRUDDUR");
  EXPECT_EQ(named.session_token, "t2");
  EXPECT_TRUE(credentials_from_file_text(text, "missing").access_key_id.empty());
}

}  // namespace
}  // namespace cruddur::dynamodb
