#include "model/expressions/update_applier.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "model/api_error.h"
#include "model/expressions/document_path.h"
#include "model/number.h"

namespace eddy::model::expressions {
namespace {

constexpr const char* kMissingAttribute =
    "The provided expression refers to an attribute that does not exist in the item";
constexpr const char* kIncorrectType =
    "An operand in the update expression has an incorrect data type";
constexpr const char* kInvalidPath =
    "The document path provided in the update expression is invalid for update";

// The value of a SET operand, computed from the item as it was before the update. Returns a
// reference into the item or the tree when no computation is needed, else into `scratch`.
const AttributeValue& set_operand(const Node& node, const Item& original, AttributeValue& scratch) {
  switch (node.kind) {
    case NodeKind::Path: {
      const AttributeValue* value = find_path(original, node.path);
      if (!value) throw validation_error(kMissingAttribute);
      return *value;
    }
    case NodeKind::Value:
      return *node.value;
    case NodeKind::Plus:
    case NodeKind::Minus: {
      // Each side is resolved and type-checked before the next, as DynamoDB reports them.
      AttributeValue left_scratch, right_scratch;
      const AttributeValue& left = set_operand(node.children[0], original, left_scratch);
      if (left.type() != AttributeType::N) throw validation_error(kIncorrectType);
      const AttributeValue& right = set_operand(node.children[1], original, right_scratch);
      if (right.type() != AttributeType::N) throw validation_error(kIncorrectType);
      Number a = Number::parse(left.scalar());
      Number b = Number::parse(right.scalar());
      scratch = AttributeValue::number((node.kind == NodeKind::Plus ? a + b : a - b).to_string());
      return scratch;
    }
    case NodeKind::Function:
      if (node.function == "if_not_exists") {
        const AttributeValue* existing = find_path(original, node.children[0].path);
        return existing ? *existing : set_operand(node.children[1], original, scratch);
      }
      if (node.function == "list_append") {
        AttributeValue left_scratch, right_scratch;
        const AttributeValue& left = set_operand(node.children[0], original, left_scratch);
        if (left.type() != AttributeType::L) throw validation_error(kIncorrectType);
        const AttributeValue& right = set_operand(node.children[1], original, right_scratch);
        if (right.type() != AttributeType::L) throw validation_error(kIncorrectType);
        std::vector<AttributeValue> elements;
        elements.reserve(left.list_elements().size() + right.list_elements().size());
        elements.insert(elements.end(), left.list_elements().begin(), left.list_elements().end());
        elements.insert(elements.end(), right.list_elements().begin(), right.list_elements().end());
        scratch = AttributeValue::list(std::move(elements));
        return scratch;
      }
      break;
    default:
      break;
  }
  throw internal_error("Unsupported operand in an update: " + node.function);
}

AttributeValue computed_set_value(const Node& node, const Item& original) {
  AttributeValue scratch;
  const AttributeValue& value = set_operand(node, original, scratch);
  if (&value == &scratch) return scratch;  // moved: a returned local
  return value;
}

// The value reached by the first `length` steps of `path`, mutable; nullptr as in find_path.
AttributeValue* find_prefix(Item& item, const Path& path, size_t length) {
  auto top = item.find(path.front().name);
  if (top == item.end()) return nullptr;
  AttributeValue* current = &top->second;
  for (size_t i = 1; i < length; ++i) {
    const PathStep& step = path[i];
    if (step.is_index) {
      if (current->type() != AttributeType::L) return nullptr;
      auto& elements = current->list_elements();
      if (step.index >= elements.size()) return nullptr;
      current = &elements[step.index];
    } else {
      if (current->type() != AttributeType::M) return nullptr;
      auto& members = current->map_members();
      auto member = members.find(step.name);
      if (member == members.end()) return nullptr;
      current = &member->second;
    }
  }
  return current;
}

bool is_number_or_set(const AttributeValue& value) {
  return value.type() == AttributeType::N || value.is_set();
}

// ADD of `addition` to an existing value of the same type: a sum or a set union.
void add_into(AttributeValue& target, const AttributeValue& addition) {
  if (target.type() == AttributeType::N) {
    Number sum = Number::parse(target.scalar()) + Number::parse(addition.scalar());
    target = AttributeValue::number(sum.to_string());
    return;
  }
  std::vector<std::string>& elements = target.set_elements();
  std::unordered_set<std::string_view> present(elements.begin(), elements.end());
  std::vector<std::string> added;  // appended only after the loop: `present` views `elements`
  for (const std::string& element : addition.set_elements()) {
    if (present.insert(element).second) added.push_back(element);
  }
  elements.insert(elements.end(), std::make_move_iterator(added.begin()),
                  std::make_move_iterator(added.end()));
}

// A change that shifts a list's elements. Deferred to the end, so that every action's indexes
// mean the list as it was (DynamoDB's rule for REMOVE of several elements, and for SET / ADD
// past the end, which append in index order).
struct ListChange {
  const Path* path;  // the element's path; its list is every step but the last
  std::optional<AttributeValue> appended;  // nothing: remove the element
  uint32_t index() const { return path->back().index; }
  size_t list_depth() const { return path->size() - 1; }
};

bool same_list(const ListChange& a, const ListChange& b) {
  return a.list_depth() == b.list_depth() &&
         std::equal(a.path->begin(), a.path->end() - 1, b.path->begin());
}

class UpdateApplier {
 public:
  UpdateApplier(const Item& original, Item& result) : original_(original), result_(result) {}

  void apply(const UpdateExpression& update) {
    // Every SET value is computed before any action changes the item.
    std::vector<AttributeValue> set_values;
    for (const UpdateAction& action : update.actions) {
      if (action.clause == UpdateClause::Set) {
        set_values.push_back(computed_set_value(action.value, original_));
      }
    }
    auto next_set_value = set_values.begin();
    for (const UpdateAction& action : update.actions) {
      switch (action.clause) {
        case UpdateClause::Set:
          put(action.path, std::move(*next_set_value++));
          break;
        case UpdateClause::Remove:
          remove(action.path);
          break;
        case UpdateClause::Add:
          add(action.path, *action.value.value);
          break;
        case UpdateClause::Delete:
          delete_elements(action.path, *action.value.value);
          break;
      }
    }
    apply_list_changes();
  }

 private:
  // Where an action's last step lands: a map (the item itself at the top level) or a list.
  struct Slot {
    AttributeMap* members = nullptr;
    std::vector<AttributeValue>* elements = nullptr;
    AttributeValue* existing = nullptr;  // the current value there, if any
  };

  Slot slot(const Path& path) {
    Slot slot;
    const PathStep& last = path.back();
    if (path.size() == 1) {
      slot.members = &result_;
    } else {
      AttributeValue* parent = find_prefix(result_, path, path.size() - 1);
      AttributeType wanted = last.is_index ? AttributeType::L : AttributeType::M;
      if (!parent || parent->type() != wanted) throw validation_error(kInvalidPath);
      if (last.is_index) {
        slot.elements = &parent->list_elements();
      } else {
        slot.members = &parent->map_members();
      }
    }
    if (slot.members) {
      auto member = slot.members->find(last.name);
      if (member != slot.members->end()) slot.existing = &member->second;
    } else if (last.index < slot.elements->size()) {
      slot.existing = &(*slot.elements)[last.index];
    }
    return slot;
  }

  // Stores a value where nothing is yet: a new map member, or an element appended to a list.
  void insert(const Slot& slot, const Path& path, AttributeValue value) {
    if (slot.members) {
      slot.members->emplace(path.back().name, std::move(value));
    } else {
      list_changes_.push_back({&path, std::move(value)});
    }
  }

  void erase(const Slot& slot, const Path& path) {
    if (slot.members) {
      slot.members->erase(path.back().name);  // other members stay where they are
    } else {
      list_changes_.push_back({&path, std::nullopt});
    }
  }

  void put(const Path& path, AttributeValue value) {
    Slot target = slot(path);
    if (target.existing) {
      *target.existing = std::move(value);
    } else {
      insert(target, path, std::move(value));
    }
  }

  void remove(const Path& path) {
    Slot target = slot(path);
    if (target.existing) erase(target, path);
  }

  void add(const Path& path, const AttributeValue& addition) {
    Slot target = slot(path);
    if (!is_number_or_set(addition)) throw validation_error(kIncorrectType);
    if (!target.existing) {
      insert(target, path, addition);
      return;
    }
    if (target.existing->type() != addition.type()) throw validation_error(kIncorrectType);
    add_into(*target.existing, addition);
  }

  void delete_elements(const Path& path, const AttributeValue& removed) {
    Slot target = slot(path);
    if (!removed.is_set()) throw validation_error(kIncorrectType);
    if (!target.existing) return;
    if (target.existing->type() != removed.type()) throw validation_error(kIncorrectType);
    std::unordered_set<std::string_view> unwanted(removed.set_elements().begin(),
                                                  removed.set_elements().end());
    std::erase_if(target.existing->set_elements(),
                  [&](const std::string& element) { return unwanted.contains(element); });
    // DynamoDB has no empty sets: emptied, the attribute goes.
    if (target.existing->set_elements().empty()) erase(target, path);
  }

  // Deepest lists first: changing a list moves the elements after the change, which would
  // invalidate the indexes of deeper changes inside those elements.
  void apply_list_changes() {
    std::stable_sort(
        list_changes_.begin(), list_changes_.end(),
        [](const ListChange& a, const ListChange& b) { return a.list_depth() > b.list_depth(); });
    std::vector<bool> done(list_changes_.size(), false);
    for (size_t i = 0; i < list_changes_.size(); ++i) {
      if (done[i]) continue;
      std::vector<ListChange*> changes;
      for (size_t j = i; j < list_changes_.size(); ++j) {
        if (!done[j] && same_list(list_changes_[i], list_changes_[j])) {
          done[j] = true;
          changes.push_back(&list_changes_[j]);
        }
      }
      const ListChange& first = list_changes_[i];
      AttributeValue* list = find_prefix(result_, *first.path, first.list_depth());
      if (list && list->type() == AttributeType::L) apply_to_list(list->list_elements(), changes);
    }
  }

  static void apply_to_list(std::vector<AttributeValue>& elements,
                            std::vector<ListChange*>& changes) {
    std::sort(changes.begin(), changes.end(),
              [](const ListChange* a, const ListChange* b) { return a->index() < b->index(); });
    // Removals name existing elements, appends indexes past the end: remove from the back so
    // the indexes still to remove keep their meaning, then append in index order.
    std::optional<uint32_t> last_removed;  // one element, however often it is named
    for (auto change = changes.rbegin(); change != changes.rend(); ++change) {
      uint32_t index = (*change)->index();
      if ((*change)->appended || index >= elements.size() || index == last_removed) continue;
      elements.erase(elements.begin() + index);
      last_removed = index;
    }
    for (ListChange* change : changes) {
      if (change->appended) elements.push_back(std::move(*change->appended));
    }
  }

  const Item& original_;
  Item& result_;
  std::vector<ListChange> list_changes_;
};

}  // namespace

void apply_update(const UpdateExpression& update, Item& item) {
  // All or nothing: the actions work on a copy, which replaces the item only once all succeed.
  Item result = item;
  UpdateApplier(item, result).apply(update);
  item.swap(result);
}

}  // namespace eddy::model::expressions
