#include "operations/index_maintenance.h"

#include "model/index_entries.h"
#include "model/item_codec.h"

namespace eddy::operations {
namespace {

storage::IndexRow row_of(const model::IndexEntry& entry) {
  return {entry.partition, entry.tie,  entry.hash_key,
          entry.range_key, entry.item, static_cast<int64_t>(entry.size)};
}

const model::IndexEntry* entry_for(const std::vector<model::IndexEntry>& entries,
                                   const model::SecondaryIndex& index) {
  for (const auto& entry : entries) {
    if (entry.index == &index) return &entry;
  }
  return nullptr;
}

// An item a backfill leaves out of the index (DynamoDB's "index key violations"): an index key
// that is an empty string or binary, or longer than a key may be. Writes reject such items once
// the index exists; items written before it simply stay out of it. Key attributes of another
// type stay out too (index_entries skips them).
bool violates_index_key(const model::Item& item, const model::SecondaryIndex& index) {
  constexpr size_t kMaxHashKeyBytes = 2048;
  constexpr size_t kMaxRangeKeyBytes = 1024;
  auto violates = [&](const model::KeyElement& element, size_t max_bytes) {
    auto found = item.find(element.name);
    if (found == item.end() || found->second.type() != element.type) return false;
    size_t bytes = found->second.scalar().size();
    return (bytes == 0 && element.type != model::AttributeType::N) || bytes > max_bytes;
  };
  return violates(index.key_schema.hash, kMaxHashKeyBytes) ||
         (index.key_schema.range && violates(*index.key_schema.range, kMaxRangeKeyBytes));
}

}  // namespace

void update_index_rows(storage::Writer& writer, const TableHandle& table, const EncodedKey& key,
                       const model::Item* old_item, const model::Item* new_item) {
  const model::TableDefinition& definition = *table.definition;
  if (!has_indexes(definition)) return;
  std::vector<model::IndexEntry> before, after;
  if (old_item) before = model::index_entries(definition, *old_item);
  if (new_item) after = model::index_entries(definition, *new_item);
  for (const auto* group : {&definition.global_indexes, &definition.local_indexes}) {
    for (const auto& index : *group) {
      const model::IndexEntry* old_entry = entry_for(before, index);
      const model::IndexEntry* new_entry = entry_for(after, index);
      if (!old_entry && !new_entry) continue;
      if (old_entry && new_entry) {
        storage::IndexRow old_row = row_of(*old_entry);
        storage::IndexRow new_row = row_of(*new_entry);
        if (old_row == new_row) continue;
        writer.delete_index_row(table.id, index.id, key.hash, key.range, old_row);
        writer.put_index_row(table.id, index.id, key.hash, key.range, new_row);
      } else if (old_entry) {
        writer.delete_index_row(table.id, index.id, key.hash, key.range, row_of(*old_entry));
      } else {
        writer.put_index_row(table.id, index.id, key.hash, key.range, row_of(*new_entry));
      }
    }
  }
}

void build_index(storage::Writer& writer, const TableHandle& table,
                 const model::SecondaryIndex& index) {
  writer.delete_index(table.id, index.id);
  // Rows go in after the scan: SQLite must not see index_items change under a running read of
  // items (they are different tables, but collecting first keeps the statement reset simple).
  struct Pending {
    std::string hash, range;
    storage::IndexRow row;
  };
  std::vector<Pending> pending;
  model::TableDefinition only_this = *table.definition;
  only_this.global_indexes.clear();
  only_this.local_indexes.clear();
  only_this.global_indexes.push_back(index);
  writer.for_each_item(table.id, [&](const storage::VisitedRow& stored) {
    model::Item item = model::decode_item(stored.item);
    if (violates_index_key(item, index)) return true;
    for (const auto& entry : model::index_entries(only_this, item)) {
      pending.push_back(
          {std::string(stored.hash_key), std::string(stored.range_key), row_of(entry)});
    }
    return true;
  });
  for (const auto& entry : pending) {
    writer.put_index_row(table.id, index.id, entry.hash, entry.range, entry.row);
  }
}

// Version 1 filed partitions by another hash: every item moves to where DynamoDB's hash puts it.
void refile_items(storage::Writer& writer, const TableHandle& table) {
  struct Move {
    uint32_t old_partition;
    EncodedKey key;
    std::string bytes;
    int64_t size;
  };
  std::vector<Move> moves;
  writer.for_each_item(table.id, [&](const storage::VisitedRow& stored) {
    EncodedKey key = key_of_item(*table.definition, model::decode_item(stored.item));
    if (key.partition != stored.partition) {
      moves.push_back({stored.partition, std::move(key), std::string(stored.item), stored.size});
    }
    return true;
  });
  for (const Move& move : moves) {
    writer.delete_item(table.id, {move.old_partition, move.key.hash, move.key.range});
    writer.put_item(table.id, move.key.storage_key(), move.bytes, move.size);
  }
}

void upgrade_version_1_tables(storage::Writer& writer, Catalog& catalog) {
  for (const std::string& name : writer.list_table_names("", INT64_MAX)) {
    std::optional<TableHandle> table = catalog.find(writer, name);
    if (!table) continue;
    refile_items(writer, *table);
    for (const auto* group :
         {&table->definition->global_indexes, &table->definition->local_indexes}) {
      for (const auto& index : *group) build_index(writer, *table, index);
    }
  }
}

}  // namespace eddy::operations
