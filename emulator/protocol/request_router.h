#pragma once
// One HTTP request in, one HTTP response out (asynchronously): health checks, CORS preflight,
// X-Amz-Target routing, credentials to namespace, JSON parsing and DynamoDB's error responses.
#include <boost/beast/http.hpp>
#include <functional>

#include "operations/namespaces.h"
#include "operations/settings.h"
#include "protocol/server_options.h"

namespace eddy::protocol {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

class RequestRouter {
 public:
  using Respond = std::function<void(HttpResponse)>;

  RequestRouter(const ServerOptions& options, const operations::Settings& settings,
                operations::Namespaces& namespaces)
      : options_(options), settings_(settings), namespaces_(namespaces) {}

  // respond may be called on another thread (the writer's) and is called exactly once.
  // from_loopback: the client is on this machine (eddy's admin endpoints answer only then).
  void route(HttpRequest& request, bool from_loopback, Respond respond);

  // A DynamoDB error response (used by the session too, e.g. for oversized bodies).
  HttpResponse error_response(const HttpRequest& request, int status, const std::string& type,
                              const std::string& message, const std::string& prefix) const;

 private:
  HttpResponse json_response(const HttpRequest& request, int status, std::string body) const;
  void add_cors_headers(const HttpRequest& request, HttpResponse& response) const;
  HttpResponse preflight_response(const HttpRequest& request) const;

  const ServerOptions& options_;
  const operations::Settings& settings_;
  operations::Namespaces& namespaces_;
};

}  // namespace eddy::protocol
