#include "messages/message_store.h"

#include <algorithm>

#include "dynamodb/attribute_values.h"

namespace cruddur::messages {
namespace {

using json = nlohmann::json;
using dynamodb::string_member;
using dynamodb::string_value;

// The seeds' pattern A and B query: one partition, sort keys of one year, newest first.
json newest_of_year(const std::string& pk, const std::string& year) {
  return {
      {"TableName", kMessagesTable},
      {"KeyConditionExpression", "pk = :pk AND begins_with(sk,:year)"},
      {"ScanIndexForward", false},
      {"Limit", kPageSize},
      {"ExpressionAttributeValues", {{":year", string_value(year)}, {":pk", string_value(pk)}}}};
}

}  // namespace

json to_json(const Entry& entry) {
  return {{"uuid", entry.uuid},
          {"display_name", entry.display_name},
          {"handle", entry.handle},
          {"message", entry.message},
          {"created_at", entry.created_at}};
}

json group_item(const std::string& owner_uuid, const std::string& last_message_at,
                const std::string& message_group_uuid, const std::string& message,
                const users::User& other_user) {
  return {{"pk", string_value("GRP#" + owner_uuid)},
          {"sk", string_value(last_message_at)},
          {"message_group_uuid", string_value(message_group_uuid)},
          {"message", string_value(message)},
          {"user_uuid", string_value(other_user.uuid)},
          {"user_display_name", string_value(other_user.display_name)},
          {"user_handle", string_value(other_user.handle)}};
}

json message_item(const std::string& message_group_uuid, const std::string& created_at,
                  const std::string& message_uuid, const std::string& message,
                  const users::User& sender) {
  return {{"pk", string_value("MSG#" + message_group_uuid)},
          {"sk", string_value(created_at)},
          {"message_uuid", string_value(message_uuid)},
          {"message", string_value(message)},
          {"user_uuid", string_value(sender.uuid)},
          {"user_display_name", string_value(sender.display_name)},
          {"user_handle", string_value(sender.handle)}};
}

std::vector<Entry> MessageStore::list_message_groups(const std::string& my_user_uuid,
                                                     const std::string& year) {
  json page = client_.call("Query", newest_of_year("GRP#" + my_user_uuid, year));
  std::vector<Entry> groups;
  for (const auto& item : page["Items"]) {
    groups.push_back({string_member(item, "message_group_uuid"),
                      string_member(item, "user_display_name"), string_member(item, "user_handle"),
                      string_member(item, "message"), string_member(item, "sk")});
  }
  return groups;
}

std::vector<Entry> MessageStore::list_messages(const std::string& message_group_uuid,
                                               const std::string& year) {
  json page = client_.call("Query", newest_of_year("MSG#" + message_group_uuid, year));
  std::vector<Entry> messages;
  for (const auto& item : page["Items"]) {
    messages.push_back({string_member(item, "message_uuid"),
                        string_member(item, "user_display_name"),
                        string_member(item, "user_handle"), string_member(item, "message"),
                        string_member(item, "sk")});
  }
  std::reverse(messages.begin(), messages.end());
  return messages;
}

Entry MessageStore::create_message(const std::string& message_group_uuid,
                                   const std::string& message, const users::User& sender,
                                   Clock::time_point now) {
  std::string created_at = iso8601(now);
  std::string message_uuid = random_uuid();
  client_.call(
      "PutItem",
      {{"TableName", kMessagesTable},
       {"Item", message_item(message_group_uuid, created_at, message_uuid, message, sender)}});
  return {message_uuid, sender.display_name, sender.handle, message, created_at};
}

std::string MessageStore::create_message_group(const std::string& message,
                                               const users::User& sender,
                                               const users::User& receiver, Clock::time_point now) {
  std::string message_group_uuid = random_uuid();
  std::string created_at = iso8601(now);
  put_items({group_item(sender.uuid, created_at, message_group_uuid, message, receiver),
             group_item(receiver.uuid, created_at, message_group_uuid, message, sender),
             message_item(message_group_uuid, created_at, random_uuid(), message, sender)});
  return message_group_uuid;
}

void MessageStore::put_items(const std::vector<json>& items) {
  constexpr size_t kBatchLimit = 25;  // BatchWriteItem's limit per request
  for (size_t first = 0; first < items.size(); first += kBatchLimit) {
    json writes = json::array();
    for (size_t index = first; index < std::min(items.size(), first + kBatchLimit); ++index) {
      writes.push_back({{"PutRequest", {{"Item", items[index]}}}});
    }
    json request = {{"RequestItems", {{kMessagesTable, writes}}}};
    // BatchWriteItem may hand back what it could not write (throttling on real DynamoDB).
    for (int attempt = 0;; ++attempt) {
      json response = client_.call("BatchWriteItem", request);
      auto unprocessed = response.find("UnprocessedItems");
      if (unprocessed == response.end() || unprocessed->empty()) break;
      if (attempt == 8) {
        throw dynamodb::DynamoDbError("ProvisionedThroughputExceededException",
                                      "BatchWriteItem left items unprocessed after 8 attempts",
                                      400);
      }
      request["RequestItems"] = *unprocessed;
    }
  }
}

std::vector<json> MessageStore::query_all(json request) {
  std::vector<json> items;
  for (;;) {
    json page = client_.call("Query", request);
    for (auto& item : page["Items"]) items.push_back(std::move(item));
    if (!page.contains("LastEvaluatedKey")) return items;
    request["ExclusiveStartKey"] = page["LastEvaluatedKey"];
  }
}

std::vector<json> MessageStore::group_rows(const std::string& message_group_uuid) {
  std::vector<json> rows =
      query_all({{"TableName", kMessagesTable},
                 {"IndexName", kGroupIndex},
                 {"KeyConditionExpression", "message_group_uuid = :group"},
                 {"ExpressionAttributeValues", {{":group", string_value(message_group_uuid)}}}});
  // Only GRP# rows carry message_group_uuid today; the check keeps that an assumption.
  std::erase_if(rows,
                [](const json& row) { return string_member(row, "pk").rfind("GRP#", 0) != 0; });
  return rows;
}

bool MessageStore::is_member(const std::string& message_group_uuid, const std::string& user_uuid) {
  std::string pk = "GRP#" + user_uuid;
  auto rows = group_rows(message_group_uuid);
  return std::any_of(rows.begin(), rows.end(),
                     [&](const json& row) { return string_member(row, "pk") == pk; });
}

std::vector<json> MessageStore::all_messages(const std::string& message_group_uuid) {
  return query_all(
      {{"TableName", kMessagesTable},
       {"KeyConditionExpression", "pk = :pk"},
       {"ExpressionAttributeValues", {{":pk", string_value("MSG#" + message_group_uuid)}}},
       {"ConsistentRead", true}});
}

}  // namespace cruddur::messages
