// The seed incident (shared/seed-postmortem.txt) replayed through the analysis: a database
// setting change at 14:58 made the service fail for the three vantages that serve 80% of the
// users, from 2024-05-05T15:00Z to 2024-05-06T09:00Z. Every expected number below is worked
// out by hand in the comments.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/support.hpp"
#include "prober/analysis/analysis.hpp"

namespace prober::analysis {
namespace {

using namespace test_support;
using ::testing::ElementsAre;

struct Region {
  const char* name;
  double weight;
  Micros duration;  // of every probe of that vantage; differs per vantage on purpose
  bool fails;       // part of the 80%
};
// 30 + 25 + 25 = 80% of the users fail.
constexpr Region kRegions[] = {
    {"us-east", 30, 150ms, true},  {"eu-west", 25, 250ms, true},   {"ap-south", 25, 400ms, true},
    {"sa-east", 10, 100ms, false}, {"af-south", 10, 120ms, false},
};

const TimePoint kFirst = utc(2024, 5, 5, 12);    // first result
const TimePoint kLast = utc(2024, 5, 6, 12);     // last result
const TimePoint kBroke = utc(2024, 5, 5, 15);    // first failure of each failing vantage
const TimePoint kRestored = utc(2024, 5, 6, 9);  // first success again
const TimePoint kChange = utc(2024, 5, 5, 14, 58, 3, 120);

CheckInput seed_check() {
  CheckInput c = make_check("web-home", 60s, /*confirm=*/2, /*min_vantages=*/2);
  for (const Region& r : kRegions) {
    VantageInput v{r.name, r.weight, {}};
    for (TimePoint t = kFirst; t <= kLast; t += 60s) {
      const bool failing = r.fails && t >= kBroke && t < kRestored;
      v.samples.push_back({t, r.duration, !failing});
    }
    c.vantages.push_back(std::move(v));
  }
  return c;
}

std::vector<ChangeEvent> seed_changes() {
  return {
      // 3 h before the outage: outside [start - 1h, end), must not be listed.
      {"db-users", "eu-west", utc(2024, 5, 5, 11, 58, 3), ChangeKind::setting,
       "work_mem: 4MB -> 8MB"},
      // The deployment the team suspected, 2.5 h after the start: listed, but last.
      {"web-home", "us-east", utc(2024, 5, 5, 17, 30), ChangeKind::version, "build 41 -> 42"},
      // The cause, 1 min 56.88 s before the start: nearest, so first.
      {"db-users", "eu-west", kChange, ChangeKind::setting,
       "search_path: \"$user\", public -> nowhere"},
      // A response fingerprint change 20 min after the start: second.
      {"web-home", "ap-south", utc(2024, 5, 5, 15, 20), ChangeKind::fingerprint,
       "X-Build: a1 -> a2"},
  };
}

TEST(SeedReplay, DefaultPeriodSpansFirstResultToLastCompletion) {
  // Earliest ts 2024-05-05T12:00Z; latest completion = last ts + the longest duration
  // (ap-south, 400 ms).
  const auto p = default_period({seed_check()});
  ASSERT_TRUE(p.has_value());
  EXPECT_AT(p->from, kFirst);
  EXPECT_AT(p->to, kLast + 400ms);
}

TEST(SeedReplay, OneOutageMeasuredDetectedAndExplained) {
  const CheckInput check = seed_check();
  const Period p{kFirst, kLast + 400ms};  // the default period, |P| = 86400.4 s
  const CheckReport r = analyze_check(check, seed_changes(), p, Options{99.9});

  ASSERT_EQ(r.outages.size(), 1u);
  const Outage& o = r.outages[0];
  EXPECT_AT(o.start, kBroke);
  EXPECT_AT(o.end, std::optional<TimePoint>(kRestored));
  EXPECT_EQ(o.duration, std::chrono::hours(18));
  // 80 of 100 weight down, every vantage known throughout: 80% flat.
  EXPECT_DOUBLE_EQ(o.peak_impact_pct, 80.0);
  EXPECT_DOUBLE_EQ(o.avg_impact_pct, 80.0);
  // Confirmations = completion of the 2nd failure (ts 15:01:00): us-east 15:01:00.150,
  // eu-west 15:01:00.250, ap-south 15:01:00.400. min_vantages = 2 -> the 2nd earliest.
  EXPECT_AT(o.detected_at, std::optional<TimePoint>(utc(2024, 5, 5, 15, 1, 0, 250)));
  ASSERT_TRUE(o.ttd.has_value());
  EXPECT_EQ(*o.ttd, 60s + 250ms);
  EXPECT_FALSE(o.began_before_period);
  EXPECT_FALSE(o.in_maintenance);
  EXPECT_THAT(o.vantages, ElementsAre("ap-south", "eu-west", "us-east"));

  // Distances from 15:00:00: 1m56.88s (cause), 20m (fingerprint), 2h30m (deployment).
  ASSERT_EQ(o.suspected_causes.size(), 3u);
  EXPECT_AT(o.suspected_causes[0].at, kChange);
  EXPECT_EQ(o.suspected_causes[0].check, "db-users");
  EXPECT_EQ(o.suspected_causes[0].vantage, "eu-west");
  EXPECT_EQ(o.suspected_causes[0].kind, ChangeKind::setting);
  EXPECT_EQ(o.suspected_causes[0].what, "search_path: \"$user\", public -> nowhere");
  EXPECT_EQ(o.suspected_causes[1].kind, ChangeKind::fingerprint);
  EXPECT_EQ(o.suspected_causes[2].what, "build 41 -> 42");

  // Outage time 64800 s of |P| = 86400.4 s.
  EXPECT_DOUBLE_EQ(r.availability_pct, 100.0 * (1.0 - 64800.0 / 86400.4));
  // impact 0.8 during the 64800 s, 0 elsewhere.
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 100.0 * (1.0 - 0.8 * 64800.0 / 86400.4));
  // Results every 60 s, gap threshold 180 s, last result + 180 s is after P's end: no unknown.
  EXPECT_DOUBLE_EQ(r.coverage_pct, 100.0);
  EXPECT_EQ(r.blips, 0);
  EXPECT_TRUE(r.vantage_incidents.empty());

  // SLO 99.9%: budget 0.001 x 86400.4 s = 86.4004 s; used 64800 s.
  ASSERT_TRUE(r.slo.has_value());
  EXPECT_DOUBLE_EQ(r.slo->objective_pct, 99.9);
  EXPECT_NEAR(r.slo->budget_s, 86.4004, 1e-9);
  EXPECT_DOUBLE_EQ(r.slo->used_s, 64800.0);
  EXPECT_NEAR(r.slo->remaining_pct, 100.0 * (1.0 - 64800.0 / 86.4004), 1e-6);
  EXPECT_LT(r.slo->remaining_pct, -74000);

  // Step function for the SVG: 0, then 80 from 15:00, then 0 from 09:00.
  EXPECT_THAT(r.impact, ElementsAre(ImpactStep{kFirst, 0.0}, ImpactStep{kBroke, 80.0},
                                    ImpactStep{kRestored, 0.0}));
  ASSERT_EQ(r.timelines.size(), 5u);
  EXPECT_EQ(r.timelines[0].vantage, "us-east");
  EXPECT_DOUBLE_EQ(r.timelines[0].weight, 30.0);
  EXPECT_THAT(r.timelines[0].down, ElementsAre(Interval{kBroke, kRestored}));
  EXPECT_TRUE(r.timelines[0].unknown.empty());
  EXPECT_TRUE(r.timelines[3].down.empty());  // sa-east never down
}

TEST(SeedReplay, WholeDaysPeriodGivesRoundNumbers) {
  // P = [05T12:00, 06T12:00): |P| = 86400 s, outage 64800 s = 75% of it.
  const Period p{kFirst, kLast};
  const CheckReport r = analyze_check(seed_check(), seed_changes(), p, Options{99.9});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(r.availability_pct, 25.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 40.0);  // 1 - 0.8 x 0.75
  ASSERT_TRUE(r.slo.has_value());
  EXPECT_NEAR(r.slo->budget_s, 86.4, 1e-9);
  EXPECT_NEAR(r.slo->remaining_pct, -74900.0, 1e-6);  // 100 x (1 - 64800 / 86.4)
}

TEST(SeedReplay, DetectedWithinTwoMinutesWhenOnlyTwoRegionsFail) {
  // Only us-east and eu-west fail (55%): still an outage (quorum 2); the 2nd confirmation is
  // eu-west's at 15:01:00.250.
  CheckInput c = seed_check();
  for (Sample& s : c.vantages[2].samples) s.ok = true;
  const CheckReport r = analyze_check(c, {}, Period{kFirst, kLast}, Options{});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_THAT(r.outages[0].vantages, ElementsAre("eu-west", "us-east"));
  EXPECT_DOUBLE_EQ(r.outages[0].peak_impact_pct, 55.0);
  ASSERT_TRUE(r.outages[0].ttd.has_value());
  EXPECT_LE(*r.outages[0].ttd, 120s);
  EXPECT_AT(r.outages[0].detected_at, std::optional<TimePoint>(utc(2024, 5, 5, 15, 1, 0, 250)));
  EXPECT_TRUE(r.outages[0].suspected_causes.empty());  // no change events given
  EXPECT_FALSE(r.slo.has_value());                     // no objective given
}

}  // namespace
}  // namespace prober::analysis
