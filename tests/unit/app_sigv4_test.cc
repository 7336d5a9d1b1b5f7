// Cruddur's SigV4 signer against botocore's: tests/unit/data/sigv4_vectors.json holds requests
// signed by Debian's python3-botocore (tests/tools/make_sigv4_vectors.py).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "dynamodb/sigv4.h"

namespace cruddur::dynamodb {
namespace {

nlohmann::json vectors() {
  std::ifstream file(std::string(EDDY_TEST_DATA_DIR) + "/sigv4_vectors.json");
  return nlohmann::json::parse(file);
}

SignedRequestParts request_of(const nlohmann::json& vector) {
  SignedRequestParts request;
  for (const auto& [name, value] : vector["headers"].items()) {
    request.headers[name] = value.get<std::string>();
  }
  request.body = vector["body"].get<std::string>();
  return request;
}

TEST(SigV4, MatchesBotocoreForEveryVector) {
  nlohmann::json all = vectors();
  ASSERT_GE(all.size(), 5u);
  for (const auto& vector : all) {
    SignedRequestParts request = request_of(vector);
    EXPECT_EQ(canonical_request(request), vector["canonical_request"].get<std::string>())
        << vector["endpoint"];
    Credentials credentials{vector["access_key_id"], vector["secret_access_key"],
                            vector["session_token"]};
    EXPECT_EQ(authorization_header(request, credentials, {vector["region"], vector["service"]}),
              vector["authorization"].get<std::string>())
        << vector["endpoint"];
  }
}

TEST(SigV4, HeaderNamesAndSpacesAreCanonicalised) {
  SignedRequestParts request;
  request.headers = {
      {"Host", "localhost:8000"}, {"X-Amz-Date", "20260101T000000Z"}, {"X-Custom", "  a   b  "}};
  EXPECT_EQ(canonical_request(request),
            "POST\n/\n\nhost:localhost:8000\nx-amz-date:20260101T000000Z\nx-custom:a b\n\n"
            "host;x-amz-date;x-custom\n" +
                sha256_hex(""));
}

TEST(SigV4, AmzDateIsUtc) {
  EXPECT_EQ(amz_date(0), "19700101T000000Z");
  EXPECT_EQ(amz_date(1795219200), "20261121T000000Z");
}

TEST(SigV4, ARequestWithoutADateCannotBeSigned) {
  SignedRequestParts request;
  request.headers = {{"Host", "localhost"}};
  EXPECT_THROW(authorization_header(request, {"a", "b", ""}, {"us-east-1", "dynamodb"}),
               std::invalid_argument);
}

}  // namespace
}  // namespace cruddur::dynamodb
