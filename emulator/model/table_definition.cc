// Stored as JSON text: a definition is read once per table open, so compactness does not matter,
// and text stays inspectable with the sqlite3 shell. Absent fields read as their defaults so that
// definitions written before a field existed still load.
#include "model/table_definition.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace eddy::model {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;

AttributeType attribute_type_from_name(const std::string& name) {
  for (AttributeType type : {AttributeType::S, AttributeType::N, AttributeType::B}) {
    if (type_name(type) == name) return type;
  }
  throw std::runtime_error("corrupt table definition: bad key type " + name);
}

const char* projection_type_name(ProjectionType type) {
  switch (type) {
    case ProjectionType::All:
      return "ALL";
    case ProjectionType::KeysOnly:
      return "KEYS_ONLY";
    case ProjectionType::Include:
      return "INCLUDE";
  }
  return "ALL";
}

ProjectionType projection_type_from_name(const std::string& name) {
  for (ProjectionType type :
       {ProjectionType::All, ProjectionType::KeysOnly, ProjectionType::Include}) {
    if (name == projection_type_name(type)) return type;
  }
  throw std::runtime_error("corrupt table definition: bad projection type " + name);
}

json key_element_to_json(const KeyElement& element) {
  return {{"name", element.name}, {"type", std::string(type_name(element.type))}};
}

KeyElement key_element_from_json(const json& j) {
  return KeyElement{j.at("name").get<std::string>(),
                    attribute_type_from_name(j.at("type").get<std::string>())};
}

json key_schema_to_json(const KeySchema& schema) {
  json j = {{"hash", key_element_to_json(schema.hash)}};
  if (schema.range) j["range"] = key_element_to_json(*schema.range);
  return j;
}

KeySchema key_schema_from_json(const json& j) {
  KeySchema schema;
  schema.hash = key_element_from_json(j.at("hash"));
  if (j.contains("range")) schema.range = key_element_from_json(j.at("range"));
  return schema;
}

json throughput_to_json(const Throughput& t) {
  return {{"read", t.read_capacity_units},
          {"write", t.write_capacity_units},
          {"decreases_today", t.number_of_decreases_today},
          {"last_increase", t.last_increase_time},
          {"last_decrease", t.last_decrease_time}};
}

Throughput throughput_from_json(const json& j) {
  Throughput t;
  t.read_capacity_units = j.value("read", t.read_capacity_units);
  t.write_capacity_units = j.value("write", t.write_capacity_units);
  t.number_of_decreases_today = j.value("decreases_today", t.number_of_decreases_today);
  t.last_increase_time = j.value("last_increase", t.last_increase_time);
  t.last_decrease_time = j.value("last_decrease", t.last_decrease_time);
  return t;
}

json index_to_json(const SecondaryIndex& index) {
  json j = {{"id", index.id},
            {"name", index.name},
            {"key_schema", key_schema_to_json(index.key_schema)},
            {"projection", projection_type_name(index.projection.type)},
            {"non_key_attributes", index.projection.non_key_attributes},
            {"status", index.status},
            {"backfilling", index.backfilling}};
  if (index.throughput) j["throughput"] = throughput_to_json(*index.throughput);
  return j;
}

SecondaryIndex index_from_json(const json& j) {
  SecondaryIndex index;
  index.id = j.value("id", int64_t{0});
  index.name = j.at("name").get<std::string>();
  index.key_schema = key_schema_from_json(j.at("key_schema"));
  index.projection.type = projection_type_from_name(j.value("projection", std::string("ALL")));
  index.projection.non_key_attributes = j.value("non_key_attributes", std::vector<std::string>{});
  if (j.contains("throughput")) index.throughput = throughput_from_json(j.at("throughput"));
  index.status = j.value("status", index.status);
  index.backfilling = j.value("backfilling", index.backfilling);
  return index;
}

json indexes_to_json(const std::vector<SecondaryIndex>& indexes) {
  json array = json::array();
  for (const SecondaryIndex& index : indexes) array.push_back(index_to_json(index));
  return array;
}

std::vector<SecondaryIndex> indexes_from_json(const json& j, const char* key) {
  std::vector<SecondaryIndex> indexes;
  if (!j.contains(key)) return indexes;
  for (const json& index : j.at(key)) indexes.push_back(index_from_json(index));
  return indexes;
}

}  // namespace

std::string TableDefinition::arn() const {
  return "arn:aws:dynamodb:" + region + ":000000000000:table/" + name;
}

void assign_missing_index_ids(TableDefinition& table) {
  int64_t next = 1;
  for (const auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (const auto& index : *group) next = std::max(next, index.id + 1);
  }
  for (auto* group : {&table.global_indexes, &table.local_indexes}) {
    for (auto& index : *group) {
      if (index.id == 0) index.id = next++;
    }
  }
}

std::string serialize_table_definition(const TableDefinition& table) {
  json attribute_definitions = json::array();
  for (const KeyElement& element : table.attribute_definitions) {
    attribute_definitions.push_back(key_element_to_json(element));
  }
  json tags = json::array();
  for (const Tag& tag : table.tags) tags.push_back({{"key", tag.key}, {"value", tag.value}});

  json j = {{"version", kFormatVersion},
            {"name", table.name},
            {"table_id", table.table_id},
            {"region", table.region},
            {"creation_time", table.creation_time},
            {"key_schema", key_schema_to_json(table.key_schema)},
            {"attribute_definitions", std::move(attribute_definitions)},
            {"pay_per_request", table.pay_per_request},
            {"billing_mode_changed_time", table.billing_mode_changed_time},
            {"throughput", throughput_to_json(table.throughput)},
            {"global_indexes", indexes_to_json(table.global_indexes)},
            {"local_indexes", indexes_to_json(table.local_indexes)},
            {"stream_enabled", table.stream.enabled},
            {"stream_view_type", table.stream.view_type},
            {"stream_label", table.stream_label},
            {"tags", std::move(tags)},
            {"ttl_enabled", table.time_to_live.enabled},
            {"ttl_attribute", table.time_to_live.attribute_name},
            {"ttl_changed_at", table.time_to_live.changed_at},
            {"deletion_protection", table.deletion_protection},
            {"table_class", table.table_class},
            {"transient_until", table.transient_until},
            {"transient_status", table.transient_status}};
  return j.dump();
}

TableDefinition deserialize_table_definition(std::string_view bytes) {
  try {
    json j = json::parse(bytes);
    if (j.value("version", 0) != kFormatVersion) {
      throw std::runtime_error("corrupt table definition: unknown format version");
    }
    TableDefinition table;
    table.name = j.at("name").get<std::string>();
    table.table_id = j.value("table_id", std::string());
    table.region = j.value("region", std::string());
    table.creation_time = j.value("creation_time", 0.0);
    table.key_schema = key_schema_from_json(j.at("key_schema"));
    if (j.contains("attribute_definitions")) {
      for (const json& element : j.at("attribute_definitions")) {
        table.attribute_definitions.push_back(key_element_from_json(element));
      }
    }
    table.pay_per_request = j.value("pay_per_request", false);
    table.billing_mode_changed_time = j.value("billing_mode_changed_time", 0.0);
    if (j.contains("throughput")) table.throughput = throughput_from_json(j.at("throughput"));
    table.global_indexes = indexes_from_json(j, "global_indexes");
    table.local_indexes = indexes_from_json(j, "local_indexes");
    assign_missing_index_ids(table);
    table.stream.enabled = j.value("stream_enabled", false);
    table.stream.view_type = j.value("stream_view_type", std::string());
    table.stream_label = j.value("stream_label", std::string());
    table.time_to_live.enabled = j.value("ttl_enabled", false);
    table.time_to_live.attribute_name = j.value("ttl_attribute", std::string());
    table.time_to_live.changed_at = j.value("ttl_changed_at", 0.0);
    if (j.contains("tags")) {
      for (const json& tag : j.at("tags")) {
        table.tags.push_back(
            Tag{tag.at("key").get<std::string>(), tag.at("value").get<std::string>()});
      }
    }
    table.deletion_protection = j.value("deletion_protection", false);
    table.table_class = j.value("table_class", table.table_class);
    table.transient_until = j.value("transient_until", 0.0);
    table.transient_status = j.value("transient_status", std::string());
    return table;
  } catch (const json::exception& error) {
    throw std::runtime_error(std::string("corrupt table definition: ") + error.what());
  }
}

}  // namespace eddy::model
