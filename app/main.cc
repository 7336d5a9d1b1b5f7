// cruddur: the seeds' messaging app. For now its ops tools (the seeds' bin/ddb scripts).
#include <iostream>
#include <string>
#include <vector>

#include "tools/ops_commands.h"

namespace {

void usage(std::ostream& out) {
  out << "Usage: cruddur COMMAND [ARGS] [prod]\n"
         "  schema-load [prod]    create the cruddur-messages table "
         "(schema/cruddur-messages.json)\n"
         "  list-tables [prod]    the tables, one per line\n"
         "  drop TABLE [prod]     delete a table\n"
         "  scan [prod]           every item of cruddur-messages, one JSON object per line\n"
         "Endpoint: AWS_ENDPOINT_URL (e.g. http://localhost:8000), ignored with prod; region:\n"
         "AWS_REGION or AWS_DEFAULT_REGION; credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n"
         "or ~/.aws/credentials.\n";
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
  if (!cruddur::tools::is_ops_command(command)) {
    std::cerr << "cruddur: unknown command '" << command << "'\n";
    usage(std::cerr);
    return 2;
  }
  return cruddur::tools::run_ops_command(command, arguments, std::cout, std::cerr);
}
