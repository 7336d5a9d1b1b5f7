#pragma once
// The server's open sessions, so that a SIGTERM can let each one finish the request it holds
// and close, instead of cutting every connection at once.
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace eddy::protocol {

class HttpSession;

class SessionTracker {
 public:
  void add(const std::shared_ptr<HttpSession>& session);
  // From now on every session answers what it has with Connection: close; idle ones close now.
  void begin_shutdown();
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  // Sessions not yet destroyed (a session lives as long as one of its operations is pending).
  size_t live() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<HttpSession>> sessions_;
  size_t pruned_at_ = 64;  // drop expired entries whenever the list doubles past this
  std::atomic<bool> stopping_{false};
};

}  // namespace eddy::protocol
