#include "model/time_to_live.h"

#include <cstdlib>
#include <string>

namespace eddy::model {

std::optional<double> expiry_time(const Item& item, std::string_view attribute_name) {
  auto found = item.find(attribute_name);
  if (found == item.end() || found->second.type() != AttributeType::N) return std::nullopt;
  // Canonical Number text is plain decimal within ±1E126: always a finite double.
  return std::strtod(found->second.scalar().c_str(), nullptr);
}

bool is_expired(double expires_at, double now) {
  return expires_at < now && expires_at >= now - kTimeToLiveIgnoredAfterSeconds;
}

}  // namespace eddy::model
