// Hand-computed edge cases of the analysis rules (DESIGN.md "Analysis rules", decisions in
// docs/analysis.md). Unless a test says otherwise: interval 60 s, so the gap threshold is
// 3 x 60 s = 3 min; samples one per minute from T0 (2024-05-05T00:00Z), written as patterns
// ('.' ok, 'x' failure, '_' no sample), each lasting 1 s. "m" below means minutes after T0.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/support.hpp"
#include "prober/analysis/analysis.hpp"

namespace prober::analysis {
namespace {

using namespace test_support;
using std::chrono::hours;
using std::chrono::minutes;
using ::testing::ElementsAre;

TimePoint m(std::int64_t minutes_after_t0) {
  return T0 + minutes(minutes_after_t0);
}
std::optional<TimePoint> om(std::int64_t minutes_after_t0) {
  return m(minutes_after_t0);
}
Period period_m(std::int64_t from, std::int64_t to) {
  return Period{m(from), m(to)};
}
VantageInput per_minute(std::string name, double weight, std::string_view pattern,
                        Micros duration = 1s) {
  return series(std::move(name), weight, T0, 1min, pattern, duration);
}

TEST(Blips, ShortRunsAreCountedNeverDown) {
  // confirm 3. Pattern index = minute.
  //   minute: 0123456789012 3
  //           .xx..x..xxx...
  // runs: [1,2] (2 < 3: blip), [5] (blip), [8,9,10] (3: down [8m, 11m), ended by the
  // success at 11m; confirmed at the 3rd failure's completion, 10m + 1 s).
  CheckInput c = make_check("c", 60s, 3, 1);
  c.vantages.push_back(per_minute("a", 1, ".xx..x..xxx..."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 14), {});
  EXPECT_EQ(r.blips, 2);
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_AT(r.outages[0].start, m(8));
  EXPECT_AT(r.outages[0].end, om(11));
  EXPECT_AT(r.outages[0].detected_at, std::optional<TimePoint>(m(10) + 1s));
  EXPECT_EQ(*r.outages[0].ttd, 2min + 1s);
  // 3 of 14 minutes down.
  EXPECT_DOUBLE_EQ(r.availability_pct, 100.0 * (1.0 - 3.0 / 14.0));
  EXPECT_THAT(r.timelines[0].down, ElementsAre(Interval{m(8), m(11)}));
}

TEST(Blips, OnlyThoseStartingInsideThePeriodCount) {
  // Same data, P = [2m, 14m): the blip whose first failure is at 1m started before P.
  CheckInput c = make_check("c", 60s, 3, 1);
  c.vantages.push_back(per_minute("a", 1, ".xx..x..xxx..."));
  EXPECT_EQ(analyze_check(c, {}, period_m(2, 14), {}).blips, 1);
  // P = [0m, 5m): the blip at 5m is outside (half-open).
  EXPECT_EQ(analyze_check(c, {}, period_m(0, 5), {}).blips, 1);
}

TEST(Flapping, EachQuorumStretchIsItsOwnOutage) {
  // confirm 2, quorum 2. a (weight 1, probes last 2 s), b (weight 3, 1 s).
  //   minute: 0123456789
  //   a:      xx.xx.xx..   down [0,2) [3,5) [6,8), confirmed 1m+2s, 4m+2s, 7m+2s
  //   b:      xxxxxxxxx.   down [0,9),                confirmed 1m+1s
  // Outages where both are down: [0,2) [3,5) [6,8). Detection = the 2nd earliest
  // confirmation among the intervals overlapping each outage:
  //   [0,2): {1m+2s, 1m+1s} -> 1m+2s; [3,5): {4m+2s, 1m+1s} -> 4m+2s; [6,8): 7m+2s.
  // b's one down interval [0,9) takes part in the outages, so it is not a vantage incident
  // (b alone at [2,3) [5,6) [8,9) still counts in the user-weighted availability).
  CheckInput c = make_check("c", 60s, 2, 2);
  c.vantages.push_back(per_minute("a", 1, "xx.xx.xx..", 2s));
  c.vantages.push_back(per_minute("b", 3, "xxxxxxxxx."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 10), {});
  ASSERT_EQ(r.outages.size(), 3u);
  const std::int64_t starts[] = {0, 3, 6};
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_AT(r.outages[i].start, m(starts[i]));
    EXPECT_AT(r.outages[i].end, om(starts[i] + 2));
    EXPECT_AT(r.outages[i].detected_at, std::optional<TimePoint>(m(starts[i] + 1) + 2s));
    EXPECT_EQ(*r.outages[i].ttd, 62s);
    EXPECT_DOUBLE_EQ(r.outages[i].peak_impact_pct, 100.0);
    EXPECT_THAT(r.outages[i].vantages, ElementsAre("a", "b"));
  }
  EXPECT_TRUE(r.vantage_incidents.empty());
  EXPECT_EQ(r.blips, 0);
  // Outage 6 of 10 minutes: 40%. Impact: 100% for 6 min, b alone = 3/4 = 75% for 3 min:
  // 1 - (6 + 2.25) / 10 = 17.5%.
  EXPECT_DOUBLE_EQ(r.availability_pct, 40.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 17.5);
}

TEST(Unknown, GapShrinksTheImpactDenominator) {
  // quorum 2, confirm 2. Weights a 50, b 30, c 20. P = [0, 20m).
  //   a, b: ok 0-4, fail 5-9, ok 10-19   -> down [5m, 10m)
  //   c:    ok 0-3, no sample 4-11, ok 12-19: 3m -> 12m is > 3 min: gap, unknown
  //         from 3m + 3m = 6m to 12m.
  // impact: [5,6) 80/100 = 80; [6,10) 80/80 = 100. avg = (80 x 1 + 100 x 4) / 5 = 96.
  // coverage: 60 vantage-minutes, 6 unknown -> 90%.
  // availability 1 - 5/20 = 75%; user-weighted 1 - (0.8 x 1 + 1 x 4) / 20 = 76%.
  CheckInput c = make_check("c", 60s, 2, 2);
  c.vantages.push_back(per_minute("a", 50, ".....xxxxx.........."));
  c.vantages.push_back(per_minute("b", 30, ".....xxxxx.........."));
  c.vantages.push_back(per_minute("c", 20, "....________........"));
  const CheckReport r = analyze_check(c, {}, period_m(0, 20), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_AT(r.outages[0].start, m(5));
  EXPECT_AT(r.outages[0].end, om(10));
  EXPECT_DOUBLE_EQ(r.outages[0].peak_impact_pct, 100.0);
  EXPECT_DOUBLE_EQ(r.outages[0].avg_impact_pct, 96.0);
  EXPECT_DOUBLE_EQ(r.coverage_pct, 90.0);
  EXPECT_DOUBLE_EQ(r.availability_pct, 75.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 76.0);
  EXPECT_THAT(r.timelines[2].unknown, ElementsAre(Interval{m(6), m(12)}));
  EXPECT_THAT(r.impact, ElementsAre(ImpactStep{m(0), 0.0}, ImpactStep{m(5), 80.0},
                                    ImpactStep{m(6), 100.0}, ImpactStep{m(10), 0.0}));
}

TEST(Unknown, ExactlyThreeIntervalsApartIsNotAGap) {
  // Samples at 0 and 3m: 3 x interval apart, not more: no unknown. At 0 and 3m + 1 us:
  // unknown [3m, 3m + 1 us). P = [0, 4m), one vantage.
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 1, "...."));  // placeholder, replaced below
  c.vantages[0].samples = {{m(0), 1s, true}, {m(3), 1s, true}};
  EXPECT_DOUBLE_EQ(analyze_check(c, {}, period_m(0, 4), {}).coverage_pct, 100.0);
  c.vantages[0].samples[1].ts += 1us;
  const CheckReport r = analyze_check(c, {}, period_m(0, 4), {});
  EXPECT_THAT(r.timelines[0].unknown, ElementsAre(Interval{m(3), m(3) + 1us}));
  EXPECT_DOUBLE_EQ(r.coverage_pct, 100.0 * (1.0 - 1.0 / 240e6));
}

TEST(Unknown, BeforeFirstAndAfterLastResult) {
  // P = [0, 30m). Samples 10m..14m all ok. Unknown [0, 10m) and from 14m + 3m = 17m to 30m.
  // Coverage = (30 - 10 - 13) / 30.
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(series("a", 1, m(10), 1min, "....."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 30), {});
  EXPECT_THAT(r.timelines[0].unknown, ElementsAre(Interval{m(0), m(10)}, Interval{m(17), m(30)}));
  EXPECT_DOUBLE_EQ(r.coverage_pct, 100.0 * 7.0 / 30.0);
}

TEST(Unknown, AllVantagesUnknown) {
  // No result at all: unknown throughout, impact 0 (denominator 0), no outage, coverage 0,
  // availability 100 (nothing was observed down).
  CheckInput c = make_check("c", 60s, 2, 2);
  c.vantages.push_back({"a", 50, {}});
  c.vantages.push_back({"b", 50, {}});
  const CheckReport r = analyze_check(c, {}, period_m(0, 60), Options{99.9});
  EXPECT_TRUE(r.outages.empty());
  EXPECT_DOUBLE_EQ(r.coverage_pct, 0.0);
  EXPECT_DOUBLE_EQ(r.availability_pct, 100.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 100.0);
  EXPECT_THAT(r.impact, ElementsAre(ImpactStep{m(0), 0.0}));
  EXPECT_THAT(r.timelines[1].unknown, ElementsAre(Interval{m(0), m(60)}));
  EXPECT_DOUBLE_EQ(r.slo->remaining_pct, 100.0);
}

TEST(Unknown, DownVantageWithEveryOtherUnknownIsFullImpact) {
  // quorum 1. a (10) fails throughout; b (90) has no result. Denominator = a's weight only:
  // impact 10 / 10 = 100%.
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 10, "xxxxxxxxxx"));
  c.vantages.push_back({"b", 90, {}});
  const CheckReport r = analyze_check(c, {}, period_m(0, 10), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(r.outages[0].peak_impact_pct, 100.0);
  EXPECT_FALSE(r.outages[0].end.has_value());  // reaches P's end: ongoing
}

TEST(PeriodEdges, OutageClippedAtStartAndOngoingAtEnd) {
  // quorum 2, confirm 2. Two vantages, samples from -10m to 29m (40 samples):
  //   -10..-6 ok, -5..9 fail, 10..12 ok, 13..29 fail (data ends failing).
  // P = [0, 20m).
  // Outage 1: raw [-5m, 10m) -> clipped [0, 10m); already going on just before P:
  //   began_before_period, ttd null; detected_at = 2nd failure (-4m) + 1 s.
  // Outage 2: [13m, ...) reaches P's end: ongoing, end null, duration 7 min; detected at
  //   14m + 1 s, ttd 61 s.
  const std::string pattern =
      std::string(5, '.') + std::string(15, 'x') + "..." + std::string(17, 'x');
  CheckInput c = make_check("c", 60s, 2, 2);
  c.vantages.push_back(series("a", 1, m(-10), 1min, pattern));
  c.vantages.push_back(series("b", 1, m(-10), 1min, pattern));
  const CheckReport r = analyze_check(c, {}, period_m(0, 20), {});
  ASSERT_EQ(r.outages.size(), 2u);
  const Outage& o1 = r.outages[0];
  EXPECT_AT(o1.start, m(0));
  EXPECT_AT(o1.end, om(10));
  EXPECT_EQ(o1.duration, 10min);
  EXPECT_TRUE(o1.began_before_period);
  EXPECT_FALSE(o1.ttd.has_value());
  EXPECT_AT(o1.detected_at, std::optional<TimePoint>(m(-4) + 1s));
  const Outage& o2 = r.outages[1];
  EXPECT_AT(o2.start, m(13));
  EXPECT_FALSE(o2.end.has_value());
  EXPECT_EQ(o2.duration, 7min);
  EXPECT_FALSE(o2.began_before_period);
  EXPECT_EQ(*o2.ttd, 61s);
  EXPECT_DOUBLE_EQ(r.availability_pct, 15.0);  // 1 - 17/20
  EXPECT_DOUBLE_EQ(r.coverage_pct, 100.0);

  // P starting exactly when the outage starts: not "before P", ttd measured normally.
  const CheckReport r2 = analyze_check(c, {}, period_m(-5, 20), {});
  ASSERT_EQ(r2.outages.size(), 2u);
  EXPECT_FALSE(r2.outages[0].began_before_period);
  EXPECT_EQ(*r2.outages[0].ttd, 61s);
}

TEST(PeriodEdges, FromToClipTheSeedLikeOutage) {
  // a and b fail 60..179m, c (same weight) stays healthy; P = [100m, 140m) lies inside the
  // failure: one outage covering all of P, began before P and ongoing at its end.
  // availability 0; impact 2/3 throughout: user-weighted 100 x (1 - 2/3) = 33.3%.
  CheckInput c = make_check("c", 60s, 2, 2);
  const std::string pattern = std::string(60, '.') + std::string(120, 'x') + std::string(20, '.');
  c.vantages.push_back(per_minute("a", 1, pattern));
  c.vantages.push_back(per_minute("b", 1, pattern));
  c.vantages.push_back(per_minute("c", 1, std::string(200, '.')));
  const CheckReport r = analyze_check(c, {}, period_m(100, 140), Options{99.0});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_AT(r.outages[0].start, m(100));
  EXPECT_FALSE(r.outages[0].end.has_value());
  EXPECT_EQ(r.outages[0].duration, 40min);
  EXPECT_TRUE(r.outages[0].began_before_period);
  EXPECT_DOUBLE_EQ(r.availability_pct, 0.0);
  EXPECT_NEAR(r.user_weighted_availability_pct, 100.0 / 3.0, 1e-9);
  // budget 1% of 2400 s = 24 s, used 2400 s: 100 x (1 - 100) = -9900%.
  EXPECT_NEAR(r.slo->budget_s, 24.0, 1e-9);
  EXPECT_NEAR(r.slo->remaining_pct, -9900.0, 1e-6);
}

TEST(PeriodEdges, OutageEndingExactlyAtPeriodEndIsOngoing) {
  // Down [2m, 5m) (success at 5m), P = [0, 5m): the outage lasts to P's end, so it is
  // reported ongoing (end null) -- P cannot show the recovery at 5m.
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 1, "..xxx..."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 5), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_FALSE(r.outages[0].end.has_value());
  EXPECT_EQ(r.outages[0].duration, 3min);
  // One minute more and the end is visible.
  EXPECT_AT(analyze_check(c, {}, period_m(0, 6), {}).outages[0].end, om(5));
}

TEST(PeriodEdges, DataEndingInAFailureRunIsDownUntilThreeIntervalsAfter) {
  // Last result at 4m is a failure (run 3..4): down until 4m + 3m = 7m, then unknown.
  // P = [0, 10m): the outage ends at 7m (not ongoing), unknown [7m, 10m).
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 1, "...xx"));
  const CheckReport r = analyze_check(c, {}, period_m(0, 10), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_AT(r.outages[0].start, m(3));
  EXPECT_AT(r.outages[0].end, om(7));
  EXPECT_THAT(r.timelines[0].unknown, ElementsAre(Interval{m(7), m(10)}));
  // The period's end comes sooner: P = [0, 6m) -> ongoing, 3 minutes.
  const CheckReport r2 = analyze_check(c, {}, period_m(0, 6), {});
  EXPECT_FALSE(r2.outages[0].end.has_value());
  EXPECT_EQ(r2.outages[0].duration, 3min);
}

TEST(GapInsideRun, SplitsTheRun) {
  // confirm 3. Failures at 0,1 then no sample until 8 (7 min > 3 min: a gap), failures at
  // 8,9, success at 10. Two runs of 2: two blips, nothing down -- without the gap it would
  // be one run of 4.
  CheckInput c = make_check("c", 60s, 3, 1);
  c.vantages.push_back(per_minute("a", 1, "xx______xx."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 11), {});
  EXPECT_EQ(r.blips, 2);
  EXPECT_TRUE(r.outages.empty());
  // The run before the gap is down until its last failure + 3 min when long enough:
  // failures 0,1,2, gap until 9: down [0, 5m), unknown [5m, 9m).
  CheckInput c2 = make_check("c", 60s, 3, 1);
  c2.vantages.push_back(per_minute("a", 1, "xxx______.."));
  const CheckReport r2 = analyze_check(c2, {}, period_m(0, 11), {});
  ASSERT_EQ(r2.outages.size(), 1u);
  EXPECT_AT(r2.outages[0].start, m(0));
  EXPECT_AT(r2.outages[0].end, om(5));
  EXPECT_THAT(r2.timelines[0].unknown, ElementsAre(Interval{m(5), m(9)}));
  EXPECT_EQ(r2.blips, 0);
}

TEST(Maintenance, OutageCrossingAWindowEdgeCountsOutsideIt) {
  // Outage [10m, 30m), maintenance [0, 20m) given as two overlapping windows [0,10m) and
  // [5m, 20m). P = [0, 60m): counted period 40 min, counted outage [20m, 30m) = 10 min.
  // availability 1 - 10/40 = 75%; SLO 99: budget 0.01 x 2400 s = 24 s, used 600 s,
  // remaining 100 x (1 - 25) = -2400%.
  CheckInput c = make_check("c", 60s, 2, 2);
  const std::string pattern = std::string(10, '.') + std::string(20, 'x') + std::string(30, '.');
  c.vantages.push_back(per_minute("a", 1, pattern));
  c.vantages.push_back(per_minute("b", 1, pattern));
  c.maintenance = {{m(0), m(10)}, {m(5), m(20)}};
  const CheckReport r = analyze_check(c, {}, period_m(0, 60), Options{99.0});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_FALSE(r.outages[0].in_maintenance);
  EXPECT_EQ(r.outages[0].duration, 20min);  // listed whole
  EXPECT_DOUBLE_EQ(r.availability_pct, 75.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 75.0);
  EXPECT_NEAR(r.slo->budget_s, 24.0, 1e-9);
  EXPECT_DOUBLE_EQ(r.slo->used_s, 600.0);
  EXPECT_NEAR(r.slo->remaining_pct, -2400.0, 1e-9);
}

TEST(Maintenance, OutageWhollyInsideIsListedAndNotCounted) {
  // Outage [10m, 20m); windows [5m, 15m) and [15m, 25m) together cover it.
  // Counted period 60 - 20 = 40 min, counted outage 0: availability 100, SLO untouched.
  CheckInput c = make_check("c", 60s, 2, 2);
  const std::string pattern = std::string(10, '.') + std::string(10, 'x') + std::string(40, '.');
  c.vantages.push_back(per_minute("a", 1, pattern));
  c.vantages.push_back(per_minute("b", 1, pattern));
  c.maintenance = {{m(15), m(25)}, {m(5), m(15)}};
  const CheckReport r = analyze_check(c, {}, period_m(0, 60), Options{99.9});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_TRUE(r.outages[0].in_maintenance);
  EXPECT_DOUBLE_EQ(r.availability_pct, 100.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 100.0);
  EXPECT_DOUBLE_EQ(r.slo->used_s, 0.0);
  EXPECT_NEAR(r.slo->budget_s, 2.4, 1e-9);  // 0.001 x 2400 s
  EXPECT_DOUBLE_EQ(r.slo->remaining_pct, 100.0);

  // A window exactly as long as the outage still covers it wholly.
  c.maintenance = {{m(10), m(20)}};
  EXPECT_TRUE(analyze_check(c, {}, period_m(0, 60), {}).outages[0].in_maintenance);
  // One minute short: not wholly inside; 1 minute counted of 50.
  c.maintenance = {{m(10), m(19)}};
  const CheckReport r2 = analyze_check(c, {}, period_m(0, 60), {});
  EXPECT_FALSE(r2.outages[0].in_maintenance);
  EXPECT_DOUBLE_EQ(r2.availability_pct, 100.0 * (1.0 - 1.0 / 51.0));
}

TEST(Maintenance, WholePeriodInMaintenanceIsFullyAvailable) {
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 1, "xxxxxxxxxx"));
  c.maintenance = {{m(-5), m(15)}};
  const CheckReport r = analyze_check(c, {}, period_m(0, 10), Options{99.9});
  EXPECT_DOUBLE_EQ(r.availability_pct, 100.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 100.0);
  EXPECT_DOUBLE_EQ(r.slo->budget_s, 0.0);
  EXPECT_DOUBLE_EQ(r.slo->remaining_pct, 100.0);  // budget 0, nothing used
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_TRUE(r.outages[0].in_maintenance);
}

TEST(SingleVantage, QuorumOfOne) {
  // min_vantages 1, confirm 2: fails 4..7, ok 8. Down [4m, 8m), detected at 5m + 30 s (the
  // 2nd failure is a 30 s timeout), ttd 90 s; no vantage incident (it is an outage).
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("solo", 7, "....xxxx....", 30s));
  const CheckReport r = analyze_check(c, {}, period_m(0, 12), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_AT(r.outages[0].start, m(4));
  EXPECT_AT(r.outages[0].end, om(8));
  EXPECT_EQ(*r.outages[0].ttd, 90s);
  EXPECT_DOUBLE_EQ(r.outages[0].avg_impact_pct, 100.0);
  EXPECT_TRUE(r.vantage_incidents.empty());
  EXPECT_DOUBLE_EQ(r.availability_pct, 100.0 * 8.0 / 12.0);
}

TEST(Weights, ZeroWeightSumStillMakesOutagesButNoImpact) {
  // Both weights 0, both down [2m, 6m): an outage (quorum counts vantages), impact 0
  // everywhere (denominator 0), so user-weighted availability stays 100.
  CheckInput c = make_check("c", 60s, 2, 2);
  c.vantages.push_back(per_minute("a", 0, "..xxxx...."));
  c.vantages.push_back(per_minute("b", 0, "..xxxx...."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 10), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(r.outages[0].peak_impact_pct, 0.0);
  EXPECT_DOUBLE_EQ(r.outages[0].avg_impact_pct, 0.0);
  EXPECT_DOUBLE_EQ(r.availability_pct, 60.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 100.0);
}

TEST(Weights, ZeroWeightVantageCountsForQuorumOnly) {
  // a (0) and b (10) down [2m, 6m), c (30) up: outage by quorum 2, impact 10/40 = 25%.
  CheckInput c = make_check("c", 60s, 2, 2);
  c.vantages.push_back(per_minute("a", 0, "..xxxx...."));
  c.vantages.push_back(per_minute("b", 10, "..xxxx...."));
  c.vantages.push_back(per_minute("c", 30, ".........."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 10), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(r.outages[0].peak_impact_pct, 25.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 100.0 * (1.0 - 0.25 * 4.0 / 10.0));
}

TEST(VantageIncidents, DownTimeOutsideOutagesPerVantage) {
  // quorum 2, P = [0, 60m).
  //   a down [5, 15), b down [10, 20), c down [30, 35) and from 50 to the end of the data.
  // Outage [10, 15) (a and b). a's and b's down intervals take part in it, so they are not
  // incidents; c's are: c [30,35), c [50, ongoing).
  CheckInput c = make_check("c", 60s, 2, 2);
  auto pattern = [](int from, int to, int total) {
    std::string s(static_cast<std::size_t>(total), '.');
    for (int i = from; i < to; ++i) s[static_cast<std::size_t>(i)] = 'x';
    return s;
  };
  c.vantages.push_back(per_minute("a", 1, pattern(5, 15, 60)));
  c.vantages.push_back(per_minute("b", 1, pattern(10, 20, 60)));
  std::string cp = pattern(30, 35, 60);
  for (std::size_t i = 50; i < 60; ++i) cp[i] = 'x';
  c.vantages.push_back(per_minute("c", 1, cp));
  const CheckReport r = analyze_check(c, {}, period_m(0, 60), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_AT(r.outages[0].start, m(10));
  EXPECT_AT(r.outages[0].end, om(15));
  EXPECT_THAT(r.vantage_incidents, ElementsAre(VantageIncident{"c", m(30), om(35)},
                                               VantageIncident{"c", m(50), std::nullopt}));
  EXPECT_THAT(r.outages[0].vantages, ElementsAre("a", "b"));
}

TEST(VantageIncidents, QuorumAboveVantageCountMeansOnlyIncidents) {
  CheckInput c = make_check("c", 60s, 2, 3);
  c.vantages.push_back(per_minute("a", 1, "..xxx....."));
  c.vantages.push_back(per_minute("b", 1, "..xxx....."));
  const CheckReport r = analyze_check(c, {}, period_m(0, 10), {});
  EXPECT_TRUE(r.outages.empty());
  EXPECT_THAT(r.vantage_incidents,
              ElementsAre(VantageIncident{"a", m(2), om(5)}, VantageIncident{"b", m(2), om(5)}));
  EXPECT_DOUBLE_EQ(r.availability_pct, 100.0);
  EXPECT_DOUBLE_EQ(r.user_weighted_availability_pct, 70.0);  // 100% impact for 3 of 10 min
}

TEST(SuspectedCauses, WindowIsOneHourBeforeStartToEndNearestFirst) {
  // Outage [10:00, 11:00). Events (check, time) and distance from 10:00:
  //   x 08:59:59  3601 s  -> before the window, excluded
  //   x 09:00:00  3600 s  -> window start is inclusive
  //   x 09:59:00    60 s  \ same distance: earlier first
  //   x 10:01:00    60 s  /
  //   b 10:05:00   300 s  \ same time: by check name
  //   a 10:05:00   300 s  /
  //   x 10:59:59  3599 s
  //   x 11:00:00          -> the end is exclusive, excluded
  // Expected: 09:59, 10:01, a@10:05, b@10:05, 10:59:59, 09:00.
  const TimePoint base = utc(2024, 5, 5, 9);  // samples from 09:00
  CheckInput c = make_check("c", 60s, 1, 1);
  c.vantages.push_back(
      series("a", 1, base, 1min, std::string(60, '.') + std::string(60, 'x') + "....."));
  auto ev = [](std::string check, TimePoint t, std::string what) {
    return ChangeEvent{std::move(check), "v", t, ChangeKind::setting, std::move(what)};
  };
  const std::vector<ChangeEvent> changes = {
      ev("x", utc(2024, 5, 5, 8, 59, 59), "too early"),
      ev("x", utc(2024, 5, 5, 11), "at the end"),
      ev("x", utc(2024, 5, 5, 10, 59, 59), "last second"),
      ev("b", utc(2024, 5, 5, 10, 5), "b"),
      ev("x", utc(2024, 5, 5, 10, 1), "after"),
      ev("a", utc(2024, 5, 5, 10, 5), "a"),
      ev("x", utc(2024, 5, 5, 9, 59), "before"),
      ev("x", utc(2024, 5, 5, 9), "an hour before"),
  };
  // Unsorted events (linear scan) and events in ts order (binary search) alike.
  std::vector<ChangeEvent> sorted = changes;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const ChangeEvent& x, const ChangeEvent& y) { return x.ts < y.ts; });
  for (const auto* events :
       std::initializer_list<const std::vector<ChangeEvent>*>{&changes, &sorted}) {
    const CheckReport r = analyze_check(c, *events, Period{base, base + 3h}, {});
    ASSERT_EQ(r.outages.size(), 1u);
    EXPECT_AT(r.outages[0].start, utc(2024, 5, 5, 10));
    EXPECT_AT(r.outages[0].end, std::optional<TimePoint>(utc(2024, 5, 5, 11)));
    std::vector<std::string> what;
    for (const SuspectedCause& s : r.outages[0].suspected_causes) what.push_back(s.what);
    EXPECT_THAT(what, ElementsAre("before", "after", "a", "b", "last second", "an hour before"));
  }
}

TEST(SuspectedCauses, OngoingOutageLooksUntilThePeriodEnd) {
  // Down from 5m to the period's end at 10m: events at 9m59s (in) and 10m (P's end, out).
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 1, ".....xxxxxxxxxx"));
  const std::vector<ChangeEvent> changes = {
      {"x", "v", m(10), ChangeKind::version, "late"},
      {"x", "v", m(9) + 59s, ChangeKind::version, "in"},
  };
  const CheckReport r = analyze_check(c, changes, period_m(0, 10), {});
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_FALSE(r.outages[0].end.has_value());
  ASSERT_EQ(r.outages[0].suspected_causes.size(), 1u);
  EXPECT_EQ(r.outages[0].suspected_causes[0].what, "in");
}

TEST(Slo, OverspentIsNegative) {
  // P = 1 day, outage 30 min, objective 99.9: budget 86.4 s, used 1800 s,
  // remaining 100 x (1 - 1800 / 86.4) = -1983.33%.
  CheckInput c = make_check("c", 60s, 2, 1);
  std::string pattern(1440, '.');
  for (std::size_t i = 600; i < 630; ++i) pattern[i] = 'x';
  c.vantages.push_back(per_minute("a", 1, pattern));
  const CheckReport r = analyze_check(c, {}, period_m(0, 1440), Options{99.9});
  ASSERT_TRUE(r.slo.has_value());
  EXPECT_NEAR(r.slo->budget_s, 86.4, 1e-9);
  EXPECT_DOUBLE_EQ(r.slo->used_s, 1800.0);
  EXPECT_NEAR(r.slo->remaining_pct, 100.0 * (1.0 - 1800.0 / 86.4), 1e-9);
  EXPECT_LT(r.slo->remaining_pct, 0.0);
  // Objective 100: no budget at all; any outage is "overspent": -100 by definition.
  const CheckReport r100 = analyze_check(c, {}, period_m(0, 1440), Options{100.0});
  EXPECT_DOUBLE_EQ(r100.slo->budget_s, 0.0);
  EXPECT_DOUBLE_EQ(r100.slo->remaining_pct, -100.0);
  // Objective 95: budget 4320 s, used 1800 s, remaining 100 x (1 - 1800/4320) = 58.33%.
  const CheckReport r95 = analyze_check(c, {}, period_m(0, 1440), Options{95.0});
  EXPECT_NEAR(r95.slo->remaining_pct, 100.0 * (1.0 - 1800.0 / 4320.0), 1e-9);
}

TEST(Input, UnsortedSamplesAreSorted) {
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 1, "..xxx....."));
  const CheckReport sorted = analyze_check(c, {}, period_m(0, 10), {});
  std::reverse(c.vantages[0].samples.begin(), c.vantages[0].samples.end());
  const CheckReport reversed = analyze_check(c, {}, period_m(0, 10), {});
  ASSERT_EQ(reversed.outages.size(), 1u);
  EXPECT_AT(reversed.outages[0].start, sorted.outages[0].start);
  EXPECT_AT(reversed.outages[0].start, m(2));
  EXPECT_AT(reversed.outages[0].end, om(5));
}

TEST(Input, EmptyOrInvertedPeriod) {
  CheckInput c = make_check("c", 60s, 2, 1);
  c.vantages.push_back(per_minute("a", 1, "xxxxx"));
  for (const Period& p : {period_m(2, 2), period_m(3, 1)}) {
    const CheckReport r = analyze_check(c, {}, p, Options{99.9});
    EXPECT_TRUE(r.outages.empty());
    EXPECT_TRUE(r.impact.empty());
    EXPECT_DOUBLE_EQ(r.availability_pct, 100.0);
    EXPECT_DOUBLE_EQ(r.coverage_pct, 0.0);
    EXPECT_DOUBLE_EQ(r.slo->remaining_pct, 100.0);
  }
}

TEST(Input, NonPositiveIntervalMakesEveryResultCoverOnlyItself) {
  // Config validation rejects interval <= 0; the analysis must still be well-defined: the gap
  // threshold is 0, so the vantage is unknown everywhere except at the result instants
  // themselves (which have no length): coverage 0, nothing down.
  for (Micros interval : {Micros{0}, Micros{-60'000'000}}) {
    CheckInput c = make_check("c", interval, 1, 1);
    c.vantages.push_back(per_minute("a", 1, "x.xx.x"));
    const CheckReport r = analyze_check(c, {}, period_m(0, 6), {});
    EXPECT_TRUE(r.outages.empty());
    EXPECT_DOUBLE_EQ(r.coverage_pct, 0.0);
    EXPECT_THAT(r.timelines[0].unknown, ElementsAre(Interval{m(0), m(6)}));
  }
}

TEST(DefaultPeriod, EarliestStartToLatestCompletionOverAllChecks) {
  CheckInput a = make_check("a", 60s, 2, 1);
  a.vantages.push_back(series("v", 1, m(5), 1min, "..."));  // 5m..7m, 1 s each
  CheckInput b = make_check("b", 60s, 2, 1);
  // An earlier sample and one that starts before a's last but completes later (10 min).
  b.vantages.push_back({"w", 1, {{m(6), 10min, false}, {m(3), 1s, true}}});
  const auto p = default_period({a, b});
  ASSERT_TRUE(p.has_value());
  EXPECT_AT(p->from, m(3));
  EXPECT_AT(p->to, m(16));
  EXPECT_FALSE(default_period({make_check("empty", 60s, 2, 1)}).has_value());
  EXPECT_FALSE(default_period({}).has_value());
}

}  // namespace
}  // namespace prober::analysis
