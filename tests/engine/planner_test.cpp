// The scheduler's rules, checked in virtual time: no socket, no sleep.
#include "prober/engine/planner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace prober::engine {
namespace {

using namespace std::chrono_literals;

TimePoint at(std::int64_t seconds) {
  return from_unix_micros(seconds * 1000000);
}
const TimePoint kStart = at(1714900000);  // 2024-05-05T09:06:40Z

TEST(Planner, DayOfThousandChecksRunsOnGridWithoutDrift) {
  auto wall_start = std::chrono::steady_clock::now();
  Planner planner(2000);
  struct Seen {
    Micros interval{};
    TimePoint first{}, last{};
    std::int64_t runs = 0;
    bool drift = false;
  };
  std::vector<Seen> seen(1001);
  const Micros choices[] = {10s, 30s, 60s, 300s};
  for (int i = 0; i < 1000; ++i) {
    Micros interval = choices[i % 4];
    JobId id = planner.add("check-" + std::to_string(i), interval, kStart);
    ASSERT_LT(id, seen.size());
    seen[id].interval = interval;
  }
  TimePoint now = kStart;
  const TimePoint end = kStart + 24h;
  std::uint64_t runs = 0;
  bool late = false;
  for (;;) {
    auto next = planner.next_wakeup(now);
    ASSERT_TRUE(next.has_value());
    if (*next >= end) break;
    now = std::max(now, *next);
    for (const DueRun& due : planner.take_due(now)) {
      late |= due.planned != now;  // every run starts exactly when planned
      Seen& s = seen[due.job];
      if (s.runs == 0)
        s.first = due.planned;
      else
        s.drift |= due.planned - s.last != s.interval;
      s.last = due.planned;
      ++s.runs;
      planner.finished(due.job);  // instant runs
      ++runs;
    }
  }
  auto wall = std::chrono::steady_clock::now() - wall_start;
  EXPECT_FALSE(late);
  for (JobId id = 1; id <= 1000; ++id) {
    const Seen& s = seen[id];
    EXPECT_LT(s.first - kStart, s.interval) << "job " << id;  // first run within one interval
    EXPECT_EQ(s.runs, 24h / s.interval) << "job " << id;
    EXPECT_FALSE(s.drift) << "drift in job " << id;
  }
  EXPECT_EQ(runs, 1000u / 4 * (8640 + 2880 + 1440 + 288));
  EXPECT_EQ(planner.totals().skipped_overrun, 0u);
  EXPECT_EQ(planner.totals().skipped_overload, 0u);
  std::printf("[ info ] %llu runs over 24 h of virtual time in %.1f ms\n",
              static_cast<unsigned long long>(runs),
              std::chrono::duration<double, std::milli>(wall).count());
}

TEST(Planner, FirstRunsAreSpreadAcrossTheInterval) {
  Planner planner;
  const Micros interval = 60s;
  std::vector<int> per_bucket(10, 0);  // 6-second buckets
  for (int i = 0; i < 1000; ++i) {
    JobId id = planner.add("svc-" + std::to_string(i) + ".example.com", interval, at(1714900020));
    auto offset = planner.next_planned(id) - at(1714900020);
    ASSERT_GE(offset, 0s);
    ASSERT_LT(offset, interval);
    ++per_bucket[static_cast<std::size_t>(offset / 6s)];
  }
  // Uniform would be 100 per bucket; a thundering herd would put them all in one.
  for (int count : per_bucket) {
    EXPECT_GT(count, 60);
    EXPECT_LT(count, 140);
  }
}

TEST(Planner, PhaseIsDeterministicAcrossRestarts) {
  Planner a, b;
  JobId ja = a.add("web-home", 30s, at(1000));
  JobId jb = b.add("web-home", 30s, at(1000) + 7s);
  // Same key, same interval: same grid, whatever the start time.
  auto grid = [](TimePoint t) { return to_unix_micros(t) % 30'000'000; };
  EXPECT_EQ(grid(a.next_planned(ja)), grid(b.next_planned(jb)));
  EXPECT_EQ(Planner::phase_of("web-home", 30s), Planner::phase_of("web-home", 30s));
  EXPECT_NE(Planner::phase_of("web-home", 30s), Planner::phase_of("web-api", 30s));
}

TEST(Planner, RunStillInFlightSkipsNextRunAndKeepsGrid) {
  Planner planner;
  JobId id = planner.add("slow", 10s, kStart);
  TimePoint first = planner.next_planned(id);
  auto due = planner.take_due(first);
  ASSERT_EQ(due.size(), 1u);
  // The run takes 25 s: the runs planned at +10 s and +20 s are skipped, not queued.
  EXPECT_TRUE(planner.take_due(first + 10s).empty());
  EXPECT_TRUE(planner.take_due(first + 20s).empty());
  planner.finished(id);
  auto next = planner.take_due(first + 30s);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].planned, first + 30s);  // still on the original grid
  EXPECT_EQ(planner.stats(id).skipped_overrun, 2u);
  EXPECT_EQ(planner.stats(id).started, 2u);
}

TEST(Planner, LateWakeupStartsOnceNotOncePerMissedSlot) {
  Planner planner;
  JobId id = planner.add("x", 10s, kStart);
  TimePoint first = planner.next_planned(id);
  // The driver wakes 35 s late (machine suspended): one run now, no burst of four.
  auto due = planner.take_due(first + 35s);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].planned, first);
  planner.finished(id);
  EXPECT_TRUE(planner.take_due(first + 35s).empty());
  // Back on the original grid; the slots at +10, +20, +30 s are counted as skipped.
  EXPECT_EQ(planner.next_planned(id), first + 40s);
  EXPECT_EQ(planner.stats(id).skipped_overload, 3u);
}

TEST(Planner, GlobalInFlightLimit) {
  Planner planner(10);
  std::vector<JobId> ids;
  for (int i = 0; i < 100; ++i) ids.push_back(planner.add("job-" + std::to_string(i), 60s, kStart));
  TimePoint end_of_cycle = kStart + 60s;
  std::vector<DueRun> started = planner.take_due(end_of_cycle - 1us);
  EXPECT_EQ(started.size(), 10u);
  EXPECT_EQ(planner.in_flight(), 10u);
  // The waiting runs do not start while every slot is busy...
  EXPECT_TRUE(planner.take_due(end_of_cycle - 1us).empty());
  // ...the wake-up is when the first waiting run would be lost, not a busy loop.
  auto wake = planner.next_wakeup(end_of_cycle - 1us);
  ASSERT_TRUE(wake.has_value());
  EXPECT_GT(*wake, end_of_cycle - 1us);
  // A finished run frees a slot for exactly one waiting run, earliest planned first.
  planner.finished(started[0].job);
  auto more = planner.take_due(end_of_cycle - 1us);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_GE(more[0].planned, started.back().planned);
  EXPECT_EQ(planner.in_flight(), 10u);
}

TEST(Planner, RunWaitingAWholeIntervalIsSkippedAsOverload) {
  Planner planner(1);
  JobId a = planner.add("a", 10s, kStart);
  JobId b = planner.add("b", 10s, kStart);
  TimePoint t = std::max(planner.next_planned(a), planner.next_planned(b));
  auto due = planner.take_due(t);
  ASSERT_EQ(due.size(), 1u);
  JobId busy = due[0].job;
  JobId waiting = busy == a ? b : a;
  TimePoint waiting_planned = planner.next_planned(waiting);
  planner.take_due(waiting_planned + 10s);  // still no slot a whole interval later
  EXPECT_EQ(planner.stats(waiting).skipped_overload, 1u);
  EXPECT_EQ(planner.next_planned(waiting), waiting_planned + 10s);
}

TEST(Planner, RemovedJobNeverRunsAgain) {
  Planner planner;
  JobId id = planner.add("gone", 10s, kStart);
  TimePoint first = planner.next_planned(id);
  planner.remove(id);
  EXPECT_TRUE(planner.take_due(first + 1h).empty());
  EXPECT_FALSE(planner.contains(id));
  planner.finished(id);  // a run in flight at removal may still report: harmless
  EXPECT_EQ(planner.in_flight(), 0u);
}

}  // namespace
}  // namespace prober::engine
