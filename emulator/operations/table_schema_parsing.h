#pragma once
// Reading table schemas out of CreateTable and UpdateTable requests, with DynamoDB's checks.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/table_definition.h"
#include "operations/request_reader.h"

namespace eddy::operations {

// DynamoDB's per-table limits on global secondary indexes and on the NonKeyAttributes projected
// into all of a table's indexes together.
inline constexpr size_t kMaxGlobalIndexes = 20;
inline constexpr size_t kMaxProjectedAttributes = 100;

// The whole CreateTable request: every constraint, then every schema rule, in DynamoDB's order.
model::TableDefinition parse_create_table(const nlohmann::json& request);

// The pieces CreateTable and UpdateTable's GlobalSecondaryIndexUpdates share. The read_ functions
// only collect constraint violations (members null, too long, not in their enum); the check_
// functions throw DynamoDB's schema errors and expect a request without violations.

struct RawAttributeDefinition {
  std::optional<std::string> name;
  std::optional<std::string> type;  // S, N or B
};
// An AttributeDefinitions member, its violations reported at attributeDefinitions.N.member.*.
std::vector<RawAttributeDefinition> read_attribute_definitions(const nlohmann::json& list,
                                                               Violations& violations);
model::AttributeType key_type_named(const std::string& name);

struct RawKeyElement {
  std::optional<std::string> name;
  std::optional<std::string> type;  // HASH / RANGE
};
std::vector<RawKeyElement> read_key_schema(const nlohmann::json* list, const std::string& path,
                                           Violations& violations, bool required);
// The key schema's structural rules, in the order DynamoDB checks them; key types come from
// `defined` (S when undefined: callers check definitions first).
model::KeySchema check_key_schema(const std::vector<RawKeyElement>& raw,
                                  const std::map<std::string, model::AttributeType>& defined);

// One GlobalSecondaryIndexes/LocalSecondaryIndexes entry (or a GSI Create action) at `path`.
struct RawIndex {
  std::optional<std::string> name;
  std::vector<RawKeyElement> key_schema;
  std::optional<model::Projection> projection;
  std::optional<std::string> projection_type;
  const nlohmann::json* throughput = nullptr;
  std::string path;
};
RawIndex read_index(const nlohmann::json& index, const std::string& path, Violations& violations);
// ProjectionType given, NonKeyAttributes only (and then necessarily) with INCLUDE, no duplicates.
void check_projection(const RawIndex& raw, const model::Projection& projection);
// DynamoDB caps provisioned units at 10^12 per table or index.
void check_throughput_bounds(const model::Throughput& throughput);

// "[a, b]", as DynamoDB lists names in messages.
std::string join_names(const std::vector<std::string>& names);

// "ReadCapacityUnits"/"WriteCapacityUnits" of a ProvisionedThroughput member at path.
model::Throughput parse_throughput(const nlohmann::json& throughput, const std::string& path,
                                   Violations& violations);

// A StreamSpecification; throws DynamoDB's errors for an inconsistent one.
model::StreamSpecification parse_stream_specification(const nlohmann::json& specification);

// DynamoDB's stream label: the creation time as an ISO-8601 timestamp with milliseconds.
std::string stream_label_for(double epoch_seconds);

}  // namespace eddy::operations
