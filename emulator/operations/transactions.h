#pragma once
// What TransactWriteItems and TransactGetItems share: their limits, messages and the shape of a
// cancelled transaction.
#include <nlohmann/json.hpp>
#include <string>

#include "model/api_error.h"
#include "operations/request_reader.h"

namespace eddy::operations {

constexpr size_t kMaxTransactItems = 100;

inline constexpr const char* kOneActionPerItem =
    "TransactItems can only contain one of Check, Put, Update or Delete";
inline constexpr const char* kTokenReusedMessage =
    "Request with same ClientRequestToken was already processed with different parameters";

// "transactItems.<n>.member.<action>" (n counted from 1) for constraint violations.
std::string transact_item_path(size_t position, std::string_view action);

// TransactItems must be present and hold 1 to 100 elements; element_type names them in the
// violation's rendering of the list, as DynamoDB's Java classes print.
void check_transact_items_length(const nlohmann::json* items, std::string_view element_type,
                                 Violations& violations);

// TransactionCanceledException with one reason per action, in request order.
model::ApiError transaction_cancelled(const nlohmann::json& reasons);

}  // namespace eddy::operations
