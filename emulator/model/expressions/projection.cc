#include "model/expressions/projection.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "model/expressions/document_path.h"

namespace eddy::model::expressions {
namespace {

// A projected value under construction: a whole value, or the named members of a map, or the
// named elements of a list. Only paths that resolved create nodes, so none is ever empty.
struct Projection {
  std::string_view name;  // member name, when the parent is a map
  uint32_t index = 0;     // original element index, when the parent is a list
  const AttributeValue* whole = nullptr;
  bool is_list = false;
  std::vector<Projection> children;  // few per node: a linear search beats a map here

  Projection& child(const PathStep& step) {
    is_list = step.is_index;
    for (Projection& existing : children) {
      if (step.is_index ? existing.index == step.index : existing.name == step.name) {
        return existing;
      }
    }
    Projection& added = children.emplace_back();
    if (step.is_index) {
      added.index = step.index;
    } else {
      added.name = step.name;
    }
    return added;
  }

  // Records `value` at the end of `path` (from step `from` on). A whole value absorbs any part
  // of it also asked for; DynamoDB rejects such overlapping paths before they get here anyway.
  void add(const Path& path, size_t from, const AttributeValue* value) {
    Projection* node = this;
    for (size_t i = from; i < path.size(); ++i) {
      if (node->whole) return;
      node = &node->child(path[i]);
    }
    node->whole = value;
    node->children.clear();
  }

  AttributeValue build() {
    if (whole) return *whole;
    if (is_list) {
      // Elements keep their order and close up the gaps of those not asked for.
      std::sort(children.begin(), children.end(),
                [](const Projection& a, const Projection& b) { return a.index < b.index; });
      std::vector<AttributeValue> elements;
      elements.reserve(children.size());
      for (Projection& element : children) elements.push_back(element.build());
      return AttributeValue::list(std::move(elements));
    }
    AttributeMap members;
    for (Projection& member : children) members.emplace(std::string(member.name), member.build());
    return AttributeValue::map(std::move(members));
  }
};

}  // namespace

Item project(const Item& item, const std::vector<Path>& paths) {
  Item result;
  // Paths into a top-level attribute's parts, built once all paths are in: a top-level name is
  // by far the most common path, and goes straight into the result.
  std::map<std::string_view, Projection> nested;
  for (const Path& path : paths) {
    const AttributeValue* value = find_path(item, path);
    if (!value) continue;
    const std::string& name = path.front().name;
    if (path.size() == 1) {
      result.insert_or_assign(name, *value);
    } else if (!result.contains(name)) {
      nested[name].add(path, 1, value);
    }
  }
  for (auto& [name, projection] : nested) {
    if (!result.contains(name)) result.emplace(std::string(name), projection.build());
  }
  return result;
}

}  // namespace eddy::model::expressions
