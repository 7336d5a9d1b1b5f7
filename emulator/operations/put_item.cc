// PutItem: store an item whole, replacing any item with its key.
#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "operations/item_support.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {

void put_item(Call& call) {
  const json& request = call.request();
  const json* item_json = map_member(request, "Item");
  Violations violations;
  WriteOptions options = read_write_options(request, violations);
  violations.not_null(item_json, "item");
  violations.throw_if_any();
  model::Item item = model::attribute_map_from_json(*item_json);
  require_all_old_or_none(options);
  reject_unsupported_members(request, {"ConditionExpression", "Expected",
                                       "ExpressionAttributeNames", "ExpressionAttributeValues",
                                       "ConditionalOperator"});
  bool want_old = options.return_values == "ALL_OLD";
  size_t size = model::item_size(item);
  if (size > model::kMaxItemSize) {
    throw model::validation_error("Item size has exceeded the maximum allowed size");
  }

  auto self = call.shared_from_this();
  call.write([self, name = *options.table_name, item = std::move(item), size, want_old,
              capacity = options.capacity](storage::Writer& writer) {
    TableHandle table = require_table(*self, writer, name);
    EncodedKey key = key_of_item(*table.definition, item);
    std::string bytes = model::encode_item(item);
    std::optional<storage::StoredItem> previous =
        writer.put_item(table.id, key.hash, key.range, bytes, static_cast<int64_t>(size));
    json response = json::object();
    std::optional<model::Item> old_item;
    if (previous && (want_old || capacity != CapacityDetail::None)) {
      old_item = model::decode_item(previous->bytes);
    }
    if (want_old && old_item) response["Attributes"] = model::to_json(*old_item);
    if (capacity != CapacityDetail::None) {
      response["ConsumedCapacity"] = write_consumed_capacity(
          capacity, *table.definition, old_item ? &*old_item : nullptr,
          previous ? previous->size : 0, &item, size);
    }
    return response;
  });
}

}  // namespace eddy::operations
