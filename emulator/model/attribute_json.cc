// DynamoDB validates a request in two phases, and so does this file:
//  1. deserialization: every value must have the JSON type its field requires. Failures are
//     SerializationExceptions and win over any validation failure anywhere in the request.
//  2. validation: the AttributeValue rules, reported as ValidationExceptions.
// Message texts are DynamoDB's, as recorded by dynalite 4.0: its test suite (test/helpers.js
// assertType, test/putItem.js validations) and its validations/index.js (checkType).
#include "model/attribute_json.h"

#include <algorithm>
#include <boost/beast/core/detail/base64.hpp>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/api_error.h"
#include "model/number.h"

namespace eddy::model {
namespace {

using nlohmann::json;
namespace base64 = boost::beast::detail::base64;

// An item's top-level attribute values are at level 1; a list or map at level 32 or deeper is
// rejected (DynamoDB Local's isValidNestedLevel: 0 <= level < 32), so an item holds at most 31
// nested containers: 32 levels counting the item itself.
constexpr int kMaxContainerLevel = 31;

constexpr const char* kEmptyValue =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
constexpr const char* kSeveralTypes =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";
constexpr const char* kInvalidPrefix = "One or more parameter values were invalid: ";
constexpr const char* kNullNotTrue = "Null attribute value types must have the value of true";
constexpr const char* kEmptyStringSet = "An string set  may not be empty";
constexpr const char* kEmptyNumberSet = "An number set  may not be empty";
constexpr const char* kEmptyBinarySet = "Binary sets should not be empty";
constexpr const char* kNullStringSetMember = "An string set may not have a null string as a member";
constexpr const char* kNullBinarySetMember = "Binary sets may not contain null or empty values";
constexpr const char* kNumberSetDuplicates = "Input collection contains duplicates";
constexpr const char* kNotNumeric = "The parameter cannot be converted to a numeric value";
constexpr const char* kNestingTooDeep =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";

// Deserialization (SerializationException) messages.
constexpr const char* kObjectFound = "Start of structure or map found where not expected";
constexpr const char* kUnexpectedField = "Unexpected field type";
constexpr const char* kUnexpectedValue = "Unexpected value type in payload";
constexpr const char* kUnexpectedToken = "Unexpected token received from parser";
constexpr const char* kNotBase64 = "only base-64-encoded strings are convertible to bytes";
constexpr const char* kBase64Length =
    "Base64 encoded length is expected a multiple of 4 bytes but found: ";
constexpr const char* kBase64NotCanonical = "Invalid last non-pad Base64 character dectected";
// "Unrecognized collection type " + the Java type an array was given for.
constexpr const char* kStringArray = "Unrecognized collection type class java.lang.String";
constexpr const char* kBooleanArray = "Unrecognized collection type class java.lang.Boolean";
constexpr const char* kBlobArray = "Unrecognized collection type class java.nio.ByteBuffer";
constexpr const char* kValueArray =
    "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue";
constexpr const char* kValueMapArray =
    "Unrecognized collection type java.util.Map<java.lang.String, "
    "com.amazonaws.dynamodb.v20120810.AttributeValue>";

// Appends rather than prepends: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::string result;
  result.reserve((std::string_view(parts).size() + ...));
  (result.append(std::string_view(parts)), ...);
  return result;
}

ApiError invalid_parameter(std::string_view detail) {
  return validation_error(concat(kInvalidPrefix, detail));
}

bool is_base64_alphabet(unsigned char c) {
  return base64::get_inverse()[c] != -1;
}

// The length Java sees: one unit per UTF-8 sequence, two for those beyond the BMP.
std::size_t utf16_length(std::string_view text) {
  std::size_t length = 0;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) ++length;
    if (byte >= 0xF0) ++length;
  }
  return length;
}

// Accepts exactly the canonical padded encoding, as DynamoDB does (its check amounts to
// "decoding and re-encoding gives back the input"). Returns the length without padding.
// A length that is not a multiple of 4 has its own message; anything else non-canonical
// (characters outside the alphabet, misplaced or excess padding, non-zero trailing bits) is
// "Invalid last non-pad Base64 character dectected" [sic].
std::size_t validate_base64(std::string_view text) {
  if (std::size_t length = utf16_length(text); length % 4 != 0) {
    throw serialization_error(concat(kBase64Length, std::to_string(length)));
  }
  std::size_t data_length = std::min(text.find('='), text.size());
  std::string_view data = text.substr(0, data_length);
  std::size_t padding = text.size() - data_length;
  bool canonical = padding <= 2 && text.find_first_not_of('=', data_length) == text.npos &&
                   std::all_of(data.begin(), data.end(), [](char c) {
                     return is_base64_alphabet(static_cast<unsigned char>(c));
                   });
  if (canonical && padding > 0) {
    // The bits of the last data character that fall beyond the final byte must be zero.
    // (data_length > 0: the length is a multiple of 4 and at most 2 characters are padding.)
    auto last_bits = base64::get_inverse()[static_cast<unsigned char>(text[data_length - 1])];
    canonical = (last_bits & (padding == 1 ? 0x03 : 0x0F)) == 0;
  }
  if (!canonical) throw serialization_error(kBase64NotCanonical);
  return data_length;
}

// ---------------------------------------------------------------------------------------------
// Phase 1: JSON types.

// The Java types DynamoDB's deserializer converts each field to.
enum class Shape {
  kAttributeValue,
  kString,
  kBlob,
  kBoolean,
  kStringList,
  kBlobList,
  kValueList,
  kValueMap
};

// The JSON token names DynamoDB's deserializer reports for a scalar of the wrong type.
const char* boolean_token(const json& value) {
  return value.get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE";
}

// Integral values (1, -0, 1e3, 1.0) are NUMBER_VALUE, others DECIMAL_VALUE: dynalite decides by
// the value, not by how the number is written.
const char* number_token(const json& value) {
  if (!value.is_number_float()) return "NUMBER_VALUE";
  double number = value.get<double>();
  return std::isfinite(number) && std::trunc(number) == number ? "NUMBER_VALUE" : "DECIMAL_VALUE";
}

std::string scalar_token(const json& value) {
  return value.is_boolean() ? boolean_token(value) : number_token(value);
}

// Upper-cases as JavaScript's toUpperCase does for the spellings that matter below: ASCII, and
// U+017F (long s), whose upper case is 'S' ("ye\u017F" is "YES").
std::string uppercase_for_boolean(std::string_view text) {
  std::string upper;
  upper.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\xC5' && i + 1 < text.size() && text[i + 1] == '\xBF') {
      upper.push_back('S');
      ++i;
    } else {
      upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
  }
  return upper;
}

// DynamoDB's Boolean fields accept these strings too (case-insensitively).
std::optional<bool> boolean_from_string(std::string_view text) {
  std::string upper = uppercase_for_boolean(text);
  if (upper == "TRUE" || upper == "1" || upper == "YES") return true;
  if (upper == "FALSE" || upper == "0" || upper == "NO") return false;
  return std::nullopt;
}

bool boolean_field(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  return boolean_from_string(value.get_ref<const std::string&>()).value_or(false);
}

struct PendingCheck {
  const json* value;
  Shape shape;
};

void check_attribute_value_fields(const json& value, std::vector<PendingCheck>& pending) {
  // In the order DynamoDB (as dynalite records it) checks them: the first mistyped one is
  // reported.
  static const std::pair<const char*, Shape> kFields[] = {
      {"S", Shape::kString},      {"B", Shape::kBlob},        {"N", Shape::kString},
      {"BOOL", Shape::kBoolean},  {"NULL", Shape::kBoolean},  {"BS", Shape::kBlobList},
      {"NS", Shape::kStringList}, {"SS", Shape::kStringList}, {"L", Shape::kValueList},
      {"M", Shape::kValueMap}};
  // Pushed in reverse so that the first field is checked first.
  for (auto it = std::rbegin(kFields); it != std::rend(kFields); ++it) {
    auto field = value.find(it->first);
    if (field != value.end() && !field->is_null()) pending.push_back({&*field, it->second});
  }
}

// Null elements and members are skipped: validation reports what they mean.
void push_children(const json& container, Shape shape, std::vector<PendingCheck>& pending) {
  for (auto it = container.rbegin(); it != container.rend(); ++it) {
    if (!it->is_null()) pending.push_back({&*it, shape});
  }
}

Shape element_shape(Shape list_shape) {
  switch (list_shape) {
    case Shape::kStringList:
      return Shape::kString;
    case Shape::kBlobList:
      return Shape::kBlob;
    default:
      return Shape::kAttributeValue;
  }
}

// Checks one non-null value against its shape, queueing its children.
void check_json_type(const json& value, Shape shape, std::vector<PendingCheck>& pending) {
  switch (shape) {
    case Shape::kAttributeValue:
      if (value.is_array()) throw serialization_error(kValueArray);
      if (!value.is_object()) throw serialization_error(kUnexpectedValue);
      check_attribute_value_fields(value, pending);
      return;
    case Shape::kString:
      if (value.is_array()) throw serialization_error(kStringArray);
      if (value.is_object()) throw serialization_error(kObjectFound);
      if (!value.is_string()) {
        throw serialization_error(concat(scalar_token(value), " cannot be converted to String"));
      }
      return;
    case Shape::kBlob:
      if (value.is_array()) throw serialization_error(kBlobArray);
      if (value.is_object()) throw serialization_error(kObjectFound);
      if (!value.is_string()) throw serialization_error(kNotBase64);
      validate_base64(value.get_ref<const std::string&>());
      return;
    case Shape::kBoolean:
      if (value.is_array()) throw serialization_error(kBooleanArray);
      if (value.is_object()) throw serialization_error(kObjectFound);
      if (value.is_number()) {
        throw serialization_error(concat(number_token(value), " cannot be converted to Boolean"));
      }
      if (value.is_string() &&
          !boolean_from_string(value.get_ref<const std::string&>()).has_value()) {
        throw serialization_error(kUnexpectedToken);
      }
      return;
    case Shape::kStringList:
    case Shape::kBlobList:
    case Shape::kValueList:
      if (value.is_object()) throw serialization_error(kObjectFound);
      if (!value.is_array()) throw serialization_error(kUnexpectedField);
      push_children(value, element_shape(shape), pending);
      return;
    case Shape::kValueMap:
      if (value.is_array()) throw serialization_error(kValueMapArray);
      if (!value.is_object()) throw serialization_error(kUnexpectedField);
      push_children(value, Shape::kAttributeValue, pending);
      return;
  }
}

// Depth first, in order, so the first mistyped value is the one reported. Iterative, so that
// absurdly deep JSON cannot exhaust the stack before validation rejects it.
void check_json_types(const json& root, Shape root_shape) {
  if (root.is_null()) return;  // absent; validation reports what that means
  std::vector<PendingCheck> pending{{&root, root_shape}};
  while (!pending.empty()) {
    PendingCheck check = pending.back();
    pending.pop_back();
    check_json_type(*check.value, check.shape, pending);
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 2: AttributeValue rules. Types are known to be right here.

// Elements are non-null strings (checked by the caller).
std::string collection_text(const json& array) {
  std::string text = "[";
  bool first = true;
  for (const json& element : array) {
    if (!first) text.append(", ");
    first = false;
    text.append(element.get_ref<const std::string&>());
  }
  text.push_back(']');
  return text;
}

bool has_duplicate(const std::vector<std::string>& elements) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(elements.size());
  for (const std::string& element : elements) {
    if (!seen.insert(element).second) return true;
  }
  return false;
}

std::vector<std::string> string_elements(const json& array, const char* null_member_detail) {
  std::vector<std::string> elements;
  elements.reserve(array.size());
  for (const json& element : array) {
    if (element.is_null()) throw invalid_parameter(null_member_detail);
    elements.push_back(element.get<std::string>());
  }
  return elements;
}

AttributeValue build_value(const json& value, int level);

AttributeValue build_string_set(const json& array) {
  if (array.empty()) throw invalid_parameter(kEmptyStringSet);
  std::vector<std::string> elements = string_elements(array, kNullStringSetMember);
  if (has_duplicate(elements)) {
    throw invalid_parameter(
        concat("Input collection ", collection_text(array), " contains duplicates."));
  }
  return AttributeValue::string_set(std::move(elements));
}

AttributeValue build_number_set(const json& array) {
  if (array.empty()) throw invalid_parameter(kEmptyNumberSet);
  std::vector<std::string> elements;
  elements.reserve(array.size());
  for (const json& element : array) {
    if (element.is_null()) throw validation_error(kNotNumeric);
    elements.push_back(Number::parse(element.get_ref<const std::string&>()).to_string());
  }
  // Compared canonically: "1" and "1.0" are the same member.
  if (has_duplicate(elements)) throw validation_error(kNumberSetDuplicates);
  return AttributeValue::number_set(std::move(elements));
}

AttributeValue build_binary_set(const json& array) {
  if (array.empty()) throw invalid_parameter(kEmptyBinarySet);
  std::vector<std::string> encoded = string_elements(array, kNullBinarySetMember);
  // Base64 is validated canonical, so equal text means equal bytes.
  if (has_duplicate(encoded)) {
    throw invalid_parameter(
        concat("Input collection ", collection_text(array), "of type BS contains duplicates."));
  }
  std::vector<std::string> elements;
  elements.reserve(encoded.size());
  for (const std::string& text : encoded) elements.push_back(base64_decode(text));
  return AttributeValue::binary_set(std::move(elements));
}

void check_container_level(int level) {
  if (level > kMaxContainerLevel) throw validation_error(kNestingTooDeep);
}

AttributeValue build_list(const json& array, int level) {
  check_container_level(level);
  std::vector<AttributeValue> elements;
  elements.reserve(array.size());
  for (const json& element : array) elements.push_back(build_value(element, level + 1));
  return AttributeValue::list(std::move(elements));
}

AttributeValue build_map(const json& object, int level) {
  check_container_level(level);
  AttributeMap members;
  for (auto it = object.begin(); it != object.end(); ++it) {
    members.emplace_hint(members.end(), it.key(), build_value(it.value(), level + 1));
  }
  return AttributeValue::map(std::move(members));
}

AttributeValue build_field(const std::string& type, const json& field, int level) {
  if (type == "S") return AttributeValue::string(field.get<std::string>());
  if (type == "N") {
    return AttributeValue::number(Number::parse(field.get_ref<const std::string&>()).to_string());
  }
  if (type == "B")
    return AttributeValue::binary(base64_decode(field.get_ref<const std::string&>()));
  if (type == "BOOL") return AttributeValue::boolean(boolean_field(field));
  if (type == "NULL") {
    if (!boolean_field(field)) throw invalid_parameter(kNullNotTrue);
    return AttributeValue::null();
  }
  if (type == "SS") return build_string_set(field);
  if (type == "NS") return build_number_set(field);
  if (type == "BS") return build_binary_set(field);
  if (type == "L") return build_list(field, level);
  return build_map(field, level);  // "M"
}

bool is_type_key(const std::string& key) {
  return key == "S" || key == "N" || key == "B" || key == "BOOL" || key == "NULL" || key == "SS" ||
         key == "NS" || key == "BS" || key == "L" || key == "M";
}

// Like DynamoDB, each field present is validated in turn, and only then is having several
// fields an error: {"S": "a", "N": "x"} reports the bad number.
AttributeValue build_value(const json& value, int level) {
  if (!value.is_object()) throw validation_error(kEmptyValue);  // a null member
  std::optional<AttributeValue> result;
  int field_count = 0;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (it.value().is_null() || !is_type_key(it.key())) continue;  // ignored, as by DynamoDB
    ++field_count;
    result = build_field(it.key(), it.value(), level);
  }
  if (field_count == 0) throw validation_error(kEmptyValue);
  if (field_count > 1) throw validation_error(kSeveralTypes);
  return std::move(*result);
}

}  // namespace

AttributeValue attribute_from_json(const json& value) {
  check_json_types(value, Shape::kAttributeValue);
  return build_value(value, 1);
}

AttributeMap attribute_map_from_json(const json& value) {
  if (value.is_null()) return {};
  check_json_types(value, Shape::kValueMap);
  AttributeMap attributes;
  for (auto it = value.begin(); it != value.end(); ++it) {
    attributes.emplace_hint(attributes.end(), it.key(), build_value(it.value(), 1));
  }
  return attributes;
}

json to_json(const AttributeValue& value) {
  json result = json::object();
  const std::string key(type_name(value.type()));
  switch (value.type()) {
    case AttributeType::S:
    case AttributeType::N:
      result[key] = value.scalar();
      break;
    case AttributeType::B:
      result[key] = base64_encode(value.scalar());
      break;
    case AttributeType::SS:
    case AttributeType::NS:
      result[key] = value.set_elements();
      break;
    case AttributeType::BS: {
      json elements = json::array();
      for (const std::string& element : value.set_elements()) {
        elements.push_back(base64_encode(element));
      }
      result[key] = std::move(elements);
      break;
    }
    case AttributeType::M:
      result[key] = to_json(value.map_members());
      break;
    case AttributeType::L: {
      json elements = json::array();
      for (const AttributeValue& element : value.list_elements()) {
        elements.push_back(to_json(element));
      }
      result[key] = std::move(elements);
      break;
    }
    case AttributeType::Null:
      result[key] = true;
      break;
    case AttributeType::Bool:
      result[key] = value.boolean_value();
      break;
  }
  return result;
}

json to_json(const AttributeMap& attributes) {
  json result = json::object();
  for (const auto& [name, value] : attributes) result[name] = to_json(value);
  return result;
}

std::string base64_encode(std::string_view bytes) {
  std::string text(base64::encoded_size(bytes.size()), '\0');
  text.resize(base64::encode(text.data(), bytes.data(), bytes.size()));
  return text;
}

std::string base64_decode(std::string_view text) {
  std::size_t data_length = validate_base64(text);
  std::string bytes(base64::decoded_size(text.size()), '\0');
  bytes.resize(base64::decode(bytes.data(), text.data(), data_length).first);
  return bytes;
}

}  // namespace eddy::model
