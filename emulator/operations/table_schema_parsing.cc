#include "operations/table_schema_parsing.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include "model/api_error.h"

namespace eddy::operations {
namespace {

using model::validation_error;

constexpr size_t kMaxLocalIndexes = 5;
constexpr size_t kMaxNonKeyAttributes = 20;  // per index

std::string invalid(const std::string& detail) {
  return "One or more parameter values were invalid: " + detail;
}

}  // namespace

std::vector<RawKeyElement> read_key_schema(const json* list, const std::string& path,
                                           Violations& violations, bool required) {
  std::vector<RawKeyElement> elements;
  if (!list) {
    if (required) violations.not_null(nullptr, path);
    return elements;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const json& element = as_structure((*list)[i]);
    std::string member_path = path + "." + std::to_string(i + 1) + ".member.";
    RawKeyElement raw{string_member(element, "AttributeName"), string_member(element, "KeyType")};
    violations.not_null(raw.name ? &raw : nullptr, member_path + "attributeName");
    violations.length_range(raw.name, member_path + "attributeName", 1, 255);
    violations.not_null(raw.type ? &raw : nullptr, member_path + "keyType");
    violations.enumeration(raw.type, member_path + "keyType", {"HASH", "RANGE"});
    elements.push_back(std::move(raw));
  }
  if (list->empty()) {
    violations.add("[]", path, "Member must have length greater than or equal to 1");
  } else if (list->size() > 2) {
    violations.add(std::nullopt, path, "Member must have length less than or equal to 2");
  }
  return elements;
}

namespace {

std::optional<model::Projection> read_projection(const json& index, const std::string& path,
                                                 Violations& violations) {
  const json* projection = structure_member(index, "Projection");
  violations.not_null(projection, path + ".projection");
  if (!projection) return std::nullopt;
  model::Projection result;
  std::optional<std::string> type = string_member(*projection, "ProjectionType");
  violations.enumeration(type, path + ".projection.projectionType",
                         {"ALL", "KEYS_ONLY", "INCLUDE"});
  if (const json* attributes = list_member(*projection, "NonKeyAttributes")) {
    for (const json& attribute : *attributes) {
      result.non_key_attributes.push_back(as_string(attribute));
    }
    if (attributes->empty()) {
      violations.add("[]", path + ".projection.nonKeyAttributes",
                     "Member must have length greater than or equal to 1");
    } else if (attributes->size() > kMaxNonKeyAttributes) {
      violations.add(
          join_names(result.non_key_attributes), path + ".projection.nonKeyAttributes",
          "Member must have length less than or equal to " + std::to_string(kMaxNonKeyAttributes));
    }
  }
  if (type == "KEYS_ONLY") {
    result.type = model::ProjectionType::KeysOnly;
  } else if (type == "INCLUDE") {
    result.type = model::ProjectionType::Include;
  } else {
    result.type = model::ProjectionType::All;
  }
  return result;
}

}  // namespace

RawIndex read_index(const json& index, const std::string& path, Violations& violations) {
  RawIndex raw;
  raw.path = path;
  raw.name = string_member(index, "IndexName");
  violations.table_name(raw.name, raw.path + ".indexName", true);
  raw.key_schema =
      read_key_schema(list_member(index, "KeySchema"), raw.path + ".keySchema", violations, true);
  raw.projection = read_projection(index, raw.path, violations);
  if (const json* projection = structure_member(index, "Projection")) {
    raw.projection_type = string_member(*projection, "ProjectionType");
  }
  raw.throughput = structure_member(index, "ProvisionedThroughput");
  if (raw.throughput)
    parse_throughput(*raw.throughput, raw.path + ".provisionedThroughput", violations);
  return raw;
}

namespace {

std::vector<RawIndex> read_indexes(const json* list, const std::string& path,
                                   Violations& violations) {
  std::vector<RawIndex> indexes;
  if (!list) return indexes;
  for (size_t i = 0; i < list->size(); ++i) {
    indexes.push_back(read_index(as_structure((*list)[i]),
                                 path + "." + std::to_string(i + 1) + ".member", violations));
  }
  return indexes;
}

}  // namespace

model::KeySchema check_key_schema(const std::vector<RawKeyElement>& raw,
                                  const std::map<std::string, model::AttributeType>& defined) {
  if (raw.size() == 2 && *raw[0].name == *raw[1].name) {
    throw validation_error(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (*raw[0].type != "HASH") {
    throw validation_error("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (raw.size() == 2 && *raw[1].type != "RANGE") {
    throw validation_error(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  model::KeySchema schema;
  auto element = [&](const RawKeyElement& raw_element) {
    auto found = defined.find(*raw_element.name);
    return model::KeyElement{*raw_element.name,
                             found == defined.end() ? model::AttributeType::S : found->second};
  };
  schema.hash = element(raw[0]);
  if (raw.size() == 2) schema.range = element(raw[1]);
  return schema;
}

void check_projection(const RawIndex& raw, const model::Projection& projection) {
  if (!raw.projection_type) {
    throw validation_error(invalid("Unknown ProjectionType: null"));
  }
  if (projection.type != model::ProjectionType::Include && !projection.non_key_attributes.empty()) {
    throw validation_error(invalid("ProjectionType is " + *raw.projection_type +
                                   ", but NonKeyAttributes is specified"));
  }
  if (projection.type == model::ProjectionType::Include && projection.non_key_attributes.empty()) {
    throw validation_error(
        invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified"));
  }
  std::set<std::string> seen;
  for (const auto& attribute : projection.non_key_attributes) {
    if (!seen.insert(attribute).second) {
      throw validation_error(invalid("Duplicate element in NonKeyAttributes: " + attribute));
    }
  }
}

void check_throughput_bounds(const model::Throughput& throughput) {
  constexpr int64_t kMaxUnits = 1000000000000;
  if (throughput.read_capacity_units > kMaxUnits) {
    throw validation_error("Given value " + std::to_string(throughput.read_capacity_units) +
                           " for ReadCapacityUnits is out of bounds");
  }
  if (throughput.write_capacity_units > kMaxUnits) {
    throw validation_error("Given value " + std::to_string(throughput.write_capacity_units) +
                           " for WriteCapacityUnits is out of bounds");
  }
}

std::vector<RawAttributeDefinition> read_attribute_definitions(const json& list,
                                                               Violations& violations) {
  std::vector<RawAttributeDefinition> attributes;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& attribute = as_structure(list[i]);
    std::string path = "attributeDefinitions." + std::to_string(i + 1) + ".member.";
    RawAttributeDefinition raw{string_member(attribute, "AttributeName"),
                               string_member(attribute, "AttributeType")};
    violations.not_null(raw.name ? &raw : nullptr, path + "attributeName");
    violations.length_range(raw.name, path + "attributeName", 1, 255);
    violations.not_null(raw.type ? &raw : nullptr, path + "attributeType");
    violations.enumeration(raw.type, path + "attributeType", {"B", "N", "S"});
    attributes.push_back(std::move(raw));
  }
  return attributes;
}

model::AttributeType key_type_named(const std::string& name) {
  return name == "N"   ? model::AttributeType::N
         : name == "B" ? model::AttributeType::B
                       : model::AttributeType::S;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string joined = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) joined += ", ";
    joined += names[i];
  }
  return joined + "]";
}

model::Throughput parse_throughput(const json& throughput, const std::string& path,
                                   Violations& violations) {
  model::Throughput result;
  std::optional<int64_t> read = integer_member(throughput, "ReadCapacityUnits", "Long");
  std::optional<int64_t> write = integer_member(throughput, "WriteCapacityUnits", "Long");
  violations.not_null(write ? &write : nullptr, path + ".writeCapacityUnits");
  violations.integer_range(write, path + ".writeCapacityUnits", 1, INT64_MAX);
  violations.not_null(read ? &read : nullptr, path + ".readCapacityUnits");
  violations.integer_range(read, path + ".readCapacityUnits", 1, INT64_MAX);
  result.read_capacity_units = read.value_or(0);
  result.write_capacity_units = write.value_or(0);
  return result;
}

model::StreamSpecification parse_stream_specification(const json& specification) {
  model::StreamSpecification result;
  std::optional<bool> enabled = boolean_member(specification, "StreamEnabled");
  std::optional<std::string> view_type = string_member(specification, "StreamViewType");
  Violations violations;
  violations.not_null(enabled ? &enabled : nullptr, "streamSpecification.streamEnabled");
  violations.enumeration(view_type, "streamSpecification.streamViewType",
                         {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"});
  violations.throw_if_any();
  result.enabled = *enabled;
  if (result.enabled && !view_type) {
    throw validation_error(
        invalid("You must specify a StreamViewType when enabling a DynamoDB Stream"));
  }
  if (!result.enabled && view_type) {
    throw validation_error(
        invalid("You cannot specify a StreamViewType when disabling a DynamoDB Stream"));
  }
  result.view_type = view_type.value_or("");
  return result;
}

std::string stream_label_for(double epoch_seconds) {
  std::time_t whole = static_cast<std::time_t>(epoch_seconds);
  int millis = static_cast<int>(std::lround((epoch_seconds - static_cast<double>(whole)) * 1000));
  if (millis >= 1000) millis = 999;
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char label[64];
  std::snprintf(label, sizeof label, "%s.%03d", buffer, millis % 1000);
  return label;
}

model::TableDefinition parse_create_table(const json& request) {
  Violations violations;
  // Members are read (and type-checked) first, as DynamoDB deserializes before validating.
  std::optional<std::string> table_name = table_level_table_name(request, violations);
  const json* attribute_list = list_member(request, "AttributeDefinitions");
  const json* key_list = list_member(request, "KeySchema");
  std::optional<std::string> billing_mode = string_member(request, "BillingMode");
  const json* throughput = structure_member(request, "ProvisionedThroughput");
  const json* global_list = list_member(request, "GlobalSecondaryIndexes");
  const json* local_list = list_member(request, "LocalSecondaryIndexes");
  const json* stream = structure_member(request, "StreamSpecification");
  const json* tags = list_member(request, "Tags");
  std::optional<bool> deletion_protection = boolean_member(request, "DeletionProtectionEnabled");
  std::optional<std::string> table_class = string_member(request, "TableClass");

  std::vector<RawAttributeDefinition> attributes;
  if (attribute_list) {
    attributes = read_attribute_definitions(*attribute_list, violations);
  } else {
    violations.not_null(nullptr, "attributeDefinitions");
  }
  std::vector<RawKeyElement> raw_key = read_key_schema(key_list, "keySchema", violations, true);
  std::vector<RawIndex> raw_locals = read_indexes(local_list, "localSecondaryIndexes", violations);
  std::vector<RawIndex> raw_globals =
      read_indexes(global_list, "globalSecondaryIndexes", violations);
  violations.enumeration(billing_mode, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"});
  model::Throughput table_throughput;
  if (throughput)
    table_throughput = parse_throughput(*throughput, "provisionedThroughput", violations);
  violations.enumeration(table_class, "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"});
  violations.throw_if_any();

  model::TableDefinition table;
  table.name = *table_name;
  table.pay_per_request = billing_mode == "PAY_PER_REQUEST";
  table.deletion_protection = deletion_protection.value_or(false);
  table.table_class = table_class.value_or("STANDARD");

  if (table.pay_per_request && throughput) {
    throw validation_error(invalid(
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST"));
  }
  if (!table.pay_per_request) {
    if (!throughput) {
      throw validation_error(
          invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                  "BillingMode is PROVISIONED"));
    }
    check_throughput_bounds(table_throughput);
    table.throughput = table_throughput;
  }

  std::map<std::string, model::AttributeType> defined;
  std::vector<std::string> defined_names;
  for (const auto& [name, type] : attributes) {
    model::AttributeType parsed = key_type_named(*type);
    defined.emplace(*name, parsed);
    defined_names.push_back(*name);
    table.attribute_definitions.push_back({*name, parsed});
  }
  auto key_names = [](const std::vector<RawKeyElement>& elements) {
    std::vector<std::string> names;
    for (const auto& element : elements) names.push_back(*element.name);
    return names;
  };
  auto check_defined = [&](const std::vector<RawKeyElement>& elements) {
    for (const auto& element : elements) {
      if (!defined.count(*element.name)) {
        throw validation_error(
            invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: " +
                    join_names(key_names(elements)) +
                    ", AttributeDefinitions: " + join_names(defined_names)));
      }
    }
  };

  if (raw_key.size() > attributes.size()) {
    throw validation_error("Invalid KeySchema: Some index key attribute have no definition");
  }
  check_defined(raw_key);
  table.key_schema = check_key_schema(raw_key, defined);
  if (!local_list && !global_list && raw_key.size() != attributes.size()) {
    throw validation_error(invalid(
        "Number of attributes in KeySchema does not exactly match number of attributes defined "
        "in AttributeDefinitions"));
  }

  std::set<std::string> index_names;
  if (local_list) {
    if (raw_locals.empty())
      throw validation_error(invalid("List of LocalSecondaryIndexes is empty"));
    if (!table.key_schema.range) {
      throw validation_error(
          invalid("Table KeySchema does not have a range key, which is required when specifying a "
                  "LocalSecondaryIndex"));
    }
  }
  for (const auto& raw : raw_locals) {
    check_defined(raw.key_schema);
    model::SecondaryIndex index;
    index.name = *raw.name;
    index.key_schema = check_key_schema(raw.key_schema, defined);
    if (!index.key_schema.range) {
      throw validation_error(
          invalid("Index KeySchema does not have a range key for index: " + index.name));
    }
    if (index.key_schema.hash.name != table.key_schema.hash.name) {
      throw validation_error(
          invalid("Index KeySchema does not have the same leading hash key as table KeySchema for "
                  "index: " +
                  index.name + ". index hash key: " + index.key_schema.hash.name +
                  ", table hash key: " + table.key_schema.hash.name));
    }
    index.projection = *raw.projection;
    check_projection(raw, index.projection);
    if (!index_names.insert(index.name).second) {
      throw validation_error(invalid("Duplicate index name: " + index.name));
    }
    table.local_indexes.push_back(std::move(index));
  }
  if (raw_locals.size() > kMaxLocalIndexes) {
    throw validation_error(invalid("Number of LocalSecondaryIndexes exceeds per-table limit of " +
                                   std::to_string(kMaxLocalIndexes)));
  }
  if (global_list && raw_globals.empty()) {
    throw validation_error(invalid("List of GlobalSecondaryIndexes is empty"));
  }
  for (const auto& raw : raw_globals) {
    check_defined(raw.key_schema);
    model::SecondaryIndex index;
    index.name = *raw.name;
    index.key_schema = check_key_schema(raw.key_schema, defined);
    index.projection = *raw.projection;
    check_projection(raw, index.projection);
    if (table.pay_per_request && raw.throughput) {
      throw validation_error(invalid("ProvisionedThroughput should not be specified for index: " +
                                     index.name + " when BillingMode is PAY_PER_REQUEST"));
    }
    if (!index_names.insert(index.name).second) {
      throw validation_error(invalid("Duplicate index name: " + index.name));
    }
    table.global_indexes.push_back(std::move(index));
  }
  if (raw_globals.size() > kMaxGlobalIndexes) {
    throw validation_error(invalid("GlobalSecondaryIndex count exceeds the per-table limit of " +
                                   std::to_string(kMaxGlobalIndexes)));
  }
  for (size_t i = 0; i < raw_globals.size(); ++i) {
    if (table.pay_per_request) continue;
    if (!raw_globals[i].throughput) {
      throw validation_error(invalid("ProvisionedThroughput is not specified for index: " +
                                     table.global_indexes[i].name));
    }
    Violations ignored;
    model::Throughput index_throughput =
        parse_throughput(*raw_globals[i].throughput, raw_globals[i].path, ignored);
    check_throughput_bounds(index_throughput);
    table.global_indexes[i].throughput = index_throughput;
  }

  // With indexes, every definition must still be used by some key.
  std::set<std::string> used;
  for (const auto& element : raw_key) used.insert(*element.name);
  for (const auto* group : {&raw_locals, &raw_globals}) {
    for (const auto& index : *group) {
      for (const auto& element : index.key_schema) used.insert(*element.name);
    }
  }
  if (used.size() != defined.size() || attributes.size() != defined.size()) {
    throw validation_error(invalid(
        "Number of attributes in KeySchema does not exactly match number of attributes defined "
        "in AttributeDefinitions"));
  }
  size_t projected = 0;
  for (const auto* group : {&table.local_indexes, &table.global_indexes}) {
    for (const auto& index : *group) projected += index.projection.non_key_attributes.size();
  }
  if (projected > kMaxProjectedAttributes) {
    throw validation_error(
        invalid("The number of projected attributes in all indexes exceeds the limit of 100"));
  }

  if (stream) table.stream = parse_stream_specification(*stream);
  if (tags) {
    for (const json& tag : *tags) {
      const json& entry = as_structure(tag);
      auto key = string_member(entry, "Key");
      auto value = string_member(entry, "Value");
      if (!key || !value) throw validation_error(invalid("Tag key and value must be specified"));
      table.tags.push_back({*key, *value});
    }
  }
  return table;
}

}  // namespace eddy::operations
