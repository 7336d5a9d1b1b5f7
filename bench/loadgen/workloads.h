// What each benchmark profile sends and how its responses are judged.
//
// Data model (table `bench`, pk S HASH, sk S RANGE, GSI `gsi` on gsk S HASH / sk S RANGE):
//   preloaded items  pk "part#PPPPPPPP"  sk "y2026#JJJJJJ"  gsk "gpart#PPPPPPPP"  c N  data S(~1
//   KB)
// Every partition holds `items_per_partition` (40) items, so a Query with Limit 20 and
// begins_with(sk, "y2026#") always has 20 matches, on the table and on the GSI alike. The same
// items serve get, update, query, query-gsi, mixed and transact, so one --setup covers all of them.
// Writes from put / batch / transact use their own key prefixes plus a per-run id, so repeated runs
// against one server insert new items instead of overwriting.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "request_template.h"

namespace eddy_bench {

enum class Profile {
  kNone,  // setup only
  kPut,
  kGet,
  kUpdate,
  kQuery,
  kQueryGsi,
  kBatch,
  kMixed,
  kHealth,
  kTransact,
  kPreload,  // internal: BatchWriteItem of the preloaded items during --setup
};

std::optional<Profile> ParseProfile(std::string_view name);
std::string_view ProfileName(Profile profile);
// True when the profile reads or updates the preloaded partitions.
bool ProfileNeedsDataset(Profile profile);
// Items written per successful request, for the items/s column (0 for read-only profiles).
uint32_t ItemsWrittenPerRequest(Profile profile);

struct Dataset {
  std::string table = "bench";
  uint64_t partitions = 100;
  uint32_t items_per_partition = 40;
  uint32_t payload_bytes = 1000;
  uint32_t query_limit = 20;
  // --setup writes partitions [preload_first_partition, partitions); lets a cost-curve run grow
  // the table step by step without rewriting what is already there.
  uint64_t preload_first_partition = 0;
  // --setup creates the table with a stream of this view type (empty: no stream).
  std::string stream_view_type;

  uint64_t item_count() const { return partitions * items_per_partition; }
};

struct WorkloadConfig {
  Profile profile = Profile::kPut;
  Dataset dataset;
  int connections = 16;
  uint64_t run_id = 0;  // keeps keys written by different runs apart
  uint64_t seed = 1;
  // Preload with one PutItem per item instead of BatchWriteItem (for servers lacking the latter).
  bool preload_with_put_item = false;
};

// Outcome of one response. `problem` points at static text; the driver keeps the body sample.
struct Verdict {
  bool ok = true;
  uint32_t items_written = 0;
  uint32_t items_unprocessed = 0;
  std::string_view problem;
};

// Hands out preload batches exactly once across all connections and threads.
struct PreloadCursor {
  std::atomic<uint64_t> next_item{0};
  uint64_t end_item = 0;
};

// Produces the requests of one connection. Not thread-safe: each connection owns its source.
class RequestSource {
 public:
  virtual ~RequestSource() = default;
  // Fills in and returns the next request, or nullptr when this connection has no work left.
  // The returned template stays untouched until the next call.
  virtual const RequestTemplate* Next() = 0;
  // Judges the response to the request last returned by Next().
  virtual Verdict Judge(int status, std::string_view body) = 0;
};

std::unique_ptr<RequestSource> MakeRequestSource(const WorkloadConfig& config,
                                                 const Endpoint& endpoint, int connection,
                                                 PreloadCursor* preload_cursor);

// The CreateTable body for the data model above; `provisioned` selects PROVISIONED billing with
// generous capacity instead of PAY_PER_REQUEST.
std::string CreateTableBody(const Dataset& dataset, bool provisioned);

}  // namespace eddy_bench
