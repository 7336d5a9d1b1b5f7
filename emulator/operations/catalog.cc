#include "operations/catalog.h"

namespace eddy::operations {

std::optional<TableHandle> Catalog::load(storage::Reader& reader, std::string_view name) {
  std::optional<storage::TableRow> row = reader.find_table(name);
  if (!row) return std::nullopt;
  return TableHandle{row->id, std::make_shared<const model::TableDefinition>(
                                  model::deserialize_table_definition(row->definition))};
}

std::optional<TableHandle> Catalog::find(storage::Reader& reader, std::string_view name) {
  storage::CatalogStamp stamp = reader.catalog_stamp();
  if (stamp.writer) {
    auto cached = writer_view_.find(std::string(name));
    if (cached != writer_view_.end() && cached->second.count == stamp.count) {
      return cached->second.table;
    }
    std::optional<TableHandle> table = load(reader, name);
    if (table) writer_view_[std::string(name)] = Entry{stamp.count, *table};
    return table;
  }
  {
    std::lock_guard lock(mutex_);
    auto cached = committed_.find(std::string(name));
    if (cached != committed_.end() && cached->second.count == stamp.count) {
      return cached->second.table;
    }
  }
  std::optional<TableHandle> table = load(reader, name);
  if (table) {
    std::lock_guard lock(mutex_);
    committed_[std::string(name)] = Entry{stamp.count, *table};
  }
  return table;
}

}  // namespace eddy::operations
