#include "storage/items.h"

namespace eddy::storage {
namespace {

// 1: tables and items. 2: secondary index rows and their totals. 3: items and index rows in
// rowid tables.
constexpr int64_t kSchemaVersion = 3;

void create_tables(Connection& connection) {
  connection.exec(
      "CREATE TABLE IF NOT EXISTS eddy_schema(version INTEGER NOT NULL);"
      "CREATE TABLE IF NOT EXISTS tables("
      "  id INTEGER PRIMARY KEY,"
      "  name TEXT NOT NULL UNIQUE,"
      "  definition BLOB NOT NULL,"
      "  version INTEGER NOT NULL DEFAULT 1,"
      "  item_count INTEGER NOT NULL DEFAULT 0,"
      "  size_bytes INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE IF NOT EXISTS items("
      "  table_id INTEGER NOT NULL,"
      "  partition_hash INTEGER NOT NULL,"
      "  hash_key BLOB NOT NULL,"
      "  range_key BLOB NOT NULL,"
      "  size INTEGER NOT NULL,"
      "  item BLOB NOT NULL,"
      // A rowid table, not WITHOUT ROWID: there a ~1 KB item spills into overflow pages, and a
      // key lookup reads the whole row, overflow included, at every comparison on its way down.
      // Here the key lives in the primary key's own index of small rows, and only the row found
      // is read.
      "  PRIMARY KEY(table_id, partition_hash, hash_key, range_key));"
      // An index row is keyed by the index key and then the item: index keys need not be
      // unique, and DynamoDB orders items with equal index keys by the hash of their key.
      "CREATE TABLE IF NOT EXISTS index_items("
      "  table_id INTEGER NOT NULL,"
      "  index_id INTEGER NOT NULL,"
      "  partition_hash INTEGER NOT NULL,"
      "  hash_key BLOB NOT NULL,"
      "  range_key BLOB NOT NULL,"
      "  tie INTEGER NOT NULL,"
      "  base_hash_key BLOB NOT NULL,"
      "  base_range_key BLOB NOT NULL,"
      "  size INTEGER NOT NULL,"
      "  item BLOB NOT NULL,"
      "  PRIMARY KEY(table_id, index_id, partition_hash, hash_key, range_key, tie, base_hash_key,"
      "              base_range_key));"
      // TransactWriteItems' ClientRequestTokens: the request each was first used with and the
      // answer it got, so that a retry inside the idempotency window gets the same answer.
      "CREATE TABLE IF NOT EXISTS client_tokens("
      "  token TEXT PRIMARY KEY,"
      "  request_digest BLOB NOT NULL,"
      "  response BLOB NOT NULL,"
      "  expires_at REAL NOT NULL);"
      // DynamoDB Streams: every stream a table has had (kept after the table is deleted, until
      // retention ends), and one row per item change, appended in the change's transaction.
      // The sequence is the commit order: only the writer appends.
      "CREATE TABLE IF NOT EXISTS streams("
      "  arn TEXT PRIMARY KEY,"
      "  table_name TEXT NOT NULL,"
      "  label TEXT NOT NULL,"
      "  view_type TEXT NOT NULL,"
      "  key_schema BLOB NOT NULL,"
      "  created_at REAL NOT NULL,"
      "  disabled_at REAL);"
      "CREATE TABLE IF NOT EXISTS stream_records("
      "  sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  stream_arn TEXT NOT NULL,"
      "  created_at REAL NOT NULL,"
      "  event_name TEXT NOT NULL,"
      "  keys BLOB NOT NULL,"
      "  old_image BLOB,"
      "  new_image BLOB,"
      "  size_bytes INTEGER NOT NULL,"
      "  by_service INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX IF NOT EXISTS stream_records_by_stream"
      "  ON stream_records(stream_arn, sequence);"
      // Shards are windows of time: their sequence ranges and retention are found by time.
      "CREATE INDEX IF NOT EXISTS stream_records_by_time ON stream_records(created_at);"
      // Time to Live: when each item of a table with TTL enabled expires (items whose TTL
      // attribute is a Number). The sweeper reads it by time, across tables; an item whose
      // attribute is missing or of another type has no row.
      "CREATE TABLE IF NOT EXISTS item_expiry("
      "  table_id INTEGER NOT NULL,"
      "  partition_hash INTEGER NOT NULL,"
      "  hash_key BLOB NOT NULL,"
      "  range_key BLOB NOT NULL,"
      "  expires_at REAL NOT NULL,"
      "  PRIMARY KEY(table_id, partition_hash, hash_key, range_key)) WITHOUT ROWID;"
      "CREATE INDEX IF NOT EXISTS item_expiry_by_time ON item_expiry(expires_at);"
      "CREATE TABLE IF NOT EXISTS index_totals("
      "  table_id INTEGER NOT NULL,"
      "  index_id INTEGER NOT NULL,"
      "  item_count INTEGER NOT NULL DEFAULT 0,"
      "  size_bytes INTEGER NOT NULL DEFAULT 0,"
      "  PRIMARY KEY(table_id, index_id)) WITHOUT ROWID;");
}

bool is_without_rowid(Connection& connection, const char* table) {
  StatementScope query(connection.prepare(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1 AND sql LIKE "
      "'%WITHOUT ROWID%'"));
  query->bind_text(1, table);
  return query->step();
}

// Versions 1 and 2 kept items (and 2 index rows) WITHOUT ROWID; the columns are unchanged.
void move_rows_to_rowid_tables(Connection& connection) {
  bool items = is_without_rowid(connection, "items");
  bool index_items = is_without_rowid(connection, "index_items");
  if (items) connection.exec("ALTER TABLE items RENAME TO items_before_v3");
  if (index_items) connection.exec("ALTER TABLE index_items RENAME TO index_items_before_v3");
  create_tables(connection);
  if (items) {
    connection.exec("INSERT INTO items SELECT * FROM items_before_v3; DROP TABLE items_before_v3;");
  }
  if (index_items) {
    connection.exec(
        "INSERT INTO index_items SELECT * FROM index_items_before_v3;"
        "DROP TABLE index_items_before_v3;");
  }
}

}  // namespace

namespace {

// Returns true when the file predates secondary index rows (see ensure_schema).
bool bring_schema_up_to_date(Connection& connection) {
  create_tables(connection);
  Statement& version = connection.prepare("SELECT version FROM eddy_schema");
  StatementScope scope(version);
  if (!version.step()) {
    StatementScope insert(connection.prepare("INSERT INTO eddy_schema(version) VALUES(?1)"));
    insert->bind(1, kSchemaVersion).run();
    return false;
  }
  int64_t found = version.column_int(0);
  if (found == kSchemaVersion) return false;
  if (found == 1 || found == 2) {
    version.reset();
    move_rows_to_rowid_tables(connection);
    StatementScope upgrade(connection.prepare("UPDATE eddy_schema SET version = ?1"));
    upgrade->bind(1, kSchemaVersion).run();
    // Version 1 kept no index rows and hashed partitions differently: the caller re-files its
    // items and fills the indexes.
    return found == 1;
  }
  throw StorageError(SQLITE_MISMATCH, "database schema version " + std::to_string(found) +
                                          " is not supported by this eddy");
}

}  // namespace

bool ensure_schema(Connection& connection) {
  // One transaction: a new file costs one fsync instead of one per table, and an upgrade is
  // all or nothing.
  connection.exec("BEGIN IMMEDIATE");
  try {
    bool rebuild_indexes = bring_schema_up_to_date(connection);
    connection.exec("COMMIT");
    return rebuild_indexes;
  } catch (...) {
    sqlite3_exec(connection.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

namespace {

// The row a "SELECT id, name, definition, version, item_count, size_bytes" query is on.
TableRow table_row(Statement& query) {
  TableRow row;
  row.id = query.column_int(0);
  row.name = std::string(query.column_blob(1));
  row.definition = std::string(query.column_blob(2));
  row.version = query.column_int(3);
  row.item_count = query.column_int(4);
  row.size_bytes = query.column_int(5);
  return row;
}

}  // namespace

std::optional<TableRow> Reader::find_table(std::string_view name) {
  StatementScope query(connection_.prepare(
      "SELECT id, name, definition, version, item_count, size_bytes FROM tables WHERE name = ?1"));
  query->bind_text(1, name);
  if (!query->step()) return std::nullopt;
  return table_row(*query);
}

std::optional<TableRow> Reader::find_table_by_id(int64_t table_id) {
  StatementScope query(connection_.prepare(
      "SELECT id, name, definition, version, item_count, size_bytes FROM tables WHERE id = ?1"));
  query->bind(1, table_id);
  if (!query->step()) return std::nullopt;
  return table_row(*query);
}

std::optional<TableVersion> Reader::find_table_version(std::string_view name) {
  StatementScope query(connection_.prepare("SELECT id, version FROM tables WHERE name = ?1"));
  query->bind_text(1, name);
  if (!query->step()) return std::nullopt;
  return TableVersion{query->column_int(0), query->column_int(1)};
}

std::vector<std::string> Reader::list_table_names(std::string_view exclusive_start, int64_t limit) {
  // BINARY collation compares UTF-8 bytes, the order DynamoDB lists table names in.
  StatementScope query(
      connection_.prepare("SELECT name FROM tables WHERE name > ?1 ORDER BY name LIMIT ?2"));
  query->bind_text(1, exclusive_start).bind(2, limit);
  std::vector<std::string> names;
  while (query->step()) names.emplace_back(query->column_blob(0));
  return names;
}

std::optional<StoredItem> Reader::get_item(int64_t table_id, const ItemKey& key) {
  StatementScope query(connection_.prepare(
      "SELECT item, size FROM items WHERE table_id = ?1 AND partition_hash = ?2 AND "
      "hash_key = ?3 AND range_key = ?4"));
  query->bind(1, table_id)
      .bind(2, int64_t{key.partition})
      .bind(3, key.hash_key)
      .bind(4, key.range_key);
  if (!query->step()) return std::nullopt;
  return StoredItem{std::string(query->column_blob(0)), query->column_int(1)};
}

int64_t Writer::insert_table(std::string_view name, std::string_view definition) {
  ++writer_clock_->writer_view;
  StatementScope insert(connection_.prepare("INSERT INTO tables(name, definition) VALUES(?1, ?2)"));
  insert->bind_text(1, name).bind(2, definition).run();
  return sqlite3_last_insert_rowid(connection_.raw());
}

void Writer::update_table_definition(int64_t table_id, std::string_view definition) {
  ++writer_clock_->writer_view;
  StatementScope update(connection_.prepare(
      "UPDATE tables SET definition = ?2, version = version + 1 WHERE id = ?1"));
  update->bind(1, table_id).bind(2, definition).run();
}

void Writer::delete_table(int64_t table_id) {
  ++writer_clock_->writer_view;
  StatementScope items(connection_.prepare("DELETE FROM items WHERE table_id = ?1"));
  items->bind(1, table_id).run();
  StatementScope index_rows(connection_.prepare("DELETE FROM index_items WHERE table_id = ?1"));
  index_rows->bind(1, table_id).run();
  StatementScope index_totals(connection_.prepare("DELETE FROM index_totals WHERE table_id = ?1"));
  index_totals->bind(1, table_id).run();
  clear_item_expiries(table_id);
  StatementScope table(connection_.prepare("DELETE FROM tables WHERE id = ?1"));
  table->bind(1, table_id).run();
}

std::optional<StoredItem> Writer::put_item(int64_t table_id, const ItemKey& key,
                                           std::string_view item_bytes, int64_t size) {
  std::optional<StoredItem> previous = get_item(table_id, key);
  StatementScope upsert(connection_.prepare(
      "INSERT OR REPLACE INTO items(table_id, partition_hash, hash_key, range_key, size, item) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  upsert->bind(1, table_id)
      .bind(2, int64_t{key.partition})
      .bind(3, key.hash_key)
      .bind(4, key.range_key)
      .bind(5, size)
      .bind(6, item_bytes)
      .run();
  add_to_totals(table_id, previous ? 0 : 1, size - (previous ? previous->size : 0));
  return previous;
}

std::optional<StoredItem> Writer::delete_item(int64_t table_id, const ItemKey& key) {
  std::optional<StoredItem> previous = get_item(table_id, key);
  if (!previous) return std::nullopt;
  StatementScope erase(connection_.prepare(
      "DELETE FROM items WHERE table_id = ?1 AND partition_hash = ?2 AND hash_key = ?3 AND "
      "range_key = ?4"));
  erase->bind(1, table_id)
      .bind(2, int64_t{key.partition})
      .bind(3, key.hash_key)
      .bind(4, key.range_key);
  erase->run();
  add_to_totals(table_id, -1, -previous->size);
  return previous;
}

void Writer::add_to_totals(int64_t table_id, int64_t items, int64_t bytes) {
  if (items == 0 && bytes == 0) return;
  StatementScope update(connection_.prepare(
      "UPDATE tables SET item_count = item_count + ?2, size_bytes = size_bytes + ?3 "
      "WHERE id = ?1"));
  update->bind(1, table_id).bind(2, items).bind(3, bytes).run();
}

}  // namespace eddy::storage

namespace eddy::storage {

std::optional<ClientToken> Reader::find_client_token(std::string_view token, double now) {
  StatementScope query(connection_.prepare(
      "SELECT request_digest, response FROM client_tokens WHERE token = ?1 AND expires_at > ?2"));
  query->bind_text(1, token).bind_real(2, now);
  if (!query->step()) return std::nullopt;
  return ClientToken{std::string(query->column_blob(0)), std::string(query->column_blob(1))};
}

void Writer::save_client_token(std::string_view token, const ClientToken& use, double now,
                               double expires_at) {
  StatementScope expired(connection_.prepare("DELETE FROM client_tokens WHERE expires_at <= ?1"));
  expired->bind_real(1, now).run();
  StatementScope insert(connection_.prepare(
      "INSERT OR REPLACE INTO client_tokens(token, request_digest, response, expires_at) "
      "VALUES(?1, ?2, ?3, ?4)"));
  insert->bind_text(1, token)
      .bind(2, use.request_digest)
      .bind(3, use.response)
      .bind_real(4, expires_at)
      .run();
}

}  // namespace eddy::storage
