// eddy-loadgen: closed-loop DynamoDB JSON-protocol load generator for Eddy and its peers.
//
// Prints one human-readable line and one JSON line (the one starting with '{') on stdout; progress,
// setup notes and error samples go to stderr so scripts can parse stdout directly.
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "driver.h"
#include "setup.h"
#include "workloads.h"

namespace {

namespace options = boost::program_options;
using namespace eddy_bench;

struct CommandLine {
  std::string endpoint;
  std::string profile_name = "put";
  std::string label;
  int connections = 16;
  int threads = 1;
  double duration_seconds = 10;
  double warmup_seconds = 2;
  uint64_t requests = 0;
  double max_seconds = 600;
  bool setup = false;
  bool wait_ready = false;
  int wait_pid = 0;
  bool provisioned = false;
  uint64_t table_items = 4000;
  uint64_t preload_from_items = 0;
  uint32_t items_per_partition = 40;
  uint32_t item_bytes = 1000;
  std::string table = "bench";
  std::string stream_view_type;
  uint64_t run_id = 0;
  uint64_t seed = 1;
  size_t error_samples = 3;
  uint64_t give_up_after = 0;
};

// Returns false when the program should exit (help shown or bad usage, already reported).
bool ParseCommandLine(int argc, char** argv, CommandLine& line, int& exit_code) {
  options::options_description described("eddy-loadgen options");
  described.add_options()("help,h", "show this help")(
      "endpoint", options::value(&line.endpoint)->required(), "http://127.0.0.1:PORT")(
      "profile", options::value(&line.profile_name)->default_value(line.profile_name),
      "put|get|update|query|query-gsi|batch|mixed|health|transact|none (none: --setup only)")(
      "connections,c", options::value(&line.connections)->default_value(line.connections),
      "keep-alive connections, each closed-loop")(
      "threads", options::value(&line.threads)->default_value(line.threads),
      "client threads (each runs its own io_context)")(
      "duration,d", options::value(&line.duration_seconds)->default_value(line.duration_seconds),
      "measured seconds")("warmup,w",
                          options::value(&line.warmup_seconds)->default_value(line.warmup_seconds),
                          "unmeasured seconds before measuring")(
      "requests,n", options::value(&line.requests)->default_value(line.requests),
      "measure this many requests instead of --duration (0: use --duration)")(
      "max-seconds", options::value(&line.max_seconds)->default_value(line.max_seconds),
      "hard limit for a --requests run; sockets are closed after it")(
      "wait-ready", options::bool_switch(&line.wait_ready),
      "only poll ListTables every ~1 ms until it succeeds (or --max-seconds pass) and print the "
      "wall-clock time of the first success")(
      "wait-pid", options::value(&line.wait_pid)->default_value(0),
      "with --wait-ready: stop waiting when this process has exited")(
      "setup", options::bool_switch(&line.setup),
      "create the table (ignoring ResourceInUseException) and preload what the profile reads")(
      "provisioned", options::bool_switch(&line.provisioned),
      "create the table PROVISIONED instead of PAY_PER_REQUEST")(
      "table-items", options::value(&line.table_items)->default_value(line.table_items),
      "preloaded items, rounded up to whole partitions (reads pick among them)")(
      "preload-from-items", options::value(&line.preload_from_items)->default_value(0),
      "items already loaded by an earlier --setup (grow the table for a cost curve)")(
      "items-per-partition",
      options::value(&line.items_per_partition)->default_value(line.items_per_partition),
      "items per preloaded partition (query returns min(20, this))")(
      "item-bytes", options::value(&line.item_bytes)->default_value(line.item_bytes),
      "length of the string payload attribute")(
      "table", options::value(&line.table)->default_value(line.table), "table name")(
      "stream", options::value(&line.stream_view_type),
      "with --setup: create the table with a stream of this view type (e.g. NEW_AND_OLD_IMAGES)")(
      "label", options::value(&line.label), "server name copied into the JSON line")(
      "run-id", options::value(&line.run_id), "key namespace for writes (default: from clock)")(
      "seed", options::value(&line.seed)->default_value(line.seed), "random seed for key choice")(
      "error-samples", options::value(&line.error_samples)->default_value(line.error_samples),
      "error bodies to print")(
      "give-up-after", options::value(&line.give_up_after)->default_value(0),
      "stop early when this many requests failed and none succeeded (0: never)");
  options::variables_map values;
  try {
    options::store(options::parse_command_line(argc, argv, described), values);
    if (values.count("help")) {
      std::cout << described << "\n";
      exit_code = 0;
      return false;
    }
    options::notify(values);
  } catch (const options::error& failure) {
    std::cerr << "eddy-loadgen: " << failure.what() << "\n" << described << "\n";
    exit_code = 2;
    return false;
  }
  if (!values.count("run-id")) {
    // Seconds since epoch modulo 10^6: distinct for runs more than a second apart.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    line.run_id =
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count()) %
        1000000;
  }
  if (line.connections < 1 || line.items_per_partition < 1 || line.table_items < 1) {
    std::cerr
        << "eddy-loadgen: --connections, --table-items and --items-per-partition must be > 0\n";
    exit_code = 2;
    return false;
  }
  return true;
}

double Milliseconds(uint64_t nanos) {
  return static_cast<double>(nanos) / 1e6;
}
double Rounded(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

void Report(const CommandLine& line, const WorkloadConfig& config, const LoadResult& result) {
  const LatencyHistogram& latency = result.latency;
  const double seconds = result.measured_seconds > 0 ? result.measured_seconds : 1e-9;
  const double ops_per_s = static_cast<double>(result.ok) / seconds;
  const double items_per_s = static_cast<double>(result.items_written) / seconds;
  const std::string_view profile = ProfileName(config.profile);

  std::printf(
      "%s%s%-9s %3d conn %6.1f s %9llu ops %10.1f ops/s  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f ms"
      "  errors %llu\n",
      line.label.c_str(), line.label.empty() ? "" : " ", std::string(profile).c_str(),
      line.connections, result.measured_seconds, static_cast<unsigned long long>(result.ok),
      ops_per_s, Milliseconds(latency.ValueAtPercentile(50)),
      Milliseconds(latency.ValueAtPercentile(90)), Milliseconds(latency.ValueAtPercentile(99)),
      Milliseconds(latency.max()), static_cast<unsigned long long>(result.errors));

  nlohmann::ordered_json json;
  if (!line.label.empty()) json["server"] = line.label;
  json["profile"] = profile;
  json["connections"] = line.connections;
  json["threads"] = line.threads;
  json["seconds"] = Rounded(result.measured_seconds, 3);
  json["ops"] = result.ok;
  json["ops_per_s"] = Rounded(ops_per_s, 1);
  if (ItemsWrittenPerRequest(config.profile) > 1) json["items_per_s"] = Rounded(items_per_s, 1);
  json["p50_ms"] = Rounded(Milliseconds(latency.ValueAtPercentile(50)), 3);
  json["p90_ms"] = Rounded(Milliseconds(latency.ValueAtPercentile(90)), 3);
  json["p99_ms"] = Rounded(Milliseconds(latency.ValueAtPercentile(99)), 3);
  json["p999_ms"] = Rounded(Milliseconds(latency.ValueAtPercentile(99.9)), 3);
  json["max_ms"] = Rounded(Milliseconds(latency.max()), 3);
  json["mean_ms"] = Rounded(latency.mean() / 1e6, 3);
  json["errors"] = result.errors;
  if (result.items_unprocessed != 0) json["unprocessed_items"] = result.items_unprocessed;
  if (ProfileNeedsDataset(config.profile)) json["table_items"] = config.dataset.item_count();
  if (result.hit_hard_limit) json["hit_hard_limit"] = true;
  if (result.gave_up) json["gave_up"] = true;
  std::printf("%s\n", json.dump().c_str());
  std::fflush(stdout);

  for (const std::string& sample : result.error_samples) {
    std::fprintf(stderr, "error sample: %s\n", sample.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine line;
  int exit_code = 0;
  if (!ParseCommandLine(argc, argv, line, exit_code)) return exit_code;

  Endpoint endpoint;
  try {
    endpoint = ParseEndpoint(line.endpoint);
  } catch (const std::exception& failure) {
    std::cerr << "eddy-loadgen: --endpoint: " << failure.what() << "\n";
    return 2;
  }
  if (line.wait_ready) {
    uint64_t attempts = 0;
    const int64_t ready_ns = WaitUntilReady(
        endpoint,
        std::chrono::milliseconds(static_cast<int64_t>(std::max(0.001, line.max_seconds) * 1000)),
        line.wait_pid, attempts);
    nlohmann::ordered_json json;
    json["ready"] = ready_ns != 0;
    json["ready_unix_ns"] = ready_ns;
    json["attempts"] = attempts;
    std::printf("%s\n", json.dump().c_str());
    return ready_ns != 0 ? 0 : 1;
  }
  const std::optional<Profile> profile = ParseProfile(line.profile_name);
  if (!profile) {
    std::cerr << "eddy-loadgen: unknown --profile " << line.profile_name << "\n";
    return 2;
  }

  WorkloadConfig config;
  config.profile = *profile;
  config.connections = line.connections;
  config.run_id = line.run_id;
  config.seed = line.seed;
  config.dataset.table = line.table;
  config.dataset.stream_view_type = line.stream_view_type;
  config.dataset.items_per_partition = line.items_per_partition;
  config.dataset.payload_bytes = line.item_bytes;
  // Whole partitions only, so every Query finds its full page of results.
  config.dataset.partitions =
      (line.table_items + line.items_per_partition - 1) / line.items_per_partition;
  config.dataset.preload_first_partition = line.preload_from_items / line.items_per_partition;

  if (line.setup) {
    SetupOptions setup;
    setup.provisioned = line.provisioned;
    setup.connections = line.connections;
    setup.threads = line.threads;
    setup.preload = ProfileNeedsDataset(config.profile) || config.profile == Profile::kNone;
    const SetupReport report = PrepareTable(endpoint, config, setup);
    if (!report.ok) return 3;
    if (config.profile == Profile::kNone) {
      nlohmann::ordered_json json;
      json["setup"] = true;
      json["table_items"] = config.dataset.item_count();
      json["preload_items"] = report.preloaded_items;
      json["preload_seconds"] = Rounded(report.preload_seconds, 3);
      json["preload_items_per_s"] =
          report.preload_seconds > 0 ? Rounded(report.preloaded_items / report.preload_seconds, 1)
                                     : 0.0;
      std::printf("%s\n", json.dump().c_str());
    }
  }
  if (config.profile == Profile::kNone) return 0;

  LoadPlan plan;
  plan.connections = line.connections;
  plan.threads = line.threads;
  plan.warmup = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(std::max(0.0, line.warmup_seconds)));
  plan.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(std::max(0.0, line.duration_seconds)));
  plan.request_budget = line.requests;
  plan.hard_limit = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(std::max(1.0, line.max_seconds)));
  plan.error_samples = line.error_samples;
  plan.give_up_after_failures = line.give_up_after;

  const auto result = RunLoad(endpoint, plan, [&](int connection) {
    return MakeRequestSource(config, endpoint, connection, nullptr);
  });
  Report(line, config, *result);
  return result->ok > 0 ? 0 : 1;
}
