// TransactWriteItems: up to 100 puts, updates, deletes and condition checks across tables, all
// or nothing in one SQLite transaction. Every condition is judged against the items as they were
// before the transaction (no two actions may touch one item, so applying one cannot change what
// another reads); any failure cancels the whole, with a reason for each action in request order.
#include <openssl/evp.h>

#include <set>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_size.h"
#include "operations/capacity_tally.h"
#include "operations/expression_request.h"
#include "operations/item_writes.h"
#include "operations/registry.h"
#include "operations/table_access.h"
#include "operations/transactions.h"

namespace eddy::operations {
namespace {

constexpr double kIdempotencySeconds = 600;
constexpr size_t kMaxTransactionBytes = 4 * 1024 * 1024;

// One action, read from its TransactItems element.
ItemWrite read_action(const json& element, size_t position, Violations& violations) {
  const json& action_element = as_structure(element);
  static const std::pair<const char*, ItemWrite::Kind> kKinds[] = {
      {"ConditionCheck", ItemWrite::Kind::ConditionCheck},
      {"Put", ItemWrite::Kind::Put},
      {"Delete", ItemWrite::Kind::Delete},
      {"Update", ItemWrite::Kind::Update}};
  const json* action = nullptr;
  ItemWrite write;
  std::string member_path;
  for (const auto& [name, kind] : kKinds) {
    const json* found = structure_member(action_element, name);
    if (!found) continue;
    if (action) throw model::validation_error(kOneActionPerItem);
    action = found;
    write.kind = kind;
    member_path = transact_item_path(position, name);
  }
  if (!action) throw model::validation_error(kOneActionPerItem);

  std::optional<std::string> table_name = string_member(*action, "TableName");
  violations.table_name(table_name, member_path + ".tableName", true);
  write.table_name = table_name.value_or("");
  std::optional<std::string> on_failure =
      string_member(*action, "ReturnValuesOnConditionCheckFailure");
  violations.enumeration(on_failure, member_path + ".returnValuesOnConditionCheckFailure",
                         {"ALL_OLD", "NONE"});
  write.return_old_on_condition_failure = on_failure == "ALL_OLD";
  std::optional<std::string> condition = string_member(*action, "ConditionExpression");
  switch (write.kind) {
    case ItemWrite::Kind::Put: {
      const json* item = map_member(*action, "Item");
      violations.not_null(item, member_path + ".item");
      if (item) write.item = model::attribute_map_from_json(*item);
      break;
    }
    case ItemWrite::Kind::Update:
      violations.not_null(string_member(*action, "UpdateExpression") ? action : nullptr,
                          member_path + ".updateExpression");
      [[fallthrough]];
    case ItemWrite::Kind::Delete:
    case ItemWrite::Kind::ConditionCheck: {
      const json* key = map_member(*action, "Key");
      violations.not_null(key, member_path + ".key");
      if (key) write.key = model::attribute_map_from_json(*key);
      break;
    }
  }
  if (write.kind == ItemWrite::Kind::ConditionCheck) {
    violations.not_null(condition ? action : nullptr, member_path + ".conditionExpression");
  }
  return write;
}

// Parses each action's expressions; runs after every action passed the request checks.
void read_action_expressions(const json& element, ItemWrite& write) {
  const json& action = *std::find_if(element.begin(), element.end(),
                                     [](const json& member) { return member.is_object(); });
  RequestExpressions expressions = read_expressions(action);
  write.condition = std::move(expressions.condition);
  write.changes.expression = std::move(expressions.update);
  if (write.kind == ItemWrite::Kind::Put) {
    write.item_size = model::item_size(write.item);
    if (write.item_size > model::kMaxItemSize) {
      throw model::validation_error("Item size has exceeded the maximum allowed size");
    }
  }
}

std::string sha256(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

// DynamoDB rejects the whole request, rather than cancelling it, for an empty or oversized key.
bool fails_request(const model::ApiError& error) {
  return error.type() == "ValidationException" &&
         (error.message().find("cannot contain an empty") != std::string::npos ||
          error.message().find("has exceeded the") != std::string::npos);
}

// The reason an action cancels the transaction, or nullopt if it does not.
std::optional<json> failure_reason(const model::ApiError& error) {
  if (error.type() == "ConditionalCheckFailedException") {
    json reason = {{"Code", "ConditionalCheckFailed"}, {"Message", error.message()}};
    if (error.extra().contains("Item")) reason["Item"] = error.extra()["Item"];
    return reason;
  }
  if (error.type() == "ValidationException") {
    return json{{"Code", "ValidationError"}, {"Message", error.message()}};
  }
  return std::nullopt;
}

}  // namespace

void transact_write_items(Call& call) {
  const json& request = call.request();
  const json* items_json = list_member(request, "TransactItems");
  Violations violations;
  CapacityDetail capacity = read_capacity_detail(request, violations);
  std::optional<std::string> metrics = string_member(request, "ReturnItemCollectionMetrics");
  violations.enumeration(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  std::optional<std::string> token = string_member(request, "ClientRequestToken");
  violations.length_range(token, "clientRequestToken", 1, 36);
  check_transact_items_length(items_json, "TransactWriteItem", violations);
  std::vector<ItemWrite> writes;
  if (items_json && !items_json->empty() && items_json->size() <= kMaxTransactItems) {
    for (size_t i = 0; i < items_json->size(); ++i) {
      writes.push_back(read_action((*items_json)[i], i, violations));
    }
  }
  violations.throw_if_any();
  size_t request_bytes = 0;
  for (size_t i = 0; i < writes.size(); ++i) {
    read_action_expressions((*items_json)[i], writes[i]);
    request_bytes += writes[i].item_size;
  }
  if (request_bytes > kMaxTransactionBytes) {
    throw model::validation_error("Transaction payload size cannot exceed 4MB. Payload Size: " +
                                  std::to_string(request_bytes));
  }
  bool collection_metrics = metrics == "SIZE";
  std::string digest =
      token ? sha256(request.dump(-1, ' ', false, json::error_handler_t::replace)) : std::string();

  auto self = call.shared_from_this();
  call.write([self, writes = std::move(writes), capacity, token, digest,
              collection_metrics](storage::Writer& writer) -> json {
    double now = now_seconds();
    if (token) {
      if (std::optional<storage::ClientToken> used = writer.find_client_token(*token, now)) {
        if (used->request_digest != digest) {
          throw model::ApiError("IdempotentParameterMismatchException", kTokenReusedMessage);
        }
        return json::parse(used->response);
      }
    }
    // A key that does not fit its table cancels the transaction with a reason; an empty or
    // oversized key value fails the request itself.
    std::vector<std::optional<WriteTarget>> targets;
    std::vector<std::optional<json>> reasons_found(writes.size());
    std::set<std::string> seen;
    for (size_t i = 0; i < writes.size(); ++i) {
      try {
        targets.push_back(locate_write(*self, writer, writes[i]));
      } catch (const model::ApiError& error) {
        if (error.type() != "ValidationException" || fails_request(error)) throw;
        targets.emplace_back();
        reasons_found[i] = json{{"Code", "ValidationError"}, {"Message", error.message()}};
        continue;
      }
      if (!seen.insert(targets.back()->item_identity()).second) {
        throw model::validation_error(
            "Transaction request cannot include multiple operations on one item");
      }
    }

    json reasons = json::array();
    bool cancelled = false;
    CapacityTally tally;
    json item_collections = json::object();
    for (size_t i = 0; i < writes.size(); ++i) {
      const ItemWrite& write = writes[i];
      if (reasons_found[i]) {
        reasons.push_back(std::move(*reasons_found[i]));
        cancelled = true;
        continue;
      }
      try {
        AppliedWrite done = apply_write(writer, write, *targets[i], true);
        const model::TableDefinition& table = *targets[i]->table.definition;
        // A transactional write costs twice a plain one.
        double units = 2 * write_units(static_cast<size_t>(done.old_size), done.new_size);
        std::vector<std::string> indexes =
            write.kind == ItemWrite::Kind::ConditionCheck
                ? std::vector<std::string>{}
                : touched_global_indexes(table, done.old_item ? &*done.old_item : nullptr,
                                         done.new_item ? &*done.new_item : nullptr);
        tally.add(write.table_name, units, indexes, indexes.empty() ? 0 : units);
        if (collection_metrics && write.kind != ItemWrite::Kind::ConditionCheck) {
          json entry = item_collection_metrics_entry(table, write);
          if (!entry.is_null()) item_collections[write.table_name].push_back(std::move(entry));
        }
        reasons.push_back({{"Code", "None"}});
      } catch (const model::ApiError& error) {
        if (fails_request(error)) throw;
        std::optional<json> reason = failure_reason(error);
        if (!reason) throw;
        reasons.push_back(std::move(*reason));
        cancelled = true;
      }
    }
    if (cancelled) throw transaction_cancelled(reasons);

    json response = json::object();
    if (capacity != CapacityDetail::None) response["ConsumedCapacity"] = tally.to_json(capacity);
    if (collection_metrics) response["ItemCollectionMetrics"] = std::move(item_collections);
    if (token) {
      writer.save_client_token(*token, {digest, response.dump()}, now, now + kIdempotencySeconds);
    }
    return response;
  });
}

}  // namespace eddy::operations
