#pragma once
// eddy's own endpoints, not DynamoDB's, answered only to clients on this machine (loopback):
//   GET  /_eddy/clock                          {"now": <epoch s>, "offsetSeconds": <s>}
//   POST /_eddy/clock  {"advanceSeconds": N}   moves eddy's clock forward N seconds
//   POST /_eddy/ttl/sweep                      deletes expired items now: {"deletedItems": N}
// They let tests see Time to Live, shard rollover, iterator expiry and stream retention without
// waiting for them.
#include <functional>
#include <string>
#include <string_view>

#include "operations/namespaces.h"

namespace eddy::protocol {

constexpr std::string_view kAdminPathPrefix = "/_eddy/";

// respond(status, JSON body) is called exactly once, possibly on the writer thread.
void serve_admin(std::string_view method, std::string_view path, const std::string& body,
                 bool from_loopback, operations::Namespaces& namespaces,
                 std::function<void(int status, std::string body)> respond);

}  // namespace eddy::protocol
