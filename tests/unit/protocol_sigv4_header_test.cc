// The Authorization header decides which namespace (database) a request lands in.
#include <gtest/gtest.h>

#include "protocol/sigv4_header.h"

namespace eddy::protocol {
namespace {

TEST(SigV4Header, ReadsAccessKeyAndRegionFromTheCredentialScope) {
  std::string problem;
  auto credential = parse_authorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-2/dynamodb/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc123",
      problem);
  ASSERT_TRUE(credential) << problem;
  EXPECT_EQ(credential->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(credential->date, "20260101");
  EXPECT_EQ(credential->region, "eu-west-2");
  EXPECT_EQ(credential->service, "dynamodb");
  EXPECT_EQ(credential->signed_headers, "content-type;host;x-amz-date;x-amz-target");
  EXPECT_EQ(credential->signature, "abc123");
}

TEST(SigV4Header, AcceptsTheCompactFormWithoutSpaces) {
  std::string problem;
  auto credential = parse_authorization(
      "AWS4-HMAC-SHA256 Credential=K/20260101/us-east-1/dynamodb/aws4_request,"
      "SignedHeaders=host,Signature=00",
      problem);
  ASSERT_TRUE(credential) << problem;
  EXPECT_EQ(credential->access_key_id, "K");
  EXPECT_EQ(credential->region, "us-east-1");
}

TEST(SigV4Header, NamesEveryMissingPartAsAwsDoes) {
  std::string problem;
  EXPECT_FALSE(parse_authorization("AWS4-HMAC-SHA256 Credential=K/d/r/s/aws4_request", problem));
  EXPECT_EQ(problem,
            "Authorization header requires 'Signature' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 "
            "Credential=K/d/r/s/aws4_request");
}

TEST(SigV4Header, RejectsOtherSchemesAndBadScopes) {
  std::string problem;
  EXPECT_FALSE(parse_authorization("Basic dXNlcjpwYXNz", problem));
  EXPECT_FALSE(parse_authorization(
      "AWS4-HMAC-SHA256 Credential=K/20260101/us-east-1, SignedHeaders=host, Signature=0",
      problem));
  EXPECT_EQ(problem, "Credential should be scoped to a valid region. ");
}

}  // namespace
}  // namespace eddy::protocol
