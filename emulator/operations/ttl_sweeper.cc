#include "operations/ttl_sweeper.h"

#include <iostream>
#include <memory>
#include <mutex>

#include "model/item_codec.h"
#include "model/time_to_live.h"
#include "operations/item_writes.h"
#include "operations/stream_support.h"

namespace eddy::operations {
namespace {

constexpr int64_t kDeletionsPerJob = 500;

// The table an expiry row belongs to, through the catalog's cache.
std::optional<TableHandle> table_by_id(Namespace& space, storage::Writer& writer,
                                       int64_t table_id) {
  std::optional<storage::TableRow> row = writer.find_table_by_id(table_id);
  if (!row) return std::nullopt;
  return space.catalog.find(writer, row->name);
}

// Deletes one expired item as DynamoDB's TTL does. An expiry row whose item is gone or no longer
// due (changed since it was read) is corrected instead.
bool delete_if_expired(storage::Writer& writer, const TableHandle& table,
                       const storage::ExpiringItem& due, double now) {
  const model::TimeToLive& ttl = table.definition->time_to_live;
  std::optional<storage::StoredItem> stored = writer.get_item(table.id, due.key());
  if (!ttl.enabled || !stored) {
    writer.set_item_expiry(table.id, due.key(), std::nullopt);
    return false;
  }
  model::Item item = model::decode_item(stored->bytes);
  std::optional<double> expires_at = model::expiry_time(item, ttl.attribute_name);
  if (!expires_at || !model::is_expired(*expires_at, now)) {
    writer.set_item_expiry(table.id, due.key(), expires_at);
    return false;
  }
  ItemWrite deletion;
  deletion.kind = ItemWrite::Kind::Delete;
  deletion.table_name = table.definition->name;
  deletion.by_service = true;
  apply_write(writer, deletion, {table, key_of_item(*table.definition, item)}, false);
  return true;
}

struct Sweep : std::enable_shared_from_this<Sweep> {
  Namespace& space;
  double now;
  std::function<void(int64_t)> done;
  int64_t deleted = 0;

  Sweep(Namespace& space, double now, std::function<void(int64_t)> done)
      : space(space), now(now), done(std::move(done)) {}

  void run_job(bool trim_streams) {
    auto self = shared_from_this();
    auto outcome = std::make_shared<std::pair<int64_t, int64_t>>();  // (found, deleted)
    space.database.write(
        [self, outcome, trim_streams](storage::Writer& writer) {
          double now = self->now;
          std::vector<storage::ExpiringItem> due = writer.expiring_items(
              now - model::kTimeToLiveIgnoredAfterSeconds, now, kDeletionsPerJob);
          outcome->first = static_cast<int64_t>(due.size());
          std::optional<TableHandle> table;
          for (const auto& item : due) {
            if (!table || table->id != item.table_id) {
              table = table_by_id(self->space, writer, item.table_id);
            }
            if (!table) {
              writer.clear_item_expiries(item.table_id);
              continue;
            }
            if (delete_if_expired(writer, *table, item, now)) ++outcome->second;
          }
          if (trim_streams) writer.trim_streams(now - kStreamRetentionSeconds);
        },
        [self, outcome](std::exception_ptr error) {
          if (error) {
            try {
              std::rethrow_exception(error);
            } catch (const std::exception& failure) {
              std::cerr << "eddy: time to live sweep stopped: " << failure.what() << std::endl;
            }
            return self->done(self->deleted);
          }
          self->deleted += outcome->second;
          if (outcome->first < kDeletionsPerJob) return self->done(self->deleted);
          self->run_job(false);
        });
  }
};

}  // namespace

void sweep_expired(Namespace& space, double now, std::function<void(int64_t deleted)> done) {
  // A read first: a sweep that finds nothing to do costs no write transaction (and no fsync).
  bool anything_due = false;
  bool trim_streams = false;
  try {
    space.database.read([&](storage::Reader& reader) {
      anything_due =
          !reader.expiring_items(now - model::kTimeToLiveIgnoredAfterSeconds, now, 1).empty();
      trim_streams = reader.streams_need_trim(now - kStreamRetentionSeconds);
    });
  } catch (const std::exception& failure) {
    std::cerr << "eddy: time to live sweep skipped: " << failure.what() << std::endl;
    return done(0);
  }
  if (!anything_due && !trim_streams) return done(0);
  std::make_shared<Sweep>(space, now, std::move(done))->run_job(trim_streams);
}

void sweep_all_expired(Namespaces& namespaces, double now,
                       std::function<void(int64_t deleted)> done) {
  std::vector<Namespace*> spaces = namespaces.open_namespaces();
  if (spaces.empty()) return done(0);
  struct Tally {
    std::mutex mutex;
    size_t remaining;
    int64_t deleted = 0;
    std::function<void(int64_t)> done;
  };
  auto tally = std::make_shared<Tally>();
  tally->remaining = spaces.size();
  tally->done = std::move(done);
  for (Namespace* space : spaces) {
    sweep_expired(*space, now, [tally](int64_t deleted) {
      std::unique_lock lock(tally->mutex);
      tally->deleted += deleted;
      if (--tally->remaining > 0) return;
      lock.unlock();
      tally->done(tally->deleted);
    });
  }
}

}  // namespace eddy::operations
