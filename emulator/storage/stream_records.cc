// The rows behind DynamoDB Streams: the streams each table has had and their records.
#include "storage/items.h"

namespace eddy::storage {
namespace {

StreamRow stream_row(Statement& query) {
  StreamRow row;
  row.arn = std::string(query.column_blob(0));
  row.table_name = std::string(query.column_blob(1));
  row.label = std::string(query.column_blob(2));
  row.view_type = std::string(query.column_blob(3));
  row.key_schema = std::string(query.column_blob(4));
  row.created_at = query.column_real(5);
  if (!query.column_is_null(6)) row.disabled_at = query.column_real(6);
  return row;
}

constexpr const char* kStreamColumns =
    "arn, table_name, label, view_type, key_schema, created_at, disabled_at";

}  // namespace

std::vector<StreamRow> Reader::list_streams(std::string_view table_name, std::string_view after,
                                            int64_t limit) {
  static const std::string all = std::string("SELECT ") + kStreamColumns +
                                 " FROM streams WHERE arn > ?1 ORDER BY arn LIMIT ?2";
  static const std::string of_table = std::string("SELECT ") + kStreamColumns +
                                      " FROM streams WHERE table_name = ?3 AND arn > ?1 "
                                      "ORDER BY arn LIMIT ?2";
  StatementScope query(connection_.prepare(table_name.empty() ? all.c_str() : of_table.c_str()));
  query->bind_text(1, after).bind(2, limit);
  if (!table_name.empty()) query->bind_text(3, table_name);
  std::vector<StreamRow> rows;
  while (query->step()) rows.push_back(stream_row(*query));
  return rows;
}

std::optional<StreamRow> Reader::find_stream(std::string_view arn) {
  static const std::string sql =
      std::string("SELECT ") + kStreamColumns + " FROM streams WHERE arn = ?1";
  StatementScope query(connection_.prepare(sql.c_str()));
  query->bind_text(1, arn);
  if (!query->step()) return std::nullopt;
  return stream_row(*query);
}

std::vector<StreamRecordRow> Reader::stream_records(std::string_view arn, int64_t from,
                                                    double before, int64_t limit) {
  StatementScope query(connection_.prepare(
      "SELECT sequence, created_at, event_name, keys, old_image, new_image, size_bytes, "
      "by_service FROM stream_records WHERE stream_arn = ?1 AND sequence >= ?2 AND "
      "created_at < ?3 ORDER BY sequence LIMIT ?4"));
  query->bind_text(1, arn).bind(2, from).bind_real(3, before).bind(4, limit);
  std::vector<StreamRecordRow> records;
  while (query->step()) {
    StreamRecordRow record;
    record.sequence = query->column_int(0);
    record.created_at = query->column_real(1);
    record.event_name = std::string(query->column_blob(2));
    record.keys = std::string(query->column_blob(3));
    if (!query->column_is_null(4)) record.old_image = std::string(query->column_blob(4));
    if (!query->column_is_null(5)) record.new_image = std::string(query->column_blob(5));
    record.size_bytes = query->column_int(6);
    record.by_service = query->column_int(7) != 0;
    records.push_back(std::move(record));
  }
  return records;
}

int64_t Reader::last_sequence_before(double time) {
  StatementScope query(
      connection_.prepare("SELECT max(sequence) FROM stream_records WHERE created_at < ?1"));
  query->bind_real(1, time);
  return query->step() ? query->column_int(0) : 0;
}

int64_t Reader::last_stream_sequence_before(std::string_view arn, double time) {
  StatementScope query(connection_.prepare(
      "SELECT max(sequence) FROM stream_records WHERE stream_arn = ?1 AND created_at < ?2"));
  query->bind_text(1, arn).bind_real(2, time);
  return query->step() ? query->column_int(0) : 0;
}

int64_t Reader::first_kept_stream_sequence(std::string_view arn) {
  StatementScope query(
      connection_.prepare("SELECT min(sequence) FROM stream_records WHERE stream_arn = ?1"));
  query->bind_text(1, arn);
  return query->step() ? query->column_int(0) : 0;
}

void Writer::open_stream(const StreamRow& stream) {
  StatementScope insert(connection_.prepare(
      "INSERT INTO streams(arn, table_name, label, view_type, key_schema, created_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  insert->bind_text(1, stream.arn)
      .bind_text(2, stream.table_name)
      .bind_text(3, stream.label)
      .bind_text(4, stream.view_type)
      .bind(5, stream.key_schema)
      .bind_real(6, stream.created_at)
      .run();
}

void Writer::disable_stream(std::string_view arn, double when) {
  StatementScope update(connection_.prepare(
      "UPDATE streams SET disabled_at = ?2 WHERE arn = ?1 AND disabled_at IS NULL"));
  update->bind_text(1, arn).bind_real(2, when).run();
}

int64_t Writer::append_stream_record(std::string_view arn, const StreamRecordRow& record) {
  StatementScope insert(connection_.prepare(
      "INSERT INTO stream_records(stream_arn, created_at, event_name, keys, old_image, "
      "new_image, size_bytes, by_service) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  insert->bind_text(1, arn)
      .bind_real(2, record.created_at)
      .bind_text(3, record.event_name)
      .bind(4, record.keys);
  // A kept statement keeps its bindings: absent images are bound to NULL every time.
  if (record.old_image) {
    insert->bind(5, *record.old_image);
  } else {
    insert->bind_null(5);
  }
  if (record.new_image) {
    insert->bind(6, *record.new_image);
  } else {
    insert->bind_null(6);
  }
  insert->bind(7, record.size_bytes).bind(8, int64_t{record.by_service}).run();
  return sqlite3_last_insert_rowid(connection_.raw());
}

bool Reader::streams_need_trim(double time) {
  StatementScope query(connection_.prepare(
      "SELECT EXISTS(SELECT 1 FROM stream_records WHERE created_at < ?1) OR "
      "EXISTS(SELECT 1 FROM streams WHERE disabled_at IS NOT NULL AND disabled_at < ?1)"));
  query->bind_real(1, time);
  return query->step() && query->column_int(0) != 0;
}

void Writer::trim_streams(double time) {
  StatementScope records(connection_.prepare("DELETE FROM stream_records WHERE created_at < ?1"));
  records->bind_real(1, time).run();
  StatementScope streams(
      connection_.prepare("DELETE FROM streams WHERE disabled_at IS NOT NULL AND "
                          "disabled_at < ?1"));
  streams->bind_real(1, time).run();
}

}  // namespace eddy::storage
