#pragma once
// The parts of an item a list of document paths names (ProjectionExpression, AttributesToGet,
// and UpdateItem's UPDATED_OLD / UPDATED_NEW), shaped as DynamoDB shapes them.
#include <vector>

#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

// Maps keep only the named members; lists keep only the named elements, in index order and
// compacted ("l[3], l[1]" of [a,b,c,d] gives [b,d]); paths that name nothing are left out.
Item project(const Item& item, const std::vector<Path>& paths);

}  // namespace eddy::model::expressions
