#include "operations/call.h"

namespace eddy::operations {

void Call::write(std::function<nlohmann::json(storage::Writer&)> job) {
  auto self = shared_from_this();
  auto response = std::make_shared<nlohmann::json>();
  database().write(
      [job = std::move(job), response](storage::Writer& writer) { *response = job(writer); },
      [self, response](std::exception_ptr error) {
        if (error) {
          self->fail(error);
        } else {
          self->reply(std::move(*response));
        }
      });
}

}  // namespace eddy::operations
