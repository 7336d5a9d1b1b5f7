// libFuzzer target: DynamoDB's expression language, parsed, bound to a fixed set of placeholders
// and then used as DynamoDB would: a condition evaluated on an item, an update applied to it, a
// projection taken of it, a key condition extracted. The first byte picks which (the text is
// the rest). A rejection must be an ExpressionError or an ApiError; an updated item must still
// round-trip through the storage encoding.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/api_error.h"
#include "model/expressions/binder.h"
#include "model/expressions/condition_evaluator.h"
#include "model/expressions/key_condition.h"
#include "model/expressions/parser.h"
#include "model/expressions/projection.h"
#include "model/expressions/update_applier.h"
#include "model/item_codec.h"
#include "model/item_size.h"

namespace {

using namespace eddy::model;
using namespace eddy::model::expressions;

const std::map<std::string, std::string, std::less<>>& placeholder_names() {
  static const std::map<std::string, std::string, std::less<>> names{
      {"#pk", "pk"}, {"#n", "count"}, {"#m", "profile"}, {"#l", "tags"}, {"#s", "colours"}};
  return names;
}

const AttributeMap& placeholder_values() {
  static const AttributeMap values{
      {":s", AttributeValue::string("x")},
      {":n", AttributeValue::number("1")},
      {":b", AttributeValue::binary(std::string("\0\1", 2))},
      {":ss", AttributeValue::string_set({"red", "blue"})},
      {":ns", AttributeValue::number_set({"1", "2"})},
      {":l", AttributeValue::list({AttributeValue::string("a"), AttributeValue::number("2")})},
      {":m", AttributeValue::map({{"k", AttributeValue::string("v")}})},
      {":t", AttributeValue::boolean(true)},
      {":z", AttributeValue::null()}};
  return values;
}

Item sample_item() {
  return Item{{"pk", AttributeValue::string("user#1")},
              {"count", AttributeValue::number("41")},
              {"colours", AttributeValue::string_set({"red", "green"})},
              {"tags", AttributeValue::list(
                           {AttributeValue::string("a"),
                            AttributeValue::map({{"deep", AttributeValue::number("-1.5")}})})},
              {"profile", AttributeValue::map({{"name", AttributeValue::string("Londo")},
                                               {"blob", AttributeValue::binary("ab")}})}};
}

void check_round_trip(const Item& item) {
  if (decode_item(encode_item(item)) != item) std::abort();
  (void)item_size(item);
}

void exercise(uint8_t kind, std::string_view text) {
  Placeholders placeholders{&placeholder_names(), &placeholder_values()};
  Item item = sample_item();
  switch (kind % 4) {
    case 0: {
      Node bound = bind_condition(parse_condition(text), placeholders);
      (void)evaluate_condition(bound, item);
      break;
    }
    case 1: {
      UpdateExpression bound = bind_update(parse_update(text), placeholders);
      apply_update(bound, item);
      check_round_trip(item);
      break;
    }
    case 2: {
      ProjectionExpression bound = bind_projection(parse_projection(text), placeholders);
      check_round_trip(project(item, bound.paths));
      break;
    }
    default: {
      Node bound = bind_condition(parse_condition(text), placeholders);
      (void)key_condition_from_expression(bound);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    exercise(data[0], text);
  } catch (const ExpressionError&) {
  } catch (const ApiError&) {
  }
  return 0;
}
