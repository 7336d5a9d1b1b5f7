#pragma once
// The seeds' bin/ddb/seed: the conversation of fixtures/conversation.txt between the two users
// fixtures/users.json names, in the group 5ae290ed-55d1-47a0-bc6d-fe2bc2700399.
#include <string>

#include "messages/message_store.h"
#include "users/user_store.h"

namespace cruddur::messages {

struct SeedResult {
  std::string message_group_uuid;
  int messages_written = 0;    // 0 when an earlier seed wrote them all
  int group_rows_written = 0;  // 0 when both members' rows exist
};

// Writes what is missing of the seeded conversation, so running it again changes nothing and a
// seed cut short is completed. Messages are one minute apart and the last one is `now`: the
// seeds start at now and so write up to 103 minutes into the future, which would pin the
// conversation lists (the stream worker never moves a group backwards) above every real message
// sent in the next two hours. Each member's GRP# row carries the last message. Throws
// std::runtime_error if a fixture user is missing or a conversation line is malformed.
SeedResult seed_conversation(MessageStore& messages, users::UserStore& users,
                             Clock::time_point now);

}  // namespace cruddur::messages
