#pragma once
// What the command line decides about operation behaviour (protocol and storage settings live
// with their own layers).
#include <string>

namespace eddy::operations {

struct Settings {
  // -sharedDb: one namespace for every client; otherwise one per access key id + region.
  bool shared_db = false;
  // -inMemory: databases live in RAM and vanish at exit.
  bool in_memory = false;
  // -dbPath: where on-disk databases go.
  std::string db_path = ".";
  // -delayTransientStatuses: tables pass through CREATING/UPDATING/DELETING as on AWS.
  bool delay_transient_statuses = false;
  double transient_delay_seconds = 1.0;
  // -ttlSweepInterval: how often expired items are deleted (0: only when asked, see admin routes).
  double ttl_sweep_interval_seconds = 1.0;
};

}  // namespace eddy::operations
