#include "http/api_routes.h"

#include <iostream>

namespace cruddur::http {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxMessageCharacters = 1024;  // the seeds' CreateMessage limit
constexpr int64_t kDevTokenSeconds = 8 * 3600;

ApiResponse json_response(int status, const json& body) {
  return {status, "application/json", body.dump()};
}

// The seeds' Flask app answers a validation failure with the list of error codes.
ApiResponse errors(int status, const std::string& code) {
  return json_response(status, json::array({code}));
}

json short_user(const users::User& user) {
  return {{"uuid", user.uuid}, {"handle", user.handle}, {"display_name", user.display_name}};
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(messages::Clock::now().time_since_epoch())
      .count();
}

std::string current_year() {
  return messages::year_of(messages::Clock::now());
}

// The text of a string member of a JSON body; "" when absent, null or not a string.
std::string string_field(const json& body, const char* name) {
  auto field = body.find(name);
  return field != body.end() && field->is_string() ? field->get<std::string>() : "";
}

bool has_prefix(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

size_t character_count(const std::string& text) {
  size_t count = 0;
  for (unsigned char byte : text) count += (byte & 0xC0) != 0x80;
  return count;
}

ApiRoutes::ApiRoutes(users::UserStore& users, messages::MessageStore& messages,
                     Authentication authentication, const StaticFiles& web_files)
    : users_(users), messages_(messages), authentication_(authentication), web_files_(web_files) {}

ApiResponse ApiRoutes::handle(const ApiRequest& request) {
  std::string path = request.target.substr(0, request.target.find('?'));
  try {
    return route(request, path);
  } catch (const dynamodb::DynamoDbError& error) {
    std::cerr << "cruddur: " << request.method << " " << path << ": DynamoDB " << error.type()
              << ": " << error.message() << std::endl;
  } catch (const std::exception& error) {
    std::cerr << "cruddur: " << request.method << " " << path << ": " << error.what() << std::endl;
  }
  return json_response(500, {{"errors", {"internal_error"}}});
}

ApiResponse ApiRoutes::route(const ApiRequest& request, const std::string& path) {
  const std::string& method = request.method;
  bool read = method == "GET" || method == "HEAD";
  if (!has_prefix(path, "/api/")) {
    if (!read) return json_response(405, {{"errors", {"method_not_allowed"}}});
    auto file = web_files_.find(path);
    if (!file) return {404, "text/plain; charset=utf-8", "Not Found\n"};
    return {200, file->content_type, std::move(file->body)};
  }
  if (path == "/api/health" && read) return json_response(200, {{"ok", true}});
  if (has_prefix(path, "/api/dev/") && authentication_.dev_issuer) {
    if (path == "/api/dev/users" && read) return dev_users();
    if (path == "/api/dev/sign_in" && method == "POST") return dev_sign_in(request);
  }
  const std::string short_prefix = "/api/users/@";
  if (has_prefix(path, short_prefix) && path.size() > short_prefix.size() + 6 &&
      path.compare(path.size() - 6, 6, "/short") == 0 && read) {
    return user_short(path.substr(short_prefix.size(), path.size() - short_prefix.size() - 6));
  }
  bool known = path == "/api/me" || path == "/api/message_groups" || path == "/api/messages" ||
               has_prefix(path, "/api/messages/");
  if (!known) return json_response(404, {{"errors", {"not_found"}}});
  auto me = signed_in_user(request);
  if (!me) return json_response(401, json::object());
  if (path == "/api/me" && read) return json_response(200, short_user(*me));
  if (path == "/api/message_groups" && read) return message_groups(*me);
  if (path == "/api/messages" && method == "POST") return create_message(*me, request);
  if (has_prefix(path, "/api/messages/") && read) {
    return messages_of(*me, path.substr(std::string("/api/messages/").size()));
  }
  return json_response(405, {{"errors", {"method_not_allowed"}}});
}

std::optional<users::User> ApiRoutes::signed_in_user(const ApiRequest& request) {
  // The seeds' extract_access_token: "Bearer <token>".
  const std::string scheme = "Bearer ";
  if (!has_prefix(request.authorization, scheme) || !authentication_.verifier) return std::nullopt;
  try {
    auto token = authentication_.verifier->verify(request.authorization.substr(scheme.size()),
                                                  now_seconds());
    return users_.by_cognito_user_id(token.subject);
  } catch (const auth::TokenError& error) {
    std::cerr << "cruddur: rejected a bearer token: " << error.what() << std::endl;
    return std::nullopt;
  }
}

ApiResponse ApiRoutes::dev_users() {
  json list = json::array();
  for (const auto& user : users_.all()) list.push_back(short_user(user));
  return json_response(200, list);
}

ApiResponse ApiRoutes::dev_sign_in(const ApiRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return errors(400, "invalid_json");
  auto user = users_.by_handle(string_field(body, "handle"));
  if (!user) return json_response(404, {{"errors", {"user_not_found"}}});
  std::string token = authentication_.dev_issuer->issue(user->cognito_user_id, user->handle,
                                                        now_seconds(), kDevTokenSeconds);
  return json_response(200, {{"access_token", token}, {"user", short_user(*user)}});
}

ApiResponse ApiRoutes::user_short(const std::string& handle) {
  auto user = users_.by_handle(handle);
  if (!user) return errors(404, "user_not_found");
  return json_response(200, short_user(*user));
}

ApiResponse ApiRoutes::message_groups(const users::User& me) {
  json list = json::array();
  for (const auto& group : messages_.list_message_groups(me.uuid, current_year())) {
    list.push_back(messages::to_json(group));
  }
  return json_response(200, list);
}

ApiResponse ApiRoutes::messages_of(const users::User& me, const std::string& message_group_uuid) {
  // Someone else's conversation is as unknown to me as one that does not exist.
  if (message_group_uuid.empty() || !messages_.is_member(message_group_uuid, me.uuid)) {
    return errors(404, "message_group_not_found");
  }
  json list = json::array();
  for (const auto& message : messages_.list_messages(message_group_uuid, current_year())) {
    list.push_back(messages::to_json(message));
  }
  return json_response(200, list);
}

ApiResponse ApiRoutes::create_message(const users::User& me, const ApiRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return errors(400, "invalid_json");
  std::string message = string_field(body, "message");
  std::string message_group_uuid = string_field(body, "message_group_uuid");
  std::string receiver_handle = string_field(body, "handle");
  // The seeds' CreateMessage: the mode follows from message_group_uuid, and of several
  // failures the last check's code is the one returned.
  bool update = body.contains("message_group_uuid");
  std::string failure;
  if (update && message_group_uuid.empty()) failure = "message_group_uuid_blank";
  if (!update && receiver_handle.empty()) failure = "user_reciever_handle_blank";
  if (message.empty()) {
    failure = "message_blank";
  } else if (character_count(message) > kMaxMessageCharacters) {
    failure = "message_exceed_max_chars";
  }
  if (!failure.empty()) return errors(422, failure);

  if (update) {
    if (!messages_.is_member(message_group_uuid, me.uuid)) {
      return errors(404, "message_group_not_found");
    }
    auto created =
        messages_.create_message(message_group_uuid, message, me, messages::Clock::now());
    json answer = messages::to_json(created);
    answer["message_group_uuid"] = message_group_uuid;
    answer["uuid"] = me.uuid;  // the seeds answer with the sender's uuid here
    return json_response(200, answer);
  }
  auto receiver = users_.by_handle(receiver_handle);
  if (!receiver) return errors(404, "user_not_found");
  if (receiver->uuid == me.uuid) return errors(422, "user_reciever_is_sender");
  std::string created =
      messages_.create_message_group(message, me, *receiver, messages::Clock::now());
  return json_response(200, {{"message_group_uuid", created}});
}

}  // namespace cruddur::http
