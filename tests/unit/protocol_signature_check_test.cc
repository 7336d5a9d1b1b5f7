// Strict mode's signature check, on AWS's published SigV4 example (the "get-vanilla" request of
// its test suite, key AKIDEXAMPLE) and variants whose signatures botocore computed.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "protocol/signature_check.h"

namespace eddy::protocol {
namespace {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;

const KeyRing kKeys{{"AKIDEXAMPLE", {"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""}}};
// 2015-08-30T12:36:00Z, when the example was signed.
const auto kSignedAt = std::chrono::system_clock::from_time_t(1440938160);

Request example_request(const std::string& target, const std::string& signature) {
  Request request{http::verb::get, target, 11};
  request.set(http::field::host, "example.amazonaws.com");
  request.set("X-Amz-Date", "20150830T123600Z");
  request.set(http::field::authorization,
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
              "SignedHeaders=host;x-amz-date, Signature=" +
                  signature);
  return request;
}

std::optional<AuthFailure> check(const Request& request,
                                 std::chrono::system_clock::time_point now = kSignedAt) {
  std::string problem;
  auto header = request[http::field::authorization];
  auto credential = parse_authorization(std::string_view(header.data(), header.size()), problem);
  EXPECT_TRUE(credential) << problem;
  return check_signature(request, *credential, kKeys, now);
}

constexpr const char* kVanilla = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

TEST(SignatureCheck, AcceptsAwsExampleRequests) {
  EXPECT_FALSE(check(example_request("/", kVanilla)));
  // Query parameters are signed sorted, whatever order they came in.
  EXPECT_FALSE(
      check(example_request("/?Param2=value2&Param1=value1",
                            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")));
  // The path is signed as sent and encoded once more, as the SDKs do.
  EXPECT_FALSE(check(example_request(
      "/example%20space/", "446b817944c553435b35e813c261ff4e161fff982d1bacdef1c87f6785dd1662")));
}

TEST(SignatureCheck, RefusesAnythingChangedAfterSigning) {
  const std::string kInvalid = "InvalidSignatureException";
  Request other_path = example_request("/other", kVanilla);
  EXPECT_EQ(check(other_path)->type, kInvalid);
  Request other_host = example_request("/", kVanilla);
  other_host.set(http::field::host, "example.amazonaws.com.evil");
  EXPECT_EQ(check(other_host)->type, kInvalid);
  Request with_body = example_request("/", kVanilla);
  with_body.body() = "{}";
  EXPECT_EQ(check(with_body)->type, kInvalid);
  Request other_signature = example_request("/", std::string(64, '0'));
  EXPECT_EQ(check(other_signature)->type, kInvalid);
  Request short_signature = example_request("/", "5fa0");
  EXPECT_EQ(check(short_signature)->type, kInvalid);
}

TEST(SignatureCheck, RefusesUnknownKeysAndStrayTokens) {
  Request request = example_request("/", kVanilla);
  request.set(http::field::authorization,
              "AWS4-HMAC-SHA256 Credential=AKIDOTHER/20150830/us-east-1/service/aws4_request, "
              "SignedHeaders=host;x-amz-date, Signature=" +
                  std::string(kVanilla));
  auto failure = check(request);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "UnrecognizedClientException");
  EXPECT_EQ(failure->message, "The security token included in the request is invalid.");
  Request with_token = example_request("/", kVanilla);
  with_token.set("X-Amz-Security-Token", "token-of-another-key");
  EXPECT_EQ(check(with_token)->type, "UnrecognizedClientException");
}

TEST(SignatureCheck, AllowsFifteenMinutesOfClockSkewEitherWay) {
  using std::chrono::minutes, std::chrono::seconds;
  Request request = example_request("/", kVanilla);
  EXPECT_FALSE(check(request, kSignedAt + minutes(15)));
  EXPECT_FALSE(check(request, kSignedAt - minutes(15)));
  auto late = check(request, kSignedAt + minutes(15) + seconds(1));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T125101Z - 15 min.)");
  auto early = check(request, kSignedAt - minutes(15) - seconds(1));
  ASSERT_TRUE(early);
  EXPECT_EQ(early->message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z "
            "(20150830T122059Z + 15 min.)");
}

TEST(SignatureCheck, ReadsPresignedQueries) {
  std::string problem;
  auto credential = parse_query_signature(
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Feu-west-1%2F"
      "dynamodb%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=300&"
      "X-Amz-SignedHeaders=host%3Bx-amz-target&X-Amz-Signature=ab12",
      problem);
  ASSERT_TRUE(credential) << problem;
  EXPECT_TRUE(credential->presigned);
  EXPECT_EQ(credential->access_key_id, "AKID");
  EXPECT_EQ(credential->region, "eu-west-1");
  EXPECT_EQ(credential->signed_headers, "host;x-amz-target");
  EXPECT_EQ(credential->amz_date, "20260101T000000Z");
  EXPECT_EQ(credential->expires_seconds, 300);
  auto without_expiry = parse_query_signature(
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Feu-west-1%2F"
      "dynamodb%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&"
      "X-Amz-Signature=ab12",
      problem);
  ASSERT_TRUE(without_expiry) << problem;
  EXPECT_FALSE(without_expiry->expires_seconds);  // only the 15-minute rule then
  EXPECT_FALSE(parse_query_signature("/?X-Amz-Algorithm=AWS4-HMAC-SHA256", problem));
  EXPECT_EQ(problem,
            "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the "
            "query-string parameters.");
  EXPECT_TRUE(has_query_signature("/?a=b&X-Amz-Algorithm=x"));
  EXPECT_FALSE(has_query_signature("/?a=X-Amz-Algorithm"));
}

TEST(CredentialsFile, ReadsProfilesAsTheAwsCliWritesThem) {
  std::string path = testing::TempDir() + "eddy-credentials-test";
  std::ofstream(path) << "; comment\n[default]\naws_access_key_id = AKID1\n"
                         "aws_secret_access_key=secret one\n\n[ci]\nAWS_ACCESS_KEY_ID=AKID2\n"
                         "aws_secret_access_key = s2\naws_session_token = tok\n";
  KeyRing keys = read_credentials_file(path);
  std::remove(path.c_str());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys.at("AKID1").secret_access_key, "secret one");
  EXPECT_EQ(keys.at("AKID1").session_token, "");
  EXPECT_EQ(keys.at("AKID2").session_token, "tok");
  EXPECT_THROW(read_credentials_file("/nonexistent/credentials"), std::runtime_error);
}

}  // namespace
}  // namespace eddy::protocol
