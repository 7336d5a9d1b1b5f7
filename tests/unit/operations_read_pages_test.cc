// The pure parts of Query and Scan paging: begins_with's upper bound, parallel Scan's segments,
// page capacity, and Select's rules.
#include <gtest/gtest.h>

#include <memory>

#include "model/api_error.h"
#include "operations/read_pages.h"

namespace eddy::operations {
namespace {

TEST(PrefixSuccessor, IncrementsTheLastByte) {
  EXPECT_EQ(prefix_successor("abc"), "abd");
  EXPECT_EQ(prefix_successor("a"), "b");
  EXPECT_EQ(prefix_successor(std::string("\x00", 1)), std::string("\x01", 1));
}

TEST(PrefixSuccessor, DropsTrailingFfBytes) {
  EXPECT_EQ(prefix_successor("a\xff"), "b");
  EXPECT_EQ(prefix_successor("a\xff\xff"), "b");
  EXPECT_EQ(prefix_successor("\x7f\xff"), "\x80");
}

TEST(PrefixSuccessor, NoneWhenEveryByteIsFf) {
  EXPECT_EQ(prefix_successor(""), std::nullopt);
  EXPECT_EQ(prefix_successor("\xff"), std::nullopt);
  EXPECT_EQ(prefix_successor("\xff\xff"), std::nullopt);
}

TEST(PrefixSuccessor, BoundsEveryExtensionOfThePrefix) {
  std::string prefix = "ab\xff";
  std::string successor = *prefix_successor(prefix);
  for (std::string extension : {"", "\x00", "\xff\xff\xff", "zzz"}) {
    EXPECT_LT(prefix + extension, successor);
  }
  EXPECT_GE(std::string("ac"), successor);
}

TEST(SegmentHashRange, OneSegmentIsEverything) {
  auto range = segment_hash_range(0, 1);
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 0u);
  EXPECT_EQ(range->second, UINT32_MAX);
}

TEST(SegmentHashRange, SegmentsTileTheHashSpace) {
  for (int64_t total : {2, 3, 4, 7, 100, 4095, 4096}) {
    uint64_t next = 0;
    for (int64_t segment = 0; segment < total; ++segment) {
      auto range = segment_hash_range(segment, total);
      ASSERT_TRUE(range) << total << " " << segment;
      EXPECT_EQ(range->first, next) << total << " " << segment;
      EXPECT_LE(range->first, range->second);
      next = uint64_t{range->second} + 1;
    }
    EXPECT_EQ(next, uint64_t{1} << 32) << total;
  }
}

TEST(SegmentHashRange, FollowsDynamoDbBuckets) {
  // Segment s of N holds buckets ceil(4096 s / N) .. ceil(4096 (s+1) / N) - 1 of 2^20 hashes.
  auto range = segment_hash_range(1, 3);  // buckets 1366 .. 2730
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 1366u << 20);
  EXPECT_EQ(range->second, (2731u << 20) - 1);
}

TEST(SegmentHashRange, MoreSegmentsThanBucketsLeavesSomeEmpty) {
  int64_t total = 1000000;
  int64_t empty = 0;
  uint64_t covered = 0;
  for (int64_t segment = 0; segment < total; ++segment) {
    auto range = segment_hash_range(segment, total);
    if (!range) {
      ++empty;
      continue;
    }
    covered += uint64_t{range->second} - range->first + 1;
  }
  EXPECT_EQ(empty, total - 4096);
  EXPECT_EQ(covered, uint64_t{1} << 32);
  EXPECT_TRUE(segment_hash_range(0, total));           // bucket 0
  EXPECT_FALSE(segment_hash_range(total - 1, total));  // ceil() reaches 4096 before it
}

TEST(PageReadUnits, SumsThenRoundsUpToFourKilobytes) {
  EXPECT_EQ(page_read_units(0, false), 0.0);
  EXPECT_EQ(page_read_units(1, false), 0.5);
  EXPECT_EQ(page_read_units(4096, false), 0.5);
  EXPECT_EQ(page_read_units(4097, false), 1.0);
  EXPECT_EQ(page_read_units(9000, false), 1.5);
  EXPECT_EQ(page_read_units(9000, true), 3.0);
  EXPECT_EQ(page_read_units(11 * 100009, false), 134.5);
}

class ResolveSelectTest : public ::testing::Test {
 protected:
  ResolveSelectTest() {
    auto definition = std::make_shared<model::TableDefinition>();
    definition->key_schema.hash = {"pk", model::AttributeType::S};
    model::SecondaryIndex index;
    index.name = "gsi";
    index.key_schema.hash = {"g", model::AttributeType::S};
    index.projection.type = model::ProjectionType::KeysOnly;
    definition->global_indexes.push_back(index);
    table_.definition = definition;
    index_target_.table = table_;
    index_target_.index = &definition->global_indexes[0];
    index_target_.global = true;
    table_target_.table = table_;
    with_projection_.projection =
        std::vector<model::expressions::Path>{{model::expressions::PathStep::member("a")}};
  }

  std::string error_of(const std::optional<std::string>& select, const ReadTarget& target,
                       const ReadExpressions& expressions) {
    try {
      resolve_select(select, target, expressions);
    } catch (const model::ApiError& error) {
      return error.message();
    }
    return "";
  }

  TableHandle table_;
  ReadTarget table_target_;
  ReadTarget index_target_;
  ReadExpressions none_;
  ReadExpressions with_projection_;
};

TEST_F(ResolveSelectTest, Defaults) {
  EXPECT_EQ(resolve_select(std::nullopt, table_target_, none_), Select::AllAttributes);
  EXPECT_EQ(resolve_select(std::nullopt, index_target_, none_), Select::AllProjectedAttributes);
  EXPECT_EQ(resolve_select(std::nullopt, index_target_, with_projection_),
            Select::SpecificAttributes);
}

TEST_F(ResolveSelectTest, Messages) {
  EXPECT_EQ(error_of("SPECIFIC_ATTRIBUTES", table_target_, none_),
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
            "SPECIFIC_ATTRIBUTES");
  EXPECT_EQ(error_of("COUNT", table_target_, with_projection_),
            "Cannot specify the ProjectionExpression when choosing to get only the Count");
  ReadExpressions legacy = with_projection_;
  legacy.legacy_projection = true;
  EXPECT_EQ(error_of("ALL_ATTRIBUTES", table_target_, legacy),
            "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES");
  EXPECT_EQ(error_of("ALL_PROJECTED_ATTRIBUTES", table_target_, with_projection_),
            "Cannot specify the ProjectionExpression when choosing to get "
            "ALL_PROJECTED_ATTRIBUTES");
  EXPECT_EQ(error_of("ALL_PROJECTED_ATTRIBUTES", table_target_, none_),
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
}

TEST_F(ResolveSelectTest, AllAttributesNeedsAnAllGsi) {
  EXPECT_NO_THROW(check_all_attributes_available(Select::AllAttributes, table_target_));
  EXPECT_THROW(check_all_attributes_available(Select::AllAttributes, index_target_),
               model::ApiError);
  EXPECT_NO_THROW(check_all_attributes_available(Select::Count, index_target_));
}

}  // namespace
}  // namespace eddy::operations
