// Scan: every item of a table or index, in storage order, a page at a time; a parallel Scan
// reads one segment of the partition hash space.
//
// The checks run in DynamoDB's order: the members' constraints, the expression style, the legacy
// projection and filter, ExclusiveStartKey's values, Segment and TotalSegments, the expressions;
// then, once the table is known, the index, ConsistentRead, the start key's shape, key paths,
// Select, what the index projects, and whether the start key lies in the segment.
#include <limits>

#include "model/api_error.h"
#include "operations/expression_request.h"
#include "operations/legacy_conditions.h"
#include "operations/read_pages.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

using model::validation_error;

constexpr int64_t kMaxTotalSegments = 1000000;

void check_segments(const std::optional<int64_t>& segment,
                    const std::optional<int64_t>& total_segments) {
  if (segment && !total_segments) {
    throw validation_error(
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present");
  }
  if (total_segments && !segment) {
    throw validation_error(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  }
  if (segment && *segment >= *total_segments) {
    throw validation_error(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: " +
        std::to_string(*segment) +
        " is not less than TotalSegments: " + std::to_string(*total_segments));
  }
}

}  // namespace

void scan(Call& call) {
  const json& request = call.request();
  std::optional<std::string> table_name = string_member(request, "TableName");
  std::optional<std::string> index_name = string_member(request, "IndexName");
  std::optional<std::string> select = string_member(request, "Select");
  std::optional<int64_t> limit = integer_member(request, "Limit");
  std::optional<int64_t> segment = integer_member(request, "Segment");
  std::optional<int64_t> total_segments = integer_member(request, "TotalSegments");
  bool consistent_read = boolean_member(request, "ConsistentRead").value_or(false);
  const json* start_json = map_member(request, "ExclusiveStartKey");
  const json* attributes_json = list_member(request, "AttributesToGet");

  // In the order Scan's members are declared, which is the order DynamoDB reports them in.
  Violations violations;
  violations.enumeration(select, "select", kSelectValues);
  violations.table_name(index_name, "indexName", false);
  violations.integer_range(total_segments, "totalSegments", 1, kMaxTotalSegments);
  CapacityDetail capacity = read_capacity_detail(request, violations);
  violations.table_name(table_name, "tableName", true);
  violations.integer_range(segment, "segment", 0, kMaxTotalSegments - 1);
  violations.integer_range(limit, "limit", 1, std::numeric_limits<int64_t>::max());
  check_attributes_to_get_length(attributes_json, violations);
  violations.throw_if_any();

  check_expression_style(request, {{"ProjectionExpression", "FilterExpression"},
                                   {"AttributesToGet", "ScanFilter", "ConditionalOperator"}});
  ReadExpressions read;
  read.projection = attributes_to_get(request);
  read.legacy_projection = read.projection.has_value();
  read.filter = filter_condition(request, "ScanFilter");
  read.legacy_filter = read.filter.has_value();
  std::optional<model::AttributeMap> start_key = read_start_key(start_json);
  check_segments(segment, total_segments);
  RequestExpressions parsed = read_expressions(request);
  if (parsed.filter) read.filter = std::move(parsed.filter);
  if (parsed.projection) read.projection = std::move(parsed.projection->paths);

  // The whole hash space, or the segment's part of it (possibly none).
  std::pair<uint32_t, uint32_t> hashes(0, std::numeric_limits<uint32_t>::max());
  bool empty_segment = false;
  if (total_segments) {
    std::optional<std::pair<uint32_t, uint32_t>> range =
        segment_hash_range(*segment, *total_segments);
    if (range) hashes = *range;
    empty_segment = !range;
  }

  call.reply(call.database().read([&](storage::Reader& reader) {
    TableHandle table = require_table(call, reader, *table_name);
    ReadTarget target = find_read_target(table, index_name);
    check_consistent_read(target, consistent_read);
    std::optional<storage::RowKey> start;
    if (start_key) start = start_row_key(target, *start_key, true);
    check_key_paths_are_scalar(target.definition(), read);

    Select chosen = resolve_select(select, target, read);
    check_all_attributes_available(chosen, target);
    check_projection_is_projected(target, read);
    check_filter_is_projected(target, read);
    if (start && total_segments) {
      uint32_t hash = start->partition;
      if (empty_segment || hash < hashes.first || hash > hashes.second) {
        throw validation_error(
            "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
            "ExclusiveStartKey with correct Segment. TotalSegments: " +
            std::to_string(*total_segments) + " Segment: " + std::to_string(*segment));
      }
    }

    PagePlan plan;
    plan.select = chosen;
    plan.filter = &read.filter;
    plan.projection = &read.projection;
    plan.limit = limit;
    plan.consistent_read = consistent_read;
    plan.capacity = capacity;
    plan.fetch_from_table = needs_table_fetch(target, chosen, read);
    PageCollector page(reader, target, plan);
    if (!empty_segment) {
      std::optional<int64_t> index_id;
      if (target.index) index_id = target.index->id;
      reader.scan(table.id, index_id, hashes.first, hashes.second, start,
                  [&](const storage::VisitedRow& row) { return page.visit(row); });
    }
    return page.response();
  }));
}

}  // namespace eddy::operations
