#include "workloads.h"

#include <array>
#include <cstdio>

namespace eddy_bench {
namespace {

constexpr uint32_t kBatchSize = 25;  // BatchWriteItem maximum
constexpr uint32_t kTransactPuts = 2;
constexpr std::string_view kSortPrefix = "y2026#";

struct ProfileInfo {
  Profile profile;
  std::string_view name;
  bool needs_dataset;
  uint32_t items_written;
};

constexpr std::array<ProfileInfo, 11> kProfiles = {{
    {Profile::kNone, "none", false, 0},
    {Profile::kPut, "put", false, 1},
    {Profile::kGet, "get", true, 0},
    {Profile::kUpdate, "update", true, 1},
    {Profile::kQuery, "query", true, 0},
    {Profile::kQueryGsi, "query-gsi", true, 0},
    {Profile::kBatch, "batch", false, kBatchSize},
    {Profile::kMixed, "mixed", true, 0},
    {Profile::kHealth, "health", false, 0},
    {Profile::kTransact, "transact", true, 4},
    {Profile::kPreload, "preload", false, kBatchSize},
}};

// `prefix` followed by `value` zero-padded to `width` digits. Appending to a named string (rather
// than "literal" + temporary) also sidesteps GCC 12's false -Wrestrict at -O3.
std::string Padded(uint64_t value, int width, std::string_view prefix = {}) {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%0*llu", width, static_cast<unsigned long long>(value));
  std::string text(prefix);
  text.append(digits);
  return text;
}

// splitmix64: tiny, fast and good enough to spread keys; no shared state between connections.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, bound): the modulo bias is below 1e-12 for the bounds used here.
  uint64_t Below(uint64_t bound) { return Next() % bound; }

 private:
  uint64_t state_;
};

// Slot variables shared by the single-item templates.
enum Var : uint16_t { kVarPartition = 0, kVarItem = 1, kVarSequence = 2, kVarSecondItem = 3 };

void AppendPreloadedKey(BodyBuilder& body, uint16_t partition_var, uint16_t item_var) {
  body.Text(R"({"pk":{"S":"part#)").Number(partition_var, 8);
  body.Text(R"("},"sk":{"S":")").Text(kSortPrefix).Number(item_var, 6).Text(R"("}})");
}

void AppendPreloadedItem(BodyBuilder& body, const Dataset& dataset, uint16_t partition_var,
                         uint16_t item_var) {
  body.Text(R"({"pk":{"S":"part#)").Number(partition_var, 8);
  body.Text(R"("},"sk":{"S":")").Text(kSortPrefix).Number(item_var, 6);
  body.Text(R"("},"gsk":{"S":"gpart#)").Number(partition_var, 8);
  body.Text(R"("},"c":{"N":"0"},"data":{"S":")").Filler(dataset.payload_bytes).Text(R"("}})");
}

// A fresh item: `key_prefix` already holds the run and connection, the sequence fills the slot.
void AppendNewItem(BodyBuilder& body, const Dataset& dataset, const std::string& key_prefix,
                   std::string_view key_suffix, const std::string& gsi_key) {
  body.Text(R"({"pk":{"S":")").Text(key_prefix).Number(kVarSequence, 10).Text(key_suffix);
  body.Text(R"("},"sk":{"S":")").Text(kSortPrefix).Text("000000");
  body.Text(R"("},"gsk":{"S":")").Text(gsi_key);
  body.Text(R"("},"c":{"N":"0"},"data":{"S":")").Filler(dataset.payload_bytes).Text(R"("}})");
}

void AppendUpdateCounter(BodyBuilder& body, const Dataset& dataset, uint16_t partition_var,
                         uint16_t item_var) {
  body.Text(R"({"TableName":")").Text(dataset.table).Text(R"(","Key":)");
  AppendPreloadedKey(body, partition_var, item_var);
  body.Text(
      R"json(,"UpdateExpression":"ADD #c :one","ConditionExpression":"attribute_exists(pk)",)json");
  body.Text(
      R"("ExpressionAttributeNames":{"#c":"c"},"ExpressionAttributeValues":{":one":{"N":"1"}}})");
}

RequestTemplate BuildPut(const Endpoint& endpoint, const Dataset& dataset,
                         const std::string& prefix, const std::string& gsi_key) {
  BodyBuilder body;
  body.Text(R"({"TableName":")").Text(dataset.table).Text(R"(","Item":)");
  AppendNewItem(body, dataset, prefix, "", gsi_key);
  body.Text("}");
  return RequestTemplate::DynamoPost(endpoint, "PutItem", body);
}

RequestTemplate BuildGet(const Endpoint& endpoint, const Dataset& dataset) {
  BodyBuilder body;
  body.Text(R"({"TableName":")").Text(dataset.table).Text(R"(","Key":)");
  AppendPreloadedKey(body, kVarPartition, kVarItem);
  body.Text("}");
  return RequestTemplate::DynamoPost(endpoint, "GetItem", body);
}

RequestTemplate BuildUpdate(const Endpoint& endpoint, const Dataset& dataset) {
  BodyBuilder body;
  AppendUpdateCounter(body, dataset, kVarPartition, kVarItem);
  return RequestTemplate::DynamoPost(endpoint, "UpdateItem", body);
}

RequestTemplate BuildQuery(const Endpoint& endpoint, const Dataset& dataset, bool on_index) {
  BodyBuilder body;
  body.Text(R"({"TableName":")").Text(dataset.table).Text(R"(",)");
  if (on_index) {
    body.Text(R"("IndexName":"gsi",)");
    body.Text(R"json("KeyConditionExpression":"gsk = :g AND begins_with(sk, :y)",)json");
    body.Text(R"("ExpressionAttributeValues":{":g":{"S":"gpart#)");
  } else {
    body.Text(R"json("KeyConditionExpression":"pk = :pk AND begins_with(sk, :y)",)json");
    body.Text(R"("ExpressionAttributeValues":{":pk":{"S":"part#)");
  }
  body.Number(kVarPartition, 8).Text(R"("},":y":{"S":")").Text(kSortPrefix).Text(R"("}},)");
  body.Text(R"("ScanIndexForward":false,"Limit":)").Text(std::to_string(dataset.query_limit));
  body.Text("}");
  return RequestTemplate::DynamoPost(endpoint, "Query", body);
}

// `item_count` preloaded items whose partition / item numbers are variables 2i and 2i+1.
RequestTemplate BuildPreloadBatch(const Endpoint& endpoint, const Dataset& dataset,
                                  uint32_t item_count) {
  BodyBuilder body;
  body.Text(R"({"RequestItems":{")").Text(dataset.table).Text(R"(":[)");
  for (uint32_t i = 0; i < item_count; ++i) {
    if (i > 0) body.Text(",");
    body.Text(R"({"PutRequest":{"Item":)");
    AppendPreloadedItem(body, dataset, static_cast<uint16_t>(2 * i),
                        static_cast<uint16_t>(2 * i + 1));
    body.Text("}}");
  }
  body.Text("]}}");
  return RequestTemplate::DynamoPost(endpoint, "BatchWriteItem", body);
}

RequestTemplate BuildPreloadPut(const Endpoint& endpoint, const Dataset& dataset) {
  BodyBuilder body;
  body.Text(R"({"TableName":")").Text(dataset.table).Text(R"(","Item":)");
  AppendPreloadedItem(body, dataset, 0, 1);
  body.Text("}");
  return RequestTemplate::DynamoPost(endpoint, "PutItem", body);
}

RequestTemplate BuildNewItemBatch(const Endpoint& endpoint, const Dataset& dataset,
                                  const std::string& prefix, const std::string& gsi_key) {
  BodyBuilder body;
  body.Text(R"({"RequestItems":{")").Text(dataset.table).Text(R"(":[)");
  for (uint32_t i = 0; i < kBatchSize; ++i) {
    if (i > 0) body.Text(",");
    body.Text(R"({"PutRequest":{"Item":)");
    AppendNewItem(body, dataset, prefix, Padded(i, 2, "#"), gsi_key);
    body.Text("}}");
  }
  body.Text("]}}");
  return RequestTemplate::DynamoPost(endpoint, "BatchWriteItem", body);
}

RequestTemplate BuildTransact(const Endpoint& endpoint, const Dataset& dataset,
                              const std::string& prefix, const std::string& gsi_key) {
  BodyBuilder body;
  body.Text(R"({"TransactItems":[)");
  for (uint32_t i = 0; i < kTransactPuts; ++i) {
    body.Text(R"({"Put":{"TableName":")").Text(dataset.table).Text(R"(","Item":)");
    AppendNewItem(body, dataset, prefix, Padded(i, 2, "#"), gsi_key);
    body.Text("}},");
  }
  body.Text(R"({"Update":)");
  AppendUpdateCounter(body, dataset, kVarPartition, kVarItem);
  body.Text(R"(},{"Update":)");
  AppendUpdateCounter(body, dataset, kVarPartition, kVarSecondItem);
  body.Text("}]}");
  return RequestTemplate::DynamoPost(endpoint, "TransactWriteItems", body);
}

bool Contains(std::string_view body, std::string_view needle) {
  return body.find(needle) != std::string_view::npos;
}

// Status and "__type" checks shared by every DynamoDB operation.
Verdict JudgeDynamo(int status, std::string_view body) {
  if (status != 200) return Verdict{false, 0, 0, "HTTP status is not 200"};
  if (Contains(body, "__type")) return Verdict{false, 0, 0, "response carries an error __type"};
  return Verdict{};
}

std::string_view SkipSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == ':')) text.remove_prefix(1);
  return text;
}

// Value of the top-level "Count" of a Query response, or -1 when absent.
int64_t QueryCount(std::string_view body) {
  const size_t at = body.find("\"Count\"");
  if (at == std::string_view::npos) return -1;
  std::string_view rest = SkipSpaces(body.substr(at + 7));
  int64_t count = 0;
  bool any_digit = false;
  while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
    count = count * 10 + (rest.front() - '0');
    rest.remove_prefix(1);
    any_digit = true;
  }
  return any_digit ? count : -1;
}

// Emulators never throttle, but a server may still hand items back; count rather than hide them.
uint32_t UnprocessedPuts(std::string_view body) {
  const size_t at = body.find("\"UnprocessedItems\"");
  if (at == std::string_view::npos) return 0;
  std::string_view rest = SkipSpaces(body.substr(at + 18));
  if (!rest.empty() && rest.front() == '{') {
    const std::string_view inside = SkipSpaces(rest.substr(1));
    if (!inside.empty() && inside.front() == '}') return 0;
  }
  uint32_t count = 0;
  for (size_t pos = at; (pos = body.find("\"PutRequest\"", pos)) != std::string_view::npos; ++pos) {
    ++count;
  }
  return count;
}

class ProfileSource final : public RequestSource {
 public:
  ProfileSource(const WorkloadConfig& config, const Endpoint& endpoint, int connection,
                PreloadCursor* cursor)
      : config_(config),
        dataset_(config.dataset),
        connection_(connection),
        cursor_(cursor),
        random_(config.seed * 0x100000001B3ull + static_cast<uint64_t>(connection) + 1) {
    const std::string owner = Padded(config.run_id, 6) + "#" + Padded(connection, 4) + "#";
    const std::string gsi_key = Padded(connection, 4, "gnew#");
    switch (config.profile) {
      case Profile::kPut:
        primary_ = BuildPut(endpoint, dataset_, "put#" + owner, gsi_key);
        break;
      case Profile::kGet:
        primary_ = BuildGet(endpoint, dataset_);
        break;
      case Profile::kUpdate:
        primary_ = BuildUpdate(endpoint, dataset_);
        break;
      case Profile::kQuery:
      case Profile::kQueryGsi:
        primary_ = BuildQuery(endpoint, dataset_, config.profile == Profile::kQueryGsi);
        break;
      case Profile::kBatch:
        primary_ = BuildNewItemBatch(endpoint, dataset_, "batch#" + owner, gsi_key);
        break;
      case Profile::kTransact:
        primary_ = BuildTransact(endpoint, dataset_, "tx#" + owner, gsi_key);
        break;
      case Profile::kMixed:
        primary_ = BuildQuery(endpoint, dataset_, false);
        mixed_put_ = BuildPut(endpoint, dataset_, "mixed#" + owner, gsi_key);
        mixed_update_ = BuildUpdate(endpoint, dataset_);
        break;
      case Profile::kHealth:
        primary_ = RequestTemplate::HealthGet(endpoint);
        break;
      case Profile::kPreload: {
        if (config.preload_with_put_item) {
          primary_ = BuildPreloadPut(endpoint, dataset_);
          break;
        }
        primary_ = BuildPreloadBatch(endpoint, dataset_, kBatchSize);
        const uint64_t first = dataset_.preload_first_partition * dataset_.items_per_partition;
        const uint32_t tail = static_cast<uint32_t>((cursor_->end_item - first) % kBatchSize);
        if (tail != 0) preload_tail_ = BuildPreloadBatch(endpoint, dataset_, tail);
        break;
      }
      case Profile::kNone:
        break;
    }
  }

  const RequestTemplate* Next() override {
    last_kind_ = config_.profile;
    switch (config_.profile) {
      case Profile::kPut:
      case Profile::kBatch:
        variables_[kVarSequence] = sequence_++;
        return Filled(primary_);
      case Profile::kGet:
      case Profile::kUpdate:
        PickPreloadedItem(false);
        return Filled(primary_);
      case Profile::kQuery:
      case Profile::kQueryGsi:
        variables_[kVarPartition] = random_.Below(dataset_.partitions);
        return Filled(primary_);
      case Profile::kTransact:
        variables_[kVarSequence] = sequence_++;
        PickPreloadedItem(true);
        return Filled(primary_);
      case Profile::kMixed:
        return NextMixed();
      case Profile::kHealth:
        return &primary_;
      case Profile::kPreload:
        return NextPreloadBatch();
      case Profile::kNone:
        break;
    }
    return nullptr;
  }

  Verdict Judge(int status, std::string_view body) override {
    if (last_kind_ == Profile::kHealth) {
      return status == 200 ? Verdict{} : Verdict{false, 0, 0, "HTTP status is not 200"};
    }
    Verdict verdict = JudgeDynamo(status, body);
    if (!verdict.ok) return verdict;
    switch (last_kind_) {
      case Profile::kGet:
        if (!Contains(body, "\"Item\"")) return Verdict{false, 0, 0, "GetItem found no item"};
        break;
      case Profile::kQuery:
      case Profile::kQueryGsi: {
        const uint32_t expected = std::min(dataset_.query_limit, dataset_.items_per_partition);
        if (QueryCount(body) < static_cast<int64_t>(expected)) {
          return Verdict{false, 0, 0, "Query returned fewer items than Limit"};
        }
        break;
      }
      case Profile::kBatch:
      case Profile::kPreload:
        verdict.items_unprocessed = UnprocessedPuts(body);
        verdict.items_written = last_batch_size_ - verdict.items_unprocessed;
        break;
      default:
        verdict.items_written = ItemsWrittenPerRequest(last_kind_);
    }
    return verdict;
  }

 private:
  RequestTemplate* Filled(RequestTemplate& request) {
    request.Fill(variables_);
    return &request;
  }

  // Two distinct items of one partition; for transactions the partition is owned by this
  // connection when there are enough partitions, so concurrent transactions never touch the same
  // item (which a faithful server would reject with TransactionConflict).
  void PickPreloadedItem(bool owned_partition) {
    const uint64_t partitions = dataset_.partitions;
    const uint64_t connections = static_cast<uint64_t>(config_.connections);
    if (owned_partition && partitions >= connections) {
      variables_[kVarPartition] = static_cast<uint64_t>(connection_) +
                                  connections * random_.Below(partitions / connections);
    } else {
      variables_[kVarPartition] = random_.Below(partitions);
    }
    const uint64_t items = dataset_.items_per_partition;
    variables_[kVarItem] = random_.Below(items);
    variables_[kVarSecondItem] = (variables_[kVarItem] + items / 2) % items;
  }

  // 70 % query, 20 % put, 10 % update.
  const RequestTemplate* NextMixed() {
    const uint64_t roll = random_.Below(100);
    if (roll < 70) {
      last_kind_ = Profile::kQuery;
      variables_[kVarPartition] = random_.Below(dataset_.partitions);
      return Filled(primary_);
    }
    if (roll < 90) {
      last_kind_ = Profile::kPut;
      variables_[kVarSequence] = sequence_++;
      return Filled(mixed_put_);
    }
    last_kind_ = Profile::kUpdate;
    PickPreloadedItem(false);
    return Filled(mixed_update_);
  }

  const RequestTemplate* NextPreloadBatch() {
    const uint64_t batch_size = config_.preload_with_put_item ? 1 : kBatchSize;
    const uint64_t start = cursor_->next_item.fetch_add(batch_size, std::memory_order_relaxed);
    if (start >= cursor_->end_item) return nullptr;
    const uint64_t count = std::min<uint64_t>(batch_size, cursor_->end_item - start);
    for (uint64_t i = 0; i < count; ++i) {
      variables_[2 * i] = (start + i) / dataset_.items_per_partition;
      variables_[2 * i + 1] = (start + i) % dataset_.items_per_partition;
    }
    last_batch_size_ = static_cast<uint32_t>(count);
    return Filled(count == batch_size ? primary_ : preload_tail_);
  }

  const WorkloadConfig& config_;
  const Dataset& dataset_;
  const int connection_;
  PreloadCursor* const cursor_;
  Random random_;
  uint64_t sequence_ = 0;
  Profile last_kind_ = Profile::kNone;
  uint32_t last_batch_size_ = kBatchSize;
  std::array<uint64_t, 2 * kBatchSize> variables_{};
  RequestTemplate primary_;
  RequestTemplate mixed_put_;
  RequestTemplate mixed_update_;
  RequestTemplate preload_tail_;
};

}  // namespace

std::optional<Profile> ParseProfile(std::string_view name) {
  for (const ProfileInfo& info : kProfiles) {
    if (info.name == name && info.profile != Profile::kPreload) return info.profile;
  }
  return std::nullopt;
}

std::string_view ProfileName(Profile profile) {
  for (const ProfileInfo& info : kProfiles) {
    if (info.profile == profile) return info.name;
  }
  return "?";
}

bool ProfileNeedsDataset(Profile profile) {
  for (const ProfileInfo& info : kProfiles) {
    if (info.profile == profile) return info.needs_dataset;
  }
  return false;
}

uint32_t ItemsWrittenPerRequest(Profile profile) {
  for (const ProfileInfo& info : kProfiles) {
    if (info.profile == profile) return info.items_written;
  }
  return 0;
}

std::unique_ptr<RequestSource> MakeRequestSource(const WorkloadConfig& config,
                                                 const Endpoint& endpoint, int connection,
                                                 PreloadCursor* preload_cursor) {
  return std::make_unique<ProfileSource>(config, endpoint, connection, preload_cursor);
}

std::string CreateTableBody(const Dataset& dataset, bool provisioned) {
  const std::string capacity =
      R"("ProvisionedThroughput":{"ReadCapacityUnits":10000,"WriteCapacityUnits":10000})";
  std::string body = R"({"TableName":")" + dataset.table + R"(",)";
  body += R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)";
  body +=
      R"({"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"gsk","AttributeType":"S"}],)";
  body += R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},)";
  body += R"({"AttributeName":"sk","KeyType":"RANGE"}],)";
  body += R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[)";
  body += R"({"AttributeName":"gsk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)";
  body += R"("Projection":{"ProjectionType":"ALL"})";
  body +=
      provisioned ? "," + capacity + "}]," + capacity : "}],\"BillingMode\":\"PAY_PER_REQUEST\"";
  if (!dataset.stream_view_type.empty()) {
    body += R"(,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":")" +
            dataset.stream_view_type + R"("})";
  }
  body += "}";
  return body;
}

}  // namespace eddy_bench
