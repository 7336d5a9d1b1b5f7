#pragma once
// One SQLite database file (a namespace: -sharedDb's, or one access key + region's).
//
// Reads run on the calling thread, on a connection borrowed from a pool, so they never wait for
// writers (WAL). Writes are queued to one writer thread that commits whatever has queued up in
// one transaction (group commit), each job inside its own savepoint: a job that throws is rolled
// back alone. A job's completion runs only after its transaction is durably committed, so
// nothing is acknowledged before it is on disk.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/items.h"
#include "storage/sqlite_handle.h"

namespace eddy::storage {

struct DatabaseOptions {
  std::string path;
  // fsync the WAL at every commit. Off for -inMemory, whose file lives in RAM anyway.
  bool durable = true;
};

class Database {
 public:
  using WriteJob = std::function<void(Writer&)>;
  using WriteDone = std::function<void(std::exception_ptr)>;

  explicit Database(DatabaseOptions options);
  Database(const Database&) = delete;
  ~Database();

  // Runs fn(Reader&) in a read transaction on this thread; returns what fn returns.
  template <class Fn>
  auto read(Fn&& fn) {
    // Taken before the snapshot begins: see CatalogClock.
    uint64_t catalog_count = catalog_clock_.committed.load(std::memory_order_acquire);
    PooledConnection lease(*this);
    ReadTransaction transaction(lease.connection());
    Reader reader(lease.connection(), catalog_count);
    return fn(reader);
  }

  // Queues job for the writer thread; done(nullptr) after commit, or done(error) if the job threw
  // or the commit failed. done runs on the writer thread and must not block.
  void write(WriteJob job, WriteDone done);

  // Runs job on the writer and waits for it (start-up and tests; never on an I/O thread).
  void write_and_wait(WriteJob job);

  // Stops the writer after the queued jobs, then checkpoints and truncates the WAL.
  void close();

  const std::string& path() const { return options_.path; }

  // True when the file was written by an eddy that kept no secondary index rows: the caller must
  // rebuild the indexes of its tables once before serving them.
  bool indexes_need_rebuild() const { return indexes_need_rebuild_; }

 private:
  class PooledConnection {
   public:
    explicit PooledConnection(Database& database);
    ~PooledConnection();
    Connection& connection() { return *connection_; }

   private:
    Database& database_;
    std::unique_ptr<Connection> connection_;
  };
  class ReadTransaction {
   public:
    explicit ReadTransaction(Connection& connection);
    ~ReadTransaction();

   private:
    Connection& connection_;
  };
  struct PendingWrite {
    WriteJob job;
    WriteDone done;
  };

  void writer_loop();
  void commit_batch(std::vector<PendingWrite>& batch);
  std::unique_ptr<Connection> open_connection(bool for_writer);

  DatabaseOptions options_;
  bool indexes_need_rebuild_ = false;
  CatalogClock catalog_clock_;
  std::unique_ptr<Connection> writer_connection_;

  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<PendingWrite> queue_;
  bool stopping_ = false;
  std::thread writer_thread_;
};

}  // namespace eddy::storage
