#pragma once
// Table definitions by name, parsed once and cached. The cache is keyed by storage's
// CatalogClock, so a lookup asks SQLite only after some definition changed, and never hands out
// a definition its reader's snapshot would not see.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "model/table_definition.h"
#include "storage/items.h"

namespace eddy::operations {

struct TableHandle {
  int64_t id = 0;
  std::shared_ptr<const model::TableDefinition> definition;
};

class Catalog {
 public:
  // The table's current definition as `reader` sees it, or nullopt if there is none.
  std::optional<TableHandle> find(storage::Reader& reader, std::string_view name);

 private:
  struct Entry {
    uint64_t count = 0;  // the CatalogStamp count it was read under
    TableHandle table;
  };
  using Entries = std::unordered_map<std::string, Entry>;

  static std::optional<TableHandle> load(storage::Reader& reader, std::string_view name);

  // Readers' entries, shared by every I/O thread.
  std::mutex mutex_;
  Entries committed_;
  // The writer's entries: it sees its own uncommitted changes, so they are kept apart, and only
  // the writer thread touches them.
  Entries writer_view_;
};

}  // namespace eddy::operations
