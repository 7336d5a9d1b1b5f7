#pragma once
// What several operations share: finding a table (with DynamoDB's not-found error), describing
// it as DescribeTable does.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "operations/call.h"
#include "operations/catalog.h"
#include "operations/clock.h"
#include "storage/items.h"

namespace eddy::operations {

// The table, or ResourceNotFoundException ("Requested resource not found"). A table still
// CREATING (-delayTransientStatuses) is not usable by item operations yet, as on AWS.
TableHandle require_table(Call& call, storage::Reader& reader, const std::string& name,
                          bool for_items = true);

// The table's status at `now`: CREATING/UPDATING while a -delayTransientStatuses delay runs.
std::string table_status(const model::TableDefinition& table, double now);

// An index's status at `now`: the CREATING/UPDATING its definition records holds while the
// table's -delayTransientStatuses delay runs, ACTIVE afterwards (and always without the flag).
std::string index_status(const model::TableDefinition& table, const model::SecondaryIndex& index,
                         double now);

// Every index's ItemCount and IndexSizeBytes as storage keeps them, by index id.
using IndexTotalsById = std::map<int64_t, storage::IndexTotals>;
IndexTotalsById read_index_totals(storage::Reader& reader, int64_t table_id,
                                  const model::TableDefinition& table);

// One GlobalSecondaryIndexes (global) or LocalSecondaryIndexes entry of a TableDescription.
nlohmann::json describe_index_json(const model::TableDefinition& table,
                                   const model::SecondaryIndex& index, bool global, double now,
                                   const storage::IndexTotals& totals);

// DescribeTable's TableDescription, with the live item count and size, and each index's totals
// (an index missing from index_totals is empty).
nlohmann::json describe_table_json(const model::TableDefinition& table, int64_t item_count,
                                   int64_t size_bytes, double now,
                                   const IndexTotalsById& index_totals = {});

}  // namespace eddy::operations
