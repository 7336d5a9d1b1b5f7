#include "setup.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "driver.h"

namespace eddy_bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

struct HttpReply {
  int status = 0;
  std::string body;
  std::string transport_error;  // non-empty when no response was received
};

// Blocking one-shot request for the handful of control-plane calls; the hot path lives in
// driver.cc. A fresh connection each time keeps this trivially correct.
HttpReply PostOnce(const Endpoint& endpoint, std::string_view operation, const std::string& body) {
  HttpReply reply;
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address(endpoint.host), endpoint.port));
    const RequestTemplate request =
        RequestTemplate::DynamoPost(endpoint, operation, BodyBuilder().Text(body));
    asio::write(stream, request.Bytes());
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    reply.status = response.result_int();
    reply.body = std::move(response.body());
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& failure) {
    reply.transport_error = failure.what();
  }
  return reply;
}

bool CreateTable(const Endpoint& endpoint, const WorkloadConfig& config, bool provisioned) {
  const HttpReply reply =
      PostOnce(endpoint, "CreateTable", CreateTableBody(config.dataset, provisioned));
  if (!reply.transport_error.empty()) {
    std::fprintf(stderr, "setup: CreateTable failed: %s\n", reply.transport_error.c_str());
    return false;
  }
  if (reply.status == 200 && reply.body.find("__type") == std::string::npos) return true;
  if (reply.body.find("ResourceInUseException") != std::string::npos) {
    std::fprintf(stderr, "setup: table %s already exists, reusing it\n",
                 config.dataset.table.c_str());
    return true;
  }
  std::fprintf(stderr, "setup: CreateTable answered HTTP %d: %s\n", reply.status,
               reply.body.c_str());
  return false;
}

// dynalite keeps new tables CREATING for a while and real DynamoDB does so for GSIs, so writes
// must wait until the table and every index report ACTIVE.
bool WaitUntilActive(const Endpoint& endpoint, const Dataset& dataset,
                     std::chrono::seconds timeout) {
  const std::string body = R"({"TableName":")" + dataset.table + R"("})";
  const Clock::time_point deadline = Clock::now() + timeout;
  std::string last_status = "no answer";
  while (Clock::now() < deadline) {
    const HttpReply reply = PostOnce(endpoint, "DescribeTable", body);
    if (reply.status == 200) {
      const nlohmann::json description = nlohmann::json::parse(reply.body, nullptr, false);
      if (description.is_object() && description.contains("Table")) {
        const nlohmann::json& table = description["Table"];
        last_status = table.value("TableStatus", "?");
        bool active = last_status == "ACTIVE";
        if (table.contains("GlobalSecondaryIndexes")) {
          for (const nlohmann::json& index : table["GlobalSecondaryIndexes"]) {
            if (index.value("IndexStatus", "ACTIVE") != "ACTIVE") active = false;
          }
        }
        if (active) return true;
      }
    } else if (!reply.transport_error.empty()) {
      last_status = reply.transport_error;
    } else {
      last_status = "HTTP " + std::to_string(reply.status) + ": " + reply.body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::fprintf(stderr, "setup: table not ACTIVE after %llds (last: %s)\n",
               static_cast<long long>(timeout.count()), last_status.c_str());
  return false;
}

bool Preload(const Endpoint& endpoint, const WorkloadConfig& base, const SetupOptions& options,
             SetupReport& report) {
  const Dataset& dataset = base.dataset;
  PreloadCursor cursor;
  cursor.next_item = dataset.preload_first_partition * dataset.items_per_partition;
  cursor.end_item = dataset.item_count();
  if (cursor.next_item >= cursor.end_item) return true;
  const uint64_t wanted = cursor.end_item - cursor.next_item;

  WorkloadConfig config = base;
  config.profile = Profile::kPreload;
  LoadPlan plan;
  plan.connections = options.connections;
  plan.threads = options.threads;
  plan.duration = options.preload_timeout;
  plan.hard_limit = options.preload_timeout + std::chrono::seconds(10);
  const Clock::time_point started = Clock::now();
  const auto result = RunLoad(endpoint, plan, [&](int connection) {
    return MakeRequestSource(config, endpoint, connection, &cursor);
  });
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  report.preloaded_items = result->items_written;
  report.preload_seconds = seconds;
  std::fprintf(
      stderr,
      "setup: preloaded %llu of %llu items (%llu partitions x %u) in %.2f s, "
      "%.0f items/s, %llu errors, %llu unprocessed\n",
      static_cast<unsigned long long>(result->items_written),
      static_cast<unsigned long long>(wanted),
      static_cast<unsigned long long>(dataset.partitions - dataset.preload_first_partition),
      dataset.items_per_partition, seconds,
      seconds > 0 ? static_cast<double>(result->items_written) / seconds : 0.0,
      static_cast<unsigned long long>(result->errors),
      static_cast<unsigned long long>(result->items_unprocessed));
  for (const std::string& sample : result->error_samples) {
    std::fprintf(stderr, "setup: preload error: %s\n", sample.c_str());
  }
  return result->items_written == wanted;
}

}  // namespace

int64_t WaitUntilReady(const Endpoint& endpoint, std::chrono::milliseconds timeout, int watched_pid,
                       uint64_t& attempts) {
  const Clock::time_point deadline = Clock::now() + timeout;
  attempts = 0;
  while (Clock::now() < deadline) {
    ++attempts;
    const HttpReply reply = PostOnce(endpoint, "ListTables", "{}");
    if (reply.status == 200 && reply.body.find("__type") == std::string::npos) {
      return std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    }
    if (watched_pid > 0 && kill(watched_pid, 0) != 0 && errno == ESRCH) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return 0;
}

SetupReport PrepareTable(const Endpoint& endpoint, const WorkloadConfig& config,
                         const SetupOptions& options) {
  SetupReport report;
  if (!CreateTable(endpoint, config, options.provisioned)) return report;
  if (!WaitUntilActive(endpoint, config.dataset, options.table_timeout)) return report;
  if (!options.preload) {
    report.ok = true;
    return report;
  }
  report.ok = Preload(endpoint, config, options, report);
  if (!report.ok && report.preloaded_items == 0) {
    // Lets read profiles run on a server that has PutItem but no BatchWriteItem yet.
    std::fprintf(stderr, "setup: BatchWriteItem wrote nothing; preloading with PutItem instead\n");
    WorkloadConfig single = config;
    single.preload_with_put_item = true;
    report.ok = Preload(endpoint, single, options, report);
  }
  return report;
}

}  // namespace eddy_bench
