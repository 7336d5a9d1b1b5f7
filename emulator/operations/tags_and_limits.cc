// TagResource, UntagResource, ListTagsOfResource, DescribeLimits, DescribeEndpoints.
#include <algorithm>

#include "model/api_error.h"
#include "operations/registry.h"
#include "operations/request_reader.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

constexpr size_t kMaxTagsPerResource = 50;

// arn:aws:dynamodb:<region>:<account>:table/<name> -> name; DynamoDB's errors otherwise.
std::string table_name_from_arn(const std::optional<std::string>& arn) {
  Violations violations;
  violations.not_null(arn ? &arn : nullptr, "resourceArn");
  violations.length_range(arn, "resourceArn", 1, 1283);
  violations.throw_if_any();
  const std::string prefix = "arn:aws:dynamodb:";
  size_t table_marker = arn->find(":table/");
  if (arn->rfind(prefix, 0) != 0 || table_marker == std::string::npos) {
    throw model::validation_error("Invalid TableArn: Invalid ResourceArn provided as input " +
                                  *arn);
  }
  std::string name = arn->substr(table_marker + 7);
  if (name.find('/') != std::string::npos) {
    throw model::validation_error("Invalid TableArn: Invalid ResourceArn provided as input " +
                                  *arn);
  }
  return name;
}

// Tagging a table that does not exist names the ARN, as DynamoDB does.
TableHandle tagged_table(Call& call, storage::Reader& reader, const std::string& name,
                         const std::string& arn) {
  std::optional<TableHandle> table = call.catalog().find(reader, name);
  if (!table)
    throw model::resource_not_found("Requested resource not found: ResourcArn: " + arn +
                                    " not found");
  return *table;
}

}  // namespace

void tag_resource(Call& call) {
  std::optional<std::string> arn = string_member(call.request(), "ResourceArn");
  const json* tag_list = list_member(call.request(), "Tags");
  Violations violations;
  violations.not_null(arn ? &arn : nullptr, "resourceArn");
  violations.not_null(tag_list, "tags");
  violations.throw_if_any();
  std::string name = table_name_from_arn(arn);
  std::vector<model::Tag> tags;
  for (const json& entry : *tag_list) {
    const json& tag = as_structure(entry);
    auto key = string_member(tag, "Key");
    auto value = string_member(tag, "Value");
    Violations tag_violations;
    tag_violations.not_null(key ? &key : nullptr, "tags.member.key");
    tag_violations.length_range(key, "tags.member.key", 1, 128);
    tag_violations.not_null(value ? &value : nullptr, "tags.member.value");
    tag_violations.length_range(value, "tags.member.value", 0, 256);
    tag_violations.throw_if_any();
    tags.push_back({*key, *value});
  }
  if (tags.empty()) {
    throw model::validation_error("Atleast one Tag needs to be provided as Input.");
  }
  auto self = call.shared_from_this();
  call.write([self, name, arn = *arn, tags](storage::Writer& writer) {
    TableHandle handle = tagged_table(*self, writer, name, arn);
    model::TableDefinition table = *handle.definition;
    for (const auto& tag : tags) {
      auto existing = std::find_if(table.tags.begin(), table.tags.end(),
                                   [&](const model::Tag& t) { return t.key == tag.key; });
      if (existing != table.tags.end()) {
        existing->value = tag.value;
      } else {
        table.tags.push_back(tag);
      }
    }
    if (table.tags.size() > kMaxTagsPerResource) {
      throw model::ApiError("LimitExceededException",
                            "The number of tags for the resource exceeds the limit of 50");
    }
    writer.update_table_definition(handle.id, model::serialize_table_definition(table));
    return json::object();
  });
}

void untag_resource(Call& call) {
  std::optional<std::string> arn = string_member(call.request(), "ResourceArn");
  const json* key_list = list_member(call.request(), "TagKeys");
  Violations violations;
  violations.not_null(arn ? &arn : nullptr, "resourceArn");
  violations.not_null(key_list, "tagKeys");
  violations.throw_if_any();
  std::string name = table_name_from_arn(arn);
  std::vector<std::string> keys;
  for (const json& key : *key_list) keys.push_back(as_string(key));
  if (keys.empty()) {
    throw model::validation_error("Atleast one Tag Key needs to be provided as Input.");
  }
  auto self = call.shared_from_this();
  call.write([self, name, arn = *arn, keys](storage::Writer& writer) {
    TableHandle handle = tagged_table(*self, writer, name, arn);
    model::TableDefinition table = *handle.definition;
    std::erase_if(table.tags, [&](const model::Tag& tag) {
      return std::find(keys.begin(), keys.end(), tag.key) != keys.end();
    });
    writer.update_table_definition(handle.id, model::serialize_table_definition(table));
    return json::object();
  });
}

void list_tags_of_resource(Call& call) {
  std::optional<std::string> arn = string_member(call.request(), "ResourceArn");
  std::string name = table_name_from_arn(arn);
  call.reply(call.database().read([&](storage::Reader& reader) {
    TableHandle handle = tagged_table(call, reader, name, *arn);
    json tags = json::array();
    for (const auto& tag : handle.definition->tags) {
      tags.push_back({{"Key", tag.key}, {"Value", tag.value}});
    }
    return json{{"Tags", tags}};
  }));
}

void describe_limits(Call& call) {
  // DynamoDB's default account quotas.
  call.reply({{"AccountMaxReadCapacityUnits", 80000},
              {"AccountMaxWriteCapacityUnits", 80000},
              {"TableMaxReadCapacityUnits", 40000},
              {"TableMaxWriteCapacityUnits", 40000}});
}

void describe_endpoints(Call& call) {
  call.reply({{"Endpoints",
               json::array({{{"Address", "dynamodb." + call.caller().region + ".amazonaws.com"},
                             {"CachePeriodInMinutes", 1440}}})}});
}

}  // namespace eddy::operations
