#pragma once
// Keeps a table's secondary index rows in step with its items, inside the write's transaction.
#include "model/attribute_value.h"
#include "model/table_definition.h"
#include "operations/catalog.h"
#include "operations/item_support.h"
#include "storage/items.h"

namespace eddy::operations {

inline bool has_indexes(const model::TableDefinition& table) {
  return !table.global_indexes.empty() || !table.local_indexes.empty();
}

// Replaces the index rows of the item with `key`, which was old_item (null: absent) and becomes
// new_item (null: deleted). Rows that did not change are left alone.
void update_index_rows(storage::Writer& writer, const TableHandle& table, const EncodedKey& key,
                       const model::Item* old_item, const model::Item* new_item);

// Fills one index from every item of its table (a new GSI; a file from before index rows).
void build_index(storage::Writer& writer, const TableHandle& table,
                 const model::SecondaryIndex& index);

// Brings a database file from before index rows were kept (schema version 1) up to date: files
// each item under DynamoDB's partition hash and fills every index of every table.
void upgrade_version_1_tables(storage::Writer& writer, Catalog& catalog);

}  // namespace eddy::operations
