#pragma once
// The seeds' bin/ddb scripts as cruddur subcommands. A trailing "prod" argument means real AWS:
// the endpoint override (AWS_ENDPOINT_URL) is ignored, as the seeds' scripts drop endpoint_url.
#include <iosfwd>
#include <string>
#include <vector>

namespace cruddur::tools {

// Runs `command` with `arguments`; returns the process exit code. Writes results to out and
// problems to err.
int run_ops_command(const std::string& command, const std::vector<std::string>& arguments,
                    std::ostream& out, std::ostream& err);

// True for the commands run_ops_command knows.
bool is_ops_command(const std::string& command);

}  // namespace cruddur::tools
