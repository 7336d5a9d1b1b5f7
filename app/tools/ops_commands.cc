#include "tools/ops_commands.h"

#include <algorithm>
#include <functional>
#include <map>
#include <ostream>

#include "dynamodb/attribute_values.h"
#include "dynamodb/client.h"
#include "tools/schema.h"

namespace cruddur::tools {
namespace {

using json = nlohmann::json;
using Arguments = std::vector<std::string>;

// Drops a trailing "prod" and says whether it was there.
bool take_prod(Arguments& arguments) {
  if (!arguments.empty() && arguments.back() == "prod") {
    arguments.pop_back();
    return true;
  }
  return false;
}

int schema_load(dynamodb::Client& client, const Arguments&, std::ostream& out) {
  json response = client.call("CreateTable", json::parse(kMessagesTableSchema));
  out << response.dump(2) << "\n";
  return 0;
}

int list_tables(dynamodb::Client& client, const Arguments&, std::ostream& out) {
  json request = json::object();
  for (;;) {
    json page = client.call("ListTables", request);
    for (const auto& name : page["TableNames"]) out << name.get<std::string>() << "\n";
    if (!page.contains("LastEvaluatedTableName")) return 0;
    request["ExclusiveStartTableName"] = page["LastEvaluatedTableName"];
  }
}

int drop(dynamodb::Client& client, const Arguments& arguments, std::ostream& out) {
  if (arguments.empty()) {
    throw std::invalid_argument(
        "No TABLE_NAME argument supplied eg cruddur drop cruddur-messages prod");
  }
  client.call("DeleteTable", {{"TableName", arguments[0]}});
  out << "deleted " << arguments[0] << "\n";
  return 0;
}

int scan(dynamodb::Client& client, const Arguments&, std::ostream& out) {
  json request = {{"TableName", kMessagesTable}};
  for (;;) {
    json page = client.call("Scan", request);
    for (const auto& item : page["Items"]) out << dynamodb::plain_item(item).dump() << "\n";
    if (!page.contains("LastEvaluatedKey")) return 0;
    request["ExclusiveStartKey"] = page["LastEvaluatedKey"];
  }
}

using Command = std::function<int(dynamodb::Client&, const Arguments&, std::ostream&)>;

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> kCommands = {
      {"schema-load", schema_load}, {"list-tables", list_tables}, {"drop", drop}, {"scan", scan}};
  return kCommands;
}

}  // namespace

bool is_ops_command(const std::string& command) {
  return commands().count(command) > 0;
}

int run_ops_command(const std::string& command, const std::vector<std::string>& arguments,
                    std::ostream& out, std::ostream& err) {
  Arguments rest = arguments;
  bool prod = take_prod(rest);
  try {
    dynamodb::Client client(dynamodb::settings_from_environment(prod));
    return commands().at(command)(client, rest, out);
  } catch (const dynamodb::DynamoDbError& error) {
    err << "cruddur " << command << ": " << error.type() << ": " << error.message() << "\n";
  } catch (const std::exception& error) {
    err << "cruddur " << command << ": " << error.what() << "\n";
  }
  return 1;
}

}  // namespace cruddur::tools
