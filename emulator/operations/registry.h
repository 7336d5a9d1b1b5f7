#pragma once
// From an X-Amz-Target operation name to the function that serves it.
#include <string_view>

#include "operations/call.h"

namespace eddy::operations {

using Handler = void (*)(Call& call);

// The handler for a DynamoDB_20120810 operation, or nullptr if eddy does not serve it.
Handler find_operation(std::string_view name);

// The handler for a DynamoDBStreams_20120810 operation, or nullptr.
Handler find_streams_operation(std::string_view name);

// Runs the handler, turning anything it throws into the call's failure.
void run_operation(Handler handler, Call& call);

// Every operation, one declaration each; definitions live in their own files.
void create_table(Call& call);
void describe_table(Call& call);
void list_tables(Call& call);
void delete_table(Call& call);
void update_table(Call& call);
void put_item(Call& call);
void get_item(Call& call);
void delete_item(Call& call);
void update_item(Call& call);
void batch_write_item(Call& call);
void batch_get_item(Call& call);
void transact_write_items(Call& call);
void transact_get_items(Call& call);
void query(Call& call);
void scan(Call& call);
void tag_resource(Call& call);
void untag_resource(Call& call);
void list_tags_of_resource(Call& call);
void describe_limits(Call& call);
void describe_endpoints(Call& call);
void update_time_to_live(Call& call);
void describe_time_to_live(Call& call);
void list_streams(Call& call);
void describe_stream(Call& call);
void get_shard_iterator(Call& call);
void get_records(Call& call);

}  // namespace eddy::operations
