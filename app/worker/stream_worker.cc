#include "worker/stream_worker.h"

#include <set>
#include <thread>

#include "dynamodb/attribute_values.h"

namespace cruddur::worker {
namespace {

using json = nlohmann::json;
using dynamodb::string_member;

bool is_error(const dynamodb::DynamoDbError& error, const char* type) {
  return error.type() == type;
}

}  // namespace

StreamWorker::StreamWorker(dynamodb::Client& client, Checkpoints& checkpoints, std::ostream& log,
                           WorkerOptions options)
    : client_(client),
      store_(client),
      checkpoints_(checkpoints),
      log_(log),
      options_(std::move(options)) {}

void StreamWorker::log_line(const std::string& line) {
  std::lock_guard lock(log_mutex_);
  log_ << "stream-worker: " << line << std::endl;
}

std::string StreamWorker::stream_arn() {
  if (stream_arn_.empty()) {
    json table = client_.call("DescribeTable", {{"TableName", options_.table}})["Table"];
    if (!table.contains("LatestStreamArn")) {
      throw std::runtime_error("table " + options_.table + " has no stream");
    }
    stream_arn_ = table["LatestStreamArn"].get<std::string>();
    iterators_.clear();
    log_line("reading " + stream_arn_);
  }
  return stream_arn_;
}

json StreamWorker::list_shards(const std::string& stream_arn) {
  json shards = json::array();
  json request = {{"StreamArn", stream_arn}};
  for (;;) {
    json description = client_.call_streams("DescribeStream", request)["StreamDescription"];
    for (auto& shard : description["Shards"]) shards.push_back(std::move(shard));
    if (!description.contains("LastEvaluatedShardId")) return shards;
    request["ExclusiveStartShardId"] = description["LastEvaluatedShardId"];
  }
}

int StreamWorker::poll_once() {
  std::string arn = stream_arn();
  json shards;
  try {
    shards = list_shards(arn);
  } catch (const dynamodb::DynamoDbError& error) {
    // The table was dropped and made again: its new stream has a new ARN.
    if (is_error(error, "ResourceNotFoundException")) stream_arn_.clear();
    throw;
  }
  std::set<std::string> unfinished;
  for (const auto& shard : shards) {
    std::string id = shard["ShardId"].get<std::string>();
    auto position = checkpoints_.position(arn, id);
    if (!position || !position->finished) unfinished.insert(id);
  }
  int handled = 0;
  for (const auto& shard : shards) {
    std::string id = shard["ShardId"].get<std::string>();
    if (!unfinished.count(id)) continue;
    // A child's records come after its parent's: wait until the parent is read to its end.
    std::string parent = shard.value("ParentShardId", "");
    if (!parent.empty() && unfinished.count(parent)) continue;
    handled += read_shard(arn, id);
    if (!checkpoints_.position(arn, id).value_or(ShardPosition{}).finished) continue;
    unfinished.erase(id);
  }
  return handled;
}

std::string StreamWorker::fresh_iterator(const std::string& stream_arn,
                                         const std::string& shard_id) {
  json request = {{"StreamArn", stream_arn}, {"ShardId", shard_id}};
  auto position = checkpoints_.position(stream_arn, shard_id);
  if (position && !position->sequence_number.empty()) {
    request["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER";
    request["SequenceNumber"] = position->sequence_number;
  } else {
    request["ShardIteratorType"] = "TRIM_HORIZON";
  }
  try {
    return client_.call_streams("GetShardIterator", request)["ShardIterator"].get<std::string>();
  } catch (const dynamodb::DynamoDbError& error) {
    if (!is_error(error, "TrimmedDataAccessException")) throw;
    // Down longer than the stream keeps records (24 hours): what was trimmed is gone for good.
    log_line("records after " + position->sequence_number + " in " + shard_id +
             " were trimmed; continuing from the oldest kept record");
    request.erase("SequenceNumber");
    request["ShardIteratorType"] = "TRIM_HORIZON";
    return client_.call_streams("GetShardIterator", request)["ShardIterator"].get<std::string>();
  }
}

int StreamWorker::read_shard(const std::string& stream_arn, const std::string& shard_id) {
  int handled = 0;
  for (;;) {
    auto known = iterators_.find(shard_id);
    std::string iterator =
        known != iterators_.end() ? known->second : fresh_iterator(stream_arn, shard_id);
    json page;
    try {
      page = client_.call_streams("GetRecords", {{"ShardIterator", iterator}, {"Limit", 1000}});
    } catch (const dynamodb::DynamoDbError& error) {
      if (!is_error(error, "ExpiredIteratorException") || known == iterators_.end()) throw;
      iterators_.erase(shard_id);  // idle for 15 minutes: start again from the checkpoint
      continue;
    }
    for (const auto& record : page["Records"]) {
      std::string sequence = record["dynamodb"]["SequenceNumber"].get<std::string>();
      int moved = apply(record);
      // Logged before the checkpoint: a kill in between repeats the line, never loses it.
      log_line("processed shard=" + shard_id + " sequence=" + sequence +
               " event=" + record.value("eventName", "") +
               " key=" + string_member(record["dynamodb"]["Keys"], "pk") +
               " groups_moved=" + std::to_string(moved));
      checkpoints_.record_processed(stream_arn, shard_id, sequence);
      ++handled;
    }
    if (!page.contains("NextShardIterator")) {  // a closed shard, read to its end
      checkpoints_.mark_finished(stream_arn, shard_id);
      iterators_.erase(shard_id);
      log_line("finished shard=" + shard_id);
      return handled;
    }
    iterators_[shard_id] = page["NextShardIterator"].get<std::string>();
    if (page["Records"].empty()) return handled;
  }
}

int StreamWorker::apply(const json& record) {
  if (record.value("eventName", "") != "INSERT") return 0;
  const json& change = record["dynamodb"];
  std::string pk = string_member(change["Keys"], "pk");
  if (pk.rfind("MSG#", 0) != 0) return 0;
  json image = change.value("NewImage", json::object());
  if (image.empty()) {  // a KEYS_ONLY or OLD_IMAGE stream: read the message itself
    image = client_
                .call("GetItem", {{"TableName", options_.table},
                                  {"Key", change["Keys"]},
                                  {"ConsistentRead", true}})
                .value("Item", json::object());
    if (image.empty()) return 0;  // deleted since
  }
  return move_group_forward(pk.substr(4), string_member(image, "sk"),
                            string_member(image, "message"));
}

int StreamWorker::move_group_forward(const std::string& message_group_uuid,
                                     const std::string& created_at, const std::string& message) {
  // A row replaced between our read and our write cancels the transaction; read again.
  for (int attempt = 1;; ++attempt) {
    int moved = 0;
    try {
      for (const auto& row : store_.group_rows(message_group_uuid)) {
        std::string current = string_member(row, "sk");
        if (current >= created_at) continue;  // as new or newer already: never backwards
        json replacement = row;
        replacement["sk"] = dynamodb::string_value(created_at);
        replacement["message"] = dynamodb::string_value(message);
        // Keys cannot change, so the row is deleted and put again, in one transaction so a
        // reader never sees the conversation missing.
        json key = {{"pk", row["pk"]}, {"sk", row["sk"]}};
        client_.call("TransactWriteItems",
                     {{"TransactItems",
                       {{{"Delete",
                          {{"TableName", options_.table},
                           {"Key", key},
                           {"ConditionExpression", "attribute_exists(pk)"}}}},
                        {{"Put", {{"TableName", options_.table}, {"Item", replacement}}}}}}});
        ++moved;
      }
      return moved;
    } catch (const dynamodb::DynamoDbError& error) {
      if (!is_error(error, "TransactionCanceledException") || attempt == 3) throw;
    }
  }
}

void StreamWorker::run(std::stop_token stop) {
  std::mutex wait_mutex;
  std::condition_variable_any wake;
  auto pause = [&](std::chrono::milliseconds duration) {
    std::unique_lock lock(wait_mutex);
    wake.wait_for(lock, stop, duration, [] { return false; });
  };
  while (!stop.stop_requested()) {
    try {
      if (poll_once() == 0) pause(options_.idle_wait);
    } catch (const std::exception& error) {
      log_line(std::string("error: ") + error.what());
      pause(options_.error_wait);
    }
  }
}

}  // namespace cruddur::worker
