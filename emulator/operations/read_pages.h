#pragma once
// What Query and Scan share: the table or index a request reads, the checks DynamoDB makes of
// Select, projections and filters against it, ExclusiveStartKey, and the page itself (Limit, the
// 1 MB cap, the filter, the projection, LastEvaluatedKey and the capacity the reads consumed).
//
// Each operation runs the checks in its own order (DynamoDB's orders differ between the two);
// the checks themselves, and their messages, live here.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/attribute_value.h"
#include "model/expressions/syntax_tree.h"
#include "model/table_definition.h"
#include "operations/catalog.h"
#include "operations/item_support.h"
#include "operations/request_reader.h"
#include "storage/items.h"

namespace eddy::operations {

enum class Select : uint8_t { AllAttributes, AllProjectedAttributes, SpecificAttributes, Count };

// The Select values in the order DynamoDB lists them in its enum violation.
extern const std::vector<std::string_view> kSelectValues;

// AttributesToGet's length constraints (1..255), as violations at "attributesToGet".
void check_attributes_to_get_length(const nlohmann::json* list, Violations& violations);

// ExclusiveStartKey's attribute values, parsed as the request arrives. DynamoDB puts "The
// provided starting key is invalid: " before most of their messages, but not before those
// about numbers and duplicate set elements.
std::optional<model::AttributeMap> read_start_key(const nlohmann::json* start_key);

// The filter and projection a request states, in either style; the style decides the wording
// of DynamoDB's messages about them.
struct ReadExpressions {
  std::optional<model::expressions::Node> filter;
  bool legacy_filter = false;  // QueryFilter / ScanFilter rather than FilterExpression
  std::optional<std::vector<model::expressions::Path>> projection;
  bool legacy_projection = false;  // AttributesToGet rather than ProjectionExpression
  const model::expressions::Node* key_condition = nullptr;  // Query's KeyConditionExpression
};

// The table or index a Query or Scan reads.
struct ReadTarget {
  TableHandle table;
  const model::SecondaryIndex* index = nullptr;  // null: the table itself
  bool global = false;

  const model::TableDefinition& definition() const { return *table.definition; }
  const model::KeySchema& key_schema() const {
    return index ? index->key_schema : table.definition->key_schema;
  }
};

// IndexName resolved against the table ("The table does not have the specified index: x").
ReadTarget find_read_target(const TableHandle& table, const std::optional<std::string>& index_name);
// GSIs are eventually consistent only.
void check_consistent_read(const ReadTarget& target, bool consistent_read);

// Key attributes (of the table, then of its indexes) are scalars: a document path into one, in
// the filter, the projection or the key condition, is rejected before any other check of them.
void check_key_paths_are_scalar(const model::TableDefinition& table,
                                const ReadExpressions& expressions);

// Query only: a filter may not name the read key's own attributes.
void check_filter_avoids_key(const ReadTarget& target, const ReadExpressions& expressions);

// An index query or scan filters on the index's items, so the filter may name only attributes
// the index projects.
void check_filter_is_projected(const ReadTarget& target, const ReadExpressions& expressions);

// Select's own rules, then the default DynamoDB picks when it is absent: SPECIFIC_ATTRIBUTES with
// a projection, ALL_PROJECTED_ATTRIBUTES on an index, ALL_ATTRIBUTES otherwise.
Select resolve_select(const std::optional<std::string>& select, const ReadTarget& target,
                      const ReadExpressions& expressions);
// ALL_ATTRIBUTES of a GSI needs a GSI that holds them all (an LSI fetches the rest).
void check_all_attributes_available(Select select, const ReadTarget& target);
// A GSI cannot return attributes it does not project (an LSI fetches them from the table).
void check_projection_is_projected(const ReadTarget& target, const ReadExpressions& expressions);

// Whether an LSI read must fetch its items from the table: for ALL_ATTRIBUTES, or for a
// projection naming attributes the index does not hold (a GSI cannot; see above).
bool needs_table_fetch(const ReadTarget& target, Select select, const ReadExpressions& expressions);

// An ExclusiveStartKey, checked against the table's key and (for an index) the index key, as
// storage's position to resume after. `for_scan` selects Scan's wording, which differs.
storage::RowKey start_row_key(const ReadTarget& target, const model::AttributeMap& start_key,
                              bool for_scan);

// ---- Pure helpers ------------------------------------------------------------------------------

// The smallest byte string greater than every string that starts with `prefix`, or nullopt if
// there is none (the prefix is empty or all 0xFF): begins_with's exclusive upper bound.
std::optional<std::string> prefix_successor(std::string_view prefix);

// The partition hashes parallel Scan segment `segment` of `total` covers, inclusive: DynamoDB
// splits the hash space into 4096 buckets and gives segment s the buckets
// ceil(4096*s/total) .. ceil(4096*(s+1)/total)-1. Nullopt when that is no bucket at all.
std::optional<std::pair<uint32_t, uint32_t>> segment_hash_range(int64_t segment, int64_t total);

// Read capacity of `bytes` read together: one unit per started 4 KB, half a unit eventually
// consistent. Unlike GetItem there is no minimum: a page that read nothing costs nothing.
double page_read_units(int64_t bytes, bool consistent);

// ---- The page ----------------------------------------------------------------------------------

struct PagePlan {
  Select select = Select::AllAttributes;
  const std::optional<model::expressions::Node>* filter = nullptr;
  const std::optional<std::vector<model::expressions::Path>>* projection = nullptr;
  std::optional<int64_t> limit;
  bool consistent_read = false;
  CapacityDetail capacity = CapacityDetail::None;
  // An LSI read whose answer needs attributes the index does not project: each item read is
  // read again from the table.
  bool fetch_from_table = false;
  // A table Query whose range ends inclusively at this encoded sort key, in the read's
  // direction: a page whose last item is exactly there has nothing after it, so DynamoDB
  // (Local) gives it no LastEvaluatedKey, and would refuse that key as ExclusiveStartKey.
  std::optional<std::string> final_range_key;
  // A Query of a table without a sort key: its partition holds one item at most, so a page is
  // never followed by another.
  bool single_item_partitions = false;
};

// Collects one page as storage visits its rows; `visit` is the storage visitor and returns
// false once the page is full (Limit items read, or 1 MB read).
class PageCollector {
 public:
  PageCollector(storage::Reader& reader, const ReadTarget& target, const PagePlan& plan);

  bool visit(const storage::VisitedRow& row);
  // The response: Items (unless COUNT), Count, ScannedCount, LastEvaluatedKey, ConsumedCapacity.
  nlohmann::json response();

 private:
  nlohmann::json last_evaluated_key(const storage::VisitedRow& row) const;
  // The row's item as the read sees it: the index's (or table's) stored item, or for a fetching
  // LSI read the table's whole item; nullopt if the table lacks it.
  std::optional<model::Item> read_item(const storage::VisitedRow& row);

  storage::Reader& reader_;
  const ReadTarget& target_;
  const PagePlan& plan_;
  nlohmann::json items_ = nlohmann::json::array();
  int64_t count_ = 0;
  int64_t scanned_ = 0;
  int64_t bytes_read_ = 0;           // of the rows read (the index's rows on an index read)
  int64_t fetched_table_units_ = 0;  // 4 KB units of the items fetched from the table
  nlohmann::json last_key_;          // set once the page stopped early
};

}  // namespace eddy::operations
