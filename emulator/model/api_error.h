#pragma once
// The one error type every layer above storage throws. The protocol layer turns it into
// DynamoDB's wire form: HTTP status, {"__type": "com.amazonaws.dynamodb.v20120810#<type>",
// "message": ...} plus any extra fields (e.g. the Item of a ConditionalCheckFailedException).
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace eddy::model {

class ApiError : public std::runtime_error {
 public:
  ApiError(std::string type, std::string message, int http_status = 400,
           nlohmann::json extra = nlohmann::json::object())
      : std::runtime_error(message),
        type_(std::move(type)),
        message_(std::move(message)),
        http_status_(http_status),
        extra_(std::move(extra)) {}

  const std::string& type() const { return type_; }
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }
  const nlohmann::json& extra() const { return extra_; }

 private:
  std::string type_;
  std::string message_;
  int http_status_;
  nlohmann::json extra_;
};

inline ApiError validation_error(std::string message) {
  return ApiError("ValidationException", std::move(message));
}
inline ApiError serialization_error(std::string message) {
  return ApiError("SerializationException", std::move(message));
}
inline ApiError resource_not_found(std::string message = "Requested resource not found") {
  return ApiError("ResourceNotFoundException", std::move(message));
}
inline ApiError resource_in_use(std::string message) {
  return ApiError("ResourceInUseException", std::move(message));
}
inline ApiError limit_exceeded(std::string message) {
  return ApiError("LimitExceededException", std::move(message));
}
inline ApiError internal_error(std::string message) {
  return ApiError("InternalServerError", std::move(message), 500);
}

}  // namespace eddy::model
