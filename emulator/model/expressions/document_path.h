#pragma once
// Reading an item at a document path ("a.b[2].c").
#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

// The value at `path` in `item`, or nullptr when any step is missing, indexes past a list's end,
// or steps into a value of the wrong type (a name into a non-map, an index into a non-list).
const AttributeValue* find_path(const Item& item, const Path& path);

}  // namespace eddy::model::expressions
