#pragma once
// Evaluates a bound condition (ConditionExpression, FilterExpression, or a legacy Expected /
// QueryFilter / ScanFilter translated into a tree) against one item.
#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

// True when `item` satisfies `condition`. A missing item is an empty one. Comparisons between
// different types, or with a missing attribute, are false (and "<>" true), never errors.
bool evaluate_condition(const Node& condition, const Item& item);

}  // namespace eddy::model::expressions
