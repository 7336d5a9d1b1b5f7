// BatchGetItem: up to 100 items by key across tables, read in one snapshot. What would take the
// response past 16 MB is handed back in UnprocessedKeys, as DynamoDB does, so that clients'
// retry loops run here too.
#include <set>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/projection.h"
#include "model/item_codec.h"
#include "operations/capacity_tally.h"
#include "operations/expression_request.h"
#include "operations/item_support.h"
#include "operations/legacy_conditions.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

constexpr size_t kMaxKeys = 100;
constexpr int64_t kMaxResponseBytes = 16 * 1024 * 1024;

struct TableRead {
  std::string table_name;
  const json* request = nullptr;  // its KeysAndAttributes, echoed in UnprocessedKeys
  std::vector<model::AttributeMap> keys;
  std::optional<std::vector<model::expressions::Path>> projection;
  bool consistent = false;
};

// The Keys list as DynamoDB's Java objects print in a constraint violation:
// [{pk={S: a,}}, ...].
std::string shown_keys(const json& keys) {
  std::string shown = "[";
  for (size_t i = 0; i < keys.size(); ++i) {
    shown += i ? ", {" : "{";
    bool first = true;
    for (const auto& [name, value] : keys[i].items()) {
      shown += first ? "" : ", ";
      first = false;
      shown += name + "={";
      for (const auto& [type, scalar] : value.items()) {
        shown +=
            type + ": " + (scalar.is_string() ? scalar.get<std::string>() : scalar.dump()) + ",";
      }
      shown += "}";
    }
    shown += "}";
  }
  return shown + "]";
}

std::vector<TableRead> read_tables(const json& request_items, Violations& violations) {
  std::vector<TableRead> reads;
  for (const auto& [table, entry_json] : request_items.items()) {
    const json& entry = as_structure(entry_json);
    violations.table_name(table, "requestItems", false);
    const json* keys = list_member(entry, "Keys");
    std::string path = "requestItems." + table + ".member";
    violations.not_null(keys, path + ".keys");
    if (keys && (keys->empty() || keys->size() > kMaxKeys)) {
      violations.add(shown_keys(*keys), path + ".keys",
                     keys->empty() ? "Member must have length greater than or equal to 1"
                                   : "Member must have length less than or equal to 100");
    }
    const json* names = list_member(entry, "AttributesToGet");
    if (names && names->empty()) {
      violations.add("[]", path + ".attributesToGet",
                     "Member must have length greater than or equal to 1");
    }
    TableRead read;
    read.table_name = table;
    read.request = &entry_json;
    read.consistent = boolean_member(entry, "ConsistentRead").value_or(false);
    if (keys) {
      for (const auto& key : *keys) read.keys.push_back(model::attribute_map_from_json(key));
    }
    reads.push_back(std::move(read));
  }
  return reads;
}

}  // namespace

void batch_get_item(Call& call) {
  const json& request = call.request();
  const json* request_items = map_member(request, "RequestItems");
  Violations violations;
  CapacityDetail capacity = read_capacity_detail(request, violations);
  violations.not_null(request_items, "requestItems");
  std::vector<TableRead> reads;
  if (request_items) reads = read_tables(*request_items, violations);
  violations.throw_if_any();
  if (request_items->empty()) {
    throw model::validation_error("The requestItems parameter is required for BatchGetItem");
  }
  size_t total_keys = 0;
  for (const auto& read : reads) total_keys += read.keys.size();
  if (total_keys > kMaxKeys) {
    throw model::validation_error("Too many items requested for the BatchGetItem call");
  }
  // The two styles may not be mixed even across tables.
  json styles = json::object();
  for (const auto& read : reads) {
    for (const char* member : {"ProjectionExpression", "AttributesToGet"}) {
      if (read.request->contains(member)) styles[member] = (*read.request)[member];
    }
  }
  check_expression_style(styles, {{"ProjectionExpression"}, {"AttributesToGet"}});
  for (auto& read : reads) {
    const json& entry = *read.request;
    check_expression_style(entry, {{"ProjectionExpression"}, {"AttributesToGet"}});
    read.projection = attributes_to_get(entry);
    RequestExpressions expressions = read_expressions(entry);
    if (expressions.projection) read.projection = std::move(expressions.projection->paths);
  }

  call.reply(call.database().read([&](storage::Reader& reader) {
    // Every table and key is checked before anything is read.
    std::vector<TableHandle> tables;
    std::vector<std::vector<EncodedKey>> encoded(reads.size());
    for (size_t t = 0; t < reads.size(); ++t) {
      tables.push_back(require_table(call, reader, reads[t].table_name));
      std::set<std::pair<std::string, std::string>> seen;
      for (const auto& key : reads[t].keys) {
        encoded[t].push_back(key_of_request(*tables[t].definition, key));
        if (!seen.insert({encoded[t].back().hash, encoded[t].back().range}).second) {
          throw model::validation_error("Provided list of item keys contains duplicates");
        }
      }
    }

    json responses = json::object();
    json unprocessed = json::object();
    CapacityTally tally;
    int64_t response_bytes = 0;
    bool full = false;  // once an item would not fit, every later key waits for the next call
    for (size_t t = 0; t < reads.size(); ++t) {
      const TableRead& read = reads[t];
      json& items = responses[read.table_name] = json::array();
      tally.touch(read.table_name);
      for (size_t k = 0; k < encoded[t].size(); ++k) {
        std::optional<storage::StoredItem> stored;
        if (!full) stored = reader.get_item(tables[t].id, encoded[t][k].storage_key());
        int64_t size = stored ? stored->size : 0;
        full = full || response_bytes + size > kMaxResponseBytes;
        if (full) {
          json& rest = unprocessed[read.table_name];
          if (rest.is_null()) {
            rest = *read.request;
            rest["Keys"] = json::array();
          }
          rest["Keys"].push_back((*read.request)["Keys"][k]);
          continue;
        }
        // A key without an item costs a read all the same.
        tally.add(read.table_name, read_units(static_cast<size_t>(size), read.consistent));
        if (!stored) continue;
        response_bytes += size;
        model::Item item = model::decode_item(stored->bytes);
        if (read.projection) item = model::expressions::project(item, *read.projection);
        items.push_back(model::to_json(item));
      }
    }
    json response = {{"Responses", std::move(responses)},
                     {"UnprocessedKeys", std::move(unprocessed)}};
    if (capacity != CapacityDetail::None) response["ConsumedCapacity"] = tally.to_json(capacity);
    return response;
  }));
}

}  // namespace eddy::operations
