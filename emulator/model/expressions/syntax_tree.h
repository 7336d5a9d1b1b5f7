#pragma once
// The typed tree every expression kind parses into. One Node type serves conditions, operands
// and update values, because DynamoDB's grammar lets them nest into each other and many of its
// error messages (a function used as a condition, size() used as one) are about a node sitting
// in the wrong place rather than about syntax.
//
// A tree comes out of the parser with placeholders as written ("#n", ":v") and is cached by its
// text; bind() (binder.h) then copies it with every placeholder resolved against one request's
// ExpressionAttributeNames and ExpressionAttributeValues. Evaluators only ever see bound trees.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/attribute_value.h"

namespace eddy::model::expressions {

// One step of a document path: a map member (or top-level attribute) name, or a list index.
struct PathStep {
  bool is_index = false;
  // Name steps: the attribute name. Before binding, a name written as "#x" keeps its "#x"
  // spelling and has `placeholder` set; binding replaces it with the real name.
  std::string name;
  bool placeholder = false;
  uint32_t index = 0;

  static PathStep member(std::string name, bool placeholder = false) {
    PathStep step;
    step.name = std::move(name);
    step.placeholder = placeholder;
    return step;
  }
  static PathStep element(uint32_t index) {
    PathStep step;
    step.is_index = true;
    step.index = index;
    return step;
  }
  bool operator==(const PathStep& other) const {
    return is_index == other.is_index && (is_index ? index == other.index : name == other.name);
  }
};

// The first step is always a name.
using Path = std::vector<PathStep>;

enum class NodeKind : uint8_t {
  // Conditions
  Or,       // children: 2 conditions
  And,      // children: 2 conditions
  Not,      // children: 1 condition
  Compare,  // children: 2 operands; `comparator`
  Between,  // children: operand, lower bound, upper bound
  In,       // children: operand, then 1..n candidates
  // Operands (a Function node is a condition or an operand depending on the function)
  Function,  // `function` names it (as written); children: arguments
  Path,      // `path`
  Value,     // `placeholder` (":v" as written); after binding, `value` is set
  Plus,      // update values only: children: 2 operands
  Minus,     // update values only: children: 2 operands
};

enum class Comparator : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

// "=", "<>", "<", "<=", ">", ">=".
const char* comparator_text(Comparator comparator);

struct Node {
  NodeKind kind = NodeKind::Path;
  Comparator comparator = Comparator::Eq;
  std::string function;     // Function
  std::string placeholder;  // Value, as written (":v")
  Path path;                // Path
  std::vector<Node> children;
  // How many parentheses wrap this node directly: 0 or 1, since the parser rejects "((a))" as
  // "redundant parentheses" as DynamoDB does.
  uint8_t parentheses = 0;
  // Value, once bound: shared, because bound trees are copied per request and values can be big.
  std::shared_ptr<const AttributeValue> value;

  bool is_condition() const {
    return kind == NodeKind::Or || kind == NodeKind::And || kind == NodeKind::Not ||
           kind == NodeKind::Compare || kind == NodeKind::Between || kind == NodeKind::In ||
           kind == NodeKind::Function;
  }
};

enum class UpdateClause : uint8_t { Set, Remove, Add, Delete };

// "SET", "REMOVE", "ADD", "DELETE".
const char* clause_text(UpdateClause clause);

struct UpdateAction {
  UpdateClause clause = UpdateClause::Set;
  Path path;
  Node value;  // SET: the value (operand, Plus, Minus); ADD / DELETE: a Value; REMOVE: unused
};

struct UpdateExpression {
  std::vector<UpdateAction> actions;  // in the order written
};

struct ProjectionExpression {
  std::vector<Path> paths;  // in the order written
};

// "[a, b, [3], c]": paths as DynamoDB prints them in its error messages.
std::string path_for_message(const Path& path);

}  // namespace eddy::model::expressions
