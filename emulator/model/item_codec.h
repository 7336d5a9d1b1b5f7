#pragma once
// The compact binary form items are stored in (SQLite BLOBs). Self-describing, versioned by a
// leading byte, and never JSON so storage stays format-agnostic.
#include <string>
#include <string_view>

#include "model/attribute_value.h"

namespace eddy::model {

std::string encode_item(const Item& item);
// Throws std::runtime_error on corrupt input (never on data written by encode_item).
Item decode_item(std::string_view bytes);

}  // namespace eddy::model
