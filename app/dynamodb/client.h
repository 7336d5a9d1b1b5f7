#pragma once
// Cruddur's DynamoDB client: JSON requests signed with SigV4, sent over keep-alive HTTP or HTTPS
// (Beast), retried with exponential backoff and full jitter on throttling, 5xx answers, broken
// connections and bodies whose x-amz-crc32 does not match; DynamoDB's errors come back as
// DynamoDbError carrying the error's type and message.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/settings.h"

namespace cruddur::dynamodb {

class DynamoDbError : public std::runtime_error {
 public:
  DynamoDbError(std::string type, std::string message, int http_status, nlohmann::json body = {})
      : std::runtime_error(type + ": " + message),
        type_(std::move(type)),
        message_(std::move(message)),
        http_status_(http_status),
        body_(std::move(body)) {}

  // The part of __type after '#', e.g. "ConditionalCheckFailedException".
  const std::string& type() const { return type_; }
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }
  // The whole error body (e.g. a TransactionCanceledException's CancellationReasons).
  const nlohmann::json& body() const { return body_; }
  // Worth sending again: throttling and the server's own failures.
  bool retryable() const;

 private:
  std::string type_;
  std::string message_;
  int http_status_;
  nlohmann::json body_;
};

// The endpoint could not be reached, or its answer was not DynamoDB's (after every retry).
class TransportError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Client {
 public:
  explicit Client(ClientSettings settings);
  ~Client();
  Client(const Client&) = delete;

  // DynamoDB_20120810.<operation>
  nlohmann::json call(std::string_view operation, const nlohmann::json& request);
  // DynamoDBStreams_20120810.<operation>
  nlohmann::json call_streams(std::string_view operation, const nlohmann::json& request);

  const ClientSettings& settings() const { return settings_; }
  // Attempts made by the last call on this thread's behalf (for tests and logs).
  int attempts_of_last_call() const;

 private:
  class Connection;
  nlohmann::json send(const std::string& target, const nlohmann::json& request);
  std::unique_ptr<Connection> take_connection();
  void give_back(std::unique_ptr<Connection> connection);

  ClientSettings settings_;
  std::string host_;
  std::string port_;
  bool tls_ = false;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace cruddur::dynamodb
