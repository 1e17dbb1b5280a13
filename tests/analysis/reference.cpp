#include "analysis/reference.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>

namespace prober::analysis::reference {
namespace {

enum class State { up, down, unknown };

struct Vantage {
  std::string name;
  double weight = 0;
  std::vector<Sample> samples;  // stable-sorted by ts
};

struct Rules {
  Micros gap{};  // 3 x interval
  std::size_t confirm = 1;
};

// Rule 1: the failures before and after sample k that are not separated by a gap.
std::pair<std::size_t, std::size_t> run_around(const std::vector<Sample>& s, std::size_t k,
                                               const Rules& rules) {
  std::size_t first = k;
  while (first > 0 && !s[first - 1].ok && s[first].ts - s[first - 1].ts <= rules.gap) --first;
  std::size_t last = k;
  while (last + 1 < s.size() && !s[last + 1].ok && s[last + 1].ts - s[last].ts <= rules.gap) {
    ++last;
  }
  return {first, last};
}

// A vantage's state at instant t, straight from rules 1 and 2. `confirmed` receives the
// confirmation instant of the down interval holding t.
State state_at(const Vantage& v, TimePoint t, const Rules& rules, TimePoint* confirmed) {
  const std::vector<Sample>& s = v.samples;
  // The last result at or before t.
  const auto after = std::upper_bound(s.begin(), s.end(), t,
                                      [](TimePoint x, const Sample& y) { return x < y.ts; });
  if (after == s.begin()) return State::unknown;  // before the first result
  const auto k = static_cast<std::size_t>(after - s.begin()) - 1;
  // Either a gap follows (the next result is later than t) or there is no next result.
  if (t - s[k].ts >= rules.gap) return State::unknown;
  if (s[k].ok) return State::up;
  const auto [first, last] = run_around(s, k, rules);
  if (last - first + 1 < rules.confirm) return State::up;  // a blip
  if (confirmed != nullptr) {
    const Sample& c = s[first + rules.confirm - 1];
    *confirmed = c.ts + std::max(c.duration, Micros::zero());
  }
  return State::down;
}

bool in_any(const std::vector<Interval>& windows, TimePoint t) {
  for (const Interval& w : windows) {
    if (w.start <= t && t < w.end) return true;
  }
  return false;
}

struct Segment {
  TimePoint start{};
  TimePoint end{};
  std::vector<State> states;
  std::vector<TimePoint> confirmed;
  std::size_t down = 0;
  bool maintenance = false;
  double impact = 0;
};

}  // namespace

CheckReport analyze(const CheckInput& check, const std::vector<ChangeEvent>& changes,
                    const Period& period, const Options& options) {
  CheckReport r;
  r.check = check.check;
  const TimePoint from = period.from;
  const TimePoint to = std::max(period.from, period.to);
  Rules rules;
  rules.gap = 3 * check.interval;
  rules.confirm = static_cast<std::size_t>(std::max(1, check.confirm_failures));
  const std::size_t quorum = static_cast<std::size_t>(std::max(1, check.min_vantages));

  std::vector<Vantage> vs;
  for (const VantageInput& in : check.vantages) {
    Vantage v{in.name, in.weight > 0 ? in.weight : 0.0, in.samples};
    std::stable_sort(v.samples.begin(), v.samples.end(),
                     [](const Sample& a, const Sample& b) { return a.ts < b.ts; });
    vs.push_back(std::move(v));
  }
  const std::size_t n = vs.size();

  // Every instant at which some state may change.
  std::vector<TimePoint> instants = {from, to};
  auto add = [&](TimePoint t) {
    if (from < t && t < to) instants.push_back(t);
  };
  for (const Vantage& v : vs) {
    for (const Sample& s : v.samples) {
      add(s.ts);
      add(s.ts + rules.gap);
    }
  }
  for (const Interval& w : check.maintenance) {
    add(w.start);
    add(w.end);
  }
  std::sort(instants.begin(), instants.end());
  instants.erase(std::unique(instants.begin(), instants.end()), instants.end());

  std::vector<Segment> segs;
  for (std::size_t i = 0; i + 1 < instants.size(); ++i) {
    Segment g;
    g.start = instants[i];
    g.end = instants[i + 1];
    double down_weight = 0;
    double known_weight = 0;
    for (const Vantage& v : vs) {
      TimePoint c{};
      const State st = state_at(v, g.start, rules, &c);
      g.states.push_back(st);
      g.confirmed.push_back(c);
      if (st == State::down) {
        ++g.down;
        down_weight += v.weight;
      }
      if (st != State::unknown) known_weight += v.weight;
    }
    g.impact = known_weight > 0 ? 100.0 * down_weight / known_weight : 0.0;
    g.maintenance = in_any(check.maintenance, g.start);
    segs.push_back(std::move(g));
  }

  // Blips: runs shorter than confirm_failures whose first failure lies in P.
  for (const Vantage& v : vs) {
    const std::vector<Sample>& s = v.samples;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i].ok) continue;
      const bool starts_run = i == 0 || s[i - 1].ok || s[i].ts - s[i - 1].ts > rules.gap;
      if (!starts_run) continue;
      const auto [first, last] = run_around(s, i, rules);
      if (last - first + 1 < rules.confirm && s[i].ts >= from && s[i].ts < to) ++r.blips;
    }
  }

  // Sums over segments.
  std::int64_t known_us = 0;
  Micros maintenance{0};
  Micros counted{0};
  double impact_integral = 0;
  for (const Segment& g : segs) {
    const Micros len = g.end - g.start;
    for (State st : g.states) {
      if (st != State::unknown) known_us += len.count();
    }
    if (g.maintenance) {
      maintenance += len;
    } else {
      impact_integral += g.impact / 100.0 * static_cast<double>(len.count());
      if (g.down >= quorum) counted += len;
    }
  }
  const Micros plen = to - from;
  r.coverage_pct = n > 0 && plen > Micros::zero()
                       ? 100.0 * static_cast<double>(known_us) /
                             (static_cast<double>(n) * static_cast<double>(plen.count()))
                       : 0.0;
  const Micros effective = plen - maintenance;
  if (effective > Micros::zero()) {
    r.availability_pct = 100.0 * (1.0 - static_cast<double>(counted.count()) /
                                            static_cast<double>(effective.count()));
    r.user_weighted_availability_pct =
        100.0 * (1.0 - impact_integral / static_cast<double>(effective.count()));
  }
  if (options.slo_objective_pct) {
    SloResult slo;
    slo.objective_pct = *options.slo_objective_pct;
    slo.budget_s = std::max(
        0.0, (1.0 - slo.objective_pct / 100.0) * static_cast<double>(effective.count()) / 1e6);
    slo.used_s = static_cast<double>(counted.count()) / 1e6;
    if (slo.budget_s > 0) {
      slo.remaining_pct = 100.0 * (1.0 - slo.used_s / slo.budget_s);
    } else {
      slo.remaining_pct = slo.used_s > 0 ? -100.0 : 100.0;
    }
    r.slo = slo;
  }

  // Impact step function.
  for (const Segment& g : segs) {
    if (r.impact.empty() || r.impact.back().value_pct != g.impact) {
      r.impact.push_back({g.start, g.impact});
    }
  }

  // Outages: runs of consecutive segments with a quorum down.
  std::size_t down_before = 0;
  for (const Vantage& v : vs) {
    if (state_at(v, from - Micros{1}, rules, nullptr) == State::down) ++down_before;
  }
  for (std::size_t i = 0; i < segs.size();) {
    if (segs[i].down < quorum) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < segs.size() && segs[j].down >= quorum) ++j;
    Outage o;
    o.start = segs[i].start;
    const TimePoint end = segs[j - 1].end;
    if (end != to) o.end = end;
    o.duration = end - o.start;
    double integral = 0;
    o.in_maintenance = true;
    std::vector<std::optional<TimePoint>> first_confirmed(n);
    for (std::size_t k = i; k < j; ++k) {
      o.peak_impact_pct = std::max(o.peak_impact_pct, segs[k].impact);
      integral += segs[k].impact * static_cast<double>((segs[k].end - segs[k].start).count());
      o.in_maintenance = o.in_maintenance && segs[k].maintenance;
      for (std::size_t v = 0; v < n; ++v) {
        if (segs[k].states[v] != State::down) continue;
        if (!first_confirmed[v] || segs[k].confirmed[v] < *first_confirmed[v]) {
          first_confirmed[v] = segs[k].confirmed[v];
        }
      }
    }
    o.avg_impact_pct = integral / static_cast<double>(o.duration.count());
    std::vector<TimePoint> confirmations;
    for (std::size_t v = 0; v < n; ++v) {
      if (!first_confirmed[v]) continue;
      o.vantages.push_back(vs[v].name);
      confirmations.push_back(*first_confirmed[v]);
    }
    std::sort(o.vantages.begin(), o.vantages.end());
    std::sort(confirmations.begin(), confirmations.end());
    o.detected_at = confirmations.at(quorum - 1);
    o.began_before_period = o.start == from && down_before >= quorum;
    if (!o.began_before_period) o.ttd = *o.detected_at - o.start;
    for (const ChangeEvent& c : changes) {
      if (c.ts >= o.start - std::chrono::hours(1) && c.ts < end) {
        o.suspected_causes.push_back({c.ts, c.check, c.vantage, c.kind, c.change});
      }
    }
    const TimePoint start = o.start;
    auto key = [start](const SuspectedCause& s) {
      const Micros d = s.at >= start ? s.at - start : start - s.at;
      return std::make_tuple(d, s.at, s.check, s.vantage, s.kind, s.what);
    };
    std::sort(o.suspected_causes.begin(), o.suspected_causes.end(),
              [&](const SuspectedCause& a, const SuspectedCause& b) { return key(a) < key(b); });
    r.outages.push_back(std::move(o));
    i = j;
  }

  // Vantage incidents and timelines: merge the vantage's segments.
  for (std::size_t v = 0; v < n; ++v) {
    VantageTimeline t;
    t.vantage = vs[v].name;
    t.weight = vs[v].weight;
    auto extend = [](std::vector<Interval>& list, const Segment& g) {
      if (!list.empty() && list.back().end == g.start) {
        list.back().end = g.end;
      } else {
        list.push_back({g.start, g.end});
      }
    };
    for (const Segment& g : segs) {
      if (g.states[v] == State::down) extend(t.down, g);
      if (g.states[v] == State::unknown) extend(t.unknown, g);
    }
    // An incident is a whole down interval during which no segment reaches the quorum.
    for (const Interval& i : t.down) {
      bool part_of_outage = false;
      for (const Segment& g : segs) {
        if (g.start >= i.start && g.end <= i.end && g.down >= quorum) part_of_outage = true;
      }
      if (part_of_outage) continue;
      VantageIncident vi{vs[v].name, i.start, i.end};
      if (i.end == to) vi.end.reset();
      r.vantage_incidents.push_back(vi);
    }
    r.timelines.push_back(std::move(t));
  }
  std::sort(r.vantage_incidents.begin(), r.vantage_incidents.end(),
            [](const VantageIncident& a, const VantageIncident& b) {
              return std::tie(a.start, a.vantage) < std::tie(b.start, b.vantage);
            });
  return r;
}

}  // namespace prober::analysis::reference
