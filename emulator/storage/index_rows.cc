// Secondary index rows and their totals. The operations layer decides which rows an item has
// (it knows the index definitions); this file only stores them, inside the caller's transaction,
// so an index can never disagree with its table.
#include "storage/items.h"

namespace eddy::storage {

void Writer::put_index_row(int64_t table_id, int64_t index_id, std::string_view base_hash_key,
                           std::string_view base_range_key, const IndexRow& row) {
  StatementScope insert(connection_.prepare(
      "INSERT INTO index_items(table_id, index_id, partition_hash, hash_key, range_key, tie,"
      " base_hash_key, base_range_key, size, item)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?10, ?6, ?7, ?8, ?9)"));
  insert->bind(1, table_id)
      .bind(2, index_id)
      .bind(3, int64_t{row.partition})
      .bind(4, row.hash_key)
      .bind(5, row.range_key)
      .bind(6, base_hash_key)
      .bind(7, base_range_key)
      .bind(8, row.size)
      .bind(9, row.item)
      .bind(10, int64_t{row.tie})
      .run();
  add_to_index_totals(table_id, index_id, 1, row.size);
}

void Writer::delete_index_row(int64_t table_id, int64_t index_id, std::string_view base_hash_key,
                              std::string_view base_range_key, const IndexRow& row) {
  StatementScope erase(connection_.prepare(
      "DELETE FROM index_items WHERE table_id = ?1 AND index_id = ?2 AND partition_hash = ?3 AND"
      " hash_key = ?4 AND range_key = ?5 AND tie = ?8 AND base_hash_key = ?6 AND"
      " base_range_key = ?7"));
  erase->bind(1, table_id)
      .bind(2, index_id)
      .bind(3, int64_t{row.partition})
      .bind(4, row.hash_key)
      .bind(5, row.range_key)
      .bind(6, base_hash_key)
      .bind(7, base_range_key)
      .bind(8, int64_t{row.tie})
      .run();
  if (connection_.changes() > 0) add_to_index_totals(table_id, index_id, -1, -row.size);
}

void Writer::delete_index(int64_t table_id, int64_t index_id) {
  StatementScope rows(
      connection_.prepare("DELETE FROM index_items WHERE table_id = ?1 AND index_id = ?2"));
  rows->bind(1, table_id).bind(2, index_id).run();
  StatementScope totals(
      connection_.prepare("DELETE FROM index_totals WHERE table_id = ?1 AND index_id = ?2"));
  totals->bind(1, table_id).bind(2, index_id).run();
}

IndexTotals Reader::index_totals(int64_t table_id, int64_t index_id) {
  StatementScope query(connection_.prepare(
      "SELECT item_count, size_bytes FROM index_totals WHERE table_id = ?1 AND index_id = ?2"));
  query->bind(1, table_id).bind(2, index_id);
  if (!query->step()) return {};
  return {query->column_int(0), query->column_int(1)};
}

void Writer::add_to_index_totals(int64_t table_id, int64_t index_id, int64_t items, int64_t bytes) {
  StatementScope upsert(connection_.prepare(
      "INSERT INTO index_totals(table_id, index_id, item_count, size_bytes) VALUES(?1, ?2, ?3, ?4)"
      " ON CONFLICT(table_id, index_id) DO UPDATE SET item_count = item_count + ?3,"
      " size_bytes = size_bytes + ?4"));
  upsert->bind(1, table_id).bind(2, index_id).bind(3, items).bind(4, bytes).run();
}

}  // namespace eddy::storage
