#pragma once
// Cruddur's users: the seeds' relational `users` table, kept in the app's own SQLite database
// (<data dir>/cruddur.db) and filled from fixtures/users.json the first time it is opened.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace cruddur::users {

struct User {
  std::string uuid;
  std::string display_name;
  std::string handle;
  std::string email;
  std::string cognito_user_id;
};

class UserStore {
 public:
  // Opens (creating if needed) <data_dir>/cruddur.db. Throws std::runtime_error on failure.
  explicit UserStore(const std::string& data_dir);
  ~UserStore();
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  std::optional<User> by_handle(const std::string& handle);
  std::optional<User> by_uuid(const std::string& uuid);
  // The user a bearer token's `sub` names (Cognito's user id).
  std::optional<User> by_cognito_user_id(const std::string& cognito_user_id);
  std::vector<User> all();
  // The seeds' update_cognito_user_ids: points a handle at a real Cognito pool's `sub`.
  // False when no user has that handle.
  bool set_cognito_user_id(const std::string& handle, const std::string& cognito_user_id);

  // The path of the database file, for the stream worker's checkpoints.
  const std::string& path() const { return path_; }

 private:
  std::vector<User> select(const char* where, const std::string& parameter);
  std::optional<User> first(const char* where, const std::string& value);
  void execute(const char* sql);
  void load_fixtures_if_empty();

  std::string path_;
  sqlite3* db_ = nullptr;
  std::mutex mutex_;  // one connection, shared by the request threads
};

// Where cruddur keeps its database: CRUDDUR_DATA_DIR, else ./cruddur-data.
std::string default_data_dir();

}  // namespace cruddur::users
