#pragma once
// Which items DynamoDB's Time to Live deletes: those whose TTL attribute is a top-level Number
// of epoch seconds that lies in the past, but not more than five years in the past (DynamoDB
// ignores older values, which are usually milliseconds or mistakes). Any other type is ignored.
#include <optional>
#include <string_view>

#include "model/attribute_value.h"

namespace eddy::model {

// Items whose expiry lies further back than this are never deleted.
constexpr double kTimeToLiveIgnoredAfterSeconds = 5 * 365.25 * 24 * 3600;

// The item's expiry in epoch seconds, or nullopt when its TTL attribute is missing or not a
// Number.
std::optional<double> expiry_time(const Item& item, std::string_view attribute_name);

// True when an item expiring at expires_at is due for deletion at `now`.
bool is_expired(double expires_at, double now);

}  // namespace eddy::model
