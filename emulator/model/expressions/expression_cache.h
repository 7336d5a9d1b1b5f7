#pragma once
// Parsed expressions, kept by their text: a hot loop sends the same few expressions over and
// over, and a cached parse turns each request's work into a bind over a small tree.
#include <memory>
#include <string_view>

#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

// Each returns the parse of `text`, parsing it on first sight; parse errors (ExpressionError)
// propagate and are not cached. Safe to call from any thread.
std::shared_ptr<const Node> cached_condition(std::string_view text);
std::shared_ptr<const UpdateExpression> cached_update(std::string_view text);
std::shared_ptr<const ProjectionExpression> cached_projection(std::string_view text);

}  // namespace eddy::model::expressions
