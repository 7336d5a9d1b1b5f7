#include "protocol/request_router.h"

#include <zlib.h>

#include <chrono>
#include <iostream>
#include <random>

#include "model/api_error.h"
#include "operations/registry.h"
#include "protocol/admin_routes.h"
#include "protocol/json_text.h"
#include "protocol/sigv4_header.h"

namespace eddy::protocol {
namespace {

constexpr std::string_view kDynamoDbTarget = "DynamoDB_20120810.";
constexpr std::string_view kStreamsTarget = "DynamoDBStreams_20120810.";
const std::string kDynamoDbErrorPrefix = "com.amazonaws.dynamodb.v20120810#";
const std::string kCoralErrorPrefix = "com.amazon.coral.service#";

// DynamoDB's request ids: 52 characters of [A-Z0-9]. One 64-bit draw yields 12 of them
// (36^12 < 2^64), so an id costs five draws, not 52.
std::string new_request_id() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string id(52, ' ');
  uint64_t bits = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i % 12 == 0) bits = random();
    id[i] = kAlphabet[bits % 36];
    bits /= 36;
  }
  return id;
}

// zlib's CRC-32 (the same polynomial as Boost.CRC's crc_32_type) reads several bytes per step
// where Boost's reads one: on a 1 MB Query page that is the difference between a few hundred
// microseconds and several milliseconds.
std::string crc32_of(const std::string& body) {
  uLong crc = crc32_z(0L, nullptr, 0);
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(body.data()), body.size());
  return std::to_string(crc);
}

// DynamoDB names each error by the service layer that raised it: request validation and
// deserialization come from Coral, the rest from DynamoDB itself.
std::string qualified_error_type(const std::string& type) {
  if (type == "ValidationException") return "com.amazon.coral.validate#" + type;
  if (type == "SerializationException" || type == "UnknownOperationException" ||
      type == "RequestEntityTooLargeException") {
    return kCoralErrorPrefix + type;
  }
  return kDynamoDbErrorPrefix + type;
}

std::string_view view(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

std::string serialize(const nlohmann::json& body) {
  return to_json_text(body);
}

}  // namespace

HttpResponse RequestRouter::json_response(const HttpRequest& request, int status,
                                          std::string body) const {
  HttpResponse response{static_cast<http::status>(status), request.version()};
  response.set(http::field::server, "Server");
  response.set(http::field::content_type, "application/x-amz-json-1.0");
  response.set("x-amzn-RequestId", new_request_id());
  response.set("x-amz-crc32", crc32_of(body));
  response.body() = std::move(body);
  response.keep_alive(request.keep_alive());
  add_cors_headers(request, response);
  response.prepare_payload();
  return response;
}

HttpResponse RequestRouter::error_response(const HttpRequest& request, int status,
                                           const std::string& type, const std::string& message,
                                           const std::string& prefix) const {
  nlohmann::json body = {{"__type", prefix + type}};
  if (!message.empty()) body["message"] = message;
  return json_response(request, status, serialize(body));
}

void RequestRouter::add_cors_headers(const HttpRequest& request, HttpResponse& response) const {
  if (options_.cors_origins.empty()) return;
  auto origin = request.find(http::field::origin);
  if (origin == request.end()) return;
  bool any = false;
  bool listed = false;
  for (const auto& allowed : options_.cors_origins) {
    if (allowed == "*") any = true;
    if (allowed == origin->value()) listed = true;
  }
  if (!any && !listed) return;
  response.set(http::field::access_control_allow_origin, any ? "*" : origin->value());
  response.set(http::field::access_control_expose_headers,
               "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,x-amz-crc32,Date");
}

HttpResponse RequestRouter::preflight_response(const HttpRequest& request) const {
  HttpResponse response{http::status::ok, request.version()};
  response.set(http::field::server, "Server");
  response.keep_alive(request.keep_alive());
  add_cors_headers(request, response);
  if (response.find(http::field::access_control_allow_origin) != response.end()) {
    response.set(http::field::access_control_allow_methods, "GET,POST,PUT,DELETE,OPTIONS");
    auto asked = request.find(http::field::access_control_request_headers);
    response.set(http::field::access_control_allow_headers,
                 asked != request.end() ? std::string(asked->value()) : std::string("*"));
    response.set(http::field::access_control_max_age, "172800");
  }
  response.prepare_payload();
  return response;
}

void RequestRouter::route(HttpRequest& request, bool from_loopback, Respond respond) {
  if (request.method() == http::verb::options) return respond(preflight_response(request));
  if (view(request.target()).starts_with(kAdminPathPrefix)) {
    HttpRequest header_only{request.method(), request.target(), request.version()};
    header_only.keep_alive(request.keep_alive());
    return serve_admin(view(request.method_string()), view(request.target()), request.body(),
                       from_loopback, namespaces_,
                       [this, header_only, respond](int status, std::string body) {
                         respond(json_response(header_only, status, std::move(body)));
                       });
  }
  if (request.method() == http::verb::get && request.target() == "/") {
    HttpResponse health{http::status::ok, request.version()};
    health.set(http::field::server, "Server");
    health.set(http::field::content_type, "text/plain");
    health.body() = "healthy: dynamodb.us-east-1.amazonaws.com ";
    health.keep_alive(request.keep_alive());
    add_cors_headers(request, health);
    health.prepare_payload();
    return respond(std::move(health));
  }

  std::string_view target;
  auto target_field = request.find("X-Amz-Target");
  if (target_field != request.end()) target = view(target_field->value());

  if (request.method() != http::verb::post || target.empty()) {
    return respond(
        error_response(request, 400, "UnknownOperationException", "", kCoralErrorPrefix));
  }

  std::string_view operation_name;
  operations::Handler handler = nullptr;
  if (target.substr(0, kDynamoDbTarget.size()) == kDynamoDbTarget) {
    operation_name = target.substr(kDynamoDbTarget.size());
    handler = operations::find_operation(operation_name);
  } else if (target.substr(0, kStreamsTarget.size()) == kStreamsTarget) {
    operation_name = target.substr(kStreamsTarget.size());
    handler = operations::find_streams_operation(operation_name);
  }
  if (!handler) {
    return respond(
        error_response(request, 400, "UnknownOperationException", "", kCoralErrorPrefix));
  }

  std::optional<SigV4Credential> credential;
  std::string problem;
  std::string_view target_path = view(request.target());
  if (auto authorization = request.find(http::field::authorization);
      authorization != request.end()) {
    credential = parse_authorization(view(authorization->value()), problem);
  } else if (has_query_signature(target_path)) {
    credential = parse_query_signature(target_path, problem);
  } else if (options_.credentials) {
    return respond(error_response(request, 400, "MissingAuthenticationTokenException",
                                  "Request is missing Authentication Token", kCoralErrorPrefix));
  } else {
    return respond(error_response(
        request, 400, "MissingAuthenticationToken",
        "Request must contain either a valid (registered) AWS access key ID or X.509 certificate.",
        kDynamoDbErrorPrefix));
  }
  if (!credential) {
    return respond(error_response(request, 400, "IncompleteSignatureException", problem,
                                  kDynamoDbErrorPrefix));
  }
  if (options_.credentials) {
    if (auto failure = check_signature(request, *credential, *options_.credentials,
                                       std::chrono::system_clock::now())) {
      return respond(
          error_response(request, 400, failure->type, failure->message, kCoralErrorPrefix));
    }
  }

  nlohmann::json body;
  try {
    body =
        request.body().empty() ? nlohmann::json::object() : nlohmann::json::parse(request.body());
  } catch (const nlohmann::json::exception&) {
    return respond(error_response(request, 400, "SerializationException", "", kCoralErrorPrefix));
  }
  if (!body.is_object()) {
    return respond(error_response(request, 400, "SerializationException",
                                  "Unrecognized collection type class "
                                  "com.amazonaws.dynamodb.v20120810.Request",
                                  kCoralErrorPrefix));
  }

  operations::Namespace* space = nullptr;
  try {
    space = &namespaces_.for_credentials(credential->access_key_id, credential->region);
  } catch (const std::exception& error) {
    std::cerr << "eddy: " << error.what() << std::endl;
    return respond(
        error_response(request, 500, "InternalServerError", error.what(), kDynamoDbErrorPrefix));
  }

  // The response needs the request's version and keep-alive, not its (possibly 16 MB) body.
  HttpRequest header_only{request.method(), request.target(), request.version()};
  header_only.keep_alive(request.keep_alive());
  if (auto origin = request.find(http::field::origin); origin != request.end()) {
    header_only.set(http::field::origin, origin->value());
  }
  std::string operation(operation_name);
  bool per_credential = !settings_.shared_db;
  auto completion = [this, header_only = std::move(header_only), respond = std::move(respond),
                     operation, per_credential, access_key = credential->access_key_id,
                     region = credential->region](nlohmann::json response,
                                                  std::exception_ptr error) {
    if (!error) return respond(json_response(header_only, 200, serialize(response)));
    try {
      std::rethrow_exception(error);
    } catch (const model::ApiError& api_error) {
      if (api_error.type() == "ResourceNotFoundException" && per_credential) {
        std::cerr << "eddy: " << operation << ": " << api_error.message()
                  << " (per-credential mode: this request used access key '" << access_key
                  << "' and region '" << region
                  << "'; tables created with other credentials are not visible. Run eddy with "
                     "-sharedDb to share one database.)"
                  << std::endl;
      }
      // TransactionCanceledException is the one DynamoDB error whose message member is
      // capitalised; botocore reads either.
      const char* message_member =
          api_error.type() == "TransactionCanceledException" ? "Message" : "message";
      nlohmann::json body = {{"__type", qualified_error_type(api_error.type())},
                             {message_member, api_error.message()}};
      for (auto& [key, value] : api_error.extra().items()) body[key] = value;
      respond(json_response(header_only, api_error.http_status(), serialize(body)));
    } catch (const std::exception& other) {
      std::cerr << "eddy: " << operation << " failed: " << other.what() << std::endl;
      nlohmann::json body = {{"__type", kDynamoDbErrorPrefix + "InternalServerError"},
                             {"message", std::string("Internal server error: ") + other.what()}};
      respond(json_response(header_only, 500, serialize(body)));
    }
  };
  auto call = std::make_shared<operations::Call>(
      std::move(body), operations::Caller{credential->access_key_id, credential->region}, *space,
      settings_, std::move(completion));
  operations::run_operation(handler, *call);
}

}  // namespace eddy::protocol
