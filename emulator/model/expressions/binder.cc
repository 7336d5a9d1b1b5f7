// Binding follows DynamoDB's own last stage of validation (the parser has done the others): a
// walk that resolves placeholders and checks operators, throwing at the first problem. Its order
// is DynamoDB's, which decides the message when an expression has several problems:
//   * a condition is checked bottom-up, each operator after its operands: an undefined name or
//     value, then for the operator its operand count, its operands' types, whether its first
//     operand repeats, and its own rules (a document path, BETWEEN's bounds, IN's size);
//   * an update is checked one action at a time, LAST action first (DynamoDB's parser collects
//     them backwards): first every action's target path (undefined names, then overlap with the
//     targets before it), then every action's value like a condition, then ADD and DELETE's
//     operand type;
//   * a projection's paths are checked last first, like an update's targets.
// Overlapping paths are found the way DynamoDB finds them, with a tree of the paths seen so far
// whose children sit in a Java HashMap. The second path a message names is the first leaf found
// by following the first child in that map's iteration order, so the map's order is reproduced.
#include "model/expressions/binder.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/expressions/parser.h"
#include "model/number.h"

namespace eddy::model::expressions {
namespace {

constexpr size_t kMaxInOperands = 100;

[[noreturn]] void fail(const std::string& message) {
  throw ExpressionError(message);
}

// ---- placeholders ----

class Resolver {
 public:
  explicit Resolver(Placeholders& placeholders) : placeholders_(placeholders) {}

  void path(Path& path) {
    for (PathStep& step : path) {
      if (step.is_index || !step.placeholder) continue;
      const auto* names = placeholders_.names;
      auto found = names ? names->find(step.name) : decltype(names->end()){};
      if (!names || found == names->end()) {
        fail(
            "An expression attribute name used in the document path is not defined; "
            "attribute name: " +
            step.name);
      }
      placeholders_.used_names.insert(step.name);
      step.name = found->second;
      step.placeholder = false;
    }
  }

  void value(Node& node) {
    const AttributeMap* values = placeholders_.values;
    auto found = values ? values->find(node.placeholder) : AttributeMap::const_iterator{};
    if (!values || found == values->end()) {
      fail("An expression attribute value used in expression is not defined; attribute value: " +
           node.placeholder);
    }
    placeholders_.used_values.insert(node.placeholder);
    node.value = std::make_shared<const AttributeValue>(found->second);
  }

 private:
  Placeholders& placeholders_;
};

// ---- operators ----

// A set of attribute types, as a bit per AttributeType.
using TypeSet = uint16_t;
constexpr TypeSet type_bit(AttributeType type) {
  return static_cast<TypeSet>(1u << static_cast<unsigned>(type));
}
constexpr TypeSet kAnyType = 0xFFFF;
constexpr TypeSet kOrdered =
    type_bit(AttributeType::S) | type_bit(AttributeType::N) | type_bit(AttributeType::B);
constexpr TypeSet kStringOrBinary = type_bit(AttributeType::S) | type_bit(AttributeType::B);
constexpr TypeSet kSized = kStringOrBinary | type_bit(AttributeType::SS) |
                           type_bit(AttributeType::NS) | type_bit(AttributeType::BS) |
                           type_bit(AttributeType::L) | type_bit(AttributeType::M);

// What DynamoDB knows of each operator before it sees an item.
struct Operator {
  std::string name;     // as messages print it
  size_t operands = 0;  // 0: any number
  TypeSet operand_types = kAnyType;
  bool distinct = true;  // the first operand, a path, may not appear again
};

Operator operator_of(const Node& node) {
  switch (node.kind) {
    case NodeKind::Compare: {
      bool ordering = node.comparator != Comparator::Eq && node.comparator != Comparator::Ne;
      return {comparator_text(node.comparator), 2, ordering ? kOrdered : kAnyType, true};
    }
    case NodeKind::Between:
      return {"BETWEEN", 3, kOrdered, true};
    case NodeKind::In:
      return {"IN", 0, kAnyType, true};
    case NodeKind::Plus:
      return {"+", 2, type_bit(AttributeType::N), false};
    case NodeKind::Minus:
      return {"-", 2, type_bit(AttributeType::N), false};
    case NodeKind::Function:
      break;
    default:  // AND, OR and NOT only ever join conditions
      return {"", 0, kAnyType, false};
  }
  const std::string& name = node.function;
  if (name == "attribute_exists" || name == "attribute_not_exists") return {name, 1};
  if (name == "begins_with") return {name, 2, kStringOrBinary};
  if (name == "size") return {name, 1, kSized};
  if (name == "list_append") return {name, 2, type_bit(AttributeType::L), false};
  return {name, 2};  // attribute_type, contains, if_not_exists (the parser let no other through)
}

// The type an operand is known to have before any item is seen; nullopt for a path or an
// if_not_exists(), which may hold anything.
std::optional<AttributeType> known_type(const Node& operand) {
  if (operand.kind == NodeKind::Value) return operand.value->type();
  if (operand.kind == NodeKind::Function && operand.function == "size") return AttributeType::N;
  if (operand.kind == NodeKind::Function && operand.function == "list_append") {
    return AttributeType::L;
  }
  return std::nullopt;
}

// DynamoDB prints a binary value as the Java buffer that holds it.
std::string value_for_message(const AttributeValue& value) {
  std::string shown = value.scalar();
  if (value.type() == AttributeType::B) {
    std::string size = std::to_string(value.scalar().size());
    shown = "java.nio.HeapByteBuffer[pos=0 lim=" + size + " cap=" + size + "]";
  }
  return "AttributeValue: {" + std::string(type_name(value.type())) + ":" + shown + "}";
}

// Bottom-up, each operator after its operands; see the top of the file.
class ExpressionChecker {
 public:
  explicit ExpressionChecker(Resolver& resolver) : resolver_(resolver) {}

  void check(Node& node) {
    switch (node.kind) {
      case NodeKind::Path:
        resolver_.path(node.path);
        return;
      case NodeKind::Value:
        resolver_.value(node);
        return;
      default:
        for (Node& child : node.children) check(child);
        check_operator(node);
        return;
    }
  }

 private:
  void check_operator(const Node& node) {
    Operator op = operator_of(node);
    if (op.name.empty()) return;
    const std::vector<Node>& operands = node.children;
    if (op.operands != 0 && operands.size() != op.operands) {
      fail("Incorrect number of operands for operator or function; operator or function: " +
           op.name + ", number of operands: " + std::to_string(operands.size()));
    }
    for (const Node& operand : operands) {
      std::optional<AttributeType> type = known_type(operand);
      if (type && !(op.operand_types & type_bit(*type))) wrong_type(op.name, type_name(*type));
    }
    if (op.distinct && operands.size() > 1 && operands[0].kind == NodeKind::Path) {
      for (size_t i = 1; i < operands.size(); ++i) {
        if (operands[i].kind == NodeKind::Path && operands[i].path == operands[0].path) {
          fail(
              "The first operand must be distinct from the remaining operands for this operator "
              "or function; operator: " +
              op.name + ", first operand: " + path_for_message(operands[0].path));
        }
      }
    }
    if (node.kind == NodeKind::Between) {
      check_between_bounds(operands[1], operands[2]);
    } else if (node.kind == NodeKind::In && operands.size() - 1 > kMaxInOperands) {
      fail("The IN operator is provided with too many operands; number of operands: " +
           std::to_string(operands.size() - 1));
    } else if (op.name == "attribute_exists" || op.name == "attribute_not_exists" ||
               op.name == "if_not_exists") {
      if (operands[0].kind != NodeKind::Path) {
        fail("Operator or function requires a document path; operator or function: " + op.name);
      }
    } else if (op.name == "attribute_type") {
      check_type_name(operands[1]);
    }
  }

  [[noreturn]] static void wrong_type(const std::string& name, std::string_view type) {
    fail("Incorrect operand type for operator or function; operator or function: " + name +
         ", operand type: " + std::string(type));
  }

  // The type must be a literal naming one of the ten types. A path is refused with the set of
  // types a path may hold; DynamoDB prints that set in no fixed order.
  static void check_type_name(const Node& type_operand) {
    if (type_operand.kind != NodeKind::Value) {
      std::optional<AttributeType> type = known_type(type_operand);
      wrong_type("attribute_type", type ? type_name(*type) : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
    }
    if (type_operand.value->type() != AttributeType::S) {
      wrong_type("attribute_type", std::string(type_name(type_operand.value->type())));
    }
    static constexpr std::array<std::string_view, 10> kTypeNames = {"N", "BS", "L",  "B",  "NULL",
                                                                    "M", "S",  "SS", "NS", "BOOL"};
    const std::string& written = type_operand.value->scalar();
    if (std::find(kTypeNames.begin(), kTypeNames.end(), written) == kTypeNames.end()) {
      fail("Invalid attribute type name found; type: " + written +
           ", valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}");
    }
  }

  // Only bounds both written as values can be judged before an item is seen.
  static void check_between_bounds(const Node& lower, const Node& upper) {
    if (lower.kind != NodeKind::Value || upper.kind != NodeKind::Value) return;
    const AttributeValue& low = *lower.value;
    const AttributeValue& high = *upper.value;
    std::string bounds = "lower bound operand: " + value_for_message(low) +
                         ", upper bound operand: " + value_for_message(high);
    if (low.type() != high.type()) {
      fail("The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
    }
    // The operand types are checked first, so both bounds are N, S or B.
    bool reversed = low.type() == AttributeType::N
                        ? Number::parse(low.scalar()) > Number::parse(high.scalar())
                        : low.scalar() > high.scalar();
    if (reversed) {
      fail(
          "The BETWEEN operator requires upper bound to be greater than or equal to lower "
          "bound; " +
          bounds);
    }
  }

  Resolver& resolver_;
};

// ---- paths of an update or a projection ----

// Java's String.hashCode, which runs over UTF-16 code units.
uint32_t java_string_hash(std::string_view utf8) {
  uint32_t hash = 0;
  for (size_t i = 0; i < utf8.size();) {
    auto lead = static_cast<unsigned char>(utf8[i]);
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    uint32_t code_point = length == 1 ? lead : lead & (0x7F >> length);
    for (size_t k = 1; k < length && i + k < utf8.size(); ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    i += length;
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      hash = hash * 31 + (0xD800 + (code_point >> 10));
      hash = hash * 31 + (0xDC00 + (code_point & 0x3FF));
    } else {
      hash = hash * 31 + code_point;
    }
  }
  return hash;
}

// A Java HashMap's spread hash of a path step, as DynamoDB's path elements define hashCode().
uint32_t step_hash(const PathStep& step) {
  uint32_t hash = 8191u * 127u + (step.is_index ? step.index : java_string_hash(step.name));
  return hash ^ (hash >> 16);
}

// The paths seen so far. A child without a subtree is where a path ends.
class PathTree {
 public:
  // Adds `path`, or throws if it overlaps or conflicts with one added before.
  void add(const Path& path) { add(path, 0); }

 private:
  struct Child {
    PathStep step;
    uint32_t hash;
    std::unique_ptr<PathTree> subtree;
  };

  void add(const Path& path, size_t depth) {
    const PathStep& step = path[depth];
    auto found = std::find_if(children_.begin(), children_.end(),
                              [&](const Child& child) { return child.step == step; });
    if (found == children_.end()) {
      if (!children_.empty() && first_child().step.is_index != step.is_index) {
        fail(
            "Two document paths conflict with each other; must remove or rewrite one of these "
            "paths; path one: " +
            path_for_message(path) + ", path two: " + path_for_message(leaf_path(path, depth)));
      }
      insert(step, chain(path, depth + 1));
      return;
    }
    if (found->subtree && depth + 1 < path.size()) {
      found->subtree->add(path, depth + 1);
      return;
    }
    fail(
        "Two document paths overlap with each other; must remove or rewrite one of these "
        "paths; path one: " +
        path_for_message(path) + ", path two: " + path_for_message(leaf_path(path, depth)));
  }

  static std::unique_ptr<PathTree> chain(const Path& path, size_t from) {
    if (from == path.size()) return nullptr;
    auto tree = std::make_unique<PathTree>();
    tree->insert(path[from], chain(path, from + 1));
    return tree;
  }

  // The path DynamoDB names beside `path`: `path` up to this tree, then first children down to
  // the end of a path.
  Path leaf_path(const Path& path, size_t depth) const {
    Path steps(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(depth));
    const PathTree* tree = this;
    while (tree && !tree->children_.empty()) {
      const Child& child = tree->first_child();
      steps.push_back(child.step);
      tree = child.subtree.get();
    }
    return steps;
  }

  // A HashMap iterates its buckets in order, each bucket in insertion order (growing the table
  // keeps that order). It grows past 3/4 full, or when a bucket would hold a ninth entry while the
  // table is under 64 (larger tables turn such buckets into trees, which this does not follow).
  void insert(const PathStep& step, std::unique_ptr<PathTree> subtree) {
    uint32_t hash = step_hash(step);
    size_t same_bucket = std::count_if(children_.begin(), children_.end(), [&](const Child& c) {
      return (c.hash & (capacity_ - 1)) == (hash & (capacity_ - 1));
    });
    if (same_bucket >= 8 && capacity_ < 64) capacity_ *= 2;
    children_.push_back({step, hash, std::move(subtree)});
    if (children_.size() > capacity_ / 4 * 3) capacity_ *= 2;
  }

  const Child& first_child() const {
    return *std::min_element(children_.begin(), children_.end(),
                             [&](const Child& a, const Child& b) {
                               return (a.hash & (capacity_ - 1)) < (b.hash & (capacity_ - 1));
                             });
  }

  std::vector<Child> children_;  // in insertion order
  uint32_t capacity_ = 16;
};

// The long type names DynamoDB prints for ADD and DELETE; sets are what both take.
const char* clause_type_name(AttributeType type) {
  switch (type) {
    case AttributeType::S:
      return "STRING";
    case AttributeType::N:
      return "NUMBER";
    case AttributeType::B:
      return "BINARY";
    case AttributeType::Null:
      return "NULL";
    case AttributeType::Bool:
      return "BOOLEAN";
    case AttributeType::L:
      return "LIST";
    case AttributeType::M:
      return "MAP";
    default:
      return nullptr;
  }
}

void check_clause_operand(const UpdateAction& action) {
  AttributeType type = action.value.value->type();
  const char* shown = clause_type_name(type);
  bool add = action.clause == UpdateClause::Add;
  if (shown && !(add && type == AttributeType::N)) {
    fail(std::string("Incorrect operand type for operator or function; operator: ") +
         clause_text(action.clause) + ", operand type: " + shown +
         (add ? ", typeSet: ALLOWED_FOR_ADD_OPERAND" : ", typeSet: ALLOWED_FOR_DELETE_OPERAND"));
  }
}

}  // namespace

Node bind_condition(const Node& parsed, Placeholders& placeholders) {
  Node bound = parsed;
  Resolver resolver(placeholders);
  ExpressionChecker(resolver).check(bound);
  return bound;
}

UpdateExpression bind_update(const UpdateExpression& parsed, Placeholders& placeholders) {
  UpdateExpression bound = parsed;
  Resolver resolver(placeholders);
  PathTree targets;
  for (auto action = bound.actions.rbegin(); action != bound.actions.rend(); ++action) {
    resolver.path(action->path);
    targets.add(action->path);
  }
  ExpressionChecker checker(resolver);
  for (auto action = bound.actions.rbegin(); action != bound.actions.rend(); ++action) {
    if (action->clause == UpdateClause::Remove) continue;
    checker.check(action->value);
    if (action->clause != UpdateClause::Set) check_clause_operand(*action);
  }
  return bound;
}

ProjectionExpression bind_projection(const ProjectionExpression& parsed,
                                     Placeholders& placeholders) {
  ProjectionExpression bound = parsed;
  Resolver resolver(placeholders);
  PathTree paths;
  for (auto path = bound.paths.rbegin(); path != bound.paths.rend(); ++path) {
    resolver.path(*path);
    paths.add(*path);
  }
  return bound;
}

}  // namespace eddy::model::expressions
