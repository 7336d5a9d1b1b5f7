#include "storage/database.h"

#include <future>

namespace eddy::storage {
namespace {

// How many queued writes one transaction may take: enough to amortize an fsync over a burst of
// clients, small enough that one commit never delays the first of them noticeably.
constexpr size_t kMaxBatch = 256;

}  // namespace

Database::Database(DatabaseOptions options) : options_(std::move(options)) {
  writer_connection_ = open_connection(true);
  writer_thread_ = std::thread([this] { writer_loop(); });
}

Database::~Database() {
  close();
}

std::unique_ptr<Connection> Database::open_connection(bool for_writer) {
  auto connection = std::make_unique<Connection>(options_.path, false);
  if (for_writer) {
    // The first statement takes the process's lock on the file (see Connection): if another
    // process holds it, say so at once instead of waiting out the busy timeout.
    sqlite3_busy_timeout(connection->raw(), 0);
    try {
      connection->exec("PRAGMA journal_mode=WAL");
    } catch (const StorageError& error) {
      if ((error.code() & 0xff) != SQLITE_BUSY) throw;
      throw StorageError(error.code(), "database is locked: " + options_.path +
                                           " is in use by another process (another eddy with "
                                           "the same -dbPath?)");
    }
    sqlite3_busy_timeout(connection->raw(), Connection::kBusyTimeoutMs);
    connection->exec(options_.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
    connection->exec("PRAGMA foreign_keys=OFF");
    // After a checkpoint the WAL is cut back to this size instead of keeping its peak.
    connection->exec("PRAGMA journal_size_limit=16777216");
    if (ensure_schema(*connection)) indexes_need_rebuild_ = true;
  }
  // Per-connection page cache; with one connection per thread this bounds eddy's own memory.
  connection->exec("PRAGMA cache_size=-8192");
  return connection;
}

Database::PooledConnection::PooledConnection(Database& database) : database_(database) {
  {
    std::lock_guard lock(database_.pool_mutex_);
    if (!database_.idle_readers_.empty()) {
      connection_ = std::move(database_.idle_readers_.back());
      database_.idle_readers_.pop_back();
    }
  }
  if (!connection_) connection_ = database_.open_connection(false);
}

Database::PooledConnection::~PooledConnection() {
  std::lock_guard lock(database_.pool_mutex_);
  database_.idle_readers_.push_back(std::move(connection_));
}

Database::ReadTransaction::ReadTransaction(Connection& connection) : connection_(connection) {
  connection_.run("BEGIN");
}

Database::ReadTransaction::~ReadTransaction() {
  // A read transaction changes nothing: ending it cannot fail in a way worth reporting.
  try {
    connection_.run("COMMIT");
  } catch (const StorageError&) {
    sqlite3_exec(connection_.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Database::write(WriteJob job, WriteDone done) {
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) {
      done(std::make_exception_ptr(StorageError(SQLITE_MISUSE, "the database is closing")));
      return;
    }
    queue_.push_back({std::move(job), std::move(done)});
  }
  queue_ready_.notify_one();
}

void Database::write_and_wait(WriteJob job) {
  std::promise<void> finished;
  write(std::move(job), [&finished](std::exception_ptr error) {
    if (error) {
      finished.set_exception(error);
    } else {
      finished.set_value();
    }
  });
  finished.get_future().get();
}

void Database::close() {
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  queue_ready_.notify_one();
  if (writer_thread_.joinable()) writer_thread_.join();
  {
    std::lock_guard lock(pool_mutex_);
    idle_readers_.clear();
  }
  if (writer_connection_) {
    sqlite3_exec(writer_connection_->raw(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr,
                 nullptr);
    writer_connection_.reset();
  }
}

void Database::writer_loop() {
  std::vector<PendingWrite> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

void Database::commit_batch(std::vector<PendingWrite>& batch) {
  Connection& connection = *writer_connection_;
  std::vector<std::exception_ptr> outcomes(batch.size());
  std::vector<std::function<void()>> hooks;
  std::exception_ptr batch_failure;
  uint64_t catalog_before = catalog_clock_.writer_view;
  try {
    connection.run("BEGIN IMMEDIATE");
    for (size_t i = 0; i < batch.size(); ++i) {
      connection.run("SAVEPOINT job");
      Writer writer(connection, catalog_clock_);
      uint64_t catalog_before_job = catalog_clock_.writer_view;
      try {
        batch[i].job(writer);
        connection.run("RELEASE job");
        for (auto& hook : writer.take_hooks()) hooks.push_back(std::move(hook));
      } catch (...) {
        outcomes[i] = std::current_exception();
        // After an I/O error or a full disk SQLite may already have rolled back the whole
        // transaction; then no job of this batch can be committed.
        if (sqlite3_get_autocommit(connection.raw())) throw;
        connection.run("ROLLBACK TO job");
        connection.run("RELEASE job");
        // What the writer cached from this job's changes is gone with them.
        if (catalog_clock_.writer_view != catalog_before_job) ++catalog_clock_.writer_view;
      }
    }
    connection.run("COMMIT");
  } catch (...) {
    batch_failure = std::current_exception();
    if (!sqlite3_get_autocommit(connection.raw())) {
      sqlite3_exec(connection.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    hooks.clear();
    if (catalog_clock_.writer_view != catalog_before) ++catalog_clock_.writer_view;
  }
  if (catalog_clock_.writer_view != catalog_before) {
    catalog_clock_.committed.fetch_add(1, std::memory_order_release);
  }
  for (auto& hook : hooks) hook();
  for (size_t i = 0; i < batch.size(); ++i) {
    std::exception_ptr outcome = outcomes[i];
    if (batch_failure && !outcome) outcome = batch_failure;
    batch[i].done(outcome);
  }
}

}  // namespace eddy::storage
