#include <gtest/gtest.h>

#include "operations/stream_support.h"

namespace eddy::operations {
namespace {

storage::StreamRow stream_created_at(double created_at) {
  storage::StreamRow stream;
  stream.arn = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-11-21T00:00:00.000";
  stream.created_at = created_at;
  return stream;
}

TEST(StreamSequenceNumbers, HaveTwentyOneDigitsAndSortAsTheirSequences) {
  EXPECT_EQ(sequence_number(1), "100000000000000000001");
  EXPECT_LT(sequence_number(9), sequence_number(10));
  EXPECT_EQ(parse_sequence_number(sequence_number(123456789)), 123456789);
  EXPECT_EQ(parse_sequence_number("200000000000000000001"), std::nullopt);
  EXPECT_EQ(parse_sequence_number("10000000000000000000x"), std::nullopt);
  EXPECT_EQ(parse_sequence_number("1"), std::nullopt);
}

TEST(StreamShards, RollOverEveryFourHoursWithTheEarlierOneClosed) {
  storage::StreamRow stream = stream_created_at(1000);
  EXPECT_EQ(live_shards(stream, 1000).size(), 1u);
  std::vector<Shard> shards = live_shards(stream, 1000 + 2 * kShardSeconds + 1);
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_TRUE(shards[0].closed && shards[1].closed && !shards[2].closed);
  EXPECT_EQ(shards[1].starts, shards[0].ends);
  EXPECT_NE(shards[0].id, shards[1].id);
  // Ids are stable: the same shard is named the same way at any later time.
  EXPECT_EQ(live_shards(stream, 1000 + 3 * kShardSeconds)[1].id, shards[1].id);
  EXPECT_EQ(find_shard(stream, shards[2].id, 1000 + 2 * kShardSeconds + 1)->index, 2);
}

TEST(StreamShards, ClosedShardsGoADayAfterTheyEnd) {
  storage::StreamRow stream = stream_created_at(0);
  double later = kShardSeconds + kStreamRetentionSeconds + 1;
  std::vector<Shard> shards = live_shards(stream, later);
  ASSERT_FALSE(shards.empty());
  EXPECT_EQ(shards.front().index, 1);
}

TEST(StreamShards, ADisabledStreamEndsItsLastShard) {
  storage::StreamRow stream = stream_created_at(0);
  stream.disabled_at = 100;
  std::vector<Shard> shards = live_shards(stream, 200);
  ASSERT_EQ(shards.size(), 1u);
  EXPECT_TRUE(shards[0].closed);
  EXPECT_EQ(shards[0].ends, 100);
  EXPECT_TRUE(live_shards(stream, 100 + kStreamRetentionSeconds + 1).empty());
}

}  // namespace
}  // namespace eddy::operations
