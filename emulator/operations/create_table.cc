// CreateTable: validate the schema with DynamoDB's messages, store the definition.
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <set>

#include "model/api_error.h"
#include "operations/registry.h"
#include "operations/request_reader.h"
#include "operations/stream_support.h"
#include "operations/table_access.h"
#include "operations/table_schema_parsing.h"

namespace eddy::operations {

void create_table(Call& call) {
  const json& request = call.request();
  model::TableDefinition table = parse_create_table(request);
  table.region = call.caller().region;
  table.table_id = boost::uuids::to_string(boost::uuids::random_generator()());
  table.creation_time = now_seconds();
  if (table.pay_per_request) table.billing_mode_changed_time = table.creation_time;
  if (call.settings().delay_transient_statuses) {
    table.transient_status = "CREATING";
    table.transient_until = table.creation_time + call.settings().transient_delay_seconds;
  }
  if (table.stream.enabled) {
    table.stream_label = stream_label_for(table.creation_time);
  }
  model::assign_missing_index_ids(table);

  call.write([table = std::move(table)](storage::Writer& writer) {
    if (writer.find_table_version(table.name)) {
      throw model::resource_in_use("Table already exists: " + table.name);
    }
    writer.insert_table(table.name, model::serialize_table_definition(table));
    double now = now_seconds();
    open_table_stream(writer, table, now);
    json description = describe_table_json(table, 0, 0, now);
    if (table.transient_status == "CREATING") description["TableStatus"] = "CREATING";
    return json{{"TableDescription", description}};
  });
}

}  // namespace eddy::operations
