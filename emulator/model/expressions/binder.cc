// Binding walks a parsed tree in the order it was written, resolving placeholders and noting the
// first problem of each kind; the error reported is the first kind in DynamoDB's priority list.
// DynamoDB reports, for example, a reserved word before an undefined placeholder even when the
// placeholder comes first in the text, which is why problems are collected rather than thrown.
#include "model/expressions/binder.h"

#include <array>
#include <optional>

#include "model/expressions/parser.h"
#include "model/expressions/reserved_words.h"
#include "model/number.h"

namespace eddy::model::expressions {
namespace {

constexpr size_t kMaxInOperands = 100;

// Problem kinds, in DynamoDB's order of priority within one expression kind.
enum Problem : size_t {
  kParentheses,
  kReserved,
  kUnknownFunction,
  kMisusedFunction,
  kRepeatedClause,
  kUndefinedName,
  kUndefinedValue,
  kOperandCount,
  kPathOverlap,
  kPathConflict,
  kClauseOperandType,
  kDistinct,
  kOperandType,
  kProblemKinds,
};

class Problems {
 public:
  void note(Problem kind, std::string message) {
    if (!found_[kind]) found_[kind] = std::move(message);
  }
  bool has(Problem kind) const { return found_[kind].has_value(); }
  // Throws the first problem found, taking kinds in the given order.
  void throw_first(std::initializer_list<Problem> order) const {
    for (Problem kind : order) {
      if (found_[kind]) throw ExpressionError(*found_[kind]);
    }
  }

 private:
  std::array<std::optional<std::string>, kProblemKinds> found_;
};

std::string value_for_message(const AttributeValue& value) {
  return "{" + std::string(type_name(value.type())) + ":" + value.scalar() + "}";
}

class Binder {
 public:
  // Conditions and projections rank an undefined name and an undefined value as one kind of
  // problem (the first written wins); updates rank every undefined name before any value.
  Binder(Placeholders& placeholders, bool names_before_values)
      : placeholders_(placeholders),
        undefined_value_kind_(names_before_values ? kUndefinedValue : kUndefinedName) {}

  Problems& problems() { return problems_; }

  void bind_path(Path& path) {
    for (PathStep& step : path) {
      if (step.is_index) continue;
      if (!step.placeholder) {
        if (is_reserved_word(step.name)) {
          problems_.note(kReserved,
                         "Attribute name is a reserved keyword; reserved keyword: " + step.name);
        }
        continue;
      }
      const auto* names = placeholders_.names;
      auto found = names ? names->find(step.name) : decltype(names->end()){};
      if (!names || found == names->end()) {
        problems_.note(kUndefinedName,
                       "An expression attribute name used in the document path is not defined; "
                       "attribute name: " +
                           step.name);
        continue;
      }
      placeholders_.used_names.insert(step.name);
      step.name = found->second;
      step.placeholder = false;
    }
  }

  void bind_value(Node& node) {
    const AttributeMap* values = placeholders_.values;
    auto found = values ? values->find(node.placeholder) : AttributeMap::const_iterator{};
    if (!values || found == values->end()) {
      problems_.note(undefined_value_kind_,
                     "An expression attribute value used in expression is not defined; "
                     "attribute value: " +
                         node.placeholder);
      return;
    }
    placeholders_.used_values.insert(node.placeholder);
    node.value = std::make_shared<const AttributeValue>(found->second);
  }

  // Paths of one update or projection must neither overlap (one a prefix of another) nor
  // conflict (one indexes where another names a member).
  void check_distinct_paths(const std::vector<const Path*>& paths) {
    for (size_t later = 1; later < paths.size(); ++later) {
      for (size_t earlier = 0; earlier < later; ++earlier) {
        compare_paths(*paths[earlier], *paths[later]);
      }
    }
  }

 private:
  void compare_paths(const Path& one, const Path& two) {
    size_t common = std::min(one.size(), two.size());
    for (size_t i = 0; i < common; ++i) {
      if (one[i].is_index != two[i].is_index) {
        problems_.note(kPathConflict,
                       "Two document paths conflict with each other; must remove "
                       "or rewrite one of these paths; path one: " +
                           path_for_message(one) + ", path two: " + path_for_message(two));
        return;
      }
      if (!(one[i] == two[i])) return;
    }
    problems_.note(kPathOverlap,
                   "Two document paths overlap with each other; must remove or "
                   "rewrite one of these paths; path one: " +
                       path_for_message(one) + ", path two: " + path_for_message(two));
  }

  Placeholders& placeholders_;
  Problem undefined_value_kind_;
  Problems problems_;
};

// ---- conditions ----

struct ConditionFunction {
  std::string_view name;
  size_t operands;
  bool is_operand;  // size() yields a value; the others are conditions
};
constexpr std::array<ConditionFunction, 6> kConditionFunctions = {{
    {"attribute_exists", 1, false},
    {"attribute_not_exists", 1, false},
    {"attribute_type", 2, false},
    {"begins_with", 2, false},
    {"contains", 2, false},
    {"size", 1, true},
}};

const ConditionFunction* condition_function(const std::string& name) {
  for (const auto& function : kConditionFunctions) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

// The type a bound operand is known to have before any item is seen, if any.
std::optional<AttributeType> static_type(const Node& operand) {
  if (operand.kind == NodeKind::Value && operand.value) return operand.value->type();
  if (operand.kind == NodeKind::Function && operand.function == "size") return AttributeType::N;
  return std::nullopt;
}

class ConditionBinder {
 public:
  explicit ConditionBinder(Binder& binder) : binder_(binder), problems_(binder.problems()) {}

  void condition(Node& node) {
    note_parentheses(node);
    switch (node.kind) {
      case NodeKind::Or:
      case NodeKind::And:
      case NodeKind::Not:
        for (Node& child : node.children) {
          if (child.kind == NodeKind::Function && child.function == "size") misused(child);
          condition(child);
        }
        return;
      case NodeKind::Compare:
      case NodeKind::Between:
      case NodeKind::In:
        for (Node& child : node.children) {
          if (child.kind == NodeKind::Function && child.function != "size") misused(child);
          operand(child);
        }
        check_comparison(node);
        return;
      case NodeKind::Function:
        if (node.function == "size") misused(node);
        function(node);
        return;
      default:  // the parser lets no bare operand through as a condition
        operand(node);
        return;
    }
  }

 private:
  void note_parentheses(const Node& node) {
    if (node.parentheses >= 2)
      problems_.note(kParentheses, "The expression has redundant parentheses;");
  }

  void misused(const Node& function) {
    problems_.note(kMisusedFunction,
                   "The function is not allowed to be used this way in an expression; function: " +
                       function.function);
  }

  void operand(Node& node) {
    note_parentheses(node);
    if (node.kind == NodeKind::Path) {
      binder_.bind_path(node.path);
    } else if (node.kind == NodeKind::Value) {
      binder_.bind_value(node);
    } else if (node.kind == NodeKind::Function) {
      function(node);
    }
  }

  void function(Node& call) {
    for (Node& argument : call.children) {
      if (argument.kind == NodeKind::Function && argument.function != "size") misused(argument);
      operand(argument);
    }
    const ConditionFunction* known = condition_function(call.function);
    if (!known) {
      problems_.note(kUnknownFunction, "Invalid function name; function: " + call.function);
      return;
    }
    if (call.children.size() != known->operands) {
      problems_.note(kOperandCount,
                     "Incorrect number of operands for operator or function; operator or "
                     "function: " +
                         call.function +
                         ", number of operands: " + std::to_string(call.children.size()));
      return;
    }
    check_first_operand_distinct(call.function, call.children);
    const Node& first = call.children[0];
    const std::string& name = call.function;
    if (name == "attribute_exists" || name == "attribute_not_exists") {
      if (first.kind != NodeKind::Path) {
        problems_.note(
            kOperandType,
            "Operator or function requires a document path; operator or function: " + name);
        return;
      }
    }
    if (name == "begins_with") {
      for (const Node& argument : call.children) {
        std::optional<AttributeType> type = static_type(argument);
        if (type && *type != AttributeType::S && *type != AttributeType::B) {
          wrong_operand_type(name, *type);
          return;
        }
      }
    } else if (name == "attribute_type") {
      check_type_name(call.children[1]);
    } else if (name == "size") {
      std::optional<AttributeType> type = static_type(first);
      if (type == AttributeType::N || type == AttributeType::Bool || type == AttributeType::Null) {
        wrong_operand_type(name, *type);
      }
    }
  }

  void check_type_name(const Node& type_operand) {
    std::optional<AttributeType> type = static_type(type_operand);
    if (!type || *type != AttributeType::S) {
      problems_.note(kOperandType,
                     "Incorrect operand type for operator or function; operator or function: "
                     "attribute_type, operand type: " +
                         (type ? std::string(type_name(*type)) : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
      return;
    }
    static constexpr std::array<std::string_view, 10> kTypeNames = {"S",    "N", "B",  "NULL", "SS",
                                                                    "BOOL", "L", "BS", "NS",   "M"};
    const std::string& written = type_operand.value->scalar();
    if (std::find(kTypeNames.begin(), kTypeNames.end(), written) == kTypeNames.end()) {
      problems_.note(kOperandType, "Invalid attribute type name found; type: " + written +
                                       ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    }
  }

  void wrong_operand_type(const std::string& name, AttributeType type) {
    problems_.note(kOperandType,
                   "Incorrect operand type for operator or function; operator or function: " +
                       name + ", operand type: " + std::string(type_name(type)));
  }

  void check_first_operand_distinct(const std::string& name, const std::vector<Node>& operands) {
    if (operands.size() != 2 || operands[0].kind != NodeKind::Path ||
        operands[1].kind != NodeKind::Path || !(operands[0].path == operands[1].path)) {
      return;
    }
    problems_.note(kDistinct,
                   "The first operand must be distinct from the remaining operands for this "
                   "operator or function; operator: " +
                       name + ", first operand: " + path_for_message(operands[0].path));
  }

  void check_comparison(const Node& node) {
    if (node.kind == NodeKind::Compare) {
      check_first_operand_distinct(comparator_text(node.comparator), node.children);
      return;
    }
    if (node.kind == NodeKind::In) {
      size_t candidates = node.children.size() - 1;
      if (candidates > kMaxInOperands) {
        problems_.note(kOperandType,
                       "The IN operator is provided with too many operands; number of operands: " +
                           std::to_string(candidates));
      }
      return;
    }
    check_between_bounds(node.children[1], node.children[2]);
  }

  void check_between_bounds(const Node& lower, const Node& upper) {
    if (lower.kind != NodeKind::Value || upper.kind != NodeKind::Value || !lower.value ||
        !upper.value) {
      return;
    }
    const AttributeValue& low = *lower.value;
    const AttributeValue& high = *upper.value;
    std::string bounds = "lower bound operand: AttributeValue: " + value_for_message(low) +
                         ", upper bound operand: AttributeValue: " + value_for_message(high);
    if (low.type() != high.type()) {
      problems_.note(
          kOperandType,
          "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
      return;
    }
    bool reversed = false;
    if (low.type() == AttributeType::N) {
      reversed = Number::parse(low.scalar()) > Number::parse(high.scalar());
    } else if (low.type() == AttributeType::S || low.type() == AttributeType::B) {
      reversed = low.scalar() > high.scalar();
    }
    if (reversed) {
      problems_.note(kOperandType,
                     "The BETWEEN operator requires upper bound to be greater than or equal to "
                     "lower bound; " +
                         bounds);
    }
  }

  Binder& binder_;
  Problems& problems_;
};

// ---- updates ----

const char* update_type_name(AttributeType type) {
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
      return nullptr;  // sets are what ADD and DELETE take
  }
}

class UpdateBinder {
 public:
  explicit UpdateBinder(Binder& binder) : binder_(binder), problems_(binder.problems()) {}

  void action(UpdateAction& action) {
    binder_.bind_path(action.path);
    switch (action.clause) {
      case UpdateClause::Set:
        value(action.value);
        break;
      case UpdateClause::Remove:
        break;
      case UpdateClause::Add:
      case UpdateClause::Delete:
        binder_.bind_value(action.value);
        if (action.value.value) {
          AttributeType type = action.value.value->type();
          const char* shown = update_type_name(type);
          if (shown && !(action.clause == UpdateClause::Add && type == AttributeType::N)) {
            problems_.note(kClauseOperandType, std::string("Incorrect operand type for operator or "
                                                           "function; operator: ") +
                                                   clause_text(action.clause) +
                                                   ", operand type: " + shown);
          }
        }
        break;
    }
  }

 private:
  void value(Node& node) {
    switch (node.kind) {
      case NodeKind::Path:
        binder_.bind_path(node.path);
        return;
      case NodeKind::Value:
        binder_.bind_value(node);
        return;
      case NodeKind::Plus:
      case NodeKind::Minus:
        for (Node& child : node.children) value(child);
        check_operand_types(node.kind == NodeKind::Plus ? "+" : "-", node.children,
                            AttributeType::N);
        return;
      default:
        function(node);
        return;
    }
  }

  void function(Node& call) {
    for (Node& argument : call.children) value(argument);
    if (call.function != "if_not_exists" && call.function != "list_append") {
      problems_.note(kUnknownFunction, "Invalid function name; function: " + call.function);
      return;
    }
    if (call.children.size() != 2) {
      problems_.note(kOperandType,
                     "Incorrect number of operands for operator or function; operator or "
                     "function: " +
                         call.function +
                         ", number of operands: " + std::to_string(call.children.size()));
      return;
    }
    if (call.function == "if_not_exists") {
      if (call.children[0].kind != NodeKind::Path) {
        problems_.note(kOperandType,
                       "Operator or function requires a document path; operator or function: "
                       "if_not_exists");
      }
      return;
    }
    check_operand_types("list_append", call.children, AttributeType::L);
  }

  // Values written in the expression must already have the type the operator works on.
  void check_operand_types(const std::string& name, const std::vector<Node>& operands,
                           AttributeType wanted) {
    for (const Node& operand : operands) {
      if (operand.kind == NodeKind::Value && operand.value && operand.value->type() != wanted) {
        problems_.note(
            kOperandType,
            "Incorrect operand type for operator or function; operator or function: " + name +
                ", operand type: " + std::string(type_name(operand.value->type())));
        return;
      }
    }
  }

  Binder& binder_;
  Problems& problems_;
};

}  // namespace

Node bind_condition(const Node& parsed, Placeholders& placeholders) {
  Node bound = parsed;
  Binder binder(placeholders, false);
  ConditionBinder(binder).condition(bound);
  binder.problems().throw_first({kParentheses, kUnknownFunction, kMisusedFunction, kReserved,
                                 kUndefinedName, kUndefinedValue, kOperandCount, kDistinct,
                                 kOperandType});
  return bound;
}

UpdateExpression bind_update(const UpdateExpression& parsed, Placeholders& placeholders) {
  UpdateExpression bound = parsed;
  Binder binder(placeholders, true);
  UpdateBinder update_binder(binder);
  std::vector<const Path*> paths;
  for (UpdateAction& action : bound.actions) {
    update_binder.action(action);
    paths.push_back(&action.path);
  }
  if (!bound.repeated_clause.empty()) {
    binder.problems().note(kRepeatedClause, "The \"" + bound.repeated_clause +
                                                "\" section can only be used once in an update "
                                                "expression;");
  }
  if (!binder.problems().has(kUndefinedName)) binder.check_distinct_paths(paths);
  binder.problems().throw_first({kReserved, kUnknownFunction, kRepeatedClause, kUndefinedName,
                                 kUndefinedValue, kPathOverlap, kPathConflict, kClauseOperandType,
                                 kOperandType});
  return bound;
}

ProjectionExpression bind_projection(const ProjectionExpression& parsed,
                                     Placeholders& placeholders) {
  ProjectionExpression bound = parsed;
  Binder binder(placeholders, false);
  std::vector<const Path*> paths;
  for (Path& path : bound.paths) {
    binder.bind_path(path);
    paths.push_back(&path);
  }
  if (!binder.problems().has(kUndefinedName)) binder.check_distinct_paths(paths);
  binder.problems().throw_first({kReserved, kUndefinedName, kPathOverlap, kPathConflict});
  return bound;
}

}  // namespace eddy::model::expressions
