// cruddur: the seeds' messaging app. `serve` runs the HTTP API, the web page and the stream
// worker; `stream-worker` runs the worker alone; the rest are the seeds' bin/ddb scripts.
#include <pthread.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "auth/jwt.h"
#include "dynamodb/client.h"
#include "http/api_server.h"
#include "tools/ops_commands.h"
#include "worker/stream_worker.h"

namespace {

namespace options = boost::program_options;
using namespace cruddur;

void usage(std::ostream& out) {
  out << "Usage: cruddur COMMAND [ARGS] [prod]\n"
         "  serve [options]          the API, the web page and the stream worker "
         "(serve --help)\n"
         "  stream-worker [options]  the stream worker alone (pattern E)\n"
         "  schema-load [prod]       create the cruddur-messages table "
         "(schema/cruddur-messages.json)\n"
         "  list-tables [prod]       the tables, one per line\n"
         "  drop TABLE [prod]        delete a table\n"
         "  scan [prod]              every item of cruddur-messages, one JSON object per line\n"
         "  seed [prod]              the seeds' conversation between andrewbrown and bayko\n"
         "  list-conversations HANDLE [prod]      a user's conversations, newest first\n"
         "  get-conversation GROUP_UUID [prod]    a conversation's newest 20 messages\n"
         "  set-cognito-user-id HANDLE SUB        a user's id in a real Cognito pool\n"
         "Endpoint: AWS_ENDPOINT_URL (e.g. http://localhost:8000), ignored with prod; region:\n"
         "AWS_REGION or AWS_DEFAULT_REGION; credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n"
         "or ~/.aws/credentials. Users live in $CRUDDUR_DATA_DIR (default ./cruddur-data).\n";
}

struct Parsed {
  options::variables_map values;
  bool help = false;
};

Parsed parse(const options::options_description& described, const std::vector<std::string>& args) {
  Parsed parsed;
  options::store(options::command_line_parser(args).options(described).run(), parsed.values);
  options::notify(parsed.values);
  parsed.help = parsed.values.count("help") > 0;
  return parsed;
}

void add_worker_options(options::options_description& described) {
  described.add_options()("data-dir", options::value<std::string>(),
                          "users and checkpoints (default $CRUDDUR_DATA_DIR or ./cruddur-data)")(
      "stream-poll-ms", options::value<int>()->default_value(200),
      "pause between stream polls that found nothing");
}

std::string data_dir_of(const options::variables_map& values) {
  return values.count("data-dir") ? values["data-dir"].as<std::string>()
                                  : users::default_data_dir();
}

worker::WorkerOptions worker_options_of(const options::variables_map& values) {
  worker::WorkerOptions worker_options;
  worker_options.idle_wait = std::chrono::milliseconds(values["stream-poll-ms"].as<int>());
  return worker_options;
}

std::unique_ptr<auth::TokenVerifier> cognito_verifier(const options::variables_map& values) {
  std::ifstream file(values["jwks"].as<std::string>());
  if (!file) throw std::runtime_error("cannot read " + values["jwks"].as<std::string>());
  auth::VerifierOptions verifier_options;
  if (values.count("cognito-issuer")) {
    verifier_options.issuer = values["cognito-issuer"].as<std::string>();
  }
  if (values.count("cognito-client-id")) {
    verifier_options.client_id = values["cognito-client-id"].as<std::string>();
  }
  return std::make_unique<auth::TokenVerifier>(nlohmann::json::parse(file), verifier_options);
}

int serve(const std::vector<std::string>& args) {
  options::options_description described("cruddur serve options");
  described.add_options()("help", "this text")(
      "port", options::value<unsigned short>()->default_value(4567), "HTTP port (0: any free)")(
      "address", options::value<std::string>()->default_value("127.0.0.1"), "address to bind")(
      "web-dir", options::value<std::string>(), "the page's files (default: app/web)")(
      "threads", options::value<int>()->default_value(4), "request threads")(
      "jwks", options::value<std::string>(),
      "Cognito's JWKS file: verify RS256 tokens with it (disables the dev sign-in)")(
      "cognito-issuer", options::value<std::string>(),
      "expected iss, https://cognito-idp.<region>.amazonaws.com/<pool id>")(
      "cognito-client-id", options::value<std::string>(), "expected app client id")(
      "no-stream-worker", "do not run the stream worker inside the server");
  add_worker_options(described);
  Parsed parsed = parse(described, args);
  if (parsed.help) {
    std::cout << described;
    return 0;
  }
  const auto& values = parsed.values;
  users::UserStore users(data_dir_of(values));
  dynamodb::Client client(dynamodb::settings_from_environment(false));
  messages::MessageStore store(client);

  std::unique_ptr<auth::DevTokenIssuer> dev_issuer;
  std::unique_ptr<auth::TokenVerifier> verifier;
  if (values.count("jwks")) {
    verifier = cognito_verifier(values);
  } else {
    dev_issuer = std::make_unique<auth::DevTokenIssuer>();
    verifier =
        std::make_unique<auth::TokenVerifier>(dev_issuer->jwks(), dev_issuer->verifier_options());
  }
  http::StaticFiles web_files(values.count("web-dir")
                                  ? std::filesystem::path(values["web-dir"].as<std::string>())
                                  : http::default_web_dir());
  http::ApiRoutes routes(users, store, {verifier.get(), dev_issuer.get()}, web_files);
  http::ApiServer server(routes, values["address"].as<std::string>(),
                         values["port"].as<unsigned short>());

  // The worker has its own client and database connection: it must not wait behind requests.
  std::unique_ptr<dynamodb::Client> worker_client;
  std::unique_ptr<worker::Checkpoints> checkpoints;
  std::unique_ptr<worker::StreamWorker> stream_worker;
  std::jthread worker_thread;
  if (!values.count("no-stream-worker")) {
    worker_client = std::make_unique<dynamodb::Client>(dynamodb::settings_from_environment(false));
    checkpoints = std::make_unique<worker::Checkpoints>(users.path());
    stream_worker = std::make_unique<worker::StreamWorker>(*worker_client, *checkpoints, std::clog,
                                                           worker_options_of(values));
    worker_thread = std::jthread([&](std::stop_token stop) { stream_worker->run(stop); });
  }
  std::cout << "cruddur: serving http://" << values["address"].as<std::string>() << ":"
            << server.port() << "/ (" << (dev_issuer ? "dev sign-in" : "Cognito tokens")
            << ", DynamoDB at " << client.settings().endpoint << ")" << std::endl;
  server.run(values["threads"].as<int>());
  return 0;
}

int run_stream_worker(const std::vector<std::string>& args) {
  options::options_description described("cruddur stream-worker options");
  described.add_options()("help", "this text");
  add_worker_options(described);
  Parsed parsed = parse(described, args);
  if (parsed.help) {
    std::cout << described;
    return 0;
  }
  users::UserStore users(data_dir_of(parsed.values));
  dynamodb::Client client(dynamodb::settings_from_environment(false));
  worker::Checkpoints checkpoints(users.path());
  worker::StreamWorker stream_worker(client, checkpoints, std::clog,
                                     worker_options_of(parsed.values));
  // Signals wait for the main thread; the worker finishes the record in hand before it stops.
  sigset_t stopping;
  sigemptyset(&stopping);
  sigaddset(&stopping, SIGINT);
  sigaddset(&stopping, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopping, nullptr);
  std::jthread worker_thread([&](std::stop_token stop) { stream_worker.run(stop); });
  int signal_number = 0;
  sigwait(&stopping, &signal_number);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty() || arguments[0] == "-h" || arguments[0] == "--help") {
    usage(arguments.empty() ? std::cerr : std::cout);
    return arguments.empty() ? 2 : 0;
  }
  std::string command = arguments[0];
  arguments.erase(arguments.begin());
  try {
    if (command == "serve") return serve(arguments);
    if (command == "stream-worker") return run_stream_worker(arguments);
  } catch (const std::exception& error) {
    std::cerr << "cruddur " << command << ": " << error.what() << std::endl;
    return 1;
  }
  if (!tools::is_ops_command(command)) {
    std::cerr << "cruddur: unknown command '" << command << "'\n";
    usage(std::cerr);
    return 2;
  }
  return tools::run_ops_command(command, arguments, std::cout, std::cerr);
}
