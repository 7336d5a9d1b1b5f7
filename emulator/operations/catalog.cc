#include "operations/catalog.h"

namespace eddy::operations {

std::optional<TableHandle> Catalog::find(storage::Reader& reader, std::string_view name) {
  std::optional<storage::TableVersion> current = reader.find_table_version(name);
  if (!current) return std::nullopt;
  {
    std::lock_guard lock(mutex_);
    auto cached = entries_.find(std::string(name));
    if (cached != entries_.end() && cached->second.version.id == current->id &&
        cached->second.version.version == current->version) {
      return TableHandle{current->id, cached->second.definition};
    }
  }
  std::optional<storage::TableRow> row = reader.find_table(name);
  if (!row) return std::nullopt;
  auto definition = std::make_shared<const model::TableDefinition>(
      model::deserialize_table_definition(row->definition));
  std::lock_guard lock(mutex_);
  entries_[std::string(name)] = Entry{{row->id, row->version}, definition};
  return TableHandle{row->id, definition};
}

}  // namespace eddy::operations
