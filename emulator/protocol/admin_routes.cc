#include "protocol/admin_routes.h"

#include <nlohmann/json.hpp>

#include "operations/clock.h"
#include "operations/ttl_sweeper.h"

namespace eddy::protocol {
namespace {

using json = nlohmann::json;

json clock_state() {
  return {{"now", operations::now_seconds()},
          {"offsetSeconds", operations::clock_offset_seconds()}};
}

json problem(const std::string& message) {
  return {{"message", message}};
}

}  // namespace

void serve_admin(std::string_view method, std::string_view path, const std::string& body,
                 bool from_loopback, operations::Namespaces& namespaces,
                 std::function<void(int status, std::string body)> respond) {
  if (!from_loopback) {
    return respond(403, problem("eddy's admin endpoints answer only on this machine").dump());
  }
  if (path == "/_eddy/clock" && method == "GET") return respond(200, clock_state().dump());
  if (path == "/_eddy/clock" && method == "POST") {
    json request = json::parse(body.empty() ? "{}" : body, nullptr, false);
    const json* advance = request.is_object() && request.contains("advanceSeconds")
                              ? &request["advanceSeconds"]
                              : nullptr;
    if (!advance || !advance->is_number() || advance->get<double>() < 0) {
      return respond(400, problem("expected {\"advanceSeconds\": <seconds, 0 or more>}").dump());
    }
    operations::advance_clock(advance->get<double>());
    return respond(200, clock_state().dump());
  }
  if (path == "/_eddy/ttl/sweep" && method == "POST") {
    return operations::sweep_all_expired(namespaces, operations::now_seconds(),
                                         [respond](int64_t deleted) {
                                           respond(200, json{{"deletedItems", deleted}}.dump());
                                         });
  }
  respond(
      404,
      problem("no such admin endpoint: " + std::string(method) + " " + std::string(path)).dump());
}

}  // namespace eddy::protocol
