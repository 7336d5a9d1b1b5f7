// DescribeTable, ListTables, DeleteTable and UpdateTable.

#include "model/api_error.h"
#include "operations/index_updates.h"
#include "operations/registry.h"
#include "operations/request_reader.h"
#include "operations/stream_support.h"
#include "operations/table_access.h"
#include "operations/table_schema_parsing.h"

namespace eddy::operations {
namespace {

std::string required_table_name(const json& request) {
  Violations violations;
  std::string name = table_level_table_name(request, violations);
  violations.throw_if_any();
  return name;
}

}  // namespace

void describe_table(Call& call) {
  std::string name = required_table_name(call.request());
  call.reply(call.database().read([&](storage::Reader& reader) {
    std::optional<storage::TableRow> row = reader.find_table(name);
    if (!row)
      throw model::resource_not_found("Requested resource not found: Table: " + name +
                                      " not found");
    TableHandle table = require_table(call, reader, name, false);
    return json{{"Table", describe_table_json(
                              *table.definition, row->item_count, row->size_bytes, now_seconds(),
                              read_index_totals(reader, row->id, *table.definition))}};
  }));
}

void list_tables(Call& call) {
  const json& request = call.request();
  std::optional<std::string> start = string_member(request, "ExclusiveStartTableName");
  std::optional<int64_t> limit = integer_member(request, "Limit");
  Violations violations;
  violations.table_name(start, "exclusiveStartTableName", false);
  violations.integer_range(limit, "limit", 1, 100);
  violations.throw_if_any();
  int64_t page = limit.value_or(100);
  call.reply(call.database().read([&](storage::Reader& reader) {
    // One more than asked tells whether a next page exists.
    std::vector<std::string> names = reader.list_table_names(start.value_or(""), page + 1);
    json response;
    bool more = static_cast<int64_t>(names.size()) > page;
    if (more) names.resize(page);
    response["TableNames"] = names;
    if (more) response["LastEvaluatedTableName"] = names.back();
    return response;
  }));
}

void delete_table(Call& call) {
  std::string name = required_table_name(call.request());
  auto self = call.shared_from_this();
  call.write([self, name](storage::Writer& writer) {
    std::optional<storage::TableRow> row = writer.find_table(name);
    if (!row)
      throw model::resource_not_found("Requested resource not found: Table: " + name +
                                      " not found");
    TableHandle table = require_table(*self, writer, name, false);
    if (table.definition->deletion_protection) {
      throw model::validation_error(
          "Resource cannot be deleted as it is currently protected "
          "against deletion. Disable deletion protection first.");
    }
    double now = now_seconds();
    if (table_status(*table.definition, now) == "CREATING") {
      throw model::resource_in_use(
          "Attempt to change a resource which is still in use: Table is "
          "being created: " +
          name);
    }
    for (const auto& index : table.definition->global_indexes) {
      if (index_status(*table.definition, index, now) != "ACTIVE") {
        throw model::resource_in_use(
            "Attempt to change a resource which is still in use: Cannot delete table while "
            "indexes are being created, updated, or deleted.");
      }
    }
    json description = describe_table_json(*table.definition, row->item_count, row->size_bytes, now,
                                           read_index_totals(writer, row->id, *table.definition));
    description["TableStatus"] = "DELETING";
    // The stream stays readable, disabled, until its records leave retention.
    disable_table_stream(writer, *table.definition, now);
    writer.delete_table(row->id);
    return json{{"TableDescription", description}};
  });
}

void update_table(Call& call) {
  const json& request = call.request();
  Violations violations;
  std::string name = table_level_table_name(request, violations);
  std::optional<std::string> billing_mode = string_member(request, "BillingMode");
  const json* throughput = structure_member(request, "ProvisionedThroughput");
  const json* stream = structure_member(request, "StreamSpecification");
  std::optional<bool> deletion_protection = boolean_member(request, "DeletionProtectionEnabled");
  std::optional<std::string> table_class = string_member(request, "TableClass");
  IndexUpdates index_updates = read_index_updates(request, violations);
  violations.enumeration(billing_mode, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"});
  model::Throughput new_throughput;
  if (throughput) {
    new_throughput = parse_throughput(*throughput, "provisionedThroughput", violations);
  }
  violations.enumeration(table_class, "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"});
  violations.throw_if_any();
  OtherTableChanges others{billing_mode.has_value(), throughput != nullptr, stream != nullptr,
                           deletion_protection.has_value(), table_class.has_value()};
  // AttributeDefinitions alone, or an empty GlobalSecondaryIndexUpdates, change nothing.
  if (!others.any() && index_updates.updates.empty()) {
    throw model::validation_error(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  check_index_updates(index_updates, others);
  std::optional<model::StreamSpecification> new_stream;
  if (stream) new_stream = parse_stream_specification(*stream);
  double delay =
      call.settings().delay_transient_statuses ? call.settings().transient_delay_seconds : 0.0;
  auto self = call.shared_from_this();
  call.write([=, index_updates = std::move(index_updates)](storage::Writer& writer) {
    std::optional<storage::TableRow> row = writer.find_table(name);
    if (!row)
      throw model::resource_not_found("Requested resource not found: Table: " + name +
                                      " not found");
    TableHandle handle = require_table(*self, writer, name, false);
    model::TableDefinition table = *handle.definition;
    double now = now_seconds();
    if (table_status(table, now) != "ACTIVE") {
      throw model::resource_in_use(
          "Attempt to change a resource which is still in use: Table is "
          "being updated: " +
          name);
    }
    settle_index_statuses(table, now);
    bool to_on_demand = billing_mode == "PAY_PER_REQUEST";
    bool to_provisioned = billing_mode == "PROVISIONED";
    bool switched_to_provisioned = to_provisioned && table.pay_per_request;
    if (to_on_demand && throughput) {
      throw model::validation_error(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
          "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    if (to_provisioned && table.pay_per_request && !throughput) {
      throw model::validation_error(
          "One or more parameter values were invalid: ProvisionedThroughput must be specified "
          "when BillingMode is PROVISIONED");
    }
    if (throughput && table.pay_per_request && !to_provisioned) {
      throw model::validation_error(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
          "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    if (throughput && !to_provisioned &&
        new_throughput.read_capacity_units == table.throughput.read_capacity_units &&
        new_throughput.write_capacity_units == table.throughput.write_capacity_units) {
      throw model::validation_error(
          "The provisioned throughput for the table will not change. The requested value equals "
          "the current value. Current ReadCapacityUnits provisioned for the table: " +
          std::to_string(table.throughput.read_capacity_units) +
          ". Requested ReadCapacityUnits: " + std::to_string(new_throughput.read_capacity_units) +
          ". Current WriteCapacityUnits provisioned for the table: " +
          std::to_string(table.throughput.write_capacity_units) +
          ". Requested WriteCapacityUnits: " + std::to_string(new_throughput.write_capacity_units) +
          ". Refer to the Amazon DynamoDB "
          "Developer Guide for current limits and how to request higher limits.");
    }
    if (to_on_demand && !table.pay_per_request) {
      table.pay_per_request = true;
      table.billing_mode_changed_time = now;
      table.throughput.read_capacity_units = 0;
      table.throughput.write_capacity_units = 0;
      for (auto& index : table.global_indexes) index.throughput.reset();
    } else if (switched_to_provisioned) {
      // Each index gets its throughput from a GlobalSecondaryIndexUpdates Update (checked below).
      table.pay_per_request = false;
      table.billing_mode_changed_time = now;
    }
    if (throughput) {
      if (new_throughput.read_capacity_units < table.throughput.read_capacity_units ||
          new_throughput.write_capacity_units < table.throughput.write_capacity_units) {
        table.throughput.last_decrease_time = now;
        table.throughput.number_of_decreases_today += 1;
      }
      if (new_throughput.read_capacity_units > table.throughput.read_capacity_units ||
          new_throughput.write_capacity_units > table.throughput.write_capacity_units) {
        table.throughput.last_increase_time = now;
      }
      table.throughput.read_capacity_units = new_throughput.read_capacity_units;
      table.throughput.write_capacity_units = new_throughput.write_capacity_units;
    }
    if (new_stream) {
      if (new_stream->enabled && table.stream.enabled) {
        throw model::validation_error("Table already has an enabled stream: " + table.arn() +
                                      "/stream/" + table.stream_label);
      }
      if (!new_stream->enabled && !table.stream.enabled) {
        throw model::validation_error("Table already has no stream enabled");
      }
      disable_table_stream(writer, table, now);
      table.stream = *new_stream;
      if (new_stream->enabled) {
        table.stream_label = stream_label_for(now);
        open_table_stream(writer, table, now);
      }
    }
    if (deletion_protection) table.deletion_protection = *deletion_protection;
    if (table_class) table.table_class = *table_class;
    AppliedIndexUpdates applied =
        apply_index_updates(index_updates, table, switched_to_provisioned, now, delay);
    if (delay > 0) {
      table.transient_status = "UPDATING";
      table.transient_until = now + delay;
    }
    writer.update_table_definition(row->id, model::serialize_table_definition(table));
    store_index_updates(writer, row->id, table, applied);
    json description = describe_table_json(table, row->item_count, row->size_bytes, now,
                                           read_index_totals(writer, row->id, table));
    describe_index_updates(description, table, applied, now);
    if (delay > 0) description["TableStatus"] = "UPDATING";
    return json{{"TableDescription", description}};
  });
}

}  // namespace eddy::operations
