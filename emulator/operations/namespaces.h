#pragma once
// A namespace is what dynamodb-local calls a database: with -sharedDb there is one; otherwise
// each access key id + region pair has its own, so tables created with one set of credentials
// are invisible to another (the classic "my table vanished" surprise).
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "operations/catalog.h"
#include "operations/settings.h"
#include "storage/database.h"

namespace eddy::operations {

struct Namespace {
  explicit Namespace(storage::DatabaseOptions options) : database(std::move(options)) {}
  storage::Database database;
  Catalog catalog;
};

class Namespaces {
 public:
  explicit Namespaces(const Settings& settings);
  ~Namespaces();

  // The namespace requests signed with this access key id and region use (opened on first use).
  Namespace& for_credentials(const std::string& access_key_id, const std::string& region);
  // Opens every database file already under -dbPath that this mode uses, so that Time to Live
  // reaches their tables before any client does.
  void open_existing();
  // Every namespace opened so far (each stays open, at the same address, until close_all).
  std::vector<Namespace*> open_namespaces();
  // Checkpoints and closes every database.
  void close_all();

  // dynamodb-local's file name for a namespace: shared-local-instance.db, or
  // <AccessKeyId>_<Region>.db.
  std::string file_name(const std::string& access_key_id, const std::string& region) const;

 private:
  Namespace& open_file(const std::string& name);

  const Settings& settings_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Namespace>> open_;
  std::vector<std::string> ram_files_;  // -inMemory files to remove at exit
};

}  // namespace eddy::operations
