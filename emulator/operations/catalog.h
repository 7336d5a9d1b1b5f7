#pragma once
// Table definitions by name, parsed once and cached. Every lookup checks the stored definition's
// version with one indexed read, so a cached definition is never used after it changed.
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
    storage::TableVersion version;
    std::shared_ptr<const model::TableDefinition> definition;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace eddy::operations
