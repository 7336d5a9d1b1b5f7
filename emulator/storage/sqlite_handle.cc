#include "storage/sqlite_handle.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace eddy::storage {

namespace {

// SQLite's message, and for errors of the file system the operating system's reason too.
std::string describe(sqlite3* db, int code) {
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  // "disk I/O error" alone does not say whether the disk is full, read-only or failing; the
  // operating system's error does ("No space left on device", "File too large", ...).
  int primary = code & 0xff;
  int system_error = db ? sqlite3_system_errno(db) : 0;
  if ((primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN ||
       primary == SQLITE_READONLY) &&
      system_error != 0) {
    message += " (";
    message += std::strerror(system_error);
    message += ")";
  }
  return message;
}

}  // namespace

void throw_sqlite_error(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += describe(db, code);
  throw StorageError(code, message);
}

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view blob) {
  // A zero-length BLOB must still be a BLOB (not NULL): pass a non-null pointer.
  static const char kEmpty = 0;
  int rc = sqlite3_bind_blob64(stmt_, index, blob.empty() ? &kEmpty : blob.data(), blob.size(),
                               SQLITE_STATIC);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_real(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite_error(db_, rc, "step");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::column_blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (!data) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

Connection::Connection(const std::string& path, bool read_only) {
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  // "unix-excl": the first connection locks the file for this process and every later lock is
  // taken in memory, and the WAL index lives in the heap instead of a -shm file. Each read
  // transaction then costs no fcntl() system calls, and a second process cannot open the file
  // under a running eddy (whose writes it could not see coming).
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, "unix-excl");
  // SQLite opens a file it may not write read-only without a word; eddy would then fail at the
  // first write. Better to refuse now and try again on the next request, when the permissions
  // may be fixed.
  if (rc == SQLITE_OK && !read_only && sqlite3_db_readonly(db_, "main") == 1) {
    rc = SQLITE_READONLY;
  }
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database " + path + ": " +
                          (rc == SQLITE_READONLY ? "the file is read-only" : describe(db_, rc));
    std::string directory = std::filesystem::path(path).parent_path().string();
    if (access(directory.empty() ? "." : directory.c_str(), W_OK) != 0) {
      message += "; the directory " + directory + " is not writable";
    }
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError(rc, message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Writers are serialized by eddy itself; readers in WAL mode never wait for them. The timeout
  // only covers checkpoints.
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
}

Connection::~Connection() {
  statements_.clear();
  sqlite3_close(db_);
}

void Connection::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StorageError(rc, std::string(sql).substr(0, 40) + ": " + message);
  }
}

void Connection::run(const char* sql) {
  StatementScope statement(prepare(sql));
  statement->run();
}

Statement& Connection::prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return *found->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "prepare");
  auto& slot = statements_[sql];
  slot = std::make_unique<Statement>(db_, stmt);
  return *slot;
}

}  // namespace eddy::storage
