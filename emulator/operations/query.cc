// Query: the items of one partition of a table or index, in sort key order, a page at a time.
//
// The checks run in DynamoDB's order: the members' constraints, the expression style, the legacy
// filter and projection, ExclusiveStartKey's values, the presence of a key condition and the
// expressions; then, once the table is known, the index, key paths, ConsistentRead, the start
// key's shape, the key condition against the key schema, the start key against the condition,
// the filter and Select. The read itself is one range of storage's B-tree.
#include <limits>

#include "model/api_error.h"
#include "model/expressions/key_condition.h"
#include "model/expressions/parser.h"
#include "model/key_encoding.h"
#include "model/partition_hash.h"
#include "operations/expression_request.h"
#include "operations/legacy_conditions.h"
#include "operations/read_pages.h"
#include "operations/registry.h"
#include "operations/table_access.h"

namespace eddy::operations {
namespace {

namespace expressions = model::expressions;
using expressions::KeyCondition;
using expressions::RangeOperator;
using model::validation_error;
using storage::SortKeyBounds;

constexpr size_t kMaxRangeKeyBytes = 1024;
const std::string kNotIndexable = "Attempted conditional constraint is not an indexable operation";

// The key condition, checked against the key schema of what is read, as storage bounds.
struct KeyRange {
  std::string hash;        // encoded
  uint32_t partition = 0;  // model::partition_hash of the partition key
  const KeyCondition::Part* range = nullptr;
  std::vector<std::string> range_values;  // encoded
  SortKeyBounds bounds;
};

const KeyCondition::Part* part_for(const KeyCondition& condition, const std::string& attribute) {
  for (const auto& part : condition.parts) {
    if (part.attribute == attribute) return &part;
  }
  return nullptr;
}

void check_condition_values(const KeyCondition::Part& part, const model::KeyElement& element) {
  for (const model::AttributeValue& value : part.values) {
    if (value.type() != element.type) {
      throw validation_error(
          "One or more parameter values were invalid: Condition parameter type does not match "
          "schema type");
    }
  }
}

void check_condition_not_empty(const KeyCondition::Part& part, const model::KeyElement& element) {
  for (const model::AttributeValue& value : part.values) {
    if (value.scalar().empty() && element.type != model::AttributeType::N) {
      throw validation_error(
          "One or more parameter values are not valid. The AttributeValue for a key attribute "
          "cannot contain an empty " +
          std::string(element.type == model::AttributeType::S ? "string" : "binary") +
          " value. Key: " + element.name);
    }
  }
}

KeyRange key_range(const KeyCondition& condition, const model::KeySchema& schema) {
  size_t conditions = condition.parts.size();
  if (!schema.range && conditions > 1) throw validation_error("Query key condition not supported");
  const KeyCondition::Part* hash = part_for(condition, schema.hash.name);
  if (!hash) {
    throw validation_error("Query condition missed key schema element: " + schema.hash.name);
  }
  check_condition_values(*hash, schema.hash);
  if (hash->op != RangeOperator::Eq) throw validation_error("Query key condition not supported");
  check_condition_not_empty(*hash, schema.hash);

  KeyRange range;
  range.hash = model::encode_key_value(hash->values[0]);
  range.partition = model::partition_hash(hash->values[0]);
  if (!schema.range) return range;
  const KeyCondition::Part* sort = part_for(condition, schema.range->name);
  if (!sort) {
    // A second condition that is not on the sort key names an attribute outside the key.
    if (conditions > 1) {
      throw validation_error("Query condition missed key schema element: " + schema.range->name);
    }
    return range;
  }
  check_condition_values(*sort, *schema.range);
  check_condition_not_empty(*sort, *schema.range);
  for (const model::AttributeValue& value : sort->values) {
    if (value.scalar().size() > kMaxRangeKeyBytes) {
      throw validation_error(
          "One or more parameter values were invalid: Aggregated size of all range keys has "
          "exceeded the size limit of 1024 bytes");
    }
    range.range_values.push_back(model::encode_key_value(value));
  }
  range.range = sort;

  using Bound = SortKeyBounds::Bound;
  SortKeyBounds& bounds = range.bounds;
  const std::vector<std::string>& values = range.range_values;
  auto lower = [&](Bound bound, const std::string& key) {
    bounds.lower = bound;
    bounds.lower_key = key;
  };
  auto upper = [&](Bound bound, const std::string& key) {
    bounds.upper = bound;
    bounds.upper_key = key;
  };
  switch (sort->op) {
    case RangeOperator::Eq:
      lower(Bound::Inclusive, values[0]);
      upper(Bound::Inclusive, values[0]);
      break;
    case RangeOperator::Lt:
      upper(Bound::Exclusive, values[0]);
      break;
    case RangeOperator::Le:
      upper(Bound::Inclusive, values[0]);
      break;
    case RangeOperator::Gt:
      lower(Bound::Exclusive, values[0]);
      break;
    case RangeOperator::Ge:
      lower(Bound::Inclusive, values[0]);
      break;
    case RangeOperator::Between:
      lower(Bound::Inclusive, values[0]);
      upper(Bound::Inclusive, values[1]);
      break;
    case RangeOperator::BeginsWith: {
      // S and B keys are encoded as their raw bytes, so a prefix of the value is a prefix of the
      // encoding, and the prefix's successor bounds every value that begins with it.
      lower(Bound::Inclusive, values[0]);
      if (std::optional<std::string> successor = prefix_successor(values[0])) {
        upper(Bound::Exclusive, *successor);
      }
      break;
    }
  }
  return range;
}

// Whether a read can resume after sort key `key` and still be inside the condition. Beyond
// lying inside the range, an inclusive end of it in the read's direction leaves nothing to
// resume to, and DynamoDB rejects such a key too (a table's sort keys being unique).
bool resumable_within(const KeyRange& range, const std::string& key, bool forward, bool unique) {
  const std::vector<std::string>& v = range.range_values;
  switch (range.range->op) {
    case RangeOperator::Eq:
      return key == v[0];
    case RangeOperator::Lt:
      return key < v[0];
    case RangeOperator::Le:
      return key < v[0] || (key == v[0] && (!forward || !unique));
    case RangeOperator::Gt:
      return key > v[0];
    case RangeOperator::Ge:
      return key > v[0] || (key == v[0] && (forward || !unique));
    case RangeOperator::Between:
      if (key < v[0] || key > v[1]) return false;
      if (!unique) return true;
      return forward ? key < v[1] : key > v[0];
    case RangeOperator::BeginsWith:
      return key.compare(0, v[0].size(), v[0]) == 0;
  }
  return false;
}

void check_start_within_condition(const KeyRange& range, const storage::RowKey& start, bool forward,
                                  bool unique_sort_keys) {
  if (!range.range) {
    if (start.hash_key != range.hash) {
      throw validation_error(
          "The provided starting key is outside query boundaries based on provided conditions");
    }
    return;
  }
  if (!resumable_within(range, start.range_key, forward, unique_sort_keys)) {
    throw validation_error("The provided starting key does not match the range key predicate");
  }
  if (start.hash_key != range.hash) {
    throw validation_error("The query can return at most one row and cannot be restarted");
  }
}

// The sort key a table read ends on inclusively, in its direction (see PagePlan).
std::optional<std::string> final_range_key(const KeyRange& range, bool forward) {
  if (!range.range) return std::nullopt;
  RangeOperator op = range.range->op;
  if (forward && (op == RangeOperator::Le || op == RangeOperator::Between)) {
    return range.range_values.back();
  }
  if (!forward && (op == RangeOperator::Ge || op == RangeOperator::Between)) {
    return range.range_values.front();
  }
  return std::nullopt;
}

KeyCondition key_condition_of(const expressions::Node& bound) {
  try {
    return expressions::key_condition_from_expression(bound);
  } catch (const expressions::ExpressionError& error) {
    std::string message = error.what();
    // DynamoDB words this one as an error in the expression; the others stand alone.
    if (message == "KeyConditionExpressions cannot have conditions on nested attributes") {
      message = "Invalid KeyConditionExpression: " + message;
    }
    throw validation_error(message);
  }
}

}  // namespace

void query(Call& call) {
  const json& request = call.request();
  std::optional<std::string> table_name = string_member(request, "TableName");
  std::optional<std::string> index_name = string_member(request, "IndexName");
  std::optional<std::string> select = string_member(request, "Select");
  std::optional<int64_t> limit = integer_member(request, "Limit");
  bool consistent_read = boolean_member(request, "ConsistentRead").value_or(false);
  bool forward = boolean_member(request, "ScanIndexForward").value_or(true);
  const json* start_json = map_member(request, "ExclusiveStartKey");
  const json* attributes_json = list_member(request, "AttributesToGet");

  // In the order Query's members are declared, which is the order DynamoDB reports them in.
  Violations violations;
  violations.enumeration(select, "select", kSelectValues);
  violations.table_name(index_name, "indexName", false);
  CapacityDetail capacity = read_capacity_detail(request, violations);
  violations.table_name(table_name, "tableName", true);
  check_attributes_to_get_length(attributes_json, violations);
  violations.integer_range(limit, "limit", 1, std::numeric_limits<int64_t>::max());
  violations.throw_if_any();

  check_expression_style(
      request, {{"ProjectionExpression", "FilterExpression", "KeyConditionExpression"},
                {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"}});
  ReadExpressions read;
  read.filter = filter_condition(request, "QueryFilter");
  read.legacy_filter = read.filter.has_value();
  read.projection = attributes_to_get(request);
  read.legacy_projection = read.projection.has_value();
  std::optional<model::AttributeMap> start_key = read_start_key(start_json);
  if (!member(request, "KeyConditions") && !member(request, "KeyConditionExpression")) {
    throw validation_error(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  RequestExpressions parsed = read_expressions(request);
  if (parsed.filter) read.filter = std::move(parsed.filter);
  if (parsed.projection) read.projection = std::move(parsed.projection->paths);
  if (parsed.key_condition) read.key_condition = &*parsed.key_condition;
  // DynamoDB judges a legacy condition's operator against the key schema, so a non-indexable
  // one is reported only once the table is known.
  std::optional<KeyCondition> legacy_key_condition;
  bool not_indexable = false;
  try {
    legacy_key_condition = key_conditions(request);
  } catch (const model::ApiError& error) {
    if (error.message() != kNotIndexable) throw;
    not_indexable = true;
  }

  call.reply(call.database().read([&](storage::Reader& reader) {
    TableHandle table = require_table(call, reader, *table_name);
    ReadTarget target = find_read_target(table, index_name);
    check_key_paths_are_scalar(target.definition(), read);
    check_consistent_read(target, consistent_read);
    std::optional<storage::RowKey> start;
    if (start_key) start = start_row_key(target, *start_key, false);

    KeyCondition condition;
    if (read.key_condition) {
      condition = key_condition_of(*read.key_condition);
    } else if (not_indexable) {
      throw validation_error(kNotIndexable);
    } else {
      condition = std::move(*legacy_key_condition);
    }
    const model::KeySchema& schema = target.key_schema();
    KeyRange range = key_range(condition, schema);
    // Only a table's sort keys are unique within a partition; an index's repeat.
    bool unique_sort_keys = !target.index;
    if (start) check_start_within_condition(range, *start, forward, unique_sort_keys);

    check_filter_avoids_key(target, read);
    check_filter_is_projected(target, read);
    Select chosen = resolve_select(select, target, read);
    check_all_attributes_available(chosen, target);
    check_projection_is_projected(target, read);

    PagePlan plan;
    plan.select = chosen;
    plan.filter = &read.filter;
    plan.projection = &read.projection;
    plan.limit = limit;
    plan.consistent_read = consistent_read;
    plan.capacity = capacity;
    plan.fetch_from_table = needs_table_fetch(target, chosen, read);
    if (!target.index) {
      plan.final_range_key = final_range_key(range, forward);
      plan.single_item_partitions = !schema.range;
    }
    std::optional<int64_t> index_id;
    if (target.index) index_id = target.index->id;
    PageCollector page(reader, target, plan);
    reader.query(table.id, index_id, range.partition, range.hash, range.bounds, forward, start,
                 [&](const storage::VisitedRow& row) { return page.visit(row); });
    return page.response();
  }));
}

}  // namespace eddy::operations
