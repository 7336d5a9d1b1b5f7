#pragma once
// Reading table schemas out of CreateTable and UpdateTable requests, with DynamoDB's checks.
#include <nlohmann/json.hpp>
#include <string>

#include "model/table_definition.h"
#include "operations/request_reader.h"

namespace eddy::operations {

// The whole CreateTable request: every constraint, then every schema rule, in DynamoDB's order.
model::TableDefinition parse_create_table(const nlohmann::json& request);

// "ReadCapacityUnits"/"WriteCapacityUnits" of a ProvisionedThroughput member at path.
model::Throughput parse_throughput(const nlohmann::json& throughput, const std::string& path,
                                   Violations& violations);

// A StreamSpecification; throws DynamoDB's errors for an inconsistent one.
model::StreamSpecification parse_stream_specification(const nlohmann::json& specification);

// DynamoDB's stream label: the creation time as an ISO-8601 timestamp with milliseconds.
std::string stream_label_for(double epoch_seconds);

}  // namespace eddy::operations
