#include "messages/seed.h"

#include <set>
#include <sstream>
#include <stdexcept>

#include "dynamodb/attribute_values.h"
#include "fixtures.h"

namespace cruddur::messages {
namespace {

using json = nlohmann::json;

struct Line {
  int person;  // 1 or 2
  std::string message;
};

std::vector<Line> conversation_lines() {
  std::vector<Line> lines;
  std::istringstream text(fixtures::kConversation);
  std::string line;
  while (std::getline(text, line)) {
    if (line.empty()) continue;
    if (line.rfind("Person 1: ", 0) == 0) {
      lines.push_back({1, line.substr(10)});
    } else if (line.rfind("Person 2: ", 0) == 0) {
      lines.push_back({2, line.substr(10)});
    } else {
      throw std::runtime_error("invalid conversation line: " + line);
    }
  }
  return lines;
}

users::User fixture_user(users::UserStore& users, const std::string& handle) {
  auto user = users.by_handle(handle);
  if (!user) throw std::runtime_error("seed: no user with handle " + handle);
  return *user;
}

}  // namespace

SeedResult seed_conversation(MessageStore& messages, users::UserStore& users,
                             Clock::time_point now) {
  json group = json::parse(fixtures::kUsers).at("seed_conversation");
  SeedResult result;
  result.message_group_uuid = group.at("message_group_uuid").get<std::string>();
  users::User people[] = {fixture_user(users, group.at("person_1").get<std::string>()),
                          fixture_user(users, group.at("person_2").get<std::string>())};
  std::vector<Line> lines = conversation_lines();

  // Timestamps are whole microseconds of a fixed start, so the same start rebuilds the same sort
  // keys: a seed that was cut short continues from the first message it wrote.
  std::vector<json> existing = messages.all_messages(result.message_group_uuid);
  Clock::time_point start = std::chrono::floor<std::chrono::microseconds>(now) -
                            std::chrono::minutes(static_cast<int>(lines.size()) - 1);
  if (!existing.empty()) {
    start = parse_iso8601(dynamodb::string_member(existing.front(), "sk")).value_or(start);
  }
  std::set<std::string> written;
  for (const auto& item : existing) written.insert(dynamodb::string_member(item, "sk"));

  std::vector<json> missing;
  std::string last_created_at;
  for (size_t index = 0; index < lines.size(); ++index) {
    last_created_at = iso8601(start + std::chrono::minutes(index));
    if (written.count(last_created_at)) continue;
    missing.push_back(message_item(result.message_group_uuid, last_created_at, random_uuid(),
                                   lines[index].message, people[lines[index].person - 1]));
  }
  const std::string& last_message = lines.back().message;
  std::set<std::string> owners;
  for (const auto& row : messages.group_rows(result.message_group_uuid)) {
    owners.insert(dynamodb::string_member(row, "pk"));
  }
  for (int member = 0; member < 2; ++member) {
    const users::User& owner = people[member];
    if (owners.count("GRP#" + owner.uuid)) continue;
    missing.push_back(group_item(owner.uuid, last_created_at, result.message_group_uuid,
                                 last_message, people[1 - member]));
    ++result.group_rows_written;
  }
  result.messages_written = static_cast<int>(missing.size()) - result.group_rows_written;
  messages.put_items(missing);
  return result;
}

}  // namespace cruddur::messages
