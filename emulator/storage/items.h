#pragma once
// The rows eddy keeps: a catalog of tables (each with an opaque definition the model layer
// serializes) and items keyed by (table, encoded hash key, encoded range key).
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite_handle.h"

namespace eddy::storage {

struct TableRow {
  int64_t id = 0;
  std::string name;
  std::string definition;
  int64_t version = 0;
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

// Identifies the current definition of a table: version grows with every definition change.
struct TableVersion {
  int64_t id = 0;
  int64_t version = 0;
};

// Counts changes to the table catalog so that callers may cache what they derive from it and
// know, without asking SQLite, when to look again.
struct CatalogClock {
  // The writer's own view: bumped as soon as a job changes a definition and when a job rolls
  // back, since the writer sees its uncommitted changes. Only the writer thread touches it.
  uint64_t writer_view = 0;
  // Bumped after every transaction that changed a definition has ended (committed or rolled
  // back). A read snapshot can only see a different catalog across a bump, so a reader that
  // takes the count before its snapshot may trust anything cached under that count.
  std::atomic<uint64_t> committed{0};
};

// What a Reader may key cached catalog data by: the writer's view, or a reader's count.
struct CatalogStamp {
  uint64_t count = 0;
  bool writer = false;
};

struct StoredItem {
  std::string bytes;
  int64_t size = 0;  // the item's DynamoDB size, kept so deletes can update table totals
};

// An item's key as storage files it: the encoded key values, and the partition hash (the model's
// partition_hash of the partition key) that orders partitions.
struct ItemKey {
  uint32_t partition = 0;
  std::string_view hash_key;
  std::string_view range_key;
};

// One item's row in a secondary index: the index's key and the item as the index projects it.
struct IndexRow {
  uint32_t partition = 0;  // partition hash of the index's partition key
  uint32_t tie = 0;        // the item's key hash: orders items with equal index keys
  std::string hash_key;    // encoded index partition key
  std::string range_key;   // encoded index sort key; empty for an index without one
  std::string item;        // the projected item, in the model's item encoding
  int64_t size = 0;        // the projected item's DynamoDB size (IndexSizeBytes)
  bool operator==(const IndexRow&) const = default;
};

// What a ClientRequestToken was first used for: a digest of the request and the response sent.
struct ClientToken {
  std::string request_digest;
  std::string response;
};

// A DynamoDB stream of one table: opened when the stream is enabled, disabled (never reopened)
// when it is disabled or its table deleted.
struct StreamRow {
  std::string arn;
  std::string table_name;
  std::string label;
  std::string view_type;
  std::string key_schema;  // opaque: the model's serialized key schema
  double created_at = 0;
  std::optional<double> disabled_at;
};

// One item change in a stream. Images and keys are in the model's item encoding; an absent
// image is nullopt.
struct StreamRecordRow {
  int64_t sequence = 0;  // assigned on append
  double created_at = 0;
  std::string event_name;  // INSERT, MODIFY, REMOVE
  std::string keys;
  std::optional<std::string> old_image;
  std::optional<std::string> new_image;
  int64_t size_bytes = 0;
  bool by_service = false;  // written by eddy itself (TTL), not by a client
};

// An item of a table with Time to Live enabled, and when it expires (epoch seconds).
struct ExpiringItem {
  int64_t table_id = 0;
  uint32_t partition = 0;
  std::string hash_key;
  std::string range_key;
  double expires_at = 0;

  ItemKey key() const { return {partition, hash_key, range_key}; }
};

struct IndexTotals {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

// The sort keys a Query reads within its partition.
struct SortKeyBounds {
  enum class Bound : uint8_t { None, Exclusive, Inclusive };
  Bound lower = Bound::None;
  std::string lower_key;
  Bound upper = Bound::None;
  std::string upper_key;
};

// The last row a page returned; reading resumes after it. Table reads use hash_key and
// range_key (the item's key); index reads use all four (the index key, then the item's key) and
// the item's tie hash. Scans also need the partition hash of hash_key.
struct RowKey {
  uint32_t partition = 0;
  uint32_t tie = 0;
  std::string hash_key;
  std::string range_key;
  std::string base_hash_key;
  std::string base_range_key;
};

// A row as a read meets it; the views are valid only during the visit.
struct VisitedRow {
  uint32_t partition = 0;
  std::string_view hash_key;
  std::string_view range_key;
  std::string_view base_hash_key;  // index reads only
  std::string_view base_range_key;
  std::string_view item;
  int64_t size = 0;
};
// Returns false to stop the read.
using RowVisitor = std::function<bool(const VisitedRow&)>;

// Creates the schema if the file is new, upgrades an older one, checks its version otherwise.
// Returns true when the file predates secondary index rows, whose indexes must be rebuilt.
bool ensure_schema(Connection& connection);

class Reader {
 public:
  Reader(Connection& connection, uint64_t committed_catalog)
      : connection_(connection), committed_catalog_(committed_catalog) {}

  CatalogStamp catalog_stamp() const {
    if (writer_clock_) return {writer_clock_->writer_view, true};
    return {committed_catalog_, false};
  }

  std::optional<TableRow> find_table(std::string_view name);
  std::optional<TableRow> find_table_by_id(int64_t table_id);
  std::optional<TableVersion> find_table_version(std::string_view name);
  // Table names after exclusive_start (all if empty), ascending, at most limit of them.
  std::vector<std::string> list_table_names(std::string_view exclusive_start, int64_t limit);
  std::optional<StoredItem> get_item(int64_t table_id, const ItemKey& key);

  // Rows of one partition (of the table, or of index_id's index) within bounds, in sort key
  // order (then, in an index, the items' key order), forward or backward, after `after`.
  void query(int64_t table_id, std::optional<int64_t> index_id, uint32_t partition,
             std::string_view hash_key, const SortKeyBounds& bounds, bool forward,
             const std::optional<RowKey>& after, const RowVisitor& visit);
  // Rows whose partition hash lies in [first_hash, last_hash], in storage order, after `after`.
  void scan(int64_t table_id, std::optional<int64_t> index_id, uint32_t first_hash,
            uint32_t last_hash, const std::optional<RowKey>& after, const RowVisitor& visit);
  IndexTotals index_totals(int64_t table_id, int64_t index_id);
  // Streams whose table name is table_name (all if empty), in ARN order after `after`.
  std::vector<StreamRow> list_streams(std::string_view table_name, std::string_view after,
                                      int64_t limit);
  std::optional<StreamRow> find_stream(std::string_view arn);
  // Up to limit records of the stream from sequence `from` on, created before `before`.
  std::vector<StreamRecordRow> stream_records(std::string_view arn, int64_t from, double before,
                                              int64_t limit);
  // The highest sequence of any record created before `time` (0 if none): shards start after it.
  int64_t last_sequence_before(double time);
  // The highest sequence of the stream's records created before `time` (0 if none).
  int64_t last_stream_sequence_before(std::string_view arn, double time);
  // The lowest sequence of the stream's records still kept (0 if none).
  int64_t first_kept_stream_sequence(std::string_view arn);

  // Items expiring in [not_before, before), soonest first, at most limit of them.
  std::vector<ExpiringItem> expiring_items(double not_before, double before, int64_t limit);
  // True when trim_streams(time) would forget something.
  bool streams_need_trim(double time);

  // The token's first use, unless it expired (times in seconds since the epoch).
  std::optional<ClientToken> find_client_token(std::string_view token, double now);

 protected:
  Connection& connection_;
  uint64_t committed_catalog_ = 0;
  CatalogClock* writer_clock_ = nullptr;
};

class Writer : public Reader {
 public:
  Writer(Connection& connection, CatalogClock& clock) : Reader(connection, 0) {
    writer_clock_ = &clock;
  }

  int64_t insert_table(std::string_view name, std::string_view definition);
  void update_table_definition(int64_t table_id, std::string_view definition);
  // Removes the table and all its items.
  void delete_table(int64_t table_id);

  // Stores item (replacing any item with the same key); returns the item it replaced.
  std::optional<StoredItem> put_item(int64_t table_id, const ItemKey& key,
                                     std::string_view item_bytes, int64_t size);
  // Returns the deleted item, if there was one.
  std::optional<StoredItem> delete_item(int64_t table_id, const ItemKey& key);

  // Index rows of the item with key (base_hash_key, base_range_key).
  void put_index_row(int64_t table_id, int64_t index_id, std::string_view base_hash_key,
                     std::string_view base_range_key, const IndexRow& row);
  void delete_index_row(int64_t table_id, int64_t index_id, std::string_view base_hash_key,
                        std::string_view base_range_key, const IndexRow& row);
  // Removes every row of one index.
  void delete_index(int64_t table_id, int64_t index_id);
  // Every item of a table, in storage order, for building an index over them.
  void for_each_item(int64_t table_id, const RowVisitor& visit) {
    scan(table_id, std::nullopt, 0, UINT32_MAX, std::nullopt, visit);
  }

  void open_stream(const StreamRow& stream);
  void disable_stream(std::string_view arn, double when);
  // Appends a record; returns its sequence.
  int64_t append_stream_record(std::string_view arn, const StreamRecordRow& record);
  // Forgets records created before `time`, and streams disabled before it.
  void trim_streams(double time);

  // Files when the item expires (nullopt: never, its row is removed).
  void set_item_expiry(int64_t table_id, const ItemKey& key, std::optional<double> expires_at);
  // Forgets every expiry of the table (TTL disabled, table deleted).
  void clear_item_expiries(int64_t table_id);

  // Remembers a token's first use until expires_at, and forgets tokens expired by now.
  void save_client_token(std::string_view token, const ClientToken& use, double now,
                         double expires_at);

  // Runs hook once this job's changes are committed (never if they are rolled back).
  void after_commit(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }
  std::vector<std::function<void()>> take_hooks() { return std::move(hooks_); }

 private:
  void add_to_totals(int64_t table_id, int64_t items, int64_t bytes);
  void add_to_index_totals(int64_t table_id, int64_t index_id, int64_t items, int64_t bytes);

  std::vector<std::function<void()>> hooks_;
};

}  // namespace eddy::storage
