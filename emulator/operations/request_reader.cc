#include "operations/request_reader.h"

#include <algorithm>

#include "model/api_error.h"

namespace eddy::operations {
namespace {

[[noreturn]] void type_error(std::string message) {
  throw model::serialization_error(std::move(message));
}

[[noreturn]] void structured_where_scalar_expected(const json& value) {
  if (value.is_array()) type_error("Start of list found where not expected");
  type_error("Start of structure or map found where not expected.");
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  return text;
}

}  // namespace

const std::string& as_string(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>();
  if (value.is_boolean()) type_error("class java.lang.Boolean can not be converted to an String");
  if (value.is_number()) {
    type_error(
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an "
        "String");
  }
  structured_where_scalar_expected(value);
}

int64_t as_integer(const json& value, const char* java_type) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) return static_cast<int64_t>(value.get<double>());
  if (value.is_boolean()) {
    type_error(std::string("class java.lang.Boolean can not be converted to an ") + java_type);
  }
  if (value.is_string()) {
    type_error(std::string("class java.lang.String can not be converted to an ") + java_type);
  }
  structured_where_scalar_expected(value);
}

bool as_boolean(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) {
    type_error(
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an "
        "Boolean");
  }
  if (value.is_string()) {
    std::string text = upper(value.get<std::string>());
    if (text == "TRUE" || text == "1" || text == "YES") return true;
    if (text == "FALSE" || text == "0" || text == "NO") return false;
    type_error("'" + text + "' can not be converted to an Boolean");
  }
  structured_where_scalar_expected(value);
}

const json& as_list(const json& value) {
  if (value.is_array()) return value;
  if (value.is_object()) type_error("Start of structure or map found where not expected.");
  type_error("Expected list or null");
}

const json& as_map(const json& value) {
  if (value.is_object()) return value;
  if (value.is_array()) type_error("Start of list found where not expected");
  type_error("Expected map or null");
}

const json& as_structure(const json& value) {
  if (value.is_object()) return value;
  if (value.is_array()) type_error("Start of list found where not expected");
  type_error("Expected null");
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

void throw_missing_parameter(std::string_view lower_first_name) {
  throw model::validation_error("The parameter '" + std::string(lower_first_name) +
                                "' is required but was not present in the request");
}

}  // namespace eddy::operations
