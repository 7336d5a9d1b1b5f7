#pragma once
// Reads request members the way DynamoDB's own deserializer does, with its messages: a member of
// the wrong JSON type is a SerializationException; constraint violations (null, length, pattern,
// enum, range) are collected and reported together as "N validation errors detected: ...".
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eddy::operations {

using nlohmann::json;

// Type checks of one JSON value, each throwing SerializationException with Coral's message.
const std::string& as_string(const json& value);
int64_t as_integer(const json& value, const char* java_type = "Integer");
bool as_boolean(const json& value);
const json& as_list(const json& value);
const json& as_map(const json& value);
const json& as_structure(const json& value);

// The member if present and not null.
const json* member(const json& object, std::string_view name);
std::optional<std::string> string_member(const json& object, std::string_view name);
std::optional<int64_t> integer_member(const json& object, std::string_view name,
                                      const char* java_type = "Integer");
std::optional<bool> boolean_member(const json& object, std::string_view name);
const json* list_member(const json& object, std::string_view name);
const json* map_member(const json& object, std::string_view name);
const json* structure_member(const json& object, std::string_view name);

class Violations {
 public:
  // "Value <shown> at '<path>' failed to satisfy constraint: <constraint>"; shown is the value
  // as DynamoDB prints it ("null" unquoted, anything else quoted).
  void add(std::optional<std::string> shown, std::string_view path, std::string_view constraint);

  void not_null(const void* present, std::string_view path);
  void enumeration(const std::optional<std::string>& value, std::string_view path,
                   const std::vector<std::string_view>& allowed);
  // tableName rules: pattern [a-zA-Z0-9_.-]+, length 3..255.
  void table_name(const std::optional<std::string>& value, std::string_view path, bool required);
  void integer_range(const std::optional<int64_t>& value, std::string_view path, int64_t min,
                     int64_t max);
  void length_range(const std::optional<std::string>& value, std::string_view path, size_t min,
                    size_t max);

  bool empty() const { return messages_.empty(); }
  // Throws ValidationException listing every violation, if there is any.
  void throw_if_any() const;

 private:
  std::vector<std::string> messages_;
};

// TableName as the table-level operations (CreateTable, DescribeTable, UpdateTable,
// DeleteTable) check it: missing or of the wrong length is reported at once, before any other
// constraint; a bad pattern joins the other violations.
std::string table_level_table_name(const json& request, Violations& violations);

// A required member the request lacks, as DynamoDB words it for some operations.
[[noreturn]] void throw_missing_parameter(std::string_view lower_first_name);

}  // namespace eddy::operations
