// libFuzzer target: one whole DynamoDB request, from the X-Amz-Target and JSON body through the
// router, the operation's validation and its storage work, against a real in-memory namespace.
// Input: the operation name, a newline, then the body. Any answer but an HTTP 500 is fine: a 500
// means an exception DynamoDB's error model does not know escaped an operation.
#include <cstdint>
#include <cstdlib>
#include <future>
#include <iostream>
#include <string>
#include <string_view>

#include "operations/namespaces.h"
#include "protocol/request_router.h"

namespace {

using eddy::protocol::HttpRequest;
using eddy::protocol::HttpResponse;

struct Emulator {
  Emulator() : namespaces(settings), router(options, settings, namespaces) {}
  eddy::operations::Settings settings{.shared_db = true, .in_memory = true};
  eddy::protocol::ServerOptions options;
  eddy::operations::Namespaces namespaces;
  eddy::protocol::RequestRouter router;
};

Emulator& emulator() {
  static Emulator instance;
  return instance;
}

constexpr const char* kAuthorization =
    "AWS4-HMAC-SHA256 Credential=fuzz/20261121/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0000";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return -1;  // not worth keeping in the corpus
  std::string_view operation = input.substr(0, newline);

  HttpRequest request{boost::beast::http::verb::post, "/", 11};
  std::string target = operation.starts_with("Streams.")
                           ? "DynamoDBStreams_20120810." + std::string(operation.substr(8))
                           : "DynamoDB_20120810." + std::string(operation);
  request.set("X-Amz-Target", target);
  request.set(boost::beast::http::field::authorization, kAuthorization);
  request.body() = std::string(input.substr(newline + 1));
  request.prepare_payload();

  std::promise<HttpResponse> answered;
  emulator().router.route(request, true,
                          [&answered](HttpResponse response) { answered.set_value(response); });
  HttpResponse response = answered.get_future().get();
  if (response.result_int() >= 500) {
    std::cerr << "eddy answered " << response.result_int() << " to " << target << ": "
              << response.body() << std::endl;
    std::abort();
  }
  return 0;
}
