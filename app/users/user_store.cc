#include "users/user_store.h"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fixtures.h"

namespace cruddur::users {
namespace {

constexpr const char* kUserColumns = "uuid, display_name, handle, email, cognito_user_id";

std::string column_text(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  return text ? reinterpret_cast<const char*>(text) : "";
}

// Finalizes the statement however the function using it ends.
struct Statement {
  sqlite3_stmt* handle = nullptr;
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &handle, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("users database: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(handle); }
  void bind(int index, const std::string& text) {
    sqlite3_bind_text(handle, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
};

}  // namespace

std::string default_data_dir() {
  const char* configured = std::getenv("CRUDDUR_DATA_DIR");
  return configured && *configured ? configured : "cruddur-data";
}

UserStore::UserStore(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  path_ = (std::filesystem::path(data_dir) / "cruddur.db").string();
  if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) {
    std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + path_ + ": " + reason);
  }
  // The stream worker (maybe another process) writes its checkpoints to the same file.
  sqlite3_busy_timeout(db_, 5000);
  execute("PRAGMA journal_mode=WAL");
  execute(
      "CREATE TABLE IF NOT EXISTS users ("
      " uuid TEXT PRIMARY KEY,"
      " display_name TEXT NOT NULL,"
      " handle TEXT NOT NULL UNIQUE,"
      " email TEXT NOT NULL,"
      " cognito_user_id TEXT UNIQUE,"
      " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");
  load_fixtures_if_empty();
}

UserStore::~UserStore() {
  sqlite3_close(db_);
}

void UserStore::execute(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string reason = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("users database: " + reason);
  }
}

void UserStore::load_fixtures_if_empty() {
  std::lock_guard lock(mutex_);
  execute("BEGIN IMMEDIATE");
  try {
    Statement count(db_, "SELECT count(*) FROM users");
    sqlite3_step(count.handle);
    if (sqlite3_column_int(count.handle, 0) == 0) {
      // Named: a range-for over a member of parse()'s temporary would dangle (before C++23).
      const nlohmann::json fixture = nlohmann::json::parse(fixtures::kUsers);
      for (const auto& user : fixture.at("users")) {
        Statement insert(
            db_, std::string("INSERT INTO users (") + kUserColumns + ") VALUES (?, ?, ?, ?, ?)");
        int index = 1;
        for (const char* field : {"uuid", "display_name", "handle", "email", "cognito_user_id"}) {
          insert.bind(index++, user.at(field).get<std::string>());
        }
        if (sqlite3_step(insert.handle) != SQLITE_DONE) {
          throw std::runtime_error(std::string("users database: ") + sqlite3_errmsg(db_));
        }
      }
    }
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<User> UserStore::select(const char* where, const std::string& parameter) {
  std::lock_guard lock(mutex_);
  Statement query(db_, std::string("SELECT ") + kUserColumns + " FROM users " + where);
  if (!parameter.empty()) query.bind(1, parameter);
  std::vector<User> found;
  int status;
  while ((status = sqlite3_step(query.handle)) == SQLITE_ROW) {
    found.push_back({column_text(query.handle, 0), column_text(query.handle, 1),
                     column_text(query.handle, 2), column_text(query.handle, 3),
                     column_text(query.handle, 4)});
  }
  if (status != SQLITE_DONE) {
    throw std::runtime_error(std::string("users database: ") + sqlite3_errmsg(db_));
  }
  return found;
}

std::optional<User> UserStore::first(const char* where, const std::string& value) {
  if (value.empty()) return std::nullopt;
  auto found = select(where, value);
  return found.empty() ? std::nullopt : std::optional<User>(found.front());
}

std::optional<User> UserStore::by_handle(const std::string& handle) {
  return first("WHERE handle = ?1", handle);
}

std::optional<User> UserStore::by_uuid(const std::string& uuid) {
  return first("WHERE uuid = ?1", uuid);
}

std::optional<User> UserStore::by_cognito_user_id(const std::string& cognito_user_id) {
  return first("WHERE cognito_user_id = ?1", cognito_user_id);
}

std::vector<User> UserStore::all() {
  return select("ORDER BY handle", "");
}

bool UserStore::set_cognito_user_id(const std::string& handle, const std::string& cognito_user_id) {
  std::lock_guard lock(mutex_);
  Statement update(db_, "UPDATE users SET cognito_user_id = ?1 WHERE handle = ?2");
  update.bind(1, cognito_user_id);
  update.bind(2, handle);
  if (sqlite3_step(update.handle) != SQLITE_DONE) {
    throw std::runtime_error(std::string("users database: ") + sqlite3_errmsg(db_));
  }
  return sqlite3_changes(db_) > 0;
}

}  // namespace cruddur::users
