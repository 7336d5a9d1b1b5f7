#include "model/index_entries.h"

#include <algorithm>

#include "model/item_codec.h"
#include "model/item_size.h"
#include "model/key_encoding.h"
#include "model/partition_hash.h"

namespace eddy::model {
namespace {

bool is_key_attribute(const KeySchema& schema, std::string_view name) {
  return schema.hash.name == name || (schema.range && schema.range->name == name);
}

// The index key's value in the item, if the item has it with the declared type (an item whose
// index key has another type never gets stored: writes reject it first).
const AttributeValue* key_value(const Item& item, const KeyElement& element) {
  auto found = item.find(element.name);
  if (found == item.end() || found->second.type() != element.type) return nullptr;
  return &found->second;
}

}  // namespace

Item project_for_index(const TableDefinition& table, const SecondaryIndex& index,
                       const Item& item) {
  if (index.projection.type == ProjectionType::All) return item;
  Item projected;
  for (const auto& [name, value] : item) {
    bool keep = is_key_attribute(table.key_schema, name) ||
                is_key_attribute(index.key_schema, name) ||
                (index.projection.type == ProjectionType::Include &&
                 std::find(index.projection.non_key_attributes.begin(),
                           index.projection.non_key_attributes.end(),
                           name) != index.projection.non_key_attributes.end());
    if (keep) projected.emplace(name, value);
  }
  return projected;
}

std::vector<IndexEntry> index_entries(const TableDefinition& table, const Item& item) {
  std::vector<IndexEntry> entries;
  uint32_t tie = 0;
  bool tie_known = false;
  for (const auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (const auto& index : *group) {
      const AttributeValue* hash = key_value(item, index.key_schema.hash);
      if (!hash) continue;
      const AttributeValue* range = nullptr;
      if (index.key_schema.range) {
        range = key_value(item, *index.key_schema.range);
        if (!range) continue;
      }
      IndexEntry entry;
      entry.index = &index;
      entry.partition = partition_hash(*hash);
      if (!tie_known) {
        // Items in an index always have the table's key: writes refuse items without it.
        const AttributeValue* table_hash = key_value(item, table.key_schema.hash);
        const AttributeValue* table_range =
            table.key_schema.range ? key_value(item, *table.key_schema.range) : nullptr;
        if (table_hash) tie = item_hash(*table_hash, table_range);
        tie_known = true;
      }
      entry.tie = tie;
      entry.hash_key = encode_key_value(*hash);
      if (range) entry.range_key = encode_key_value(*range);
      Item projected = project_for_index(table, index, item);
      entry.size = item_size(projected);
      entry.item = encode_item(projected);
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

}  // namespace eddy::model
