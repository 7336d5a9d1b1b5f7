#pragma once
// Access pattern E, the seeds' cruddur-messaging-stream Lambda, as a poller of the table's
// stream (DynamoDB Streams API): for every INSERT of a MSG# item, each of the group's GRP# rows
// is replaced by one whose sort key is the message's created_at and whose message is its text.
//
// Unlike the Lambda it handles every record of a batch, skips REMOVE and MODIFY records and
// other items, never moves a group backwards in time (which also makes a replayed record
// harmless), checkpoints each record (worker/checkpoints.h), and reads a shard's children only
// once the shard is finished, so records are applied in order across rollovers.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stop_token>
#include <string>

#include "dynamodb/client.h"
#include "messages/message_store.h"
#include "worker/checkpoints.h"

namespace cruddur::worker {

struct WorkerOptions {
  std::string table = messages::kMessagesTable;
  // Pause after a pass that found nothing new: bounds the message-to-list latency. Real
  // DynamoDB allows 5 GetRecords per second per shard.
  std::chrono::milliseconds idle_wait{200};
  std::chrono::milliseconds error_wait{1000};
};

class StreamWorker {
 public:
  StreamWorker(dynamodb::Client& client, Checkpoints& checkpoints, std::ostream& log,
               WorkerOptions options = {});

  // Reads every shard as far as it goes now; returns the number of records handled.
  int poll_once();
  // poll_once until `stop` is requested; failures are logged and retried after a pause.
  void run(std::stop_token stop);

 private:
  std::string stream_arn();
  nlohmann::json list_shards(const std::string& stream_arn);
  int read_shard(const std::string& stream_arn, const std::string& shard_id);
  std::string fresh_iterator(const std::string& stream_arn, const std::string& shard_id);
  // What a record changes: the number of GRP# rows moved forward.
  int apply(const nlohmann::json& record);
  int move_group_forward(const std::string& message_group_uuid, const std::string& created_at,
                         const std::string& message);
  void log_line(const std::string& line);

  dynamodb::Client& client_;
  messages::MessageStore store_;
  Checkpoints& checkpoints_;
  std::ostream& log_;
  std::mutex log_mutex_;
  WorkerOptions options_;
  std::string stream_arn_;
  std::map<std::string, std::string> iterators_;  // shard id -> where the next GetRecords reads
};

}  // namespace cruddur::worker
