// eddy: flags -> Config -> Server; nothing else.
#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <iostream>

#include "config.h"
#include "operations/namespaces.h"
#include "protocol/server.h"
#include "storage/maintenance.h"

namespace {

// Each connection is a descriptor, and the usual soft limit (1024) is far below what the kernel
// allows this process (the hard limit): a thousand idle SDK connections should not be the end.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  raise_descriptor_limit();
  // Past a file-size limit (ulimit -f) the kernel would kill eddy with SIGXFSZ; ignored, the
  // write fails instead and SQLite reports a full disk, which eddy answers and survives.
  std::signal(SIGXFSZ, SIG_IGN);
  eddy::Config config;
  if (auto exit_code = eddy::parse_command_line(argc, argv, config)) return *exit_code;

  try {
    if (config.optimize_db_before_startup) {
      eddy::storage::optimize_database_files(config.operations.db_path);
    }
    eddy::operations::Namespaces namespaces(config.operations);
    namespaces.open_existing();
    eddy::protocol::Server server(config.server, config.operations, namespaces);
    server.listen();
    server.run([&] {
      const auto& ops = config.operations;
      std::cout << "Initializing eddy (DynamoDB-compatible) with the following configuration:\n"
                << "Port:\t" << server.bound_port() << "\n"
                << "Host:\t" << config.server.host << "\n"
                << "InMemory:\t" << (ops.in_memory ? "true" : "false") << "\n"
                << "DbPath:\t" << (ops.in_memory ? "null" : ops.db_path) << "\n"
                << "SharedDb:\t" << (ops.shared_db ? "true" : "false") << "\n"
                << "shouldDelayTransientStatuses:\t"
                << (ops.delay_transient_statuses ? "true" : "false") << "\n"
                << "CorsParams:\t"
                << (config.server.cors_origins.empty() ? "null" : config.server.cors_origins[0])
                << "\n"
                << (ops.shared_db
                        ? "Mode: shared database (all credentials and regions see the same "
                          "tables)\n"
                        : "Mode: per-credential databases (tables are namespaced by access key id "
                          "and region; use -sharedDb to share)\n");
      if (!config.server.tls_certificate_file.empty()) {
        std::cout << "TLS: https only, certificate " << config.server.tls_certificate_file << "\n";
      }
      if (config.server.credentials) {
        std::cout << "Signatures: checked against " << config.server.credentials->size()
                  << " access key(s) from -credentials\n";
      }
      std::cout << std::flush;
    });
    namespaces.close_all();
  } catch (const std::exception& error) {
    std::cerr << "eddy: " << error.what() << std::endl;
    return 1;
  }
  return 0;
}
