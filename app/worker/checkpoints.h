#pragma once
// Where the stream worker has got to in each shard, in the app's SQLite database, so a restart
// neither loses nor repeats work. A shard's position is written right after the record's effect
// is, so a crash between the two replays at most that one record (and the worker's writes are
// idempotent: a group never moves backwards).
#include <optional>
#include <string>

struct sqlite3;

namespace cruddur::worker {

struct ShardPosition {
  std::string sequence_number;  // the last record whose effect is done; "" if none yet
  bool finished = false;        // a closed shard read to its end
};

class Checkpoints {
 public:
  explicit Checkpoints(const std::string& database_path);
  ~Checkpoints();
  Checkpoints(const Checkpoints&) = delete;
  Checkpoints& operator=(const Checkpoints&) = delete;

  std::optional<ShardPosition> position(const std::string& stream_arn, const std::string& shard_id);
  void record_processed(const std::string& stream_arn, const std::string& shard_id,
                        const std::string& sequence_number);
  void mark_finished(const std::string& stream_arn, const std::string& shard_id);

 private:
  void upsert(const std::string& stream_arn, const std::string& shard_id,
              const std::string* sequence_number, bool finished);
  sqlite3* db_ = nullptr;
};

}  // namespace cruddur::worker
