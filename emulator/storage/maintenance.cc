#include "storage/maintenance.h"

#include <filesystem>
#include <iostream>

#include "storage/sqlite_handle.h"

namespace eddy::storage {

void optimize_database_files(const std::string& directory) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() != ".db") continue;
    Connection connection(entry.path().string(), false);
    connection.exec("PRAGMA journal_mode=WAL");
    connection.exec("ANALYZE");
    connection.exec("VACUUM");
    connection.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::cout << "Optimized " << entry.path().string() << std::endl;
  }
}

}  // namespace eddy::storage
