// UpdateTimeToLive and DescribeTimeToLive. Turning TTL on files the expiry of every item the
// table already holds, so the sweeper (ttl_sweeper.cc) finds them; turning it off forgets them.
#include "model/time_to_live.h"

#include "model/api_error.h"
#include "model/item_codec.h"
#include "operations/registry.h"
#include "operations/request_reader.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

// DynamoDB takes up to an hour to apply a change, and refuses another one meanwhile.
constexpr double kTimeToLiveChangeSeconds = 3600;

std::string time_to_live_status(const model::TimeToLive& ttl, const Settings& settings,
                                double now) {
  bool settling = settings.delay_transient_statuses && ttl.changed_at > 0 &&
                  now < ttl.changed_at + settings.transient_delay_seconds;
  if (ttl.enabled) return settling ? "ENABLING" : "ENABLED";
  return settling ? "DISABLING" : "DISABLED";
}

void file_every_expiry(storage::Writer& writer, int64_t table_id,
                       const model::TableDefinition& table) {
  struct Expiry {
    uint32_t partition;
    std::string hash_key;
    std::string range_key;
    double expires_at;
  };
  // Collected first: the scan's cursor stays clear of the writes.
  std::vector<Expiry> expiries;
  writer.for_each_item(table_id, [&](const storage::VisitedRow& stored) {
    std::optional<double> expires_at =
        model::expiry_time(model::decode_item(stored.item), table.time_to_live.attribute_name);
    if (expires_at) {
      expiries.push_back({stored.partition, std::string(stored.hash_key),
                          std::string(stored.range_key), *expires_at});
    }
    return true;
  });
  for (const Expiry& expiry : expiries) {
    writer.set_item_expiry(table_id, {expiry.partition, expiry.hash_key, expiry.range_key},
                           expiry.expires_at);
  }
}

}  // namespace

void update_time_to_live(Call& call) {
  const json& request = call.request();
  Violations violations;
  std::string name = table_level_table_name(request, violations);
  const json* specification = structure_member(request, "TimeToLiveSpecification");
  std::optional<bool> enabled;
  std::optional<std::string> attribute;
  if (specification) {
    enabled = boolean_member(*specification, "Enabled");
    attribute = string_member(*specification, "AttributeName");
  }
  violations.not_null(specification, "timeToLiveSpecification");
  if (specification) {
    violations.not_null(attribute ? &attribute : nullptr, "timeToLiveSpecification.attributeName");
    violations.length_range(attribute, "timeToLiveSpecification.attributeName", 1, 255);
    violations.not_null(enabled ? &enabled : nullptr, "timeToLiveSpecification.enabled");
  }
  violations.throw_if_any();
  auto self = call.shared_from_this();
  call.write([self, name, enabled = *enabled, attribute = *attribute](storage::Writer& writer) {
    TableHandle handle = require_table(*self, writer, name, false);
    model::TableDefinition table = *handle.definition;
    model::TimeToLive& ttl = table.time_to_live;
    if (enabled && ttl.enabled) {
      throw model::validation_error(ttl.attribute_name == attribute
                                        ? "TimeToLive is already enabled"
                                        : "TimeToLive is active on a different AttributeName: "
                                          "current AttributeName is " +
                                              ttl.attribute_name);
    }
    if (!enabled && !ttl.enabled) throw model::validation_error("TimeToLive is already disabled");
    if (!enabled && ttl.attribute_name != attribute) {
      throw model::validation_error(
          "TimeToLive is active on a different AttributeName: current AttributeName is " +
          ttl.attribute_name);
    }
    double now = now_seconds();
    if (ttl.changed_at > 0 && now < ttl.changed_at + kTimeToLiveChangeSeconds) {
      throw model::validation_error(
          "Time to live has been modified multiple times within a fixed interval");
    }
    ttl = {enabled, attribute, now};
    if (enabled) {
      file_every_expiry(writer, handle.id, table);
    } else {
      writer.clear_item_expiries(handle.id);
    }
    writer.update_table_definition(handle.id, model::serialize_table_definition(table));
    return json{{"TimeToLiveSpecification", {{"AttributeName", attribute}, {"Enabled", enabled}}}};
  });
}

void describe_time_to_live(Call& call) {
  Violations violations;
  std::string name = table_level_table_name(call.request(), violations);
  violations.throw_if_any();
  call.reply(call.database().read([&](storage::Reader& reader) {
    TableHandle handle = require_table(call, reader, name, false);
    const model::TimeToLive& ttl = handle.definition->time_to_live;
    std::string status = time_to_live_status(ttl, call.settings(), now_seconds());
    json description = {{"TimeToLiveStatus", status}};
    if (status != "DISABLED") description["AttributeName"] = ttl.attribute_name;
    return json{{"TimeToLiveDescription", std::move(description)}};
  }));
}

}  // namespace eddy::operations
