// Micro-benchmark of the expression language: what one request pays to parse, bind and
// evaluate its expressions, with and without the parse cache. Prints one line per case:
//   <case>  parse ns  cached-parse+bind ns  evaluate ns  total (cached) ns
// Usage: eddy-expression-bench [iterations]   (default 50000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "model/expressions/binder.h"
#include "model/expressions/condition_evaluator.h"
#include "model/expressions/expression_cache.h"
#include "model/expressions/parser.h"
#include "model/expressions/projection.h"
#include "model/expressions/update_applier.h"

namespace {

namespace ex = eddy::model::expressions;
using eddy::model::AttributeMap;
using eddy::model::AttributeValue;
using eddy::model::Item;

// Nanoseconds per call of `work`, the best of five rounds (the machine is shared and noisy; the
// minimum is the most repeatable figure for CPU-bound work this small).
double nanoseconds_per_call(size_t iterations, const std::function<void()>& work) {
  double best = 1e18;
  for (int round = 0; round < 5; ++round) {
    auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < iterations; ++i) work();
    auto elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, std::chrono::duration<double, std::nano>(elapsed).count() /
                              static_cast<double>(iterations));
  }
  return best;
}

Item cruddur_message() {
  Item item;
  item["pk"] = AttributeValue::string("MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
  item["sk"] = AttributeValue::string("2023-04-01T12:00:00.000000+00:00");
  item["message"] = AttributeValue::string("Hello, is this the Cruddur support desk?");
  item["user_uuid"] = AttributeValue::string("b3a5b0c4-3b1e-4b8e-8a3f-0d4c7a1f9e21");
  item["user_display_name"] = AttributeValue::string("Andrew Brown");
  item["user_handle"] = AttributeValue::string("andrewbrown");
  item["views"] = AttributeValue::number("41");
  AttributeMap address;
  address["city"] = AttributeValue::string("Toronto");
  address["zip"] = AttributeValue::string("M5V");
  item["profile"] = AttributeValue::map(address);
  std::vector<AttributeValue> tags;
  for (const char* tag : {"support", "billing", "urgent"})
    tags.push_back(AttributeValue::string(tag));
  item["tags"] = AttributeValue::list(tags);
  return item;
}

struct Case {
  std::string name;
  enum { Condition, Update, Projection } kind;
  std::string text;
};

}  // namespace

int main(int argc, char** argv) {
  size_t iterations = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 50000;
  std::map<std::string, std::string, std::less<>> names = {{"#v", "views"}, {"#m", "message"}};
  AttributeMap values;
  values[":one"] = AttributeValue::number("1");
  values[":zero"] = AttributeValue::number("0");
  values[":prefix"] = AttributeValue::string("MSG#");
  values[":handle"] = AttributeValue::string("andrewbrown");
  values[":low"] = AttributeValue::number("10");
  values[":high"] = AttributeValue::number("100");
  values[":tag"] = AttributeValue::string("billing");
  values[":more"] = AttributeValue::list({AttributeValue::string("new")});
  const Item item = cruddur_message();

  const std::vector<Case> cases = {
      {"uniqueness", Case::Condition, "attribute_not_exists(pk)"},
      {"comparison", Case::Condition, "user_handle = :handle"},
      {"compound", Case::Condition,
       "begins_with(pk, :prefix) AND #v BETWEEN :low AND :high AND NOT contains(tags, :tag) OR "
       "size(#m) > :zero"},
      {"counter", Case::Update, "SET #v = if_not_exists(#v, :zero) + :one"},
      {"nested update", Case::Update,
       "SET profile.city = :handle, tags = list_append(tags, :more) REMOVE #m"},
      {"projection", Case::Projection, "pk, sk, profile.city, tags[1]"},
  };

  std::printf("%-14s %10s %18s %12s %14s\n", "case", "parse ns", "cached+bind ns", "evaluate ns",
              "per request ns");
  for (const Case& c : cases) {
    double parse = 0, bind = 0, evaluate = 0;
    volatile bool sink = false;
    if (c.kind == Case::Condition) {
      parse = nanoseconds_per_call(iterations,
                                   [&] { sink = !ex::parse_condition(c.text).children.empty(); });
      bind = nanoseconds_per_call(iterations, [&] {
        ex::Placeholders placeholders{&names, &values};
        sink = ex::bind_condition(*ex::cached_condition(c.text), placeholders).children.empty();
      });
      ex::Placeholders placeholders{&names, &values};
      ex::Node bound = ex::bind_condition(*ex::cached_condition(c.text), placeholders);
      evaluate =
          nanoseconds_per_call(iterations, [&] { sink = ex::evaluate_condition(bound, item); });
    } else if (c.kind == Case::Update) {
      parse = nanoseconds_per_call(iterations,
                                   [&] { sink = ex::parse_update(c.text).actions.empty(); });
      bind = nanoseconds_per_call(iterations, [&] {
        ex::Placeholders placeholders{&names, &values};
        sink = ex::bind_update(*ex::cached_update(c.text), placeholders).actions.empty();
      });
      ex::Placeholders placeholders{&names, &values};
      ex::UpdateExpression bound = ex::bind_update(*ex::cached_update(c.text), placeholders);
      evaluate = nanoseconds_per_call(iterations, [&] {
        Item copy = item;
        ex::apply_update(bound, copy);
        sink = copy.empty();
      });
    } else {
      parse = nanoseconds_per_call(iterations,
                                   [&] { sink = ex::parse_projection(c.text).paths.empty(); });
      bind = nanoseconds_per_call(iterations, [&] {
        ex::Placeholders placeholders{&names, &values};
        sink = ex::bind_projection(*ex::cached_projection(c.text), placeholders).paths.empty();
      });
      ex::Placeholders placeholders{&names, &values};
      ex::ProjectionExpression bound =
          ex::bind_projection(*ex::cached_projection(c.text), placeholders);
      evaluate =
          nanoseconds_per_call(iterations, [&] { sink = ex::project(item, bound.paths).empty(); });
    }
    (void)sink;
    std::printf("%-14s %10.0f %18.0f %12.0f %14.0f\n", c.name.c_str(), parse, bind, evaluate,
                bind + evaluate);
  }
  return 0;
}
