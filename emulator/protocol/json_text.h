#pragma once
// Response bodies as JSON text. Byte for byte what nlohmann::json::dump(-1, ' ', false,
// error_handler_t::replace) writes, several times faster on the long strings items carry: runs
// of plain characters are copied whole instead of one at a time.
#include <nlohmann/json.hpp>
#include <string>

namespace eddy::protocol {

std::string to_json_text(const nlohmann::json& value);

}  // namespace eddy::protocol
