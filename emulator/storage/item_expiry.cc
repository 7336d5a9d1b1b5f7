// Time to Live's bookkeeping: one row per expiring item, kept in step by the writes that change
// the item, read by the sweeper in expiry order.
#include "storage/items.h"

namespace eddy::storage {

std::vector<ExpiringItem> Reader::expiring_items(double not_before, double before, int64_t limit) {
  StatementScope query(connection_.prepare(
      "SELECT table_id, partition_hash, hash_key, range_key, expires_at FROM item_expiry "
      "WHERE expires_at >= ?1 AND expires_at < ?2 ORDER BY expires_at LIMIT ?3"));
  query->bind_real(1, not_before).bind_real(2, before).bind(3, limit);
  std::vector<ExpiringItem> items;
  while (query->step()) {
    items.push_back({query->column_int(0), static_cast<uint32_t>(query->column_int(1)),
                     std::string(query->column_blob(2)), std::string(query->column_blob(3)),
                     query->column_real(4)});
  }
  return items;
}

void Writer::set_item_expiry(int64_t table_id, const ItemKey& key,
                             std::optional<double> expires_at) {
  if (!expires_at) {
    StatementScope erase(connection_.prepare(
        "DELETE FROM item_expiry WHERE table_id = ?1 AND partition_hash = ?2 AND hash_key = ?3 "
        "AND range_key = ?4"));
    erase->bind(1, table_id)
        .bind(2, int64_t{key.partition})
        .bind(3, key.hash_key)
        .bind(4, key.range_key)
        .run();
    return;
  }
  StatementScope upsert(connection_.prepare(
      "INSERT OR REPLACE INTO item_expiry(table_id, partition_hash, hash_key, range_key, "
      "expires_at) VALUES(?1, ?2, ?3, ?4, ?5)"));
  upsert->bind(1, table_id)
      .bind(2, int64_t{key.partition})
      .bind(3, key.hash_key)
      .bind(4, key.range_key)
      .bind_real(5, *expires_at)
      .run();
}

void Writer::clear_item_expiries(int64_t table_id) {
  StatementScope erase(connection_.prepare("DELETE FROM item_expiry WHERE table_id = ?1"));
  erase->bind(1, table_id).run();
}

}  // namespace eddy::storage
