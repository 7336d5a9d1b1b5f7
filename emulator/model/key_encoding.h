#pragma once
// Order-preserving encoding of key attribute values: memcmp order of the encoded bytes equals
// DynamoDB's order of the values (S: UTF-8 bytes; N: numeric; B: unsigned bytes). SQLite compares
// BLOBs with memcmp, so its B-tree yields DynamoDB's order directly.
#include <string>

#include "model/attribute_value.h"

namespace eddy::model {

// value must be S, N or B.
std::string encode_key_value(const AttributeValue& value);
// Inverse of encode_key_value for the given scalar type.
AttributeValue decode_key_value(AttributeType type, std::string_view bytes);

}  // namespace eddy::model
