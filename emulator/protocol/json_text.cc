#include "protocol/json_text.h"

#include <charconv>
#include <string_view>

namespace eddy::protocol {
namespace {

using json = nlohmann::json;

// Length of the well-formed UTF-8 sequence starting at text[at] (whose first byte is >= 0x80),
// or 0 if it is not one (Unicode's Table 3-7: no overlong forms, no surrogates, nothing past
// U+10FFFF).
size_t utf8_sequence_length(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  auto continuation = [&](size_t i, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return i < text.size() && byte(i) >= low && byte(i) <= high;
  };
  unsigned char lead = byte(at);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(at + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return continuation(at + 1, low, high) && continuation(at + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(at + 1, low, high) && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
  }
  return 0;
}

// Appends text as a JSON string; false (with out unchanged) if text is not valid UTF-8.
bool append_valid_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t start_size = out.size();
  out += '"';
  size_t run_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out.resize(start_size);
        return false;
      }
      i += length;
      continue;
    }
    out.append(text.data() + run_start, i - run_start);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    run_start = ++i;
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out += '"';
  return true;
}

std::string nlohmann_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void append_string(std::string& out, const std::string& text) {
  // Invalid UTF-8 is rare (eddy validates what it stores): let nlohmann replace it its way.
  if (!append_valid_string(out, text)) out += nlohmann_text(json(text));
}

template <class Integer>
void append_integer(std::string& out, Integer number) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, result.ptr);
}

void append_value(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
        out += ':';
        append_value(out, member);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        append_value(out, element);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      return;
    case json::value_t::number_integer:
      append_integer(out, value.get<int64_t>());
      return;
    case json::value_t::number_unsigned:
      append_integer(out, value.get<uint64_t>());
      return;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case json::value_t::null:
      out += "null";
      return;
    default:
      // Floats (capacity units, dates), binary and discarded values: rare, and nlohmann's
      // formatting is the spec.
      out += nlohmann_text(value);
      return;
  }
}

}  // namespace

std::string to_json_text(const json& value) {
  std::string out;
  out.reserve(256);
  append_value(out, value);
  return out;
}

}  // namespace eddy::protocol
