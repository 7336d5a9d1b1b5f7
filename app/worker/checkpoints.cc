#include "worker/checkpoints.h"

#include <sqlite3.h>

#include <stdexcept>

namespace cruddur::worker {
namespace {

void check(sqlite3* db, int status, int expected) {
  if (status != expected)
    throw std::runtime_error(std::string("checkpoints: ") + sqlite3_errmsg(db));
}

void bind(sqlite3_stmt* statement, int index, const std::string& text) {
  sqlite3_bind_text(statement, index, text.c_str(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

}  // namespace

Checkpoints::Checkpoints(const std::string& database_path) {
  if (sqlite3_open(database_path.c_str(), &db_) != SQLITE_OK) {
    std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + database_path + ": " + reason);
  }
  sqlite3_busy_timeout(db_, 5000);
  // FULL: a checkpoint that survives a power cut is what "a restart loses nothing" rests on.
  check(db_,
        sqlite3_exec(db_,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS stream_checkpoints ("
                     " stream_arn TEXT NOT NULL, shard_id TEXT NOT NULL,"
                     " sequence_number TEXT NOT NULL DEFAULT '',"
                     " finished INTEGER NOT NULL DEFAULT 0,"
                     " PRIMARY KEY (stream_arn, shard_id))",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
}

Checkpoints::~Checkpoints() {
  sqlite3_close(db_);
}

std::optional<ShardPosition> Checkpoints::position(const std::string& stream_arn,
                                                   const std::string& shard_id) {
  sqlite3_stmt* query = nullptr;
  check(db_,
        sqlite3_prepare_v2(db_,
                           "SELECT sequence_number, finished FROM stream_checkpoints"
                           " WHERE stream_arn = ?1 AND shard_id = ?2",
                           -1, &query, nullptr),
        SQLITE_OK);
  bind(query, 1, stream_arn);
  bind(query, 2, shard_id);
  std::optional<ShardPosition> found;
  if (sqlite3_step(query) == SQLITE_ROW) {
    found = ShardPosition{reinterpret_cast<const char*>(sqlite3_column_text(query, 0)),
                          sqlite3_column_int(query, 1) != 0};
  }
  sqlite3_finalize(query);
  return found;
}

void Checkpoints::upsert(const std::string& stream_arn, const std::string& shard_id,
                         const std::string* sequence_number, bool finished) {
  sqlite3_stmt* statement = nullptr;
  check(db_,
        sqlite3_prepare_v2(db_,
                           "INSERT INTO stream_checkpoints (stream_arn, shard_id, sequence_number,"
                           " finished) VALUES (?1, ?2, coalesce(?3, ''), ?4)"
                           " ON CONFLICT (stream_arn, shard_id) DO UPDATE SET"
                           " sequence_number = coalesce(?3, sequence_number),"
                           " finished = max(finished, ?4)",
                           -1, &statement, nullptr),
        SQLITE_OK);
  bind(statement, 1, stream_arn);
  bind(statement, 2, shard_id);
  if (sequence_number) bind(statement, 3, *sequence_number);
  sqlite3_bind_int(statement, 4, finished ? 1 : 0);
  int status = sqlite3_step(statement);
  sqlite3_finalize(statement);
  check(db_, status, SQLITE_DONE);
}

void Checkpoints::record_processed(const std::string& stream_arn, const std::string& shard_id,
                                   const std::string& sequence_number) {
  upsert(stream_arn, shard_id, &sequence_number, false);
}

void Checkpoints::mark_finished(const std::string& stream_arn, const std::string& shard_id) {
  upsert(stream_arn, shard_id, nullptr, true);
}

}  // namespace cruddur::worker
