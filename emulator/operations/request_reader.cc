#include "operations/request_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "model/api_error.h"

namespace eddy::operations {
namespace {

[[noreturn]] void type_error(std::string message) {
  throw model::serialization_error(std::move(message));
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// Coral names JSON tokens this way in its "cannot be converted" messages.
std::string token_name(const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE";
  if (value.is_number_float()) return "DECIMAL_VALUE";
  if (value.is_number()) return "NUMBER_VALUE";
  return "STRING_VALUE";
}

[[noreturn]] void structured_where_scalar_expected(const json& value, const char* java_type) {
  if (value.is_array()) {
    type_error(std::string("Unrecognized collection type class java.lang.") + java_type);
  }
  type_error("Start of structure or map found where not expected");
}

}  // namespace

const std::string& as_string(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>();
  if (value.is_array() || value.is_object()) structured_where_scalar_expected(value, "String");
  type_error(token_name(value) + " cannot be converted to String");
}

int64_t as_integer(const json& value, const char* java_type) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) {
    double number = value.get<double>();
    if (number >= 9.2e18) return INT64_MAX;
    if (number <= -9.2e18) return INT64_MIN;
    return static_cast<int64_t>(std::floor(number));
  }
  if (value.is_array() || value.is_object()) structured_where_scalar_expected(value, java_type);
  type_error(token_name(value) + " cannot be converted to " + java_type);
}

bool as_boolean(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    std::string text = upper(value.get<std::string>());
    if (text == "TRUE" || text == "1" || text == "YES") return true;
    if (text == "FALSE" || text == "0" || text == "NO") return false;
    type_error("Unexpected token received from parser");
  }
  if (value.is_array() || value.is_object()) structured_where_scalar_expected(value, "Boolean");
  type_error(token_name(value) + " cannot be converted to Boolean");
}

const json& as_list(const json& value) {
  if (value.is_array()) return value;
  if (value.is_object()) type_error("Start of structure or map found where not expected");
  type_error("Unexpected field type");
}

const json& as_map(const json& value) {
  if (value.is_object()) return value;
  if (value.is_array()) {
    type_error(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  }
  type_error("Unexpected field type");
}

const json& as_structure(const json& value) {
  if (value.is_object()) return value;
  if (value.is_array()) type_error("Unrecognized collection type class java.lang.Object");
  type_error("Unexpected value type in payload");
}

const json* member(const json& object, std::string_view name) {
  auto found = object.find(name);
  if (found == object.end() || found->is_null()) return nullptr;
  return &*found;
}

std::optional<std::string> string_member(const json& object, std::string_view name) {
  const json* value = member(object, name);
  if (!value) return std::nullopt;
  return as_string(*value);
}

std::optional<int64_t> integer_member(const json& object, std::string_view name,
                                      const char* java_type) {
  const json* value = member(object, name);
  if (!value) return std::nullopt;
  return as_integer(*value, java_type);
}

std::optional<bool> boolean_member(const json& object, std::string_view name) {
  const json* value = member(object, name);
  if (!value) return std::nullopt;
  return as_boolean(*value);
}

const json* list_member(const json& object, std::string_view name) {
  const json* value = member(object, name);
  return value ? &as_list(*value) : nullptr;
}

const json* map_member(const json& object, std::string_view name) {
  const json* value = member(object, name);
  return value ? &as_map(*value) : nullptr;
}

const json* structure_member(const json& object, std::string_view name) {
  const json* value = member(object, name);
  return value ? &as_structure(*value) : nullptr;
}

void Violations::add(std::optional<std::string> shown, std::string_view path,
                     std::string_view constraint) {
  std::string message = "Value ";
  message += shown ? "'" + *shown + "'" : "null";
  message += " at '";
  message += path;
  message += "' failed to satisfy constraint: ";
  message += constraint;
  messages_.push_back(std::move(message));
}

void Violations::not_null(const void* present, std::string_view path) {
  if (!present) add(std::nullopt, path, "Member must not be null");
}

void Violations::enumeration(const std::optional<std::string>& value, std::string_view path,
                             const std::vector<std::string_view>& allowed) {
  if (!value) return;
  if (std::find(allowed.begin(), allowed.end(), *value) != allowed.end()) return;
  std::string constraint = "Member must satisfy enum value set: [";
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i) constraint += ", ";
    constraint += allowed[i];
  }
  constraint += "]";
  add(*value, path, constraint);
}

void Violations::table_name(const std::optional<std::string>& value, std::string_view path,
                            bool required) {
  if (!value) {
    if (required) add(std::nullopt, path, "Member must not be null");
    return;
  }
  bool pattern_ok = !value->empty() && std::all_of(value->begin(), value->end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
  if (!pattern_ok) {
    add(*value, path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  }
  length_range(value, path, 3, 255);
}

void Violations::integer_range(const std::optional<int64_t>& value, std::string_view path,
                               int64_t min, int64_t max) {
  if (!value) return;
  if (*value < min) {
    add(std::to_string(*value), path,
        "Member must have value greater than or equal to " + std::to_string(min));
  }
  if (*value > max) {
    add(std::to_string(*value), path,
        "Member must have value less than or equal to " + std::to_string(max));
  }
}

void Violations::length_range(const std::optional<std::string>& value, std::string_view path,
                              size_t min, size_t max) {
  if (!value) return;
  if (value->size() < min) {
    add(*value, path, "Member must have length greater than or equal to " + std::to_string(min));
  }
  if (value->size() > max) {
    add(*value, path, "Member must have length less than or equal to " + std::to_string(max));
  }
}

void Violations::throw_if_any() const {
  if (messages_.empty()) return;
  std::string message = std::to_string(messages_.size()) + " validation error" +
                        (messages_.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < messages_.size(); ++i) {
    if (i) message += "; ";
    message += messages_[i];
  }
  throw model::validation_error(message);
}

std::string table_level_table_name(const json& request, Violations& violations) {
  std::optional<std::string> name = string_member(request, "TableName");
  if (!name) throw_missing_parameter("TableName");
  if (name->size() < 3 || name->size() > 255) {
    throw model::validation_error(
        "TableName must be at least 3 characters long and at most 255 characters long");
  }
  violations.table_name(name, "tableName", true);
  return *name;
}

void throw_missing_parameter(std::string_view lower_first_name) {
  throw model::validation_error("The parameter '" + std::string(lower_first_name) +
                                "' is required but was not present in the request");
}

}  // namespace eddy::operations
