#pragma once
// Applies a bound UpdateExpression to an item, with DynamoDB's run-time semantics: every SET
// value is computed from the item as it was before the update; SET past the end of a list
// appends; REMOVE of list elements uses the indexes as they were; ADD and DELETE work on numbers
// and sets; a set left empty by DELETE disappears.
#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

// Updates `item` in place. Throws ApiError (ValidationException) with DynamoDB's messages:
//  "The provided expression refers to an attribute that does not exist in the item"
//  "An operand in the update expression has an incorrect data type"
//  "The document path provided in the update expression is invalid for update"
//  and Number's overflow / underflow / precision messages from arithmetic.
void apply_update(const UpdateExpression& update, Item& item);

}  // namespace eddy::model::expressions
