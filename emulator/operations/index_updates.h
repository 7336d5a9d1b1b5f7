#pragma once
// UpdateTable's GlobalSecondaryIndexUpdates, with the AttributeDefinitions a Create needs: read
// and checked against the request alone, then checked against the table and applied to its
// definition, then carried out on its index rows in the same write (a new index is backfilled
// from every item before UpdateTable answers), then described as DynamoDB answers.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/table_definition.h"
#include "operations/request_reader.h"
#include "operations/table_schema_parsing.h"
#include "storage/items.h"

namespace eddy::operations {

struct IndexUpdate {
  enum class Action { Create, Update, Delete };
  Action action = Action::Update;
  std::string index_name;
  RawIndex create;                              // Create: the new index as requested
  std::optional<model::Throughput> throughput;  // Update: its ProvisionedThroughput, if given
  size_t actions = 0;                           // how many of Create/Update/Delete the entry has
};

struct IndexUpdates {
  bool present = false;  // GlobalSecondaryIndexUpdates was in the request, perhaps as []
  std::vector<IndexUpdate> updates;
  std::optional<std::vector<RawAttributeDefinition>> attribute_definitions;
};

// The table-level members of the same UpdateTable, which some index updates exclude.
struct OtherTableChanges {
  bool billing_mode = false;
  bool throughput = false;
  bool stream = false;
  bool deletion_protection = false;
  bool table_class = false;
  bool any() const {
    return billing_mode || throughput || stream || deletion_protection || table_class;
  }
};

// Reads GlobalSecondaryIndexUpdates and AttributeDefinitions; constraint violations (at
// globalSecondaryIndexUpdates.N.member.create.indexName, ...) go into `violations`.
IndexUpdates read_index_updates(const nlohmann::json& request, Violations& violations);

// What DynamoDB rejects before looking at the table: empty entries, two actions on one index, more
// than one Create or Delete, a Create or Delete next to changes it cannot share a request with.
void check_index_updates(const IndexUpdates& updates, const OtherTableChanges& others);

// An index whose -delayTransientStatuses delay is over is ACTIVE again in its definition too, so
// that a later delay cannot revive its old status.
void settle_index_statuses(model::TableDefinition& table, double now);

struct AppliedIndexUpdates {
  std::optional<int64_t> created_id;             // the new index, to backfill
  std::optional<model::SecondaryIndex> deleted;  // the dropped index, whose rows go
  size_t deleted_position = 0;                   // where it was among the GSIs
  storage::IndexTotals deleted_totals;           // its totals before its rows went
};

// Checks the updates against `table` as the request's table-level changes leave it (BillingMode
// already switched; switched_to_provisioned when it was PAY_PER_REQUEST before) and applies them
// to it. `delay`: the -delayTransientStatuses delay, 0 without the flag. Throws DynamoDB's errors.
AppliedIndexUpdates apply_index_updates(const IndexUpdates& updates, model::TableDefinition& table,
                                        bool switched_to_provisioned, double now, double delay);

// The rows side, in the caller's write: backfills the created index from every item, removes the
// deleted index's rows. `table` is the definition as applied and stored.
void store_index_updates(storage::Writer& writer, int64_t table_id,
                         const model::TableDefinition& table, AppliedIndexUpdates& applied);

// UpdateTable's answer about the indexes it touched: a new index CREATING, not yet backfilling and
// still empty; a dropped one DELETING.
void describe_index_updates(nlohmann::json& description, const model::TableDefinition& table,
                            const AppliedIndexUpdates& applied, double now);

}  // namespace eddy::operations
