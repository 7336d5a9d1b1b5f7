#pragma once
#include <string>

namespace eddy::storage {

// -optimizeDbBeforeStartup: ANALYZE and VACUUM every eddy database file in directory.
void optimize_database_files(const std::string& directory);

}  // namespace eddy::storage
