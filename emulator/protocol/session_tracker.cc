#include "protocol/session_tracker.h"

#include <algorithm>

#include "protocol/http_session.h"

namespace eddy::protocol {

void SessionTracker::add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= pruned_at_) {
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    pruned_at_ = std::max<size_t>(64, sessions_.size() * 2);
  }
  sessions_.push_back(session);
}

void SessionTracker::begin_shutdown() {
  stopping_.store(true, std::memory_order_release);
  std::vector<std::shared_ptr<HttpSession>> open;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->finish_and_close();
}

size_t SessionTracker::live() const {
  std::lock_guard lock(mutex_);
  return std::count_if(sessions_.begin(), sessions_.end(),
                       [](const auto& weak) { return !weak.expired(); });
}

}  // namespace eddy::protocol
