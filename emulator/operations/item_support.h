#pragma once
// What the item operations share: keys out of items and Key members (with DynamoDB's errors),
// the stored form of items, and ConsumedCapacity.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"
#include "model/table_definition.h"
#include "operations/request_reader.h"
#include "storage/items.h"

namespace eddy::operations {

struct EncodedKey {
  std::string hash;
  std::string range;       // empty for tables without a range key
  uint32_t partition = 0;  // model::partition_hash of the partition key
  uint32_t tie = 0;        // model::item_hash of the whole key

  storage::ItemKey storage_key() const { return {partition, hash, range}; }
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
  bool return_old_on_condition_failure = false;  // ReturnValuesOnConditionCheckFailure ALL_OLD
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

// A write's condition (ConditionExpression, or Expected translated), checked against the item as
// it is: throws ConditionalCheckFailedException, carrying the item when the request asked for it
// with ReturnValuesOnConditionCheckFailure ALL_OLD.
void check_write_condition(const std::optional<model::expressions::Node>& condition,
                           const model::Item* current_item, bool return_item_on_failure);

}  // namespace eddy::operations
