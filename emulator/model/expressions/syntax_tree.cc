#include "model/expressions/syntax_tree.h"

namespace eddy::model::expressions {

const char* comparator_text(Comparator comparator) {
  switch (comparator) {
    case Comparator::Eq:
      return "=";
    case Comparator::Ne:
      return "<>";
    case Comparator::Lt:
      return "<";
    case Comparator::Le:
      return "<=";
    case Comparator::Gt:
      return ">";
    case Comparator::Ge:
      return ">=";
  }
  return "=";
}

const char* clause_text(UpdateClause clause) {
  switch (clause) {
    case UpdateClause::Set:
      return "SET";
    case UpdateClause::Remove:
      return "REMOVE";
    case UpdateClause::Add:
      return "ADD";
    case UpdateClause::Delete:
      return "DELETE";
  }
  return "SET";
}

std::string path_for_message(const Path& path) {
  std::string text = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) text += ", ";
    text += path[i].is_index ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return text + "]";
}

}  // namespace eddy::model::expressions
