// Layout: a version byte, then the item as a map body.
//   map body:   varint count, then per member: varint name length, name bytes, value
//   value:      a tag byte, then
//     S, N, B:    varint length, bytes (N as canonical text)
//     SS, NS, BS: varint count, then per element: varint length, bytes
//     M:          map body (names in ascending order, as AttributeMap keeps them)
//     L:          varint count, then values
//     NULL:       nothing
//     BOOL:       one byte, 0 or 1
// Tags are fixed here rather than taken from AttributeType so the stored format cannot change
// by accident.
#include "model/item_codec.h"

#include <cstdint>
#include <stdexcept>

namespace eddy::model {
namespace {

constexpr unsigned char kFormatVersion = 1;

enum Tag : unsigned char {
  kTagS = 1,
  kTagN = 2,
  kTagB = 3,
  kTagSS = 4,
  kTagNS = 5,
  kTagBS = 6,
  kTagM = 7,
  kTagL = 8,
  kTagNull = 9,
  kTagBool = 10,
};

// Items nest at most 32 levels; anything deeper is corrupt, and the limit bounds recursion.
constexpr int kMaxDecodeDepth = 64;

unsigned char tag_for(AttributeType type) {
  switch (type) {
    case AttributeType::S:
      return kTagS;
    case AttributeType::N:
      return kTagN;
    case AttributeType::B:
      return kTagB;
    case AttributeType::SS:
      return kTagSS;
    case AttributeType::NS:
      return kTagNS;
    case AttributeType::BS:
      return kTagBS;
    case AttributeType::M:
      return kTagM;
    case AttributeType::L:
      return kTagL;
    case AttributeType::Null:
      return kTagNull;
    case AttributeType::Bool:
      return kTagBool;
  }
  return kTagNull;
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void byte(unsigned char value) { out_.push_back(static_cast<char>(value)); }

  void varint(uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }

  void bytes(std::string_view data) {
    varint(data.size());
    out_.append(data);
  }

  void map_body(const AttributeMap& members) {
    varint(members.size());
    for (const auto& [name, value] : members) {
      bytes(name);
      attribute(value);
    }
  }

  void attribute(const AttributeValue& value) {
    byte(tag_for(value.type()));
    switch (value.type()) {
      case AttributeType::S:
      case AttributeType::N:
      case AttributeType::B:
        bytes(value.scalar());
        break;
      case AttributeType::SS:
      case AttributeType::NS:
      case AttributeType::BS:
        varint(value.set_elements().size());
        for (const std::string& element : value.set_elements()) bytes(element);
        break;
      case AttributeType::M:
        map_body(value.map_members());
        break;
      case AttributeType::L:
        varint(value.list_elements().size());
        for (const AttributeValue& element : value.list_elements()) attribute(element);
        break;
      case AttributeType::Null:
        break;
      case AttributeType::Bool:
        byte(value.boolean_value() ? 1 : 0);
        break;
    }
  }

 private:
  std::string& out_;
};

[[noreturn]] void corrupt(const char* what) {
  throw std::runtime_error(std::string("corrupt item encoding: ") + what);
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  bool at_end() const { return pos_ == data_.size(); }

  unsigned char byte() {
    if (pos_ >= data_.size()) corrupt("truncated");
    return static_cast<unsigned char>(data_[pos_++]);
  }

  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      unsigned char next = byte();
      uint64_t bits = next & 0x7F;
      if (shift == 63 && bits > 1) corrupt("varint overflow");
      value |= bits << shift;
      if ((next & 0x80) == 0) return value;
    }
    corrupt("varint too long");
  }

  // Every element takes at least one byte, so a count beyond the remaining bytes is corrupt;
  // checking it first keeps a bad count from provoking a huge allocation.
  std::size_t count() {
    uint64_t value = varint();
    if (value > data_.size() - pos_) corrupt("count exceeds input");
    return static_cast<std::size_t>(value);
  }

  std::string bytes() {
    uint64_t length = varint();
    if (length > data_.size() - pos_) corrupt("length exceeds input");
    std::string result(data_.substr(pos_, static_cast<std::size_t>(length)));
    pos_ += static_cast<std::size_t>(length);
    return result;
  }

  AttributeMap map_body(int depth) {
    if (depth > kMaxDecodeDepth) corrupt("nested too deeply");
    std::size_t member_count = count();
    AttributeMap members;
    for (std::size_t i = 0; i < member_count; ++i) {
      std::string name = bytes();
      // Names were written in ascending order; anything else is corruption.
      if (!members.empty() && !(members.rbegin()->first < name)) corrupt("member order");
      AttributeValue value = attribute(depth + 1);
      members.emplace_hint(members.end(), std::move(name), std::move(value));
    }
    return members;
  }

  std::vector<std::string> set_elements() {
    std::size_t element_count = count();
    std::vector<std::string> elements;
    elements.reserve(element_count);
    for (std::size_t i = 0; i < element_count; ++i) elements.push_back(bytes());
    return elements;
  }

  AttributeValue attribute(int depth) {
    if (depth > kMaxDecodeDepth) corrupt("nested too deeply");
    switch (byte()) {
      case kTagS:
        return AttributeValue::string(bytes());
      case kTagN:
        return AttributeValue::number(bytes());
      case kTagB:
        return AttributeValue::binary(bytes());
      case kTagSS:
        return AttributeValue::string_set(set_elements());
      case kTagNS:
        return AttributeValue::number_set(set_elements());
      case kTagBS:
        return AttributeValue::binary_set(set_elements());
      case kTagM:
        return AttributeValue::map(map_body(depth + 1));
      case kTagL: {
        std::size_t element_count = count();
        std::vector<AttributeValue> elements;
        elements.reserve(element_count);
        for (std::size_t i = 0; i < element_count; ++i) elements.push_back(attribute(depth + 1));
        return AttributeValue::list(std::move(elements));
      }
      case kTagNull:
        return AttributeValue::null();
      case kTagBool: {
        unsigned char flag = byte();
        if (flag > 1) corrupt("bad boolean");
        return AttributeValue::boolean(flag == 1);
      }
      default:
        corrupt("unknown type tag");
    }
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_item(const Item& item) {
  std::string out;
  out.reserve(64);
  Writer writer(out);
  writer.byte(kFormatVersion);
  writer.map_body(item);
  return out;
}

Item decode_item(std::string_view bytes) {
  Reader reader(bytes);
  if (reader.byte() != kFormatVersion) corrupt("unknown format version");
  Item item = reader.map_body(0);
  if (!reader.at_end()) corrupt("trailing bytes");
  return item;
}

}  // namespace eddy::model
