#pragma once
// Item and attribute sizes exactly as DynamoDB counts them (400 KB limit, capacity units).
#include <cstddef>
#include <string_view>

#include "model/attribute_value.h"

namespace eddy::model {

inline constexpr std::size_t kMaxItemSize = 400 * 1024;

// Size of a value, excluding its name: S = UTF-8 bytes; N = Number::stored_size (about
// 1 + ceil(digits/2)); B = raw bytes; NULL/BOOL = 1; sets = sum of elements;
// L/M = 3 + sum(1 + element size) (+ member names for M).
std::size_t attribute_size(const AttributeValue& value);
// Sum over attributes of UTF-8 name bytes + attribute_size.
std::size_t item_size(const Item& item);

}  // namespace eddy::model
