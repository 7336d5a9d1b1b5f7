#pragma once
// One item write as PutItem, DeleteItem, UpdateItem, BatchWriteItem and TransactWriteItems all
// do it: the change is read from the request before the write job, then located (table, key)
// and applied inside the job, index rows included.
#include <optional>
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"
#include "operations/attribute_updates.h"
#include "operations/call.h"
#include "operations/catalog.h"
#include "operations/item_support.h"
#include "storage/items.h"

namespace eddy::operations {

// What an update asks to change: an UpdateExpression or the legacy AttributeUpdates.
struct ItemChanges {
  std::optional<model::expressions::UpdateExpression> expression;
  std::vector<AttributeUpdate> attribute_updates;

  // The paths UPDATED_OLD and UPDATED_NEW return.
  std::vector<model::expressions::Path> paths() const;
  void apply(model::Item& item) const;
};

struct ItemWrite {
  enum class Kind { Put, Delete, Update, ConditionCheck };
  Kind kind = Kind::Put;
  std::string table_name;
  model::Item item;         // Put: the item to store
  size_t item_size = 0;     // Put: its DynamoDB size
  model::AttributeMap key;  // Delete, Update, ConditionCheck
  ItemChanges changes;      // Update
  std::optional<model::expressions::Node> condition;
  bool return_old_on_condition_failure = false;  // ReturnValuesOnConditionCheckFailure ALL_OLD
  bool by_service = false;  // eddy's own write (a TTL deletion): its stream record says so
};

// The item a write goes to. Locating checks the table exists and the key fits its schema
// (ResourceNotFoundException, ValidationException) and, for an update, what it may touch.
struct WriteTarget {
  TableHandle table;
  EncodedKey key;

  // Equal for two targets exactly when they are the same item of the same table.
  std::string item_identity() const { return identity_of(table, key); }
  static std::string identity_of(const TableHandle& table, const EncodedKey& key) {
    return std::to_string(table.id) + '\0' + key.hash + '\0' + key.range;
  }
};
WriteTarget locate_write(Call& call, storage::Reader& reader, const ItemWrite& write);

// The write as done.
struct AppliedWrite {
  std::optional<model::Item> old_item;  // decoded when there was one and it was asked for
  int64_t old_size = 0;                 // 0 when there was no item
  std::optional<model::Item> new_item;  // absent after a delete or a condition check
  size_t new_size = 0;
};

// Checks the write's condition against the stored item and makes the change with its index rows.
// Throws ConditionalCheckFailedException, or a ValidationException an update met while being
// applied; whatever it changed before throwing is the caller's savepoint's to undo. The old item
// is decoded when the write needs it or keep_old_item asks for it.
AppliedWrite apply_write(storage::Writer& writer, const ItemWrite& write, const WriteTarget& target,
                         bool keep_old_item);

// The ItemCollectionMetrics entry of a write to a table with local secondary indexes (the only
// tables with item collections), or null for any other table.
nlohmann::json item_collection_metrics_entry(const model::TableDefinition& table,
                                             const ItemWrite& write);

}  // namespace eddy::operations
