#pragma once
// DynamoDB JSON <-> AttributeValue, with DynamoDB's validation and its exact messages.
#include <nlohmann/json.hpp>

#include "model/attribute_value.h"

namespace eddy::model {

// Parses one AttributeValue ({"S": "x"}, {"N": "1"}, {"B": "<base64>"}, {"SS": [...]}, ...).
// Throws ApiError with DynamoDB's type and message, e.g.:
//   {}                -> ValidationException "Supplied AttributeValue is empty, must contain
//                        exactly one of the supported datatypes"
//   {"S":"a","N":"1"} -> "Supplied AttributeValue has more than one datatypes set, must contain
//                        exactly one of the supported datatypes"
//   {"NULL": false}   -> "One or more parameter values were invalid: Null attribute value types
//                        must have the value of true"
//   {"SS": []}        -> "One or more parameter values were invalid: An string set  may not be
//                        empty"
//   {"SS":["a","a"]}  -> "One or more parameter values were invalid: Input collection [a, a]
//                        contains duplicates."
//   numbers           -> Number::parse's messages
//   wrong JSON type   -> SerializationException (e.g. {"S": 5})
// Nesting deeper than 32 levels is rejected as DynamoDB rejects it.
AttributeValue attribute_from_json(const nlohmann::json& json);

// Parses an object of attribute name -> AttributeValue (an Item or a Key).
AttributeMap attribute_map_from_json(const nlohmann::json& json);

nlohmann::json to_json(const AttributeValue& value);
nlohmann::json to_json(const AttributeMap& attributes);

// Standard base64 (with padding) as DynamoDB's JSON carries binaries.
std::string base64_encode(std::string_view bytes);
// Throws SerializationException on malformed input, as DynamoDB does.
std::string base64_decode(std::string_view text);

}  // namespace eddy::model
