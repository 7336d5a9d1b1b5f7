#include "operations/capacity_tally.h"

namespace eddy::operations {

void CapacityTally::add(const std::string& table_name, double table_units,
                        const std::vector<std::string>& index_names, double units_per_index) {
  Units& units = tables_[table_name];
  units.table += table_units;
  for (const auto& index : index_names) units.indexes[index] += units_per_index;
}

nlohmann::json CapacityTally::to_json(CapacityDetail detail) const {
  if (detail == CapacityDetail::None) return nullptr;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, units] : tables_) {
    double total = units.table;
    for (const auto& [index, index_units] : units.indexes) total += index_units;
    nlohmann::json entry = {{"TableName", name}, {"CapacityUnits", total}};
    if (detail == CapacityDetail::Indexes) {
      entry["Table"] = {{"CapacityUnits", units.table}};
      if (!units.indexes.empty()) {
        nlohmann::json indexes = nlohmann::json::object();
        for (const auto& [index, index_units] : units.indexes) {
          indexes[index] = {{"CapacityUnits", index_units}};
        }
        entry["GlobalSecondaryIndexes"] = std::move(indexes);
      }
    }
    list.push_back(std::move(entry));
  }
  return list;
}

}  // namespace eddy::operations
