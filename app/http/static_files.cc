#include "http/static_files.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace cruddur::http {
namespace {

std::string content_type_of(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"}};
  auto known = kTypes.find(file.extension().string());
  return known != kTypes.end() ? known->second : "application/octet-stream";
}

}  // namespace

std::filesystem::path default_web_dir() {
  const char* configured = std::getenv("CRUDDUR_WEB_DIR");
  return configured && *configured ? configured : CRUDDUR_WEB_DIR;
}

StaticFiles::StaticFiles(std::filesystem::path directory)
    : directory_(std::filesystem::weakly_canonical(directory)) {}

std::optional<StaticFile> StaticFiles::read(const std::filesystem::path& file) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  return StaticFile{content_type_of(file), body.str()};
}

std::optional<StaticFile> StaticFiles::find(const std::string& path) const {
  std::string relative = path.substr(0, path.find('?'));
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  std::filesystem::path wanted = std::filesystem::weakly_canonical(directory_ / relative);
  // Reject what resolves outside the directory (../, symlinks out).
  auto [end, unused] =
      std::mismatch(directory_.begin(), directory_.end(), wanted.begin(), wanted.end());
  if (end != directory_.end()) return std::nullopt;
  std::error_code error;
  if (!relative.empty() && std::filesystem::is_regular_file(wanted, error)) return read(wanted);
  // Client-side routes (/messages/<uuid>) have no extension; a missing /app.js must stay 404.
  if (std::filesystem::path(relative).has_extension()) return std::nullopt;
  return read(directory_ / "index.html");
}

}  // namespace cruddur::http
