#include "config.h"

#include <boost/algorithm/string.hpp>
#include <boost/program_options.hpp>
#include <iostream>
#include <vector>

namespace eddy {

namespace po = boost::program_options;

std::optional<int> parse_command_line(int argc, char** argv, Config& config) {
  po::options_description options(
      "Usage: eddy [options]\n"
      "A DynamoDB-compatible server; takes dynamodb-local's options (-port 8000 or --port 8000)");
  std::string cors = "*";
  std::string credentials_file;
  std::vector<std::string> tls_files;
  // One option per paragraph reads better than clang-format's call chain.
  // clang-format off
  options.add_options()
      ("help,h", "Show this help and exit.")
      ("port", po::value<unsigned short>(&config.server.port)->default_value(8000),
       "TCP port to listen on.")
      ("host", po::value<std::string>(&config.server.host)->default_value("127.0.0.1"),
       "Address to listen on (a container passes 0.0.0.0). dynamodb-local listens on every "
       "interface; eddy only on loopback unless told.")
      ("inMemory", po::bool_switch(&config.operations.in_memory),
       "Keep databases in memory; they vanish when eddy exits. Cannot be combined with -dbPath.")
      ("dbPath", po::value<std::string>(&config.operations.db_path),
       "Directory for the database files (default: the current directory).")
      ("sharedDb", po::bool_switch(&config.operations.shared_db),
       "One database (shared-local-instance.db) for all clients, whatever their credentials "
       "and region.")
      ("cors", po::value<std::string>(&cors)->default_value("*"),
       "Comma-separated origins allowed by CORS (browser clients); \"*\" for any.")
      ("delayTransientStatuses", po::bool_switch(&config.operations.delay_transient_statuses),
       "Tables pass through CREATING, UPDATING and DELETING for a moment, as on AWS.")
      ("optimizeDbBeforeStartup", po::bool_switch(&config.optimize_db_before_startup),
       "Optimize (ANALYZE, VACUUM) the database files under -dbPath before serving.")
      ("ttlSweepInterval",
       po::value<double>(&config.operations.ttl_sweep_interval_seconds)->default_value(1.0),
       "Seconds between sweeps that delete items whose Time to Live has passed (0: never on "
       "its own; POST /_eddy/ttl/sweep from this machine sweeps at once).")
      ("threads", po::value<unsigned>(&config.server.threads)->default_value(0),
       "I/O threads (0: one per core).")
      ("credentials", po::value<std::string>(&credentials_file),
       "Strict mode: an AWS credentials file ([profile] sections with aws_access_key_id and "
       "aws_secret_access_key). Every request must then be signed (SigV4) with one of its keys, "
       "within 15 minutes of this machine's clock.")
      ("tls", po::value<std::vector<std::string>>(&tls_files)->multitoken(),
       "CERT KEY: serve HTTPS with this PEM certificate (chain) and private key.")
      ("disableTelemetry", "Accepted for compatibility with dynamodb-local; eddy sends nothing.");
  // clang-format on

  po::variables_map values;
  try {
    int style = po::command_line_style::default_style | po::command_line_style::allow_long_disguise;
    po::store(po::command_line_parser(argc, argv).options(options).style(style).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    std::cerr << "eddy: " << error.what() << "\n" << options << std::endl;
    return 2;
  }
  if (values.count("help")) {
    std::cout << options << std::endl;
    return 0;
  }
  if (config.operations.in_memory && values.count("dbPath")) {
    std::cerr << "eddy: -inMemory and -dbPath cannot be used together" << std::endl;
    return 2;
  }
  if (config.optimize_db_before_startup && !values.count("dbPath")) {
    std::cerr << "eddy: -optimizeDbBeforeStartup needs -dbPath" << std::endl;
    return 2;
  }
  if (!values.count("dbPath")) config.operations.db_path = ".";
  if (!credentials_file.empty()) {
    try {
      config.server.credentials = protocol::read_credentials_file(credentials_file);
    } catch (const std::exception& error) {
      std::cerr << "eddy: -credentials: " << error.what() << std::endl;
      return 2;
    }
  }
  if (values.count("tls")) {
    if (tls_files.size() != 2) {
      std::cerr << "eddy: -tls takes two files: CERT KEY" << std::endl;
      return 2;
    }
    config.server.tls_certificate_file = tls_files[0];
    config.server.tls_key_file = tls_files[1];
  }
  config.server.cors_origins.clear();
  if (!cors.empty()) {
    boost::split(config.server.cors_origins, cors, boost::is_any_of(","));
    for (auto& origin : config.server.cors_origins) boost::trim(origin);
  }
  return std::nullopt;
}

}  // namespace eddy
