// --setup: create the benchmark table, wait for it to become ACTIVE and preload the dataset.
#pragma once

#include <chrono>
#include <cstdint>

#include "request_template.h"
#include "workloads.h"

namespace eddy_bench {

struct SetupOptions {
  bool provisioned = false;
  bool preload = true;
  int connections = 16;
  int threads = 1;
  std::chrono::seconds table_timeout{60};
  std::chrono::seconds preload_timeout{1200};
};

struct SetupReport {
  bool ok = false;  // false: the table is not usable (the reason went to stderr)
  uint64_t preloaded_items = 0;
  double preload_seconds = 0;
};

// Prints progress and problems to stderr.
SetupReport PrepareTable(const Endpoint& endpoint, const WorkloadConfig& config,
                         const SetupOptions& options);

// Polls ListTables about every millisecond until it succeeds and returns the wall-clock time
// (Unix epoch nanoseconds) of that first success, so the caller, which noted the time it exec'd
// the server, can compute startup latency. Returns 0 on timeout or when process `watched_pid`
// (if non-zero) has exited, since a crashed server will never become ready.
int64_t WaitUntilReady(const Endpoint& endpoint, std::chrono::milliseconds timeout, int watched_pid,
                       uint64_t& attempts);

}  // namespace eddy_bench
