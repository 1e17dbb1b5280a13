// Properties that hold for every input, checked on random scenarios (scenario.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>

#include "analysis/scenario.hpp"
#include "analysis/support.hpp"
#include "prober/analysis/analysis.hpp"

namespace prober::analysis {
namespace {

using namespace test_support;

constexpr std::uint64_t kSeedBase = 0x1417'0000;
constexpr double kEps = 1e-9;

Micros total_outage(const CheckReport& r) {
  Micros t{0};
  for (const Outage& o : r.outages) t += o.duration;
  return t;
}

Micros total_down(const VantageTimeline& t) {
  Micros d{0};
  for (const Interval& i : t.down) d += i.length();
  return d;
}

// Invariants of a single report; returns "" or what is wrong.
std::string check_report(const Scenario& s, const CheckReport& r) {
  std::ostringstream o;
  const TimePoint from = s.period.from;
  const TimePoint to = std::max(s.period.from, s.period.to);
  const std::size_t quorum = static_cast<std::size_t>(std::max(1, s.check.min_vantages));
  auto in_pct = [](double x) { return x >= -kEps && x <= 100 + kEps; };
  if (!in_pct(r.coverage_pct)) o << "coverage out of range\n";
  if (!in_pct(r.availability_pct)) o << "availability out of range\n";
  if (!in_pct(r.user_weighted_availability_pct)) o << "user-weighted out of range\n";
  for (std::size_t i = 0; i < r.impact.size(); ++i) {
    if (!in_pct(r.impact[i].value_pct)) o << "impact out of range\n";
    if (i > 0 && r.impact[i].at <= r.impact[i - 1].at) o << "impact steps not increasing\n";
    if (i > 0 && r.impact[i].value_pct == r.impact[i - 1].value_pct) o << "impact not merged\n";
    if (r.impact[i].at < from || r.impact[i].at >= to) o << "impact step outside P\n";
  }
  if (from < to && (r.impact.empty() || r.impact[0].at != from)) o << "impact not from P start\n";
  for (std::size_t i = 0; i < r.outages.size(); ++i) {
    const Outage& x = r.outages[i];
    const TimePoint end = x.end.value_or(to);
    if (x.start < from || end > to) o << "outage outside P\n";
    if (x.duration != end - x.start || x.duration <= Micros::zero()) o << "bad duration\n";
    if (x.end && *x.end == to) o << "outage reaching P's end not ongoing\n";
    if (i > 0 && x.start <= r.outages[i - 1].start + r.outages[i - 1].duration) {
      o << "outages not disjoint, separated and sorted\n";
    }
    if (!in_pct(x.peak_impact_pct) || x.avg_impact_pct > x.peak_impact_pct + kEps ||
        x.avg_impact_pct < -kEps) {
      o << "peak/avg inconsistent\n";
    }
    if (x.vantages.size() < quorum) o << "fewer vantages than the quorum\n";
    if (!std::is_sorted(x.vantages.begin(), x.vantages.end()) ||
        std::adjacent_find(x.vantages.begin(), x.vantages.end()) != x.vantages.end()) {
      o << "vantages not sorted/unique\n";
    }
    if (!x.detected_at) o << "no detected_at\n";
    if (x.began_before_period != !x.ttd.has_value()) o << "ttd null iff began before P\n";
    if (x.began_before_period && x.start != from) o << "began before P but start != P start\n";
    if (x.ttd && (*x.ttd < Micros::zero() || *x.detected_at - x.start != *x.ttd)) {
      o << "bad ttd\n";
    }
    for (std::size_t k = 1; k < x.suspected_causes.size(); ++k) {
      auto dist = [&](TimePoint t) { return t < x.start ? x.start - t : t - x.start; };
      if (dist(x.suspected_causes[k].at) < dist(x.suspected_causes[k - 1].at)) {
        o << "causes not nearest first\n";
      }
    }
  }
  for (const VantageIncident& v : r.vantage_incidents) {
    const TimePoint end = v.end.value_or(to);
    if (v.start < from || end > to || v.start >= end) o << "incident outside P or empty\n";
    for (const Outage& x : r.outages) {
      if (v.start < x.start + x.duration && x.start < end) o << "incident overlaps outage\n";
    }
  }
  if (r.slo && r.slo->used_s > static_cast<double>((to - from).count()) / 1e6 + kEps) {
    o << "SLO used more than the period\n";
  }
  return o.str();
}

TEST(Invariants, HoldOnRandomScenarios) {
  const int count = scenario_count(1500);
  int failures = 0;
  for (int i = 0; i < count && failures < 3; ++i) {
    const std::uint64_t seed = kSeedBase + static_cast<std::uint64_t>(i);
    const Scenario s = generate_scenario(seed);
    const CheckReport r = analyze_check(s.check, s.changes, s.period, s.options);
    const std::string bad = check_report(s, r);
    if (!bad.empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed << ":\n" << bad << describe(s);
    }
  }
}

TEST(Invariants, TurningFailuresIntoSuccessesNeverMakesThingsWorse) {
  // A vantage's down set only shrinks when a failure becomes a success (runs get shorter or
  // split), and unknown does not change (it depends on timestamps only). So total outage time
  // cannot grow, availability and user-weighted availability cannot drop, and no vantage's
  // down time can grow.
  const int count = scenario_count(1500);
  int failures = 0;
  for (int i = 0; i < count && failures < 3; ++i) {
    const std::uint64_t seed = kSeedBase + 0x100000 + static_cast<std::uint64_t>(i);
    const Scenario s = generate_scenario(seed);
    const CheckReport before = analyze_check(s.check, s.changes, s.period, s.options);
    Scenario fixed = s;
    std::mt19937_64 rng(seed);
    for (VantageInput& v : fixed.check.vantages) {
      for (Sample& x : v.samples) {
        if (!x.ok && rng() % 4 == 0) x.ok = true;
      }
    }
    const CheckReport after = analyze_check(fixed.check, fixed.changes, fixed.period, s.options);
    std::ostringstream o;
    if (total_outage(after) > total_outage(before)) o << "outage time grew\n";
    if (after.availability_pct < before.availability_pct - kEps) o << "availability dropped\n";
    if (after.user_weighted_availability_pct < before.user_weighted_availability_pct - kEps) {
      o << "user-weighted availability dropped\n";
    }
    if (after.coverage_pct != before.coverage_pct) o << "coverage changed\n";
    for (std::size_t v = 0; v < before.timelines.size(); ++v) {
      if (total_down(after.timelines[v]) > total_down(before.timelines[v])) {
        o << "down time of " << before.timelines[v].vantage << " grew\n";
      }
    }
    if (!o.str().empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed << ":\n" << o.str() << describe(s);
    }
  }
}

TEST(Invariants, VantageAndSampleOrderDoNotMatter) {
  const int count = scenario_count(1500);
  int failures = 0;
  for (int i = 0; i < count && failures < 3; ++i) {
    const std::uint64_t seed = kSeedBase + 0x200000 + static_cast<std::uint64_t>(i);
    const Scenario s = generate_scenario(seed);
    const CheckReport a = analyze_check(s.check, s.changes, s.period, s.options);
    Scenario shuffled = s;
    std::mt19937_64 rng(seed);
    std::shuffle(shuffled.check.vantages.begin(), shuffled.check.vantages.end(), rng);
    std::shuffle(shuffled.changes.begin(), shuffled.changes.end(), rng);
    std::shuffle(shuffled.check.maintenance.begin(), shuffled.check.maintenance.end(), rng);
    for (VantageInput& v : shuffled.check.vantages) {
      // Samples with equal ts keep their relative order (stable sort), so only shuffle when
      // every ts is distinct.
      std::vector<TimePoint> ts;
      for (const Sample& x : v.samples) ts.push_back(x.ts);
      std::sort(ts.begin(), ts.end());
      if (std::adjacent_find(ts.begin(), ts.end()) == ts.end()) {
        std::shuffle(v.samples.begin(), v.samples.end(), rng);
      }
    }
    const CheckReport b =
        analyze_check(shuffled.check, shuffled.changes, shuffled.period, shuffled.options);
    std::ostringstream o;
    if (a.outages.size() != b.outages.size()) {
      o << "outage count " << a.outages.size() << " vs " << b.outages.size() << "\n";
    } else {
      for (std::size_t k = 0; k < a.outages.size(); ++k) {
        const Outage& x = a.outages[k];
        const Outage& y = b.outages[k];
        if (x.start != y.start || x.end != y.end || x.detected_at != y.detected_at ||
            x.vantages != y.vantages || x.in_maintenance != y.in_maintenance ||
            x.suspected_causes.size() != y.suspected_causes.size() ||
            std::fabs(x.peak_impact_pct - y.peak_impact_pct) > 1e-9 ||
            std::fabs(x.avg_impact_pct - y.avg_impact_pct) > 1e-9) {
          o << "outage " << k << " differs\n";
        }
        for (std::size_t c = 0; c < std::min(x.suspected_causes.size(), y.suspected_causes.size());
             ++c) {
          if (x.suspected_causes[c].what != y.suspected_causes[c].what) o << "cause order\n";
        }
      }
    }
    if (a.vantage_incidents != b.vantage_incidents) o << "incidents differ\n";
    if (a.blips != b.blips) o << "blips differ\n";
    if (a.availability_pct != b.availability_pct) o << "availability differs\n";
    if (a.coverage_pct != b.coverage_pct) o << "coverage differs\n";
    if (std::fabs(a.user_weighted_availability_pct - b.user_weighted_availability_pct) > 1e-9) {
      o << "user-weighted availability differs\n";
    }
    if (!o.str().empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed << ":\n" << o.str() << describe(s);
    }
  }
}

}  // namespace
}  // namespace prober::analysis
