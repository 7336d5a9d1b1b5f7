#pragma once
// Cruddur's HTTP API, as the seeds' Flask routes (app.py) answer it, and the web page's files.
// Plain request/response structs so the routes know nothing of the HTTP library.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/jwt.h"
#include "http/static_files.h"
#include "messages/message_store.h"
#include "users/user_store.h"

namespace cruddur::http {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// How bearer tokens are checked: Cognito's JWKS when configured, else the offline dev sign-in's
// key (and then /api/dev/* issues tokens for the seeded users).
struct Authentication {
  const auth::TokenVerifier* verifier = nullptr;
  const auth::DevTokenIssuer* dev_issuer = nullptr;  // null with a real Cognito pool
};

class ApiRoutes {
 public:
  ApiRoutes(users::UserStore& users, messages::MessageStore& messages,
            Authentication authentication, const StaticFiles& web_files);

  // Never throws: a failure of DynamoDB or the database is a 500 with the reason logged.
  ApiResponse handle(const ApiRequest& request);

 private:
  ApiResponse route(const ApiRequest& request, const std::string& path);
  std::optional<users::User> signed_in_user(const ApiRequest& request);
  ApiResponse dev_users();
  ApiResponse dev_sign_in(const ApiRequest& request);
  ApiResponse message_groups(const users::User& me);
  ApiResponse messages_of(const users::User& me, const std::string& message_group_uuid);
  ApiResponse create_message(const users::User& me, const ApiRequest& request);
  ApiResponse user_short(const std::string& handle);

  users::UserStore& users_;
  messages::MessageStore& messages_;
  Authentication authentication_;
  const StaticFiles& web_files_;
};

// The number of characters (code points) of UTF-8 text, as Python's len() counts them.
size_t character_count(const std::string& text);

}  // namespace cruddur::http
