#include "prober/engine/change_tracker.hpp"

#include <gtest/gtest.h>

namespace prober::engine {
namespace {

TimePoint at(std::int64_t s) {
  return from_unix_micros(s * 1000000);
}

TEST(ChangeTracker, FirstObservationIsBaselineThenDiffs) {
  ChangeTracker tracker;
  Snapshot before{{"search_path", "\"$user\", public"}, {"max_connections", "100"}};
  EXPECT_TRUE(tracker.observe("db", "eu", at(1), std::nullopt, before, "15.4").empty());
  EXPECT_TRUE(tracker.observe("db", "eu", at(2), std::nullopt, before, "15.4").empty());
  Snapshot after{{"search_path", "nowhere"}, {"max_connections", "100"}, {"work_mem", "4MB"}};
  auto events = tracker.observe("db", "eu", at(3), std::nullopt, after, "15.5");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, ChangeKind::version);
  EXPECT_EQ(events[0].change, "version: 15.4 -> 15.5");
  EXPECT_EQ(events[1].kind, ChangeKind::setting);
  EXPECT_EQ(events[1].change, "search_path: \"$user\", public -> nowhere");
  EXPECT_EQ(events[2].change, "work_mem: (unset) -> 4MB");
  EXPECT_EQ(events[1].ts, at(3));
  EXPECT_EQ(events[1].check, "db");
  EXPECT_EQ(events[1].vantage, "eu");
}

TEST(ChangeTracker, UnobservedRunKeepsBaseline) {
  ChangeTracker tracker;
  tracker.observe("web", "eu", at(1), Snapshot{{"X-Build", "41"}}, std::nullopt, std::nullopt);
  // The target failed: nothing observed, no event, baseline kept.
  EXPECT_TRUE(
      tracker.observe("web", "eu", at(2), std::nullopt, std::nullopt, std::nullopt).empty());
  auto events =
      tracker.observe("web", "eu", at(3), Snapshot{{"X-Build", "42"}}, std::nullopt, std::nullopt);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, ChangeKind::fingerprint);
  EXPECT_EQ(events[0].change, "X-Build: 41 -> 42");
}

TEST(ChangeTracker, RemovedKeyAndForget) {
  ChangeTracker tracker;
  tracker.observe("db", "eu", at(1), std::nullopt, Snapshot{{"a", "1"}, {"b", "2"}}, std::nullopt);
  auto events =
      tracker.observe("db", "eu", at(2), std::nullopt, Snapshot{{"a", "1"}}, std::nullopt);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].change, "b: 2 -> (unset)");
  tracker.forget("db");
  EXPECT_TRUE(
      tracker.observe("db", "eu", at(3), std::nullopt, Snapshot{{"a", "9"}}, std::nullopt).empty());
}

}  // namespace
}  // namespace prober::engine
