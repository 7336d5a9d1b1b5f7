#pragma once
// The command line, in dynamodb-local's spelling (-port 8000 -inMemory -sharedDb ...), and the
// --long forms.
#include <optional>
#include <string>

#include "operations/settings.h"
#include "protocol/server_options.h"

namespace eddy {

struct Config {
  protocol::ServerOptions server;
  operations::Settings operations;
  bool optimize_db_before_startup = false;
};

// Parses argv. On -help or a usage error prints to stdout/stderr and returns the exit code to
// leave with; otherwise fills config and returns nullopt.
std::optional<int> parse_command_line(int argc, char** argv, Config& config);

}  // namespace eddy
