#pragma once
// ConsumedCapacity of the operations that touch several tables (BatchWriteItem, BatchGetItem,
// TransactWriteItems, TransactGetItems): one entry per table, summed over its items.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "operations/item_support.h"

namespace eddy::operations {

class CapacityTally {
 public:
  void add(const std::string& table_name, double table_units,
           const std::vector<std::string>& index_names = {}, double units_per_index = 0);
  // Counts a table that consumed nothing, so that it still gets its entry.
  void touch(const std::string& table_name) { tables_[table_name]; }
  // The ConsumedCapacity list (tables in name order), or null when detail is None.
  nlohmann::json to_json(CapacityDetail detail) const;

 private:
  struct Units {
    double table = 0;
    std::map<std::string, double> indexes;
  };
  std::map<std::string, Units> tables_;
};

}  // namespace eddy::operations
