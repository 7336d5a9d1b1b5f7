// Cruddur's encodings: the seeds' timestamps (sort keys, so text order must be time order),
// the get-conversation date format, message length in characters, and the web files' paths.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/api_routes.h"
#include "http/static_files.h"
#include "messages/timestamps.h"
#include "worker/checkpoints.h"

namespace {

using cruddur::messages::Clock;
using cruddur::messages::iso8601;
using cruddur::messages::listing_time;
using cruddur::messages::parse_iso8601;

Clock::time_point at_micros(int64_t micros) {
  return Clock::time_point(std::chrono::microseconds(micros));
}

TEST(AppTimestamps, WritesPythonsIsoformatInUtcWithSixDigits) {
  EXPECT_EQ(iso8601(at_micros(0)), "1970-01-01T00:00:00.000000+00:00");
  EXPECT_EQ(iso8601(at_micros(1795254590853001)), "2026-11-21T09:49:50.853001+00:00");
  EXPECT_EQ(iso8601(at_micros(-1)), "1969-12-31T23:59:59.999999+00:00");
  EXPECT_EQ(cruddur::messages::year_of(at_micros(1795254590853001)), "2026");
}

TEST(AppTimestamps, TextOrderIsTimeOrder) {
  int64_t base = 1795254590000000;
  for (int64_t step : {int64_t{1}, int64_t{9}, int64_t{10}, int64_t{999999}, int64_t{1000000},
                       int64_t{59000000}, int64_t{86400000000}}) {
    EXPECT_LT(iso8601(at_micros(base)), iso8601(at_micros(base + step))) << step;
  }
}

TEST(AppTimestamps, ParsesWhatItWritesAndOtherOffsets) {
  auto when = at_micros(1795254590853001);
  EXPECT_EQ(parse_iso8601(iso8601(when)), when);
  EXPECT_EQ(parse_iso8601("2026-11-21T10:49:50.853001+01:00"), when);
  EXPECT_EQ(parse_iso8601("2026-11-21T09:49:50.853001Z"), when);
  EXPECT_EQ(parse_iso8601("2026-11-21T09:49:50.8530019+00:00"), when);  // digits past micros
  EXPECT_EQ(parse_iso8601("2026-11-21T09:49:50+00:00"), at_micros(1795254590000000));
  for (const char* text : {"", "2026", "2026-11-21", "yesterday", "2026-11-21T09:49:50+0100",
                           "2026-11-21T09:49:50.1+01"}) {
    EXPECT_EQ(parse_iso8601(text), std::nullopt) << text;
  }
}

TEST(AppTimestamps, ListingTimeIsTheSeedsStrftime) {
  EXPECT_EQ(listing_time("2026-11-21T09:05:03.123456+00:00"), "2026-11-21 09:05 AM");
  EXPECT_EQ(listing_time("2026-11-21T21:59:59.999999+00:00"), "2026-11-21 09:59 PM");
  EXPECT_EQ(listing_time("2026-11-21T00:00:00.000000+00:00"), "2026-11-21 12:00 AM");
  EXPECT_EQ(listing_time("not a time"), "not a time");
}

TEST(AppMessages, LengthCountsCharactersAsPythonDoes) {
  using cruddur::http::character_count;
  EXPECT_EQ(character_count(""), 0u);
  EXPECT_EQ(character_count("abc"), 3u);
  EXPECT_EQ(character_count("caf\xC3\xA9"), 4u);          // é: 2 bytes
  EXPECT_EQ(character_count("\xE2\x98\x83"), 1u);         // ☃: 3 bytes
  EXPECT_EQ(character_count("\xF0\x9F\x9A\x80 go"), 4u);  // 🚀: 4 bytes
}

class AppStaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("cruddur-web-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "web");
    std::ofstream(root_ / "web" / "index.html") << "<html>index</html>";
    std::ofstream(root_ / "web" / "app.js") << "app();";
    std::ofstream(root_ / "secret.txt") << "outside";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(AppStaticFiles, ServesFilesAndTheIndexForClientRoutes) {
  cruddur::http::StaticFiles files(root_ / "web");
  auto script = files.find("/app.js?v=2");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->body, "app();");
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  for (const char* route : {"/", "/messages", "/messages/5ae290ed-55d1", "/messages/new/londo"}) {
    auto page = files.find(route);
    ASSERT_TRUE(page) << route;
    EXPECT_EQ(page->body, "<html>index</html>") << route;
  }
  EXPECT_FALSE(files.find("/missing.js"));
}

TEST_F(AppStaticFiles, NeverLeavesTheDirectory) {
  cruddur::http::StaticFiles files(root_ / "web");
  for (const char* path :
       {"/../secret.txt", "/../../etc/passwd", "/./../secret.txt", "/messages/../../secret.txt"}) {
    auto found = files.find(path);
    EXPECT_TRUE(!found || found->body == "<html>index</html>") << path;
  }
}

TEST(AppCheckpoints, RememberTheLastRecordAndFinishedShards) {
  auto path = std::filesystem::temp_directory_path() /
              ("cruddur-checkpoints-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    cruddur::worker::Checkpoints checkpoints(path.string());
    EXPECT_FALSE(checkpoints.position("arn", "shard-1"));
    checkpoints.record_processed("arn", "shard-1", "100");
    checkpoints.record_processed("arn", "shard-1", "105");
    checkpoints.mark_finished("arn", "shard-1");
    checkpoints.mark_finished("arn", "shard-2");  // a shard with no records
  }
  cruddur::worker::Checkpoints reopened(path.string());
  auto first = reopened.position("arn", "shard-1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->sequence_number, "105");
  EXPECT_TRUE(first->finished);
  EXPECT_EQ(reopened.position("arn", "shard-2")->sequence_number, "");
  EXPECT_FALSE(reopened.position("other-arn", "shard-1"));
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

}  // namespace
