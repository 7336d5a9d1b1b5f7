#pragma once
// What the item operations share: keys out of items and Key members (with DynamoDB's errors),
// the stored form of items, and ConsumedCapacity.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/attribute_value.h"
#include "model/table_definition.h"
#include "operations/request_reader.h"

namespace eddy::operations {

struct EncodedKey {
  std::string hash;
  std::string range;  // empty for tables without a range key
};

// The key of an item to be written: its key attributes must be present, typed as defined, not
// empty, and within DynamoDB's size limits.
EncodedKey key_of_item(const model::TableDefinition& table, const model::Item& item);
// A Key member (GetItem, DeleteItem, UpdateItem): exactly the table's key attributes.
EncodedKey key_of_request(const model::TableDefinition& table, const model::AttributeMap& key);

enum class CapacityDetail { None, Total, Indexes };
CapacityDetail read_capacity_detail(const nlohmann::json& request, Violations& violations);

// DynamoDB's write cost: 1 unit per started KB of the larger of the old and new item (at least 1).
double write_units(size_t old_size, size_t new_size);
// Read cost: one unit per started 4 KB (at least one), halved for eventually consistent reads.
double read_units(size_t size, bool consistent);

// Global secondary indexes a write touches: those whose key attributes the old or new item has.
std::vector<std::string> touched_global_indexes(const model::TableDefinition& table,
                                                const model::Item* old_item,
                                                const model::Item* new_item);

// The members PutItem, DeleteItem and UpdateItem share. Their constraint violations go into
// `violations`, which the caller throws once it has added its own.
struct WriteOptions {
  std::optional<std::string> table_name;
  std::string return_values = "NONE";
  CapacityDetail capacity = CapacityDetail::None;
};
WriteOptions read_write_options(const nlohmann::json& request, Violations& violations);
// PutItem and DeleteItem can return only the item as it was.
void require_all_old_or_none(const WriteOptions& options);

// ConsumedCapacity of a write that replaced old_item (if any) with new_item (if any).
nlohmann::json write_consumed_capacity(CapacityDetail detail, const model::TableDefinition& table,
                                       const model::Item* old_item, size_t old_size,
                                       const model::Item* new_item, size_t new_size);

// The ConsumedCapacity member, or null when detail is None.
nlohmann::json consumed_capacity(CapacityDetail detail, const std::string& table_name,
                                 double table_units,
                                 const std::vector<std::string>& index_names = {},
                                 double units_per_index = 0);

// Rejects the expression forms and legacy conditions the expressions issue will implement, so
// that a request relying on them fails loudly instead of being applied unconditionally.
void reject_unsupported_members(const nlohmann::json& request,
                                std::initializer_list<const char*> members);

}  // namespace eddy::operations
