#pragma once
// Thin RAII over the SQLite C API: a connection and its cached prepared statements. Every SQL
// text in eddy is a constant in storage/; user data only ever travels as bound parameters.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace eddy::storage {

// A failure of the storage engine itself (I/O error, disk full, corruption): the request that
// met it fails with InternalServerError; nothing it wrote is kept.
class StorageError : public std::runtime_error {
 public:
  StorageError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  // Another process (another eddy on the same -dbPath) holds the file.
  bool in_use_elsewhere() const { return (code_ & 0xff) == SQLITE_BUSY; }

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view blob);  // always bound as BLOB
  Statement& bind_text(int index, std::string_view text);
  Statement& bind_real(int index, double value);
  Statement& bind_null(int index);
  // Steps once: true while a row is available.
  bool step();
  // Steps to completion for statements that return no rows.
  void run();
  void reset();

  int64_t column_int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double column_real(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string_view column_blob(int column) const;
  bool column_is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Resets a statement when a scope ends, so an early return or exception leaves it reusable.
class StatementScope {
 public:
  explicit StatementScope(Statement& statement) : statement_(statement) {}
  ~StatementScope() { statement_.reset(); }
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

class Connection {
 public:
  static constexpr int kBusyTimeoutMs = 5000;

  Connection(const std::string& path, bool read_only);
  Connection(const Connection&) = delete;
  ~Connection();

  void exec(const char* sql);
  // Runs one statement that returns no rows, prepared once and kept (BEGIN, COMMIT, SAVEPOINT...
  // run on every request, so they are not re-parsed each time).
  void run(const char* sql);
  // The cached statement for this SQL text (prepared once per connection).
  Statement& prepare(const char* sql);
  int64_t changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<Statement>> statements_;
};

[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view context);

}  // namespace eddy::storage
