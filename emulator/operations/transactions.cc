#include "operations/transactions.h"

namespace eddy::operations {

std::string transact_item_path(size_t position, std::string_view action) {
  std::string path = "transactItems." + std::to_string(position + 1) + ".member.";
  path += static_cast<char>(std::tolower(static_cast<unsigned char>(action.front())));
  path += action.substr(1);
  return path;
}

void check_transact_items_length(const nlohmann::json* items, std::string_view element_type,
                                 Violations& violations) {
  violations.not_null(items, "transactItems");
  if (!items) return;
  if (!items->empty() && items->size() <= kMaxTransactItems) return;
  std::string shown = "[";
  for (size_t i = 0; i < items->size(); ++i) {
    shown += i ? ", " : "";
    shown +=
        "com.amazonaws.dynamodb.v20120810." + std::string(element_type) + "@" + std::to_string(i);
  }
  shown += "]";
  violations.add(shown, "transactItems",
                 items->empty() ? "Member must have length greater than or equal to 1"
                                : "Member must have length less than or equal to 100");
}

model::ApiError transaction_cancelled(const nlohmann::json& reasons) {
  std::string codes;
  for (const auto& reason : reasons) {
    codes += codes.empty() ? "" : ", ";
    codes += reason["Code"].get<std::string>();
  }
  return model::ApiError(
      "TransactionCanceledException",
      "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes +
          "]",
      400, {{"CancellationReasons", reasons}});
}

}  // namespace eddy::operations
