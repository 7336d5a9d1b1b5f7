#include "model/attribute_value.h"

#include <algorithm>

namespace eddy::model {

std::string_view type_name(AttributeType type) {
  switch (type) {
    case AttributeType::S:
      return "S";
    case AttributeType::N:
      return "N";
    case AttributeType::B:
      return "B";
    case AttributeType::SS:
      return "SS";
    case AttributeType::NS:
      return "NS";
    case AttributeType::BS:
      return "BS";
    case AttributeType::M:
      return "M";
    case AttributeType::L:
      return "L";
    case AttributeType::Null:
      return "NULL";
    case AttributeType::Bool:
      return "BOOL";
  }
  return "NULL";
}

AttributeValue AttributeValue::string(std::string utf8) {
  AttributeValue value;
  value.type_ = AttributeType::S;
  value.scalar_ = std::move(utf8);
  return value;
}

AttributeValue AttributeValue::number(std::string canonical_text) {
  AttributeValue value;
  value.type_ = AttributeType::N;
  value.scalar_ = std::move(canonical_text);
  return value;
}

AttributeValue AttributeValue::binary(std::string bytes) {
  AttributeValue value;
  value.type_ = AttributeType::B;
  value.scalar_ = std::move(bytes);
  return value;
}

AttributeValue AttributeValue::string_set(std::vector<std::string> elements) {
  AttributeValue value;
  value.type_ = AttributeType::SS;
  value.set_ = std::move(elements);
  return value;
}

AttributeValue AttributeValue::number_set(std::vector<std::string> canonical_elements) {
  AttributeValue value;
  value.type_ = AttributeType::NS;
  value.set_ = std::move(canonical_elements);
  return value;
}

AttributeValue AttributeValue::binary_set(std::vector<std::string> elements) {
  AttributeValue value;
  value.type_ = AttributeType::BS;
  value.set_ = std::move(elements);
  return value;
}

AttributeValue AttributeValue::map(AttributeMap members) {
  AttributeValue value;
  value.type_ = AttributeType::M;
  value.map_ = std::make_unique<AttributeMap>(std::move(members));
  return value;
}

AttributeValue AttributeValue::list(std::vector<AttributeValue> elements) {
  AttributeValue value;
  value.type_ = AttributeType::L;
  value.list_ = std::move(elements);
  return value;
}

AttributeValue AttributeValue::null() {
  return AttributeValue();
}

AttributeValue AttributeValue::boolean(bool value) {
  AttributeValue result;
  result.type_ = AttributeType::Bool;
  result.boolean_ = value;
  return result;
}

namespace {

// Set elements are unique, so equal sizes plus equal sorted contents means equal sets.
bool same_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;
  std::vector<std::string_view> sorted_a(a.begin(), a.end());
  std::vector<std::string_view> sorted_b(b.begin(), b.end());
  std::sort(sorted_a.begin(), sorted_a.end());
  std::sort(sorted_b.begin(), sorted_b.end());
  return sorted_a == sorted_b;
}

}  // namespace

bool AttributeValue::operator==(const AttributeValue& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case AttributeType::S:
    case AttributeType::N:  // canonical text is unique per numeric value
    case AttributeType::B:
      return scalar_ == other.scalar_;
    case AttributeType::SS:
    case AttributeType::NS:
    case AttributeType::BS:
      return same_set(set_, other.set_);
    case AttributeType::M: {
      static const AttributeMap kEmpty;
      const AttributeMap& mine = map_ ? *map_ : kEmpty;
      const AttributeMap& theirs = other.map_ ? *other.map_ : kEmpty;
      return mine == theirs;
    }
    case AttributeType::L:
      return list_ == other.list_;
    case AttributeType::Null:
      return true;
    case AttributeType::Bool:
      return boolean_ == other.boolean_;
  }
  return false;
}

AttributeValue::AttributeValue(const AttributeValue& other)
    : type_(other.type_),
      boolean_(other.boolean_),
      scalar_(other.scalar_),
      set_(other.set_),
      list_(other.list_),
      map_(other.map_ ? std::make_unique<AttributeMap>(*other.map_) : nullptr) {}

AttributeValue& AttributeValue::operator=(const AttributeValue& other) {
  if (this != &other) {
    AttributeValue copy(other);
    *this = std::move(copy);
  }
  return *this;
}

AttributeValue::~AttributeValue() = default;

}  // namespace eddy::model
