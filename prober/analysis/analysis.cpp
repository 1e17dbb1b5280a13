// Outage analysis, DESIGN.md "Analysis rules" 1-8. docs/analysis.md explains every rule and
// every decision taken where the design is silent, with worked examples.
//
// Shape of the computation, per check:
//   1. one pass over each vantage's samples (sorted by ts) yields its down intervals (with
//      their confirmation instants), its unknown intervals within P and its blip count;
//   2. every boundary of those intervals and of the maintenance windows inside P cuts P into
//      elementary segments in which no vantage changes state;
//   3. one sweep over the segments evaluates impact, outages, vantage incidents, coverage and
//      availability.
// Everything is integer microseconds except weights and the percentages derived from them.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <tuple>

#include "prober/analysis/analysis.hpp"

namespace prober::analysis {
namespace {

// A vantage's down interval, not clipped to P.
struct DownInterval {
  TimePoint start{};
  TimePoint end{};
  TimePoint confirmed{};  // completion of the run's confirm_failures-th failure
};

struct VantageWork {
  double weight = 0;
  std::vector<DownInterval> down;  // sorted, disjoint, not clipped
  std::vector<Interval> unknown;   // sorted, disjoint, within P
  std::size_t down_cursor = 0;
  std::size_t unknown_cursor = 0;
};

// Weights are shares of users: negative, NaN or infinite ones count as 0.
double usable_weight(double w) {
  return std::isfinite(w) && w > 0 ? w : 0.0;
}

Micros non_negative(Micros d) {
  return d < Micros::zero() ? Micros::zero() : d;
}

void push_clipped(std::vector<Interval>& out, TimePoint a, TimePoint b, const Period& p) {
  a = std::max(a, p.from);
  b = std::min(b, p.to);
  if (a < b) out.push_back({a, b});
}

// Rules 1 and 2 for one vantage, in one pass over its samples, which must be sorted by ts:
// returns the number of blips that start in P, or nullopt (and leaves `w` unusable) as soon
// as it meets a sample earlier than the one before. Checking the order here rather than in a
// separate pass reads the samples from memory once.
std::optional<std::int64_t> scan_vantage(std::span<const Sample> samples, Micros gap,
                                         std::int64_t confirm, const Period& p, VantageWork& w) {
  if (samples.empty()) {
    push_clipped(w.unknown, p.from, p.to, p);
    return 0;
  }
  std::int64_t blips = 0;
  std::int64_t run_length = 0;
  TimePoint run_start{};
  TimePoint confirmed{};
  auto close_run = [&](TimePoint end) {
    if (run_length >= confirm) {
      if (run_start < end) w.down.push_back({run_start, end, confirmed});
    } else if (run_length > 0 && run_start >= p.from && run_start < p.to) {
      ++blips;
    }
    run_length = 0;
  };

  push_clipped(w.unknown, p.from, samples.front().ts, p);
  TimePoint prev = samples.front().ts;
  for (const Sample& s : samples) {
    if (s.ts < prev) return std::nullopt;
    if (s.ts - prev > gap) {
      // A gap ends any run: down until the last failure + 3 x interval, then unknown.
      close_run(prev + gap);
      push_clipped(w.unknown, prev + gap, s.ts, p);
    }
    if (!s.ok) {
      if (run_length == 0) run_start = s.ts;
      if (++run_length == confirm) confirmed = s.ts + non_negative(s.duration);
    } else if (run_length > 0) {
      close_run(s.ts);
    }
    prev = s.ts;
  }
  close_run(prev + gap);
  push_clipped(w.unknown, prev + gap, p.to, p);
  return blips;
}

// Maintenance windows clipped to P, sorted and merged (overlapping or touching windows
// become one).
std::vector<Interval> merged_windows(const std::vector<Interval>& windows, const Period& p) {
  std::vector<Interval> out;
  for (const Interval& m : windows) push_clipped(out, m.start, m.end, p);
  std::sort(out.begin(), out.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::size_t n = 0;
  for (const Interval& m : out) {
    if (n > 0 && m.start <= out[n - 1].end) {
      out[n - 1].end = std::max(out[n - 1].end, m.end);
    } else {
      out[n++] = m;
    }
  }
  out.resize(n);
  return out;
}

// Joins sorted, disjoint intervals that touch ([a, b) and [b, c) -> [a, c)).
void merge_touching(std::vector<Interval>& v) {
  std::size_t n = 0;
  for (const Interval& i : v) {
    if (n > 0 && v[n - 1].end == i.start) {
      v[n - 1].end = i.end;
    } else {
      v[n++] = i;
    }
  }
  v.resize(n);
}

double to_seconds(Micros d) {
  return static_cast<double>(d.count()) / 1e6;
}

// Rule 8: change events of any check in [start - 1h, end), nearest to start first.
// `sorted`: the changes are in ts order, so the window can be found by binary search.
std::vector<SuspectedCause> suspected_causes(const std::vector<ChangeEvent>& changes, bool sorted,
                                             TimePoint start, TimePoint end) {
  const TimePoint from = start - std::chrono::hours(1);
  std::vector<const ChangeEvent*> hits;
  if (sorted) {
    auto it = std::lower_bound(changes.begin(), changes.end(), from,
                               [](const ChangeEvent& c, TimePoint t) { return c.ts < t; });
    for (; it != changes.end() && it->ts < end; ++it) hits.push_back(&*it);
  } else {
    for (const ChangeEvent& c : changes) {
      if (c.ts >= from && c.ts < end) hits.push_back(&c);
    }
  }
  // Sort pointers, then copy once: the strings are not moved around by the sort.
  auto distance = [start](TimePoint t) { return t < start ? start - t : t - start; };
  std::sort(hits.begin(), hits.end(), [&](const ChangeEvent* a, const ChangeEvent* b) {
    return std::forward_as_tuple(distance(a->ts), a->ts, a->check, a->vantage, a->kind, a->change) <
           std::forward_as_tuple(distance(b->ts), b->ts, b->check, b->vantage, b->kind, b->change);
  });
  std::vector<SuspectedCause> out;
  out.reserve(hits.size());
  for (const ChangeEvent* c : hits)
    out.push_back({c->ts, c->check, c->vantage, c->kind, c->change});
  return out;
}

}  // namespace

std::optional<Period> default_period(const std::vector<CheckInput>& checks) {
  std::optional<Period> p;
  for (const CheckInput& c : checks) {
    for (const VantageInput& v : c.vantages) {
      for (const Sample& s : v.samples) {
        const TimePoint done = s.ts + non_negative(s.duration);
        if (!p) {
          p = Period{s.ts, done};
        } else {
          p->from = std::min(p->from, s.ts);
          p->to = std::max(p->to, done);
        }
      }
    }
  }
  return p;
}

CheckReport analyze_check(const CheckInput& check, const std::vector<ChangeEvent>& changes,
                          const Period& period, const Options& options) {
  CheckReport report;
  report.check = check.check;

  Period p = period;
  if (p.to < p.from) p.to = p.from;  // an inverted period is empty
  // An interval <= 0 (rejected by config validation) makes every result cover only itself.
  const Micros gap = std::max(Micros::zero(), 3 * check.interval);
  const std::int64_t confirm = std::max(1, check.confirm_failures);
  const std::size_t quorum = static_cast<std::size_t>(std::max(1, check.min_vantages));
  const std::size_t n = check.vantages.size();

  // 1. Per vantage: down and unknown intervals, blips.
  std::vector<VantageWork> work(n);
  std::vector<Sample> sorted;
  for (std::size_t v = 0; v < n; ++v) {
    const VantageInput& in = check.vantages[v];
    work[v].weight = usable_weight(in.weight);
    std::optional<std::int64_t> blips = scan_vantage(in.samples, gap, confirm, p, work[v]);
    if (!blips) {
      sorted.assign(in.samples.begin(), in.samples.end());
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const Sample& a, const Sample& b) { return a.ts < b.ts; });
      work[v].down.clear();
      work[v].unknown.clear();
      blips = scan_vantage(sorted, gap, confirm, p, work[v]);
    }
    report.blips += *blips;
  }
  const std::vector<Interval> maintenance = merged_windows(check.maintenance, p);

  // Rule 5 needs to know whether an outage at P's start was already going on just before.
  std::size_t down_before_period = 0;
  for (const VantageWork& w : work) {
    const TimePoint t = p.from - Micros{1};
    auto it = std::upper_bound(w.down.begin(), w.down.end(), t,
                               [](TimePoint x, const DownInterval& d) { return x < d.end; });
    if (it != w.down.end() && it->start <= t) ++down_before_period;
  }

  // 2. Cut P into elementary segments.
  std::vector<TimePoint> cuts;
  std::size_t boundaries = 2 + 2 * maintenance.size();
  for (const VantageWork& w : work) boundaries += 2 * (w.down.size() + w.unknown.size());
  cuts.reserve(boundaries);
  cuts.push_back(p.from);
  cuts.push_back(p.to);
  auto cut = [&](TimePoint t) {
    if (t > p.from && t < p.to) cuts.push_back(t);
  };
  for (const VantageWork& w : work) {
    for (const DownInterval& d : w.down) {
      cut(d.start);
      cut(d.end);
    }
    for (const Interval& u : w.unknown) {
      cut(u.start);
      cut(u.end);
    }
  }
  for (const Interval& m : maintenance) {
    cut(m.start);
    cut(m.end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

  // 3. Sweep.
  const Micros period_length = p.to - p.from;
  std::int64_t known_vantage_us = 0;  // sum over vantages of not-unknown time (coverage)
  double impact_integral_us = 0;      // of impact/100 outside maintenance
  Micros counted_outage{0};           // outage time outside maintenance
  Micros maintenance_length{0};
  for (const Interval& m : maintenance) maintenance_length += m.length();

  struct Open {
    bool active = false;
    TimePoint start{};
    double peak = 0;
    double integral_us = 0;  // of impact_pct
    bool all_maintenance = true;
  } open;
  std::vector<TimePoint> first_confirmation(n);  // per vantage, within the open outage
  std::vector<char> took_part(n, 0);
  std::vector<TimePoint> confirmations;
  confirmations.reserve(n);
  std::vector<char> is_down(n, 0);

  std::optional<bool> changes_sorted;  // computed at the first outage
  auto close_outage = [&](TimePoint end) {
    Outage o;
    o.start = open.start;
    o.duration = end - open.start;
    if (end < p.to) o.end = end;
    o.peak_impact_pct = open.peak;
    o.avg_impact_pct = open.integral_us / static_cast<double>(o.duration.count());
    o.in_maintenance = open.all_maintenance;
    confirmations.clear();
    for (std::size_t v = 0; v < n; ++v) {
      if (!took_part[v]) continue;
      o.vantages.push_back(check.vantages[v].name);
      confirmations.push_back(first_confirmation[v]);
    }
    std::sort(o.vantages.begin(), o.vantages.end());
    // At least `quorum` vantages took part: some segment had that many down.
    auto nth = confirmations.begin() + static_cast<std::ptrdiff_t>(quorum - 1);
    std::nth_element(confirmations.begin(), nth, confirmations.end());
    o.detected_at = *nth;
    o.began_before_period = o.start == p.from && down_before_period >= quorum;
    if (!o.began_before_period) o.ttd = *o.detected_at - o.start;
    if (!changes_sorted) {
      changes_sorted =
          std::is_sorted(changes.begin(), changes.end(),
                         [](const ChangeEvent& a, const ChangeEvent& b) { return a.ts < b.ts; });
    }
    o.suspected_causes = suspected_causes(changes, *changes_sorted, o.start, end);
    report.outages.push_back(std::move(o));
    open.active = false;
  };

  std::size_t maintenance_cursor = 0;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const TimePoint a = cuts[i];
    const Micros len = cuts[i + 1] - a;

    std::size_t down_count = 0;
    std::size_t known_count = 0;
    double down_weight = 0;
    double known_weight = 0;
    for (std::size_t v = 0; v < n; ++v) {
      VantageWork& w = work[v];
      while (w.down_cursor < w.down.size() && w.down[w.down_cursor].end <= a) ++w.down_cursor;
      while (w.unknown_cursor < w.unknown.size() && w.unknown[w.unknown_cursor].end <= a) {
        ++w.unknown_cursor;
      }
      const bool down = w.down_cursor < w.down.size() && w.down[w.down_cursor].start <= a;
      const bool unknown =
          w.unknown_cursor < w.unknown.size() && w.unknown[w.unknown_cursor].start <= a;
      is_down[v] = down;
      if (down) {
        ++down_count;
        down_weight += w.weight;
      }
      if (!unknown) {
        ++known_count;
        known_weight += w.weight;
      }
    }
    while (maintenance_cursor < maintenance.size() && maintenance[maintenance_cursor].end <= a) {
      ++maintenance_cursor;
    }
    const bool in_maintenance =
        maintenance_cursor < maintenance.size() && maintenance[maintenance_cursor].start <= a;

    const double impact = known_weight > 0 ? 100.0 * down_weight / known_weight : 0.0;
    if (report.impact.empty() || report.impact.back().value_pct != impact) {
      report.impact.push_back({a, impact});
    }
    known_vantage_us += static_cast<std::int64_t>(known_count) * len.count();
    if (!in_maintenance) impact_integral_us += impact / 100.0 * static_cast<double>(len.count());

    const bool outage = down_count >= quorum;
    if (outage) {
      if (!open.active) {
        open = Open{true, a, impact, 0, true};
        std::fill(took_part.begin(), took_part.end(), 0);
      }
      open.peak = std::max(open.peak, impact);
      open.integral_us += impact * static_cast<double>(len.count());
      open.all_maintenance = open.all_maintenance && in_maintenance;
      if (!in_maintenance) counted_outage += len;
      for (std::size_t v = 0; v < n; ++v) {
        if (!is_down[v]) continue;
        const TimePoint c = work[v].down[work[v].down_cursor].confirmed;
        if (!took_part[v] || c < first_confirmation[v]) first_confirmation[v] = c;
        took_part[v] = 1;
      }
    } else if (open.active) {
      close_outage(a);
    }
  }
  if (open.active) close_outage(p.to);

  // Vantage incidents: a vantage's down interval (within P) that never takes part in an
  // outage. One that overlaps an outage is part of that outage (its vantage is listed there),
  // even where it starts a little before or ends a little after it: vantages probe at slightly
  // different instants, and slivers of milliseconds at an outage's edges are not incidents.
  for (std::size_t v = 0; v < n; ++v) {
    std::size_t outage_cursor = 0;
    const auto& down = work[v].down;
    for (std::size_t k = 0; k < down.size();) {
      // Down intervals that touch (results sharing a ts) are one stretch.
      TimePoint start = down[k].start;
      TimePoint end = down[k].end;
      for (++k; k < down.size() && down[k].start <= end; ++k) end = std::max(end, down[k].end);
      start = std::max(start, p.from);
      end = std::min(end, p.to);
      if (start >= end) continue;
      while (outage_cursor < report.outages.size() &&
             report.outages[outage_cursor].end.value_or(p.to) <= start) {
        ++outage_cursor;
      }
      const bool overlaps =
          outage_cursor < report.outages.size() && report.outages[outage_cursor].start < end;
      if (overlaps) continue;
      VantageIncident incident{check.vantages[v].name, start, end};
      if (end == p.to) incident.end.reset();
      report.vantage_incidents.push_back(std::move(incident));
    }
  }
  std::sort(report.vantage_incidents.begin(), report.vantage_incidents.end(),
            [](const VantageIncident& x, const VantageIncident& y) {
              return std::tie(x.start, x.vantage) < std::tie(y.start, y.vantage);
            });

  // Coverage, availability, SLO.
  const std::int64_t coverage_denominator = static_cast<std::int64_t>(n) * period_length.count();
  report.coverage_pct = coverage_denominator > 0 ? 100.0 * static_cast<double>(known_vantage_us) /
                                                       static_cast<double>(coverage_denominator)
                                                 : 0.0;
  const Micros counted_period = period_length - maintenance_length;
  if (counted_period > Micros::zero()) {
    const double denominator = static_cast<double>(counted_period.count());
    report.availability_pct =
        100.0 * (1.0 - static_cast<double>(counted_outage.count()) / denominator);
    report.user_weighted_availability_pct = 100.0 * (1.0 - impact_integral_us / denominator);
  }
  if (options.slo_objective_pct) {
    SloResult slo;
    slo.objective_pct = *options.slo_objective_pct;
    slo.budget_s = std::max(0.0, (1.0 - slo.objective_pct / 100.0) * to_seconds(counted_period));
    slo.used_s = to_seconds(counted_outage);
    if (slo.budget_s > 0) {
      slo.remaining_pct = 100.0 * (1.0 - slo.used_s / slo.budget_s);
    } else {
      slo.remaining_pct = slo.used_s > 0 ? -100.0 : 100.0;
    }
    report.slo = slo;
  }

  // Timelines for drawing.
  report.timelines.reserve(n);
  for (std::size_t v = 0; v < n; ++v) {
    VantageTimeline t;
    t.vantage = check.vantages[v].name;
    t.weight = work[v].weight;
    for (const DownInterval& d : work[v].down) push_clipped(t.down, d.start, d.end, p);
    t.unknown = std::move(work[v].unknown);
    merge_touching(t.down);
    merge_touching(t.unknown);
    report.timelines.push_back(std::move(t));
  }
  return report;
}

}  // namespace prober::analysis
