#pragma once
// Cruddur's messages in the single table `cruddur-messages`, written and read exactly as the
// seeds' lib/ddb.py does (access patterns A to D):
// - GRP#<my_user_uuid> / sk = last_message_at: one row per conversation per member, carrying the
//   other user's uuid, display name and handle and the last message;
// - MSG#<message_group_uuid> / sk = created_at: one row per message, carrying its sender.
// The GSI message-group-sk-index (message_group_uuid, sk) finds a group's GRP# rows.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dynamodb/client.h"
#include "messages/timestamps.h"
#include "users/user_store.h"

namespace cruddur::messages {

inline constexpr const char* kMessagesTable = "cruddur-messages";
inline constexpr const char* kGroupIndex = "message-group-sk-index";
inline constexpr int kPageSize = 20;  // the seeds' Limit for patterns A and B

// One entry of a conversation list (pattern B) or of a conversation (pattern A), in the shape
// the seeds' Flask routes return.
struct Entry {
  std::string uuid;  // the message group's uuid (B) or the message's (A)
  std::string display_name;
  std::string handle;
  std::string message;
  std::string created_at;
};

nlohmann::json to_json(const Entry& entry);

// The typed DynamoDB items, as the seeds build them.
nlohmann::json group_item(const std::string& owner_uuid, const std::string& last_message_at,
                          const std::string& message_group_uuid, const std::string& message,
                          const users::User& other_user);
nlohmann::json message_item(const std::string& message_group_uuid, const std::string& created_at,
                            const std::string& message_uuid, const std::string& message,
                            const users::User& sender);

class MessageStore {
 public:
  explicit MessageStore(dynamodb::Client& client) : client_(client) {}

  // Pattern B: my conversations this year, newest first, at most 20.
  std::vector<Entry> list_message_groups(const std::string& my_user_uuid, const std::string& year);
  // Pattern A: the newest 20 messages of the group this year, returned oldest first.
  std::vector<Entry> list_messages(const std::string& message_group_uuid, const std::string& year);
  // Pattern D: a message in an existing group (PutItem). Returns the new message's entry.
  Entry create_message(const std::string& message_group_uuid, const std::string& message,
                       const users::User& sender, Clock::time_point now);
  // Pattern C: a new group: both members' GRP# rows and the first message, in one
  // BatchWriteItem. Returns the new group's uuid.
  std::string create_message_group(const std::string& message, const users::User& sender,
                                   const users::User& receiver, Clock::time_point now);
  // The group's GRP# rows (typed items) through message-group-sk-index; empty if no such group.
  std::vector<nlohmann::json> group_rows(const std::string& message_group_uuid);
  // Whether `user_uuid` owns one of the group's GRP# rows.
  bool is_member(const std::string& message_group_uuid, const std::string& user_uuid);
  // Every MSG# row of the group, oldest first (all years; for seeding and tools).
  std::vector<nlohmann::json> all_messages(const std::string& message_group_uuid);

  // PutItem for many items: BatchWriteItem in requests of 25, unprocessed items sent again.
  void put_items(const std::vector<nlohmann::json>& items);

  dynamodb::Client& client() { return client_; }

 private:
  std::vector<nlohmann::json> query_all(nlohmann::json request);
  dynamodb::Client& client_;
};

}  // namespace cruddur::messages
