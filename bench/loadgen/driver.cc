#include "driver.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <thread>

namespace eddy_bench {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using asio::ip::tcp;

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kBodySampleChars = 400;
constexpr auto kReconnectBackoff = std::chrono::milliseconds(10);
constexpr auto kShutdownGrace = std::chrono::seconds(5);
// A connection that cannot (re)connect for this long stops: the server is gone, and a --requests
// run would otherwise spin on refused connections until the hard limit.
constexpr auto kGiveUpUnreachable = std::chrono::seconds(5);

// Response parser that keeps only what the benchmark needs (status, keep-alive, body) and appends
// the body into a per-connection string whose capacity survives across requests, so reading a
// response allocates nothing once the connection has warmed up.
class ResponseSink final : public http::basic_parser<false> {
 public:
  explicit ResponseSink(std::string& body) : body_(body) {
    body_limit(uint64_t{256} << 20);
    eager(true);
  }
  int status() const { return status_; }

 private:
  void on_request_impl(http::verb, boost::beast::string_view, boost::beast::string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, boost::beast::string_view, int, error_code&) override {
    status_ = code;
    body_.clear();
  }
  void on_field_impl(http::field, boost::beast::string_view, boost::beast::string_view,
                     error_code&) override {}
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<uint64_t>& length, error_code&) override {
    if (length && *length > body_.capacity()) body_.reserve(*length);
  }
  size_t on_body_impl(boost::beast::string_view data, error_code&) override {
    body_.append(data.data(), data.size());
    return data.size();
  }
  void on_chunk_header_impl(uint64_t, boost::beast::string_view, error_code&) override {}
  size_t on_chunk_body_impl(uint64_t, boost::beast::string_view data, error_code&) override {
    body_.append(data.data(), data.size());
    return data.size();
  }
  void on_finish_impl(error_code&) override {}

  std::string& body_;
  int status_ = 0;
};

// Timestamps every connection agrees on.
struct Schedule {
  Clock::time_point measure_begin;
  Clock::time_point measure_end;  // time_point::max() in request-budget mode
  Clock::time_point hard_stop;
  uint64_t request_budget = 0;
  std::atomic<uint64_t> budget_claimed{0};
};

struct Connection {
  explicit Connection(asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  boost::beast::flat_buffer buffer;
  std::string body;
  std::unique_ptr<RequestSource> source;
};

// One io_context on one thread with its own connections and statistics: no locks on the hot path.
struct Worker {
  Worker(size_t sample_limit, uint64_t failures_before_giving_up)
      : hard_stop_timer(io),
        error_sample_limit(sample_limit),
        give_up_after(failures_before_giving_up) {}

  void RecordError(std::string_view problem, int status, std::string_view body) {
    ++result.errors;
    if (give_up_after != 0 && successes == 0 && result.errors >= give_up_after && !stopping) {
      // Nothing has worked yet: the server lacks the operation or the table is broken. Stopping
      // now keeps an unsupported profile from burning the whole duration on errors.
      stopping = true;
      result.gave_up = true;
      CloseAll();
    }
    if (result.error_samples.size() >= error_sample_limit) return;
    std::string sample(problem);
    if (status != 0) sample += " [HTTP " + std::to_string(status) + "]";
    if (!body.empty()) sample += ": " + std::string(body.substr(0, kBodySampleChars));
    result.error_samples.push_back(std::move(sample));
  }

  void CloseAll() {
    error_code ignored;
    for (auto& connection : connections) connection->socket.close(ignored);
  }

  asio::io_context io{1};
  asio::steady_timer hard_stop_timer;
  std::vector<std::unique_ptr<Connection>> connections;
  LoadResult result;
  size_t error_sample_limit;
  uint64_t give_up_after;
  uint64_t successes = 0;  // including warm-up, unlike result.ok
  bool stopping = false;
  int live_connections = 0;
  Clock::time_point last_measured_completion{};
};

asio::awaitable<error_code> ReadResponse(Connection& connection, int& status, bool& keep_alive) {
  ResponseSink sink(connection.body);
  error_code ec;
  for (;;) {
    if (connection.buffer.size() > 0) {
      const size_t used = sink.put(connection.buffer.data(), ec);
      connection.buffer.consume(used);
      if (!ec && sink.is_done()) break;
      if (ec && ec != http::error::need_more) co_return ec;
      ec = {};
      if (used > 0 && connection.buffer.size() > 0) continue;
    }
    const size_t received = co_await connection.socket.async_read_some(
        connection.buffer.prepare(kReadChunk), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::eof && sink.got_some() && sink.need_eof()) {
      sink.put_eof(ec);
      if (ec) co_return ec;
      break;
    }
    if (ec) co_return ec;
    connection.buffer.commit(received);
  }
  status = sink.status();
  keep_alive = sink.keep_alive();
  co_return error_code{};
}

asio::awaitable<void> DriveConnection(Worker& worker, Connection& connection, Schedule& schedule,
                                      tcp::endpoint target) {
  asio::steady_timer backoff(worker.io);
  error_code ec;
  Clock::time_point last_response = Clock::now();
  while (!worker.stopping && Clock::now() < schedule.measure_end) {
    if (!connection.socket.is_open()) {
      connection.buffer.clear();
      co_await connection.socket.async_connect(target,
                                               asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (worker.stopping) break;
        worker.RecordError("connect failed: " + ec.message(), 0, {});
        connection.socket.close(ec);
        if (Clock::now() - last_response > kGiveUpUnreachable) {
          worker.RecordError("giving up: server unreachable for 5 s", 0, {});
          break;
        }
        // Bounded by measure_end / hard_stop like everything else; the pause keeps a dead server
        // from turning this loop into a busy spin.
        backoff.expires_after(kReconnectBackoff);
        co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      connection.socket.set_option(tcp::no_delay(true), ec);
    }

    // In budget mode a request is measured iff it claimed one of the budget's tickets.
    bool claimed = false;
    if (schedule.request_budget != 0 && Clock::now() >= schedule.measure_begin) {
      if (schedule.budget_claimed.fetch_add(1, std::memory_order_relaxed) >=
          schedule.request_budget) {
        break;
      }
      claimed = true;
    }
    const RequestTemplate* request = connection.source->Next();
    if (request == nullptr) break;

    const Clock::time_point sent = Clock::now();
    co_await asio::async_write(connection.socket, request->Bytes(),
                               asio::redirect_error(asio::use_awaitable, ec));
    int status = 0;
    bool keep_alive = true;
    if (!ec) ec = co_await ReadResponse(connection, status, keep_alive);
    const Clock::time_point done = Clock::now();

    if (ec) {
      if (worker.stopping) {  // we closed the socket under a request
        if (worker.result.hit_hard_limit) {
          worker.RecordError("no response before the hard time limit", 0, {});
        }
        break;
      }
      worker.RecordError("transport error: " + ec.message(), 0, {});
      connection.socket.close(ec);
      continue;
    }
    last_response = done;
    if (!keep_alive) connection.socket.close(ec);

    const Verdict verdict = connection.source->Judge(status, connection.body);
    if (!verdict.ok) {
      worker.RecordError(verdict.problem, status, connection.body);
      continue;
    }
    ++worker.successes;
    const bool measured = schedule.request_budget != 0
                              ? claimed
                              : done >= schedule.measure_begin && done < schedule.measure_end;
    if (!measured) continue;
    LoadResult& result = worker.result;
    ++result.ok;
    result.items_written += verdict.items_written;
    result.items_unprocessed += verdict.items_unprocessed;
    result.latency.Record(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(done - sent).count()));
    worker.last_measured_completion = std::max(worker.last_measured_completion, done);
  }
  error_code ignored;
  connection.socket.close(ignored);
}

void StartWorker(Worker& worker, Schedule& schedule, const tcp::endpoint& target) {
  worker.hard_stop_timer.expires_at(schedule.hard_stop);
  worker.hard_stop_timer.async_wait([&worker](error_code ec) {
    if (ec) return;  // cancelled: every connection finished on its own
    worker.stopping = true;
    worker.result.hit_hard_limit = true;
    worker.CloseAll();
  });
  worker.live_connections = static_cast<int>(worker.connections.size());
  for (auto& connection : worker.connections) {
    asio::co_spawn(worker.io, DriveConnection(worker, *connection, schedule, target),
                   [&worker](std::exception_ptr failure) {
                     if (failure) worker.RecordError("connection coroutine threw", 0, {});
                     if (--worker.live_connections == 0) worker.hard_stop_timer.cancel();
                   });
  }
}

}  // namespace

std::unique_ptr<LoadResult> RunLoad(const Endpoint& endpoint, const LoadPlan& plan,
                                    const SourceFactory& make_source) {
  const int thread_count = std::clamp(plan.threads, 1, std::max(1, plan.connections));
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < thread_count; ++i) {
    workers.push_back(std::make_unique<Worker>(plan.error_samples, plan.give_up_after_failures));
  }
  for (int c = 0; c < plan.connections; ++c) {
    Worker& worker = *workers[static_cast<size_t>(c % thread_count)];
    auto connection = std::make_unique<Connection>(worker.io);
    connection->body.reserve(kReadChunk);
    connection->source = make_source(c);
    worker.connections.push_back(std::move(connection));
  }

  const tcp::endpoint target(asio::ip::make_address(endpoint.host), endpoint.port);
  Schedule schedule;
  const Clock::time_point start = Clock::now();
  schedule.measure_begin = start + plan.warmup;
  schedule.request_budget = plan.request_budget;
  schedule.measure_end =
      plan.request_budget != 0 ? Clock::time_point::max() : schedule.measure_begin + plan.duration;
  schedule.hard_stop =
      plan.request_budget != 0
          ? start + plan.hard_limit
          : std::min(start + plan.hard_limit,
                     schedule.measure_end + std::chrono::nanoseconds(kShutdownGrace));
  for (auto& worker : workers) StartWorker(*worker, schedule, target);

  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers.size(); ++i) {
    threads.emplace_back([&worker = *workers[i]] { worker.io.run(); });
  }
  workers[0]->io.run();
  for (std::thread& thread : threads) thread.join();

  auto merged = std::make_unique<LoadResult>();
  Clock::time_point last_completion = schedule.measure_begin;
  for (auto& worker : workers) {
    const LoadResult& part = worker->result;
    merged->latency.Merge(part.latency);
    merged->ok += part.ok;
    merged->errors += part.errors;
    merged->items_written += part.items_written;
    merged->items_unprocessed += part.items_unprocessed;
    merged->hit_hard_limit = merged->hit_hard_limit || part.hit_hard_limit;
    merged->gave_up = merged->gave_up || part.gave_up;
    for (const std::string& sample : part.error_samples) {
      if (merged->error_samples.size() < plan.error_samples)
        merged->error_samples.push_back(sample);
    }
    last_completion = std::max(last_completion, worker->last_measured_completion);
  }
  const auto measured = plan.request_budget != 0
                            ? last_completion - schedule.measure_begin
                            : std::chrono::duration_cast<Clock::duration>(plan.duration);
  merged->measured_seconds = std::chrono::duration<double>(measured).count();
  return merged;
}

}  // namespace eddy_bench
