// libFuzzer target: the attribute-value codec. JSON text is read as a DynamoDB item (rejections
// must be ApiErrors), and an accepted item must survive JSON and the storage encoding unchanged.
// The same bytes are also handed to the storage decoder as if they were a stored item, which must
// refuse them with std::runtime_error or decode something that re-encodes consistently.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

#include "model/api_error.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"

namespace {

using namespace eddy::model;

void from_json_text(std::string_view text) {
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) return;
  Item item;
  try {
    item = attribute_map_from_json(document);
  } catch (const ApiError&) {
    return;
  }
  if (attribute_map_from_json(to_json(item)) != item) std::abort();
  if (decode_item(encode_item(item)) != item) std::abort();
  (void)item_size(item);
}

void from_stored_bytes(std::string_view bytes) {
  Item item;
  try {
    item = decode_item(bytes);
  } catch (const std::runtime_error&) {
    return;
  }
  if (decode_item(encode_item(item)) != item) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  from_json_text(input);
  from_stored_bytes(input);
  return 0;
}
