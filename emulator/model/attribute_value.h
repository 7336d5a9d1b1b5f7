#pragma once
// DynamoDB's AttributeValue in memory: the ten types, with numbers kept as canonical decimal
// text (see Number) so that equality of values is equality of their fields.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace eddy::model {

enum class AttributeType : unsigned char { S, N, B, SS, NS, BS, M, L, Null, Bool };

// "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL".
std::string_view type_name(AttributeType type);

class AttributeValue;
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using Item = AttributeMap;

class AttributeValue {
 public:
  AttributeValue() = default;  // NULL

  static AttributeValue string(std::string utf8);
  static AttributeValue number(std::string canonical_text);  // already canonical (Number)
  static AttributeValue binary(std::string bytes);
  static AttributeValue string_set(std::vector<std::string> elements);
  static AttributeValue number_set(std::vector<std::string> canonical_elements);
  static AttributeValue binary_set(std::vector<std::string> elements);
  static AttributeValue map(AttributeMap members);
  static AttributeValue list(std::vector<AttributeValue> elements);
  static AttributeValue null();
  static AttributeValue boolean(bool value);

  AttributeType type() const { return type_; }
  bool is_set() const {
    return type_ == AttributeType::SS || type_ == AttributeType::NS || type_ == AttributeType::BS;
  }

  // S: UTF-8 text; N: canonical decimal text; B: raw bytes.
  const std::string& scalar() const { return scalar_; }
  bool boolean_value() const { return boolean_; }
  const std::vector<std::string>& set_elements() const { return set_; }
  std::vector<std::string>& set_elements() { return set_; }
  const AttributeMap& map_members() const { return *map_; }
  AttributeMap& map_members() { return *map_; }
  const std::vector<AttributeValue>& list_elements() const { return list_; }
  std::vector<AttributeValue>& list_elements() { return list_; }

  // Deep equality as DynamoDB compares values (sets compare as sets, numbers numerically).
  bool operator==(const AttributeValue& other) const;

  AttributeValue(const AttributeValue& other);
  AttributeValue(AttributeValue&&) noexcept = default;
  AttributeValue& operator=(const AttributeValue& other);
  AttributeValue& operator=(AttributeValue&&) noexcept = default;
  ~AttributeValue();

 private:
  AttributeType type_ = AttributeType::Null;
  bool boolean_ = true;
  std::string scalar_;
  std::vector<std::string> set_;
  std::vector<AttributeValue> list_;
  std::unique_ptr<AttributeMap> map_;  // only for M: keeps the common scalar case small
};

}  // namespace eddy::model
