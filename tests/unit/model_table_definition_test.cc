#include <gtest/gtest.h>

#include <stdexcept>

#include "model/table_definition.h"

namespace eddy::model {
namespace {

TableDefinition sample_table() {
  TableDefinition table;
  table.name = "Orders";
  table.table_id = "2f1c5bd6-7a57-4a4b-9a1e-0c4bd5b0f0aa";
  table.region = "eu-west-2";
  table.creation_time = 1717243200.123;
  table.key_schema.hash = KeyElement{"pk", AttributeType::S};
  table.key_schema.range = KeyElement{"sk", AttributeType::N};
  table.attribute_definitions = {
      {"pk", AttributeType::S}, {"sk", AttributeType::N}, {"gsi_pk", AttributeType::B}};
  table.throughput = {5, 10, 2, 1717243300.5, 0};
  SecondaryIndex gsi;
  gsi.id = 7;
  gsi.name = "by_gsi";
  gsi.key_schema.hash = KeyElement{"gsi_pk", AttributeType::B};
  gsi.projection = {ProjectionType::Include, {"a", "b"}};
  gsi.throughput = Throughput{1, 1, 0, 0, 0};
  gsi.status = "CREATING";
  gsi.backfilling = true;
  table.global_indexes = {gsi};
  SecondaryIndex lsi;
  lsi.id = 3;
  lsi.name = "by_other";
  lsi.key_schema.hash = KeyElement{"pk", AttributeType::S};
  lsi.key_schema.range = KeyElement{"other", AttributeType::S};
  lsi.projection = {ProjectionType::KeysOnly, {}};
  table.local_indexes = {lsi};
  table.stream = {true, "NEW_AND_OLD_IMAGES"};
  table.stream_label = "2024-06-01T12:00:00.000";
  table.tags = {{"team", "payments"}, {"env", "ünïcode"}};
  table.deletion_protection = true;
  table.table_class = "STANDARD_INFREQUENT_ACCESS";
  table.transient_until = 1717243205.0;
  table.transient_status = "CREATING";
  return table;
}

TEST(TableDefinition, RoundTripsEveryField) {
  TableDefinition table = sample_table();
  TableDefinition copy = deserialize_table_definition(serialize_table_definition(table));
  EXPECT_EQ(serialize_table_definition(copy), serialize_table_definition(table));
  EXPECT_EQ(copy.name, "Orders");
  EXPECT_EQ(copy.creation_time, 1717243200.123);
  EXPECT_EQ(copy.key_schema.range->type, AttributeType::N);
  EXPECT_EQ(copy.attribute_definitions.size(), 3u);
  EXPECT_EQ(copy.throughput.last_increase_time, 1717243300.5);
  ASSERT_EQ(copy.global_indexes.size(), 1u);
  EXPECT_FALSE(copy.global_indexes[0].key_schema.range.has_value());
  EXPECT_EQ(copy.global_indexes[0].projection.type, ProjectionType::Include);
  EXPECT_EQ(copy.global_indexes[0].projection.non_key_attributes,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(copy.global_indexes[0].backfilling);
  EXPECT_FALSE(copy.local_indexes[0].throughput.has_value());
  EXPECT_EQ(copy.tags[1].value, "ünïcode");
  EXPECT_TRUE(copy.stream.enabled);
  EXPECT_EQ(copy.transient_status, "CREATING");
}

// Index rows in storage are named by id, so ids must survive a reload and never collide; a
// definition written before ids existed gets them, deterministically, on load.
TEST(TableDefinition, IndexesKeepTheirIdsAndMissingOnesAreAssigned) {
  TableDefinition table = sample_table();
  TableDefinition copy = deserialize_table_definition(serialize_table_definition(table));
  EXPECT_EQ(copy.global_indexes[0].id, 7);
  EXPECT_EQ(copy.local_indexes[0].id, 3);
  table.global_indexes.push_back(table.global_indexes[0]);
  table.global_indexes[1].id = 0;
  table.global_indexes[1].name = "added";
  assign_missing_index_ids(table);
  EXPECT_EQ(table.global_indexes[1].id, 8);
  table.global_indexes[0].id = 0;
  table.local_indexes[0].id = 0;
  table.global_indexes[1].id = 0;
  TableDefinition legacy = deserialize_table_definition(serialize_table_definition(table));
  EXPECT_EQ(legacy.global_indexes[0].id, 1);
  EXPECT_EQ(legacy.global_indexes[1].id, 2);
  EXPECT_EQ(legacy.local_indexes[0].id, 3);
}

TEST(TableDefinition, ArnNamesRegionAndTable) {
  EXPECT_EQ(sample_table().arn(), "arn:aws:dynamodb:eu-west-2:000000000000:table/Orders");
}

TEST(TableDefinition, CorruptBytesAreReported) {
  EXPECT_THROW(deserialize_table_definition(""), std::runtime_error);
  EXPECT_THROW(deserialize_table_definition("{"), std::runtime_error);
  EXPECT_THROW(deserialize_table_definition("{\"version\":1}"), std::runtime_error);
  EXPECT_THROW(deserialize_table_definition("{\"version\":99,\"name\":\"x\"}"), std::runtime_error);
  std::string bad_type = serialize_table_definition(sample_table());
  bad_type.replace(bad_type.find("\"type\":\"S\""), 10, "\"type\":\"Q\"");
  EXPECT_THROW(deserialize_table_definition(bad_type), std::runtime_error);
}

}  // namespace
}  // namespace eddy::model
