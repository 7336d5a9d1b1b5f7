#pragma once
// DynamoDB's placement of keys: where a partition key falls in the hash order Scan walks and
// parallel Scan splits, and how items that tie on an index key are ordered. Both are the first
// bytes of md5("Outliers" + DynamoDB's own bytes of the key values), as dynalite recorded from
// DynamoDB's scan orders; eddy stores rows in that order so its Scans list items as DynamoDB's
// do.
#include <cstdint>
#include <string>

#include "model/attribute_value.h"

namespace eddy::model {

// S: UTF-8; B: the bytes; N: Number::dynamodb_bytes().
std::string dynamodb_key_bytes(const AttributeValue& value);

// The top 32 bits of md5("Outliers" + partition key bytes).
uint32_t partition_hash(const AttributeValue& hash_key);

// The top 32 bits of md5("Outliers" + partition key bytes + sort key bytes): the order of
// items with equal keys in a secondary index.
uint32_t item_hash(const AttributeValue& hash_key, const AttributeValue* range_key);

}  // namespace eddy::model
