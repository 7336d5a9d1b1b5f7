#pragma once
// The pre-expression request members, translated into expression trees so that one evaluator
// serves both: Expected + ConditionalOperator (PutItem, UpdateItem, DeleteItem), QueryFilter and
// ScanFilter + ConditionalOperator, KeyConditions, AttributesToGet. Each validates its member
// with DynamoDB's messages first.
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "model/expressions/key_condition.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::operations {

// Expected (with ConditionalOperator), or nullopt when the request has none.
std::optional<model::expressions::Node> expected_condition(const nlohmann::json& request);

// QueryFilter / ScanFilter (member names the one to read), with ConditionalOperator.
std::optional<model::expressions::Node> filter_condition(const nlohmann::json& request,
                                                         const char* member);

// KeyConditions.
std::optional<model::expressions::KeyCondition> key_conditions(const nlohmann::json& request);

// AttributesToGet as projection paths (each name one top-level attribute), or nullopt.
std::optional<std::vector<model::expressions::Path>> attributes_to_get(
    const nlohmann::json& request);

}  // namespace eddy::operations
