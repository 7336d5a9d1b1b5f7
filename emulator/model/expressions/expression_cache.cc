#include "model/expressions/expression_cache.h"

#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "model/expressions/parser.h"

namespace eddy::model::expressions {
namespace {

// Enough for every distinct expression of a real application; a client generating endless new
// texts (values inlined, say) only makes the cache start over, never grow without bound.
constexpr size_t kMaxEntries = 4096;

struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
};

template <typename Tree>
class Cache {
 public:
  template <typename Parse>
  std::shared_ptr<const Tree> get(std::string_view text, Parse parse) {
    {
      std::shared_lock lock(mutex_);
      auto found = entries_.find(text);
      if (found != entries_.end()) return found->second;
    }
    auto tree = std::make_shared<const Tree>(parse(text));
    std::unique_lock lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.emplace(std::string(text), tree);
    return tree;
  }

 private:
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Tree>, TextHash, std::equal_to<>> entries_;
};

}  // namespace

std::shared_ptr<const Node> cached_condition(std::string_view text) {
  static Cache<Node> cache;
  return cache.get(text, parse_condition);
}

std::shared_ptr<const UpdateExpression> cached_update(std::string_view text) {
  static Cache<UpdateExpression> cache;
  return cache.get(text, parse_update);
}

std::shared_ptr<const ProjectionExpression> cached_projection(std::string_view text) {
  static Cache<ProjectionExpression> cache;
  return cache.get(text, parse_projection);
}

}  // namespace eddy::model::expressions
