#pragma once
// The rows eddy keeps: a catalog of tables (each with an opaque definition the model layer
// serializes) and items keyed by (table, encoded hash key, encoded range key).
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

// Identifies the current definition of a table: version grows with every definition change, so a
// cached definition can be checked with one cheap lookup.
struct TableVersion {
  int64_t id = 0;
  int64_t version = 0;
};

struct StoredItem {
  std::string bytes;
  int64_t size = 0;  // the item's DynamoDB size, kept so deletes can update table totals
};

// Creates the schema if the file is new; checks its version otherwise.
void ensure_schema(Connection& connection);

class Reader {
 public:
  explicit Reader(Connection& connection) : connection_(connection) {}

  std::optional<TableRow> find_table(std::string_view name);
  std::optional<TableVersion> find_table_version(std::string_view name);
  // Table names after exclusive_start (all if empty), ascending, at most limit of them.
  std::vector<std::string> list_table_names(std::string_view exclusive_start, int64_t limit);
  std::optional<StoredItem> get_item(int64_t table_id, std::string_view hash_key,
                                     std::string_view range_key);

 protected:
  Connection& connection_;
};

class Writer : public Reader {
 public:
  using Reader::Reader;

  int64_t insert_table(std::string_view name, std::string_view definition);
  void update_table_definition(int64_t table_id, std::string_view definition);
  // Removes the table and all its items.
  void delete_table(int64_t table_id);

  // Stores item (replacing any item with the same key); returns the item it replaced.
  std::optional<StoredItem> put_item(int64_t table_id, std::string_view hash_key,
                                     std::string_view range_key, std::string_view item_bytes,
                                     int64_t size);
  // Returns the deleted item, if there was one.
  std::optional<StoredItem> delete_item(int64_t table_id, std::string_view hash_key,
                                        std::string_view range_key);

  // Runs hook once this job's changes are committed (never if they are rolled back).
  void after_commit(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }
  std::vector<std::function<void()>> take_hooks() { return std::move(hooks_); }

 private:
  void add_to_totals(int64_t table_id, int64_t items, int64_t bytes);

  std::vector<std::function<void()>> hooks_;
};

}  // namespace eddy::storage
