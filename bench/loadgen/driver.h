// Closed-loop HTTP/1.1 load driver: N keep-alive connections, each sending its next request as soon
// as the previous response has been read, spread over a few single-threaded io_contexts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "histogram.h"
#include "request_template.h"
#include "workloads.h"

namespace eddy_bench {

struct LoadPlan {
  int connections = 16;
  int threads = 1;
  // Requests completing inside [start + warmup, start + warmup + duration) are measured.
  std::chrono::nanoseconds warmup{0};
  std::chrono::nanoseconds duration{0};
  // When non-zero the run ends after this many measured requests instead of after `duration`.
  uint64_t request_budget = 0;
  // Whatever happens, every socket is closed this long after the start, so a hung server cannot
  // hang the benchmark.
  std::chrono::nanoseconds hard_limit{std::chrono::minutes(10)};
  size_t error_samples = 3;
  // A thread whose first this-many responses all failed stops its connections (0: never).
  uint64_t give_up_after_failures = 0;
};

struct LoadResult {
  LatencyHistogram latency;  // measured successful requests only
  uint64_t ok = 0;
  uint64_t errors = 0;  // all failures, warmup included: any failure deserves a look
  uint64_t items_written = 0;
  uint64_t items_unprocessed = 0;
  double measured_seconds = 0;
  bool hit_hard_limit = false;
  bool gave_up = false;  // stopped early by give_up_after_failures
  std::vector<std::string> error_samples;
};

using SourceFactory = std::function<std::unique_ptr<RequestSource>(int connection)>;

// Runs the plan to completion (or to the hard limit) and merges every thread's statistics.
std::unique_ptr<LoadResult> RunLoad(const Endpoint& endpoint, const LoadPlan& plan,
                                    const SourceFactory& make_source);

}  // namespace eddy_bench
