#include "tools/ops_commands.h"

#include <algorithm>
#include <functional>
#include <map>
#include <ostream>

#include "dynamodb/attribute_values.h"
#include "dynamodb/client.h"
#include "fixtures.h"
#include "messages/message_store.h"
#include "messages/seed.h"
#include "users/user_store.h"

namespace cruddur::tools {
namespace {

using json = nlohmann::json;
using Arguments = std::vector<std::string>;

// Drops a trailing "prod" and says whether it was there.
bool take_prod(Arguments& arguments) {
  if (!arguments.empty() && arguments.back() == "prod") {
    arguments.pop_back();
    return true;
  }
  return false;
}

int schema_load(dynamodb::Client& client, const Arguments&, std::ostream& out) {
  json response = client.call("CreateTable", json::parse(fixtures::kMessagesTableSchema));
  out << response.dump(2) << "\n";
  return 0;
}

int list_tables(dynamodb::Client& client, const Arguments&, std::ostream& out) {
  json request = json::object();
  for (;;) {
    json page = client.call("ListTables", request);
    for (const auto& name : page["TableNames"]) out << name.get<std::string>() << "\n";
    if (!page.contains("LastEvaluatedTableName")) return 0;
    request["ExclusiveStartTableName"] = page["LastEvaluatedTableName"];
  }
}

int drop(dynamodb::Client& client, const Arguments& arguments, std::ostream& out) {
  if (arguments.empty()) {
    throw std::invalid_argument(
        "No TABLE_NAME argument supplied eg cruddur drop cruddur-messages prod");
  }
  client.call("DeleteTable", {{"TableName", arguments[0]}});
  out << "deleted " << arguments[0] << "\n";
  return 0;
}

int scan(dynamodb::Client& client, const Arguments&, std::ostream& out) {
  json request = {{"TableName", messages::kMessagesTable}};
  for (;;) {
    json page = client.call("Scan", request);
    for (const auto& item : page["Items"]) out << dynamodb::plain_item(item).dump() << "\n";
    if (!page.contains("LastEvaluatedKey")) return 0;
    request["ExclusiveStartKey"] = page["LastEvaluatedKey"];
  }
}

// The first `count` characters (code points, as Python's slice counts them) of UTF-8 text.
std::string first_characters(const std::string& text, size_t count) {
  size_t end = 0;
  for (size_t seen = 0; end < text.size() && seen < count; ++seen) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return text.substr(0, end);
}

// The seeds' printout: f'{handle: <16}{formatted_datetime: <22}{message[:40]}...'
void print_entry_line(std::ostream& out, const std::string& handle, const std::string& created_at,
                      const std::string& message) {
  std::string line = handle;
  line.resize(std::max<size_t>(line.size(), 16), ' ');
  std::string when = messages::listing_time(created_at);
  when.resize(std::max<size_t>(when.size(), 22), ' ');
  line += when;
  line += first_characters(message, 40);
  line += "...";
  out << line << "\n";
}

users::User user_by_handle(users::UserStore& users, const std::string& handle) {
  auto user = users.by_handle(handle);
  if (!user) throw std::invalid_argument("no user with handle " + handle);
  return *user;
}

std::string current_year() {
  return messages::year_of(messages::Clock::now());
}

int seed(dynamodb::Client& client, const Arguments&, std::ostream& out) {
  users::UserStore users(users::default_data_dir());
  messages::MessageStore store(client);
  auto result = messages::seed_conversation(store, users, messages::Clock::now());
  out << "seeded " << result.message_group_uuid << ": " << result.messages_written
      << " messages and " << result.group_rows_written << " group rows written\n";
  return 0;
}

// Pattern B for one user: their conversations this year, newest first.
int list_conversations(dynamodb::Client& client, const Arguments& arguments, std::ostream& out) {
  if (arguments.empty()) {
    throw std::invalid_argument("No HANDLE argument supplied eg cruddur list-conversations bayko");
  }
  users::UserStore users(users::default_data_dir());
  users::User me = user_by_handle(users, arguments[0]);
  messages::MessageStore store(client);
  for (const auto& group : store.list_message_groups(me.uuid, current_year())) {
    print_entry_line(out, group.handle, group.created_at, group.message);
  }
  return 0;
}

// Pattern A: the newest 20 messages of a group this year, oldest first.
int get_conversation(dynamodb::Client& client, const Arguments& arguments, std::ostream& out) {
  if (arguments.empty()) {
    throw std::invalid_argument(
        "No MESSAGE_GROUP_UUID argument supplied eg cruddur get-conversation "
        "5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
  }
  messages::MessageStore store(client);
  for (const auto& message : store.list_messages(arguments[0], current_year())) {
    print_entry_line(out, message.handle, message.created_at, message.message);
  }
  return 0;
}

// The seeds' update_cognito_user_ids, one user at a time: `sub` of a real Cognito pool.
int set_cognito_user_id(dynamodb::Client&, const Arguments& arguments, std::ostream& out) {
  if (arguments.size() != 2) {
    throw std::invalid_argument("usage: cruddur set-cognito-user-id HANDLE SUB");
  }
  users::UserStore users(users::default_data_dir());
  if (!users.set_cognito_user_id(arguments[0], arguments[1])) {
    throw std::invalid_argument("no user with handle " + arguments[0]);
  }
  out << arguments[0] << " is now cognito user " << arguments[1] << "\n";
  return 0;
}

using Command = std::function<int(dynamodb::Client&, const Arguments&, std::ostream&)>;

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> kCommands = {
      {"schema-load", schema_load},
      {"list-tables", list_tables},
      {"drop", drop},
      {"scan", scan},
      {"seed", seed},
      {"list-conversations", list_conversations},
      {"get-conversation", get_conversation},
      {"set-cognito-user-id", set_cognito_user_id}};
  return kCommands;
}

}  // namespace

bool is_ops_command(const std::string& command) {
  return commands().count(command) > 0;
}

int run_ops_command(const std::string& command, const std::vector<std::string>& arguments,
                    std::ostream& out, std::ostream& err) {
  Arguments rest = arguments;
  bool prod = take_prod(rest);
  try {
    dynamodb::Client client(dynamodb::settings_from_environment(prod));
    return commands().at(command)(client, rest, out);
  } catch (const dynamodb::DynamoDbError& error) {
    err << "cruddur " << command << ": " << error.type() << ": " << error.message() << "\n";
  } catch (const std::exception& error) {
    err << "cruddur " << command << ": " << error.what() << "\n";
  }
  return 1;
}

}  // namespace cruddur::tools
