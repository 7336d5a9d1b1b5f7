// The DynamoDB Streams API (X-Amz-Target DynamoDBStreams_20120810.*): ListStreams,
// DescribeStream, GetShardIterator and GetRecords over the records item writes append.

#include "model/api_error.h"
#include "operations/registry.h"
#include "operations/request_reader.h"
#include "operations/stream_support.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

constexpr double kIteratorSeconds = 15 * 60;
constexpr int64_t kMaxRecordsPerCall = 1000;
constexpr int64_t kMaxRecordBytesPerCall = 1024 * 1024;

model::ApiError stream_not_found(const std::string& arn) {
  return model::resource_not_found("Requested resource not found: Stream: " + arn + " not found");
}

// The wording of DynamoDB Streams' API reference; the service's own text is unverified.
model::ApiError trimmed() {
  return model::ApiError("TrimmedDataAccessException",
                         "The operation attempted to read past the oldest stream record in a "
                         "shard.");
}

// ENABLING and DISABLING last as long as a table's transient statuses (-delayTransientStatuses);
// without the flag a stream is ENABLED or DISABLED at once, as in dynamodb-local.
std::string stream_status(const storage::StreamRow& stream, const Settings& settings, double now) {
  double settling = settings.delay_transient_statuses ? settings.transient_delay_seconds : 0;
  if (stream.disabled_at) return now < *stream.disabled_at + settling ? "DISABLING" : "DISABLED";
  return now < stream.created_at + settling ? "ENABLING" : "ENABLED";
}

// A shard iterator: where to read next in which shard, and when it was handed out. Opaque to
// clients; the check digits catch iterators that were not eddy's.
struct ShardIterator {
  std::string arn;
  std::string shard_id;
  int64_t position = 0;  // the next sequence to read
  double issued_at = 0;
};

uint32_t check_digits(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

std::string encode_iterator(const ShardIterator& iterator) {
  std::string body = iterator.arn + "|" + iterator.shard_id + "|" +
                     std::to_string(iterator.position) + "|" +
                     std::to_string(static_cast<int64_t>(iterator.issued_at * 1000));
  return body + "|" + std::to_string(check_digits(body));
}

ShardIterator decode_iterator(const std::string& text) {
  auto invalid = [] { return model::validation_error("Invalid ShardIterator"); };
  size_t last = text.rfind('|');
  if (last == std::string::npos) throw invalid();
  std::string body = text.substr(0, last);
  if (std::to_string(check_digits(body)) != text.substr(last + 1)) throw invalid();
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t bar; (bar = body.find('|', start)) != std::string::npos; start = bar + 1) {
    parts.push_back(body.substr(start, bar - start));
  }
  parts.push_back(body.substr(start));
  if (parts.size() != 4) throw invalid();
  return {parts[0], parts[1], std::stoll(parts[2]), std::stoll(parts[3]) / 1000.0};
}

json sequence_range(storage::Reader& reader, const storage::StreamRow& stream, const Shard& shard) {
  json range = {
      {"StartingSequenceNumber", sequence_number(reader.last_sequence_before(shard.starts) + 1)}};
  if (shard.closed) {
    int64_t last = reader.last_stream_sequence_before(stream.arn, shard.ends);
    range["EndingSequenceNumber"] = sequence_number(std::max<int64_t>(last, 1));
  }
  return range;
}

}  // namespace

void list_streams(Call& call) {
  const json& request = call.request();
  std::optional<std::string> table_name = string_member(request, "TableName");
  std::optional<std::string> after = string_member(request, "ExclusiveStartStreamArn");
  std::optional<int64_t> limit = integer_member(request, "Limit");
  Violations violations;
  violations.table_name(table_name, "tableName", false);
  violations.integer_range(limit, "limit", 1, 100);
  violations.length_range(after, "exclusiveStartStreamArn", 37, 1024);
  violations.throw_if_any();
  int64_t page = limit.value_or(100);
  call.reply(call.database().read([&](storage::Reader& reader) {
    std::vector<storage::StreamRow> rows =
        reader.list_streams(table_name.value_or(""), after.value_or(""), page + 1);
    json streams = json::array();
    for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < page; ++i) {
      streams.push_back({{"StreamArn", rows[i].arn},
                         {"TableName", rows[i].table_name},
                         {"StreamLabel", rows[i].label}});
    }
    json response = {{"Streams", std::move(streams)}};
    if (static_cast<int64_t>(rows.size()) > page) {
      response["LastEvaluatedStreamArn"] = rows[static_cast<size_t>(page - 1)].arn;
    }
    return response;
  }));
}

void describe_stream(Call& call) {
  const json& request = call.request();
  std::optional<std::string> arn = string_member(request, "StreamArn");
  std::optional<int64_t> limit = integer_member(request, "Limit");
  std::optional<std::string> after = string_member(request, "ExclusiveStartShardId");
  Violations violations;
  violations.not_null(arn ? &arn : nullptr, "streamArn");
  violations.length_range(arn, "streamArn", 37, 1024);
  violations.integer_range(limit, "limit", 1, 100);
  violations.length_range(after, "exclusiveStartShardId", 28, 65);
  violations.throw_if_any();
  int64_t page = limit.value_or(100);
  call.reply(call.database().read([&](storage::Reader& reader) {
    std::optional<storage::StreamRow> stream = reader.find_stream(*arn);
    if (!stream) throw stream_not_found(*arn);
    double now = now_seconds();
    std::vector<Shard> shards = live_shards(*stream, now);
    json listed = json::array();
    bool started = !after;
    std::optional<std::string> last_listed;
    for (size_t i = 0; i < shards.size(); ++i) {
      const Shard& shard = shards[i];
      if (!started) {
        started = shard.id == *after;
        continue;
      }
      if (static_cast<int64_t>(listed.size()) == page) {
        last_listed = listed.back()["ShardId"].get<std::string>();
        break;
      }
      json entry = {{"ShardId", shard.id},
                    {"SequenceNumberRange", sequence_range(reader, *stream, shard)}};
      if (shard.index > 0) entry["ParentShardId"] = shard_id(*stream, shard.index - 1);
      listed.push_back(std::move(entry));
    }
    json description = {{"StreamArn", stream->arn},
                        {"StreamLabel", stream->label},
                        {"StreamStatus", stream_status(*stream, call.settings(), now)},
                        {"StreamViewType", stream->view_type},
                        {"CreationRequestDateTime", stream->created_at},
                        {"TableName", stream->table_name},
                        {"KeySchema", stream_key_schema_json(*stream)},
                        {"Shards", std::move(listed)}};
    if (last_listed) description["LastEvaluatedShardId"] = *last_listed;
    return json{{"StreamDescription", std::move(description)}};
  }));
}

void get_shard_iterator(Call& call) {
  const json& request = call.request();
  std::optional<std::string> arn = string_member(request, "StreamArn");
  std::optional<std::string> shard_id_member = string_member(request, "ShardId");
  std::optional<std::string> type = string_member(request, "ShardIteratorType");
  std::optional<std::string> sequence = string_member(request, "SequenceNumber");
  Violations violations;
  violations.not_null(arn ? &arn : nullptr, "streamArn");
  violations.length_range(arn, "streamArn", 37, 1024);
  violations.not_null(shard_id_member ? &shard_id_member : nullptr, "shardId");
  violations.length_range(shard_id_member, "shardId", 28, 65);
  violations.not_null(type ? &type : nullptr, "shardIteratorType");
  violations.enumeration(type, "shardIteratorType",
                         {"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"});
  violations.throw_if_any();
  bool by_sequence = *type == "AT_SEQUENCE_NUMBER" || *type == "AFTER_SEQUENCE_NUMBER";
  std::optional<int64_t> number;
  if (by_sequence) {
    if (!sequence) {
      throw model::validation_error("Must specify a sequence number for iterator type " + *type);
    }
    number = parse_sequence_number(*sequence);
    if (!number) throw model::validation_error("Invalid SequenceNumber: " + *sequence);
  } else if (sequence) {
    throw model::validation_error("Sequence number cannot be specified for iterator type " + *type);
  }
  call.reply(call.database().read([&](storage::Reader& reader) {
    std::optional<storage::StreamRow> stream = reader.find_stream(*arn);
    if (!stream) throw stream_not_found(*arn);
    double now = now_seconds();
    std::optional<Shard> shard = find_shard(*stream, *shard_id_member, now);
    if (!shard) {
      throw model::resource_not_found("Requested resource not found: Shard does not exist");
    }
    int64_t first = reader.last_sequence_before(shard->starts) + 1;
    int64_t position = first;
    if (*type == "LATEST") {
      position = reader.last_sequence_before(std::min(now, shard->ends) + 1) + 1;
    } else if (by_sequence) {
      position = *type == "AT_SEQUENCE_NUMBER" ? *number : *number + 1;
      // A record older than the stream's oldest kept one was trimmed (retention).
      int64_t first_kept = reader.first_kept_stream_sequence(stream->arn);
      if (first_kept > 0 && *number < first_kept && *number >= first) throw trimmed();
    }
    return json{{"ShardIterator", encode_iterator({stream->arn, shard->id, position, now})}};
  }));
}

void get_records(Call& call) {
  const json& request = call.request();
  std::optional<std::string> iterator_text = string_member(request, "ShardIterator");
  std::optional<int64_t> limit = integer_member(request, "Limit");
  Violations violations;
  violations.not_null(iterator_text ? &iterator_text : nullptr, "shardIterator");
  violations.length_range(iterator_text, "shardIterator", 1, 2048);
  violations.integer_range(limit, "limit", 1, kMaxRecordsPerCall);
  violations.throw_if_any();
  ShardIterator iterator = decode_iterator(*iterator_text);
  double now = now_seconds();
  if (now - iterator.issued_at > kIteratorSeconds) {
    throw model::ApiError("ExpiredIteratorException",
                          "Iterator expired. The iterator was created more than 15 minutes "
                          "ago and is no longer valid.");
  }
  call.reply(call.database().read([&](storage::Reader& reader) {
    std::optional<storage::StreamRow> stream = reader.find_stream(iterator.arn);
    if (!stream) throw stream_not_found(iterator.arn);
    std::optional<Shard> shard = find_shard(*stream, iterator.shard_id, now);
    if (!shard) throw trimmed();
    std::string region = "us-east-1";
    if (size_t at = stream->arn.find(":dynamodb:"); at != std::string::npos) {
      region = stream->arn.substr(at + 10, stream->arn.find(':', at + 10) - at - 10);
    }
    std::vector<storage::StreamRecordRow> rows = reader.stream_records(
        stream->arn, iterator.position, shard->ends, limit.value_or(kMaxRecordsPerCall));
    json records = json::array();
    int64_t bytes = 0;
    int64_t next = iterator.position;
    for (const auto& row : rows) {
      if (bytes > 0 && bytes + row.size_bytes > kMaxRecordBytesPerCall) break;
      bytes += row.size_bytes;
      records.push_back(stream_record_json(*stream, row, region));
      next = row.sequence + 1;
    }
    json response = {{"Records", std::move(records)}};
    // A closed shard read to its end has no next iterator: the consumer moves to its child.
    bool drained = shard->closed && rows.size() == response["Records"].size() &&
                   static_cast<int64_t>(rows.size()) < limit.value_or(kMaxRecordsPerCall);
    if (!drained) {
      response["NextShardIterator"] = encode_iterator({stream->arn, shard->id, next, now});
    }
    return response;
  }));
}

}  // namespace eddy::operations
