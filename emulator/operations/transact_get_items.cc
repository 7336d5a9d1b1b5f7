// TransactGetItems: up to 100 items by key across tables, read in one snapshot, so no
// transaction is ever seen half applied. Missing items answer {} in their place.
#include <set>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/expressions/projection.h"
#include "model/item_codec.h"
#include "operations/capacity_tally.h"
#include "operations/expression_request.h"
#include "operations/item_writes.h"
#include "operations/registry.h"
#include "operations/table_access.h"
#include "operations/transactions.h"

namespace eddy::operations {
namespace {

struct Get {
  std::string table_name;
  model::AttributeMap key;
  std::optional<std::vector<model::expressions::Path>> projection;
};

}  // namespace

void transact_get_items(Call& call) {
  const json& request = call.request();
  const json* items_json = list_member(request, "TransactItems");
  Violations violations;
  CapacityDetail capacity = read_capacity_detail(request, violations);
  check_transact_items_length(items_json, "TransactGetItem", violations);
  std::vector<Get> gets;
  std::vector<const json*> get_members;
  if (items_json && !items_json->empty() && items_json->size() <= kMaxTransactItems) {
    for (size_t i = 0; i < items_json->size(); ++i) {
      const json& element = as_structure((*items_json)[i]);
      const json* get = structure_member(element, "Get");
      std::string path = transact_item_path(i, "Get");
      violations.not_null(get, path);
      if (!get) continue;
      std::optional<std::string> table_name = string_member(*get, "TableName");
      violations.table_name(table_name, path + ".tableName", true);
      const json* key = map_member(*get, "Key");
      violations.not_null(key, path + ".key");
      Get read;
      read.table_name = table_name.value_or("");
      if (key) read.key = model::attribute_map_from_json(*key);
      gets.push_back(std::move(read));
      get_members.push_back(get);
    }
  }
  violations.throw_if_any();
  for (size_t i = 0; i < gets.size(); ++i) {
    RequestExpressions expressions = read_expressions(*get_members[i]);
    if (expressions.projection) gets[i].projection = std::move(expressions.projection->paths);
  }

  call.reply(call.database().read([&](storage::Reader& reader) {
    std::vector<TableHandle> tables;
    std::vector<EncodedKey> keys;
    std::set<std::string> seen;
    for (const Get& get : gets) {
      tables.push_back(require_table(call, reader, get.table_name));
      keys.push_back(key_of_request(*tables.back().definition, get.key));
      if (!seen.insert(WriteTarget::identity_of(tables.back(), keys.back())).second) {
        throw model::validation_error(
            "Transaction request cannot include multiple operations on one item");
      }
    }
    json responses = json::array();
    CapacityTally tally;
    for (size_t i = 0; i < gets.size(); ++i) {
      std::optional<storage::StoredItem> stored =
          reader.get_item(tables[i].id, keys[i].storage_key());
      // A transactional read costs twice a consistent one.
      tally.add(gets[i].table_name,
                2 * read_units(stored ? static_cast<size_t>(stored->size) : 0, true));
      json response = json::object();
      if (stored) {
        model::Item item = model::decode_item(stored->bytes);
        if (gets[i].projection) item = model::expressions::project(item, *gets[i].projection);
        response["Item"] = model::to_json(item);
      }
      responses.push_back(std::move(response));
    }
    json response = {{"Responses", std::move(responses)}};
    if (capacity != CapacityDetail::None) response["ConsumedCapacity"] = tally.to_json(capacity);
    return response;
  }));
}

}  // namespace eddy::operations
