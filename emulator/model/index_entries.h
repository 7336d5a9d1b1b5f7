#pragma once
// What an item contributes to its table's secondary indexes: for each index whose key attributes
// the item holds (indexes are sparse), the index key and the item as the index projects it.
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "model/table_definition.h"

namespace eddy::model {

struct IndexEntry {
  const SecondaryIndex* index = nullptr;
  uint32_t partition = 0;  // partition_hash of the index's partition key
  uint32_t tie = 0;        // item_hash of the item's own key: orders equal index keys
  std::string hash_key;    // encoded (key_encoding.h)
  std::string range_key;   // encoded; empty when the index has no sort key
  std::string item;        // the projected item, encoded (item_codec.h)
  size_t size = 0;         // the projected item's DynamoDB size
};

// The item's entries, one per index it belongs to, GSIs first, each group in definition order.
// Indexes still being created are included: their rows are kept current while they fill.
std::vector<IndexEntry> index_entries(const TableDefinition& table, const Item& item);

// The attributes an index keeps of an item: all of them (ALL), the table's and the index's key
// attributes (KEYS_ONLY), or those plus the named non-key attributes (INCLUDE).
Item project_for_index(const TableDefinition& table, const SecondaryIndex& index, const Item& item);

}  // namespace eddy::model
