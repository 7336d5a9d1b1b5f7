#pragma once
// What several operations share: finding a table (with DynamoDB's not-found error), describing
// it as DescribeTable does, and the clock.
#include <nlohmann/json.hpp>
#include <string>

#include "operations/call.h"
#include "operations/catalog.h"
#include "storage/items.h"

namespace eddy::operations {

double now_seconds();

// The table, or ResourceNotFoundException ("Requested resource not found"). A table still
// CREATING (-delayTransientStatuses) is not usable by item operations yet, as on AWS.
TableHandle require_table(Call& call, storage::Reader& reader, const std::string& name,
                          bool for_items = true);

// The table's status at `now`: CREATING/UPDATING while a -delayTransientStatuses delay runs.
std::string table_status(const model::TableDefinition& table, double now);

// DescribeTable's TableDescription, with the live item count and size.
nlohmann::json describe_table_json(const model::TableDefinition& table, int64_t item_count,
                                   int64_t size_bytes, double now);

}  // namespace eddy::operations
