#include "model/expressions/document_path.h"

namespace eddy::model::expressions {

const AttributeValue* find_path(const Item& item, const Path& path) {
  if (path.empty() || path.front().is_index) return nullptr;
  auto top = item.find(path.front().name);
  if (top == item.end()) return nullptr;
  const AttributeValue* current = &top->second;
  for (size_t i = 1; i < path.size(); ++i) {
    const PathStep& step = path[i];
    if (step.is_index) {
      if (current->type() != AttributeType::L) return nullptr;
      const auto& elements = current->list_elements();
      if (step.index >= elements.size()) return nullptr;
      current = &elements[step.index];
    } else {
      if (current->type() != AttributeType::M) return nullptr;
      const AttributeMap& members = current->map_members();
      auto member = members.find(step.name);
      if (member == members.end()) return nullptr;
      current = &member->second;
    }
  }
  return current;
}

}  // namespace eddy::model::expressions
