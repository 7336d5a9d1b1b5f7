#pragma once
// A table's schema and settings as CreateTable/UpdateTable leave them: what DescribeTable shows
// and what every item operation checks keys against.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/attribute_value.h"

namespace eddy::model {

struct KeyElement {
  std::string name;
  AttributeType type = AttributeType::S;  // S, N or B
};

struct KeySchema {
  KeyElement hash;
  std::optional<KeyElement> range;
};

struct Throughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  int64_t number_of_decreases_today = 0;
  double last_increase_time = 0;  // epoch seconds, 0 = never
  double last_decrease_time = 0;
};

enum class ProjectionType { All, KeysOnly, Include };

struct Projection {
  ProjectionType type = ProjectionType::All;
  std::vector<std::string> non_key_attributes;
};

struct SecondaryIndex {
  // Names the index's rows in storage: unique within its table, never reused while the index
  // exists, and unlike the index's position unchanged when other indexes come and go.
  int64_t id = 0;
  std::string name;
  KeySchema key_schema;
  Projection projection;
  std::optional<Throughput> throughput;  // GSIs on provisioned tables only
  // CREATING (added by UpdateTable, backfilling) or UPDATING (new throughput) while the table's
  // -delayTransientStatuses delay runs (TableDefinition::transient_until), then ACTIVE: read it
  // with operations::index_status(), which knows the clock. The rows of a CREATING index are
  // complete: the backfill runs in the UpdateTable that adds the index.
  std::string status = "ACTIVE";
  bool backfilling = false;
};

struct StreamSpecification {
  bool enabled = false;
  std::string view_type;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
};

// UpdateTimeToLive's setting. The attribute is kept while disabled only to word DescribeTimeToLive
// during DISABLING.
struct TimeToLive {
  bool enabled = false;
  std::string attribute_name;
  double changed_at = 0;  // epoch seconds of the last UpdateTimeToLive, 0 = never
};

struct Tag {
  std::string key;
  std::string value;
};

struct TableDefinition {
  std::string name;
  std::string table_id;      // a UUID
  std::string region;        // from the creating request's credential scope
  double creation_time = 0;  // epoch seconds with milliseconds
  KeySchema key_schema;
  // Every AttributeDefinition, as given (table and index keys), in request order.
  std::vector<KeyElement> attribute_definitions;
  bool pay_per_request = false;
  double billing_mode_changed_time = 0;
  Throughput throughput;
  std::vector<SecondaryIndex> global_indexes;
  std::vector<SecondaryIndex> local_indexes;
  StreamSpecification stream;
  std::string stream_label;  // set while a stream exists
  std::vector<Tag> tags;
  TimeToLive time_to_live;
  bool deletion_protection = false;
  std::string table_class = "STANDARD";
  // -delayTransientStatuses: the table reads as CREATING/UPDATING until this time (epoch s).
  double transient_until = 0;
  std::string transient_status;

  std::string arn() const;  // arn:aws:dynamodb:<region>:000000000000:table/<name>
};

// Gives every index without an id (new ones, and those of definitions written before ids
// existed) the next free id.
void assign_missing_index_ids(TableDefinition& table);

// Opaque bytes for storage, and back. Throws std::runtime_error on corrupt input.
std::string serialize_table_definition(const TableDefinition& table);
TableDefinition deserialize_table_definition(std::string_view bytes);

}  // namespace eddy::model
