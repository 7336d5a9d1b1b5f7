#pragma once
// One API request on its way through an operation. Operations validate on the I/O thread that
// received the request, then either reply at once (reads) or hand a job to the namespace's
// writer (writes); whichever way, the completion is called exactly once.
#include <exception>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "operations/namespaces.h"
#include "operations/settings.h"

namespace eddy::operations {

struct Caller {
  std::string access_key_id;
  std::string region;
};

class Call : public std::enable_shared_from_this<Call> {
 public:
  // Exactly one of response / error is meaningful: error is null on success.
  using Completion = std::function<void(nlohmann::json response, std::exception_ptr error)>;

  Call(nlohmann::json request, Caller caller, Namespace& space, const Settings& settings,
       Completion completion)
      : request_(std::move(request)),
        caller_(std::move(caller)),
        namespace_(space),
        settings_(settings),
        completion_(std::move(completion)) {}

  const nlohmann::json& request() const { return request_; }
  const Caller& caller() const { return caller_; }
  Namespace& space() { return namespace_; }
  storage::Database& database() { return namespace_.database; }
  Catalog& catalog() { return namespace_.catalog; }
  const Settings& settings() const { return settings_; }

  void reply(nlohmann::json response) { completion_(std::move(response), nullptr); }
  void fail(std::exception_ptr error) { completion_(nullptr, error); }

  // Runs job inside a write transaction; its result is the reply once committed. An exception
  // from job (e.g. a failed condition) rolls back its changes and becomes the reply.
  void write(std::function<nlohmann::json(storage::Writer&)> job);

 private:
  nlohmann::json request_;
  Caller caller_;
  Namespace& namespace_;
  const Settings& settings_;
  Completion completion_;
};

}  // namespace eddy::operations
