#pragma once
#include <string_view>

namespace eddy::model::expressions {

// True for the 573 words DynamoDB refuses as bare attribute names in expressions (any case).
bool is_reserved_word(std::string_view name);

}  // namespace eddy::model::expressions
