#include "operations/stream_support.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "operations/clock.h"

namespace eddy::operations {
namespace {

using json = nlohmann::json;

// The key schema as the streams table keeps it: the hash key's name, then the range key's.
std::string encode_key_names(const model::KeySchema& schema) {
  std::string names = schema.hash.name;
  if (schema.range) names += '\0' + schema.range->name;
  return names;
}

model::Item key_attributes(const model::TableDefinition& table, const model::Item& item) {
  model::Item keys;
  keys.emplace(table.key_schema.hash.name, item.at(table.key_schema.hash.name));
  if (table.key_schema.range) {
    keys.emplace(table.key_schema.range->name, item.at(table.key_schema.range->name));
  }
  return keys;
}

}  // namespace

std::string stream_arn(const model::TableDefinition& table) {
  return table.arn() + "/stream/" + table.stream_label;
}

void open_table_stream(storage::Writer& writer, const model::TableDefinition& table, double now) {
  if (!table.stream.enabled) return;
  storage::StreamRow row;
  row.arn = stream_arn(table);
  row.table_name = table.name;
  row.label = table.stream_label;
  row.view_type = table.stream.view_type;
  row.key_schema = encode_key_names(table.key_schema);
  row.created_at = now;
  writer.open_stream(row);
}

void disable_table_stream(storage::Writer& writer, const model::TableDefinition& table,
                          double now) {
  if (table.stream.enabled) writer.disable_stream(stream_arn(table), now);
}

void record_item_change(storage::Writer& writer, const model::TableDefinition& table,
                        const model::Item* old_item, const model::Item* new_item, bool by_service) {
  if (!table.stream.enabled || (!old_item && !new_item)) return;
  // A write that changes nothing leaves no record, as on DynamoDB.
  if (old_item && new_item && *old_item == *new_item) return;
  const std::string& view = table.stream.view_type;
  storage::StreamRecordRow record;
  record.created_at = now_seconds();
  record.event_name = !old_item ? "INSERT" : !new_item ? "REMOVE" : "MODIFY";
  model::Item keys = key_attributes(table, new_item ? *new_item : *old_item);
  record.keys = model::encode_item(keys);
  size_t size = model::item_size(keys);
  if (old_item && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES")) {
    record.old_image = model::encode_item(*old_item);
    size += model::item_size(*old_item);
  }
  if (new_item && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES")) {
    record.new_image = model::encode_item(*new_item);
    size += model::item_size(*new_item);
  }
  record.size_bytes = static_cast<int64_t>(size);
  record.by_service = by_service;
  writer.append_stream_record(stream_arn(table), record);
}

std::string shard_id(const storage::StreamRow& stream, int64_t index) {
  // shardId-<20 digits: the shard's start in ms>-<8 hex digits of the stream and index>
  auto start_ms =
      static_cast<uint64_t>(std::llround((stream.created_at + index * kShardSeconds) * 1000.0));
  uint32_t tag = 2166136261u;
  for (char c : stream.arn) tag = (tag ^ static_cast<unsigned char>(c)) * 16777619u;
  tag ^= static_cast<uint32_t>(index) * 2654435761u;
  char id[64];
  std::snprintf(id, sizeof id, "shardId-%020" PRIu64 "-%08x", start_ms, tag);
  return id;
}

std::vector<Shard> live_shards(const storage::StreamRow& stream, double now) {
  double end_of_stream = stream.disabled_at ? *stream.disabled_at : now;
  auto last = static_cast<int64_t>(std::floor((end_of_stream - stream.created_at) / kShardSeconds));
  if (last < 0) last = 0;
  std::vector<Shard> shards;
  for (int64_t index = 0; index <= last; ++index) {
    Shard shard;
    shard.index = index;
    shard.starts = stream.created_at + index * kShardSeconds;
    shard.ends = index == last
                     ? (stream.disabled_at ? *stream.disabled_at : shard.starts + kShardSeconds)
                     : shard.starts + kShardSeconds;
    shard.closed = index < last || stream.disabled_at.has_value();
    if (shard.closed && shard.ends < now - kStreamRetentionSeconds) continue;
    shard.id = shard_id(stream, index);
    shards.push_back(std::move(shard));
  }
  return shards;
}

std::optional<Shard> find_shard(const storage::StreamRow& stream, std::string_view id, double now) {
  for (Shard& shard : live_shards(stream, now)) {
    if (shard.id == id) return shard;
  }
  return std::nullopt;
}

std::string sequence_number(int64_t sequence) {
  // 10^20 + n: always 21 digits, and ordered as the numbers are.
  char text[32];
  std::snprintf(text, sizeof text, "1%020" PRId64, sequence);
  return text;
}

std::optional<int64_t> parse_sequence_number(std::string_view text) {
  if (text.size() != 21 || text[0] != '1') return std::nullopt;
  int64_t value = 0;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

json stream_record_json(const storage::StreamRow& stream, const storage::StreamRecordRow& record,
                        const std::string& region) {
  json body = {{"ApproximateCreationDateTime", std::floor(record.created_at)},
               {"Keys", model::to_json(model::decode_item(record.keys))},
               {"SequenceNumber", sequence_number(record.sequence)},
               {"SizeBytes", record.size_bytes},
               {"StreamViewType", stream.view_type}};
  if (record.new_image) body["NewImage"] = model::to_json(model::decode_item(*record.new_image));
  if (record.old_image) body["OldImage"] = model::to_json(model::decode_item(*record.old_image));
  char event_id[40];
  std::snprintf(event_id, sizeof event_id, "%016" PRIx64 "%016" PRIx64,
                static_cast<uint64_t>(record.sequence) * uint64_t{0x9E3779B97F4A7C15},
                static_cast<uint64_t>(record.sequence));
  json result = {{"eventID", event_id},   {"eventName", record.event_name},
                 {"eventVersion", "1.1"}, {"eventSource", "aws:dynamodb"},
                 {"awsRegion", region},   {"dynamodb", std::move(body)}};
  if (record.by_service) {
    // The Streams API spells these members capitalised (botocore's model); Lambda's event
    // records, which the seeds' function reads, lower-case them.
    result["userIdentity"] = {{"Type", "Service"}, {"PrincipalId", "dynamodb.amazonaws.com"}};
  }
  return result;
}

json stream_key_schema_json(const storage::StreamRow& stream) {
  json schema = json::array();
  size_t split = stream.key_schema.find('\0');
  schema.push_back({{"AttributeName", stream.key_schema.substr(0, split)}, {"KeyType", "HASH"}});
  if (split != std::string::npos) {
    schema.push_back(
        {{"AttributeName", stream.key_schema.substr(split + 1)}, {"KeyType", "RANGE"}});
  }
  return schema;
}

}  // namespace eddy::operations
