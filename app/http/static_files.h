#pragma once
// The web page's files (app/web/): an existing file is served as itself, any other path that
// names no file with an extension gets index.html, whose script routes on the client.
#include <filesystem>
#include <optional>
#include <string>

namespace cruddur::http {

struct StaticFile {
  std::string content_type;
  std::string body;
};

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path directory);

  // nullopt when the path names a missing file (e.g. /missing.js) or tries to leave the
  // directory.
  std::optional<StaticFile> find(const std::string& path) const;
  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::optional<StaticFile> read(const std::filesystem::path& file) const;
  std::filesystem::path directory_;
};

// CRUDDUR_WEB_DIR from the environment, else the source tree's app/web this binary was built
// from.
std::filesystem::path default_web_dir();

}  // namespace cruddur::http
