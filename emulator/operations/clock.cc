#include "operations/clock.h"

#include <algorithm>
#include <atomic>
#include <chrono>

namespace eddy::operations {
namespace {

// In milliseconds, so that it is a lock-free atomic integer.
std::atomic<int64_t> offset_ms{0};

}  // namespace

double now_seconds() {
  using namespace std::chrono;
  auto millis = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return static_cast<double>(millis + offset_ms.load(std::memory_order_relaxed)) / 1000.0;
}

double advance_clock(double seconds) {
  // A century at most per step: the milliseconds stay far inside int64_t, whatever is asked.
  constexpr double kMaxStepSeconds = 100 * 365.25 * 24 * 3600;
  if (!(seconds > 0)) return clock_offset_seconds();
  auto step = static_cast<int64_t>(std::min(seconds, kMaxStepSeconds) * 1000.0);
  return static_cast<double>(offset_ms.fetch_add(step) + step) / 1000.0;
}

double clock_offset_seconds() {
  return static_cast<double>(offset_ms.load()) / 1000.0;
}

}  // namespace eddy::operations
