#pragma once
// Text length as DynamoDB, a Java service, measures it where it counts characters (size(),
// expression lengths): Java's String.length(), in UTF-16 code units, so a code point beyond the
// Basic Multilingual Plane (a 4-byte UTF-8 sequence) counts twice.
#include <cstddef>
#include <string_view>

namespace eddy::model {

inline size_t utf16_length(std::string_view utf8) {
  size_t units = 0;
  for (char c : utf8) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) ++units;  // each code point starts once
    if (byte >= 0xF0) ++units;           // and a surrogate pair takes two units
  }
  return units;
}

}  // namespace eddy::model
