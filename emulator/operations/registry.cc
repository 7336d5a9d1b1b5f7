#include "operations/registry.h"

#include <unordered_map>

namespace eddy::operations {

Handler find_operation(std::string_view name) {
  static const std::unordered_map<std::string_view, Handler> kOperations = {
      {"CreateTable", create_table},
      {"DescribeTable", describe_table},
      {"ListTables", list_tables},
      {"DeleteTable", delete_table},
      {"UpdateTable", update_table},
      {"PutItem", put_item},
      {"GetItem", get_item},
      {"DeleteItem", delete_item},
      {"UpdateItem", update_item},
      {"BatchWriteItem", batch_write_item},
      {"BatchGetItem", batch_get_item},
      {"TransactWriteItems", transact_write_items},
      {"TransactGetItems", transact_get_items},
      {"Query", query},
      {"Scan", scan},
      {"TagResource", tag_resource},
      {"UntagResource", untag_resource},
      {"ListTagsOfResource", list_tags_of_resource},
      {"UpdateTimeToLive", update_time_to_live},
      {"DescribeTimeToLive", describe_time_to_live},
      {"DescribeLimits", describe_limits},
      {"DescribeEndpoints", describe_endpoints},
  };
  auto found = kOperations.find(name);
  return found == kOperations.end() ? nullptr : found->second;
}

Handler find_streams_operation(std::string_view name) {
  static const std::map<std::string_view, Handler> kOperations = {
      {"ListStreams", list_streams},
      {"DescribeStream", describe_stream},
      {"GetShardIterator", get_shard_iterator},
      {"GetRecords", get_records},
  };
  auto found = kOperations.find(name);
  return found == kOperations.end() ? nullptr : found->second;
}

void run_operation(Handler handler, Call& call) {
  try {
    handler(call);
  } catch (...) {
    call.fail(std::current_exception());
  }
}

}  // namespace eddy::operations
