// BatchWriteItem: up to 25 puts and deletes across tables, without conditions. Every request is
// checked before any is applied (tables, keys, duplicates); then all are applied in one write
// job, so a batch is all or nothing here, which DynamoDB allows but does not promise.
#include <set>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_size.h"
#include "operations/capacity_tally.h"
#include "operations/item_writes.h"
#include "operations/registry.h"

namespace eddy::operations {
namespace {

constexpr size_t kMaxWriteRequests = 25;

// Java's rendering of the RequestItems map in a constraint violation: DynamoDB prints the
// request objects themselves, whose text clients cannot rely on.
std::string shown_request_items(const json& request_items) {
  std::string shown = "{";
  bool first = true;
  for (const auto& [table, requests] : request_items.items()) {
    if (!first) shown += ", ";
    first = false;
    shown += table + "=[";
    for (size_t i = 0; requests.is_array() && i < requests.size(); ++i) {
      shown += i ? ", " : "";
      shown += "com.amazonaws.dynamodb.v20120810.WriteRequest@" + std::to_string(i);
    }
    shown += "]";
  }
  return shown + "}";
}

std::vector<ItemWrite> read_requests(const json& request_items, Violations& violations) {
  std::vector<ItemWrite> writes;
  for (const auto& [table, requests_json] : request_items.items()) {
    const json& requests = as_list(requests_json);
    violations.table_name(table, "requestItems", false);
    if (requests.empty() || requests.size() > kMaxWriteRequests) {
      violations.add(shown_request_items(request_items), "requestItems",
                     "Map value must satisfy constraint: [Member must have length less than or "
                     "equal to 25, Member must have length greater than or equal to 1]");
    }
    for (size_t i = 0; i < requests.size(); ++i) {
      const json& request = as_structure(requests[i]);
      const json* put = structure_member(request, "PutRequest");
      const json* remove = structure_member(request, "DeleteRequest");
      std::string path = "requestItems." + table + ".member." + std::to_string(i + 1) + ".member";
      ItemWrite write;
      write.table_name = table;
      if (put && remove) {
        throw model::validation_error(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      if (put) {
        const json* item = map_member(*put, "Item");
        violations.not_null(item, path + ".putRequest.item");
        if (!item) continue;
        write.kind = ItemWrite::Kind::Put;
        write.item = model::attribute_map_from_json(*item);
      } else if (remove) {
        const json* key = map_member(*remove, "Key");
        violations.not_null(key, path + ".deleteRequest.key");
        if (!key) continue;
        write.kind = ItemWrite::Kind::Delete;
        write.key = model::attribute_map_from_json(*key);
      } else {
        throw model::validation_error(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      writes.push_back(std::move(write));
    }
  }
  return writes;
}

}  // namespace

void batch_write_item(Call& call) {
  const json& request = call.request();
  const json* request_items = map_member(request, "RequestItems");
  Violations violations;
  CapacityDetail capacity = read_capacity_detail(request, violations);
  std::optional<std::string> metrics = string_member(request, "ReturnItemCollectionMetrics");
  violations.enumeration(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  violations.not_null(request_items, "requestItems");
  std::vector<ItemWrite> writes;
  if (request_items) writes = read_requests(*request_items, violations);
  violations.throw_if_any();
  if (request_items->empty()) {
    throw model::validation_error("The requestItems parameter is required for BatchWriteItem");
  }
  if (writes.size() > kMaxWriteRequests) {
    throw model::validation_error("Too many items requested for the BatchWriteItem call");
  }
  for (ItemWrite& write : writes) {
    if (write.kind != ItemWrite::Kind::Put) continue;
    write.item_size = model::item_size(write.item);
    if (write.item_size > model::kMaxItemSize) {
      throw model::validation_error("Item size has exceeded the maximum allowed size");
    }
  }
  bool collection_metrics = metrics == "SIZE";

  auto self = call.shared_from_this();
  call.write(
      [self, writes = std::move(writes), capacity, collection_metrics](storage::Writer& writer) {
        std::vector<WriteTarget> targets;
        std::set<std::string> seen;
        for (const ItemWrite& write : writes) {
          WriteTarget target;
          try {
            target = locate_write(*self, writer, write);
          } catch (const model::ApiError& error) {
            // A batch names any key that does not fit its table the same way.
            if (error.message().find("Missing the key") != std::string::npos ||
                error.message().find("Type mismatch for key") != std::string::npos) {
              throw model::validation_error("The provided key element does not match the schema");
            }
            throw;
          }
          if (!seen.insert(target.item_identity()).second) {
            throw model::validation_error("Provided list of item keys contains duplicates");
          }
          targets.push_back(std::move(target));
        }

        CapacityTally tally;
        json item_collections = json::object();
        for (size_t i = 0; i < writes.size(); ++i) {
          const ItemWrite& write = writes[i];
          const model::TableDefinition& table = *targets[i].table.definition;
          AppliedWrite done = apply_write(writer, write, targets[i], true);
          double units = write_units(static_cast<size_t>(done.old_size), done.new_size);
          std::vector<std::string> indexes =
              touched_global_indexes(table, done.old_item ? &*done.old_item : nullptr,
                                     done.new_item ? &*done.new_item : nullptr);
          tally.add(write.table_name, units, indexes, indexes.empty() ? 0 : units);
          if (collection_metrics) {
            json entry = item_collection_metrics_entry(table, write);
            if (!entry.is_null()) item_collections[write.table_name].push_back(std::move(entry));
          }
        }
        json response = {{"UnprocessedItems", json::object()}};
        if (capacity != CapacityDetail::None)
          response["ConsumedCapacity"] = tally.to_json(capacity);
        if (collection_metrics) response["ItemCollectionMetrics"] = std::move(item_collections);
        return response;
      });
}

}  // namespace eddy::operations
