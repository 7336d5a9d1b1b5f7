#include "operations/item_writes.h"

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/update_applier.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "model/time_to_live.h"
#include "operations/index_maintenance.h"
#include "operations/stream_support.h"
#include "operations/table_access.h"

namespace eddy::operations {

namespace expressions = model::expressions;

std::vector<expressions::Path> ItemChanges::paths() const {
  std::vector<expressions::Path> result;
  if (expression) {
    for (const auto& action : expression->actions) result.push_back(action.path);
  } else {
    for (const auto& update : attribute_updates) {
      result.push_back({expressions::PathStep::member(update.name)});
    }
  }
  return result;
}

void ItemChanges::apply(model::Item& item) const {
  if (expression) {
    expressions::apply_update(*expression, item);
    return;
  }
  for (const auto& update : attribute_updates) apply_attribute_update(item, update);
}

namespace {

// Index key attributes of the table's secondary indexes, each with its type and the index that
// declares it (the first, when several do).
struct IndexKey {
  const model::KeyElement* element;
  const std::string* index_name;
};
std::vector<IndexKey> index_keys(const model::TableDefinition& table) {
  std::vector<IndexKey> keys;
  for (const auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (const auto& index : *group) {
      keys.push_back({&index.key_schema.hash, &index.name});
      if (index.key_schema.range) keys.push_back({&*index.key_schema.range, &index.name});
    }
  }
  return keys;
}

const IndexKey* find_index_key(const std::vector<IndexKey>& keys, const std::string& name) {
  for (const auto& key : keys) {
    if (key.element->name == name) return &key;
  }
  return nullptr;
}

// The type a SET value will have whatever the item holds, when the expression alone says so.
std::optional<model::AttributeType> static_type(const expressions::Node& value) {
  switch (value.kind) {
    case expressions::NodeKind::Value:
      return value.value ? std::optional(value.value->type()) : std::nullopt;
    case expressions::NodeKind::Plus:
    case expressions::NodeKind::Minus:
      return model::AttributeType::N;
    case expressions::NodeKind::Function:
      if (value.function == "list_append") return model::AttributeType::L;
      if (value.function == "if_not_exists" && value.children.size() == 2) {
        return static_type(value.children[1]);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// DynamoDB's checks of what an update touches, before the item is read: the table's key
// attributes can't be changed at all; index key attributes only as whole scalars of their type.
void check_touched_keys(const model::TableDefinition& table, const ItemChanges& changes) {
  for (const auto& path : changes.paths()) {
    const std::string& name = path.front().name;
    bool is_key = name == table.key_schema.hash.name ||
                  (table.key_schema.range && name == table.key_schema.range->name);
    if (is_key) {
      throw model::validation_error(
          "One or more parameter values were invalid: Cannot update "
          "attribute " +
          name + ". This attribute is part of the key");
    }
  }
  if (!changes.expression) return;
  std::vector<IndexKey> keys = index_keys(table);
  for (const auto& action : changes.expression->actions) {
    const IndexKey* key = find_index_key(keys, action.path.front().name);
    if (!key) continue;
    if (action.path.size() > 1) {
      throw model::validation_error(
          "Key attributes must be scalars; list random access '[]' and "
          "map lookup '.' are not allowed: IndexKey: " +
          key->element->name);
    }
    if (action.clause != expressions::UpdateClause::Set) continue;
    std::optional<model::AttributeType> type = static_type(action.value);
    if (type && *type != key->element->type) {
      throw model::validation_error(
          "One or more parameter values were invalid: Type mismatch for Index Key " +
          key->element->name + " Expected: " + std::string(model::type_name(key->element->type)) +
          " Actual: " + std::string(model::type_name(*type)) + " IndexName: " + *key->index_name);
    }
  }
}

// A SET whose value is only known once computed (a path, a function) may still give an index key
// a type its index can't hold; DynamoDB words that differently from a literal of the wrong type.
void check_computed_index_keys(const model::TableDefinition& table, const ItemChanges& changes,
                               const model::Item& updated) {
  if (!changes.expression) return;
  std::vector<IndexKey> keys = index_keys(table);
  for (const auto& action : changes.expression->actions) {
    if (action.clause != expressions::UpdateClause::Set) continue;
    const IndexKey* key = find_index_key(keys, action.path.front().name);
    if (!key) continue;
    auto found = updated.find(key->element->name);
    if (found == updated.end()) continue;
    if (found->second.type() != key->element->type) {
      throw model::validation_error(
          "The update expression attempted to update the secondary index key to unsupported "
          "type");
    }
    if (found->second.scalar().empty() && key->element->type != model::AttributeType::N) {
      throw model::validation_error(
          std::string("One or more parameter values are not valid. The update expression "
                      "attempted to update a secondary index key to a value that is not "
                      "supported. The AttributeValue for a key attribute cannot contain an "
                      "empty ") +
          (key->element->type == model::AttributeType::S ? "string" : "binary") + " value.");
    }
  }
}

}  // namespace

WriteTarget locate_write(Call& call, storage::Reader& reader, const ItemWrite& write) {
  TableHandle table = require_table(call, reader, write.table_name);
  const model::TableDefinition& definition = *table.definition;
  if (write.kind == ItemWrite::Kind::Put) return {table, key_of_item(definition, write.item)};
  EncodedKey key = key_of_request(definition, write.key);
  if (write.kind == ItemWrite::Kind::Update) check_touched_keys(definition, write.changes);
  return {std::move(table), std::move(key)};
}

namespace {

AppliedWrite put(storage::Writer& writer, const ItemWrite& write, const WriteTarget& target,
                 bool keep_old_item) {
  AppliedWrite done;
  // Written first and judged after, in the same savepoint: a failed condition rolls the write
  // back, and one that passes reads the old item only once.
  std::optional<storage::StoredItem> previous =
      writer.put_item(target.table.id, target.key.storage_key(), model::encode_item(write.item),
                      static_cast<int64_t>(write.item_size));
  bool indexed = has_indexes(*target.table.definition);
  if (previous) {
    done.old_size = previous->size;
    if (write.condition || indexed || keep_old_item) {
      done.old_item = model::decode_item(previous->bytes);
    }
  }
  const model::Item* old_item = done.old_item ? &*done.old_item : nullptr;
  check_write_condition(write.condition, old_item, write.return_old_on_condition_failure);
  if (indexed) update_index_rows(writer, target.table, target.key, old_item, &write.item);
  done.new_item = write.item;
  done.new_size = write.item_size;
  return done;
}

AppliedWrite remove(storage::Writer& writer, const ItemWrite& write, const WriteTarget& target) {
  AppliedWrite done;
  std::optional<storage::StoredItem> previous =
      writer.delete_item(target.table.id, target.key.storage_key());
  if (previous) {
    done.old_size = previous->size;
    done.old_item = model::decode_item(previous->bytes);
  }
  const model::Item* old_item = done.old_item ? &*done.old_item : nullptr;
  check_write_condition(write.condition, old_item, write.return_old_on_condition_failure);
  if (old_item) update_index_rows(writer, target.table, target.key, old_item, nullptr);
  return done;
}

// The stored item, decoded, with the condition checked against it.
AppliedWrite read_and_check(storage::Writer& writer, const ItemWrite& write,
                            const WriteTarget& target) {
  AppliedWrite done;
  std::optional<storage::StoredItem> stored =
      writer.get_item(target.table.id, target.key.storage_key());
  if (stored) {
    done.old_size = stored->size;
    done.old_item = model::decode_item(stored->bytes);
  }
  check_write_condition(write.condition, done.old_item ? &*done.old_item : nullptr,
                        write.return_old_on_condition_failure);
  return done;
}

AppliedWrite update(storage::Writer& writer, const ItemWrite& write, const WriteTarget& target) {
  const model::TableDefinition& definition = *target.table.definition;
  AppliedWrite done = read_and_check(writer, write, target);
  model::Item item =
      done.old_item ? *done.old_item : model::Item(write.key.begin(), write.key.end());
  write.changes.apply(item);
  check_computed_index_keys(definition, write.changes, item);
  size_t new_size = model::item_size(item);
  if (new_size > model::kMaxItemSize) {
    throw model::validation_error("Item size to update has exceeded the maximum allowed size");
  }
  // Like DynamoDB, an update always leaves the item in place, even one holding only its key.
  key_of_item(definition, item);  // index keys keep their declared types
  writer.put_item(target.table.id, target.key.storage_key(), model::encode_item(item),
                  static_cast<int64_t>(new_size));
  update_index_rows(writer, target.table, target.key, done.old_item ? &*done.old_item : nullptr,
                    &item);
  done.new_item = std::move(item);
  done.new_size = new_size;
  return done;
}

// Keeps the item's expiry in step with it while the table has Time to Live enabled.
void file_expiry(storage::Writer& writer, const WriteTarget& target, const model::Item* new_item) {
  const model::TimeToLive& ttl = target.table.definition->time_to_live;
  if (!ttl.enabled) return;
  writer.set_item_expiry(
      target.table.id, target.key.storage_key(),
      new_item ? model::expiry_time(*new_item, ttl.attribute_name) : std::nullopt);
}

}  // namespace

AppliedWrite apply_write(storage::Writer& writer, const ItemWrite& write, const WriteTarget& target,
                         bool keep_old_item) {
  const model::TableDefinition& table = *target.table.definition;
  AppliedWrite done;
  switch (write.kind) {
    case ItemWrite::Kind::Put:
      done = put(writer, write, target, keep_old_item || table.stream.enabled);
      break;
    case ItemWrite::Kind::Delete:
      done = remove(writer, write, target);
      break;
    case ItemWrite::Kind::Update:
      done = update(writer, write, target);
      break;
    case ItemWrite::Kind::ConditionCheck:
      return read_and_check(writer, write, target);
  }
  const model::Item* new_item = done.new_item ? &*done.new_item : nullptr;
  file_expiry(writer, target, new_item);
  // In the write's own savepoint: the record stands or falls with the change.
  record_item_change(writer, table, done.old_item ? &*done.old_item : nullptr, new_item,
                     write.by_service);
  return done;
}

json item_collection_metrics_entry(const model::TableDefinition& table, const ItemWrite& write) {
  if (table.local_indexes.empty()) return nullptr;
  const model::AttributeMap& source = write.kind == ItemWrite::Kind::Put ? write.item : write.key;
  const std::string& hash_name = table.key_schema.hash.name;
  // eddy has no item collection size limit to approach: the estimate is DynamoDB's smallest.
  return {{"ItemCollectionKey", {{hash_name, model::to_json(source.at(hash_name))}}},
          {"SizeEstimateRangeGB", {0.0, 1.0}}};
}

}  // namespace eddy::operations
