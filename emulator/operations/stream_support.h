#pragma once
// DynamoDB Streams inside eddy: a table's stream is opened and disabled with its table, every
// item change appends a record in the change's own transaction, and shards are fixed windows of
// time, so a shard's lineage and sequence range follow from the stream's start alone.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/attribute_value.h"
#include "model/table_definition.h"
#include "storage/items.h"

namespace eddy::operations {

// Shards roll over every four hours, as DynamoDB's do; records are kept 24 hours.
constexpr double kShardSeconds = 4 * 3600;
constexpr double kStreamRetentionSeconds = 24 * 3600;

std::string stream_arn(const model::TableDefinition& table);

// Records the table's newly enabled stream (CreateTable, UpdateTable).
void open_table_stream(storage::Writer& writer, const model::TableDefinition& table, double now);
// Disables the table's current stream, if it has one (UpdateTable, DeleteTable).
void disable_table_stream(storage::Writer& writer, const model::TableDefinition& table, double now);

// Appends the record of one item change (old_item null: created; new_item null: removed), unless
// the table has no stream or nothing changed.
void record_item_change(storage::Writer& writer, const model::TableDefinition& table,
                        const model::Item* old_item, const model::Item* new_item,
                        bool by_service = false);

// The n-th shard of a stream (n from 0).
struct Shard {
  int64_t index = 0;
  double starts = 0;
  double ends = 0;
  bool closed = false;
  std::string id;
};
std::string shard_id(const storage::StreamRow& stream, int64_t index);
// The shard with this id, or nullopt.
std::optional<Shard> find_shard(const storage::StreamRow& stream, std::string_view id, double now);
// Every shard still within retention, oldest first.
std::vector<Shard> live_shards(const storage::StreamRow& stream, double now);

// DynamoDB's sequence numbers: 21 digits or more, increasing with the commit order.
std::string sequence_number(int64_t sequence);
// The sequence a number names, or nullopt if it is not one of eddy's.
std::optional<int64_t> parse_sequence_number(std::string_view text);

// A record as GetRecords returns it.
nlohmann::json stream_record_json(const storage::StreamRow& stream,
                                  const storage::StreamRecordRow& record,
                                  const std::string& region);

// DescribeStream's KeySchema of a stream.
nlohmann::json stream_key_schema_json(const storage::StreamRow& stream);

}  // namespace eddy::operations
