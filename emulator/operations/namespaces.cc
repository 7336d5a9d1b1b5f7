#include "operations/namespaces.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "operations/index_maintenance.h"

namespace eddy::operations {
namespace {

// -inMemory databases are files in RAM (/dev/shm) rather than SQLite ":memory:", because only a
// file lets several connections share one database in WAL mode: readers then never wait.
std::string ram_directory() {
  std::error_code error;
  if (std::filesystem::is_directory("/dev/shm", error)) return "/dev/shm";
  return std::filesystem::temp_directory_path().string();
}

void remove_database_files(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
}

// Files left in RAM by an eddy that was killed: their owner's pid no longer runs.
void remove_orphaned_ram_files(const std::string& directory) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("eddy-", 0) != 0) continue;
    pid_t owner = static_cast<pid_t>(std::atoll(name.c_str() + 5));
    if (owner <= 0 || owner == getpid()) continue;
    if (kill(owner, 0) != 0 && errno == ESRCH) std::filesystem::remove(entry.path(), error);
  }
}

// Credentials name files: anything outside a conservative alphabet is escaped so that no access
// key can name a path outside -dbPath.
std::string safe_file_component(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string safe;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-') {
      safe += static_cast<char>(c);
    } else {
      safe += '%';
      safe += kHex[c >> 4];
      safe += kHex[c & 15];
    }
  }
  return safe;
}

}  // namespace

Namespaces::Namespaces(const Settings& settings) : settings_(settings) {
  if (settings_.in_memory) remove_orphaned_ram_files(ram_directory());
}

Namespaces::~Namespaces() {
  close_all();
}

std::string Namespaces::file_name(const std::string& access_key_id,
                                  const std::string& region) const {
  if (settings_.shared_db) return "shared-local-instance.db";
  return safe_file_component(access_key_id) + "_" + safe_file_component(region) + ".db";
}

Namespace& Namespaces::for_credentials(const std::string& access_key_id,
                                       const std::string& region) {
  return open_file(file_name(access_key_id, region));
}

void Namespaces::open_existing() {
  if (settings_.in_memory) return;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(settings_.db_path, error)) {
    std::string name = entry.path().filename().string();
    bool shared_file = name == "shared-local-instance.db";
    if (!entry.is_regular_file() || entry.path().extension() != ".db") continue;
    if (shared_file != settings_.shared_db) continue;
    try {
      open_file(name);
    } catch (const storage::StorageError& failure) {
      // A file another eddy holds ends this one at once: each would see the database change
      // under it. Anything else (permissions, say) is not fatal: each request for the namespace
      // tries again, and tells its client why.
      if (failure.in_use_elsewhere()) throw;
      std::cerr << "eddy: " << failure.what() << " (tried again on each request)" << std::endl;
    }
  }
}

Namespace& Namespaces::open_file(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto found = open_.find(name);
  if (found != open_.end()) return *found->second;

  storage::DatabaseOptions options;
  if (settings_.in_memory) {
    static std::atomic<int> sequence{0};
    options.path = ram_directory() + "/eddy-" + std::to_string(getpid()) + "-" +
                   std::to_string(sequence++) + ".db";
    options.durable = false;
    remove_database_files(options.path);
    ram_files_.push_back(options.path);
  } else {
    std::filesystem::create_directories(settings_.db_path);
    options.path = (std::filesystem::path(settings_.db_path) / name).string();
  }
  auto created = std::make_unique<Namespace>(std::move(options));
  Namespace& result = *created;
  if (result.database.indexes_need_rebuild()) {
    result.database.write_and_wait(
        [&result](storage::Writer& writer) { upgrade_version_1_tables(writer, result.catalog); });
  }
  open_.emplace(name, std::move(created));
  return result;
}

std::vector<Namespace*> Namespaces::open_namespaces() {
  std::lock_guard lock(mutex_);
  std::vector<Namespace*> spaces;
  for (auto& [name, opened] : open_) spaces.push_back(opened.get());
  return spaces;
}

void Namespaces::close_all() {
  std::lock_guard lock(mutex_);
  for (auto& [name, opened] : open_) opened->database.close();
  open_.clear();
  for (const auto& path : ram_files_) remove_database_files(path);
  ram_files_.clear();
}

}  // namespace eddy::operations
