// Query and Scan reads: one B-tree range each, so a page of k rows costs O(log N + k).
//
// The SQL differs by which sort key bounds apply, the direction, and whether a read resumes after
// a previous page; every combination is a fixed text built once, because the connection caches
// prepared statements by the address of their text.
#include <array>
#include <string>

#include "storage/items.h"

namespace eddy::storage {
namespace {

using Bound = SortKeyBounds::Bound;

// Parameters: ?1 table, ?2 index, ?3 partition hash, ?4 hash key, ?5 lower, ?6 upper, ?7..?10 the
// index row to resume after (its sort key, its item's key and the item's tie hash).
std::string query_sql(bool index, Bound lower, Bound upper, bool forward, bool resume) {
  std::string columns =
      index ? "hash_key, range_key, base_hash_key, base_range_key, item, size, partition_hash"
            : "hash_key, range_key, NULL, NULL, item, size, partition_hash";
  std::string sql = "SELECT " + columns + " FROM " + (index ? "index_items" : "items") +
                    " WHERE table_id = ?1" + (index ? " AND index_id = ?2" : "") +
                    " AND partition_hash = ?3 AND hash_key = ?4";
  if (lower != Bound::None)
    sql += lower == Bound::Inclusive ? " AND range_key >= ?5" : " AND range_key > ?5";
  if (upper != Bound::None)
    sql += upper == Bound::Inclusive ? " AND range_key <= ?6" : " AND range_key < ?6";
  if (resume) {
    sql += forward ? " AND (range_key, tie, base_hash_key, base_range_key) > (?7, ?10, ?8, ?9)"
                   : " AND (range_key, tie, base_hash_key, base_range_key) < (?7, ?10, ?8, ?9)";
  }
  std::string order = forward ? " ASC" : " DESC";
  sql += " ORDER BY range_key" + order;
  if (index) sql += ", tie" + order + ", base_hash_key" + order + ", base_range_key" + order;
  return sql;
}

// All 2 x 3 x 3 x 2 x 2 texts, indexed by query_variant().
const std::array<std::string, 72>& query_texts() {
  static const std::array<std::string, 72> texts = [] {
    std::array<std::string, 72> all;
    for (int index = 0; index < 2; ++index)
      for (int lower = 0; lower < 3; ++lower)
        for (int upper = 0; upper < 3; ++upper)
          for (int forward = 0; forward < 2; ++forward)
            for (int resume = 0; resume < 2; ++resume) {
              all[(((index * 3 + lower) * 3 + upper) * 2 + forward) * 2 + resume] = query_sql(
                  index, static_cast<Bound>(lower), static_cast<Bound>(upper), forward, resume);
            }
    return all;
  }();
  return texts;
}

const char* query_text(bool index, Bound lower, Bound upper, bool forward, bool resume) {
  int variant = (((int{index} * 3 + static_cast<int>(lower)) * 3 + static_cast<int>(upper)) * 2 +
                 int{forward}) *
                    2 +
                int{resume};
  return query_texts()[static_cast<size_t>(variant)].c_str();
}

// Parameters: ?1 table, ?2 index, ?3 first hash, ?4 last hash, ?5..?9 the row to resume after.
constexpr const char* kScanItems =
    "SELECT hash_key, range_key, NULL, NULL, item, size, partition_hash FROM items"
    " WHERE table_id = ?1 AND partition_hash BETWEEN ?3 AND ?4"
    " ORDER BY partition_hash, hash_key, range_key";
constexpr const char* kScanItemsAfter =
    "SELECT hash_key, range_key, NULL, NULL, item, size, partition_hash FROM items"
    " WHERE table_id = ?1 AND partition_hash BETWEEN ?3 AND ?4"
    " AND (partition_hash, hash_key, range_key) > (?5, ?6, ?7)"
    " ORDER BY partition_hash, hash_key, range_key";
constexpr const char* kScanIndex =
    "SELECT hash_key, range_key, base_hash_key, base_range_key, item, size, partition_hash"
    " FROM index_items WHERE table_id = ?1 AND index_id = ?2 AND partition_hash BETWEEN ?3 AND ?4"
    " ORDER BY partition_hash, hash_key, range_key, tie, base_hash_key, base_range_key";
constexpr const char* kScanIndexAfter =
    "SELECT hash_key, range_key, base_hash_key, base_range_key, item, size, partition_hash"
    " FROM index_items WHERE table_id = ?1 AND index_id = ?2 AND partition_hash BETWEEN ?3 AND ?4"
    " AND (partition_hash, hash_key, range_key, tie, base_hash_key, base_range_key) >"
    " (?5, ?6, ?7, ?10, ?8, ?9)"
    " ORDER BY partition_hash, hash_key, range_key, tie, base_hash_key, base_range_key";

void visit_rows(Statement& statement, const RowVisitor& visit) {
  while (statement.step()) {
    VisitedRow row;
    row.hash_key = statement.column_blob(0);
    row.range_key = statement.column_blob(1);
    row.base_hash_key = statement.column_blob(2);
    row.base_range_key = statement.column_blob(3);
    row.item = statement.column_blob(4);
    row.size = statement.column_int(5);
    row.partition = static_cast<uint32_t>(statement.column_int(6));
    if (!visit(row)) return;
  }
}

}  // namespace

void Reader::query(int64_t table_id, std::optional<int64_t> index_id, uint32_t partition,
                   std::string_view hash_key, const SortKeyBounds& bounds, bool forward,
                   const std::optional<RowKey>& after, const RowVisitor& visit) {
  bool index = index_id.has_value();
  SortKeyBounds effective = bounds;
  // A table partition's sort keys are unique, so resuming is one more bound; an index's are not,
  // so it resumes on (sort key, item key), and the bound on that side becomes redundant.
  bool resume = false;
  if (after) {
    Bound& near = forward ? effective.lower : effective.upper;
    std::string& near_key = forward ? effective.lower_key : effective.upper_key;
    if (index) {
      resume = true;
      near = Bound::None;
    } else {
      near = Bound::Exclusive;
      near_key = after->range_key;
    }
  }
  Statement& statement =
      connection_.prepare(query_text(index, effective.lower, effective.upper, forward, resume));
  StatementScope scope(statement);
  statement.bind(1, table_id).bind(3, int64_t{partition}).bind(4, hash_key);
  if (index) statement.bind(2, *index_id);
  if (effective.lower != Bound::None) statement.bind(5, effective.lower_key);
  if (effective.upper != Bound::None) statement.bind(6, effective.upper_key);
  if (resume) {
    statement.bind(7, after->range_key)
        .bind(8, after->base_hash_key)
        .bind(9, after->base_range_key)
        .bind(10, int64_t{after->tie});
  }
  visit_rows(statement, visit);
}

void Reader::scan(int64_t table_id, std::optional<int64_t> index_id, uint32_t first_hash,
                  uint32_t last_hash, const std::optional<RowKey>& after, const RowVisitor& visit) {
  bool index = index_id.has_value();
  const char* sql =
      index ? (after ? kScanIndexAfter : kScanIndex) : (after ? kScanItemsAfter : kScanItems);
  Statement& statement = connection_.prepare(sql);
  StatementScope scope(statement);
  statement.bind(1, table_id).bind(3, int64_t{first_hash}).bind(4, int64_t{last_hash});
  if (index) statement.bind(2, *index_id);
  if (after) {
    statement.bind(5, int64_t{after->partition}).bind(6, after->hash_key).bind(7, after->range_key);
    if (index) {
      statement.bind(8, after->base_hash_key)
          .bind(9, after->base_range_key)
          .bind(10, int64_t{after->tie});
    }
  }
  visit_rows(statement, visit);
}

}  // namespace eddy::storage
