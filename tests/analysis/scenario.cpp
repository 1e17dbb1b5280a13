#include "analysis/scenario.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <random>
#include <sstream>

#include "analysis/support.hpp"

namespace prober::analysis::test_support {
namespace {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(gen_); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(v.size()) - 1))];
  }
  std::mt19937_64& engine() { return gen_; }

 private:
  std::mt19937_64 gen_;
};

std::int64_t off(TimePoint t) {
  return (t - T0).count();
}

}  // namespace

Scenario generate_scenario(std::uint64_t seed) {
  Rng rng(seed);
  Scenario sc;
  CheckInput& c = sc.check;
  c.check = "c";
  c.interval = rng.chance(0.7)
                   ? std::vector<Micros>{10s, 30s, 60s}[static_cast<std::size_t>(rng.uniform(0, 2))]
                   : Micros{rng.uniform(1'000'000, 120'000'000)};
  const std::int64_t iv = c.interval.count();
  const std::int64_t n = rng.uniform(1, 6);
  c.confirm_failures = static_cast<int>(rng.uniform(1, 4));
  c.min_vantages = rng.chance(0.03) ? 0 : static_cast<int>(rng.uniform(1, n + 1));

  std::vector<std::string> names = {"us-east", "eu-west",  "ap-south",
                                    "sa-east", "af-south", "me-central"};
  std::shuffle(names.begin(), names.end(), rng.engine());
  const bool all_zero = rng.chance(0.05);

  const std::int64_t max_samples = 60;
  const std::int64_t span = max_samples * iv;  // rough length of the data
  // Failure episodes shared by the vantages (the service is down), so quorums happen.
  std::vector<std::pair<std::int64_t, std::int64_t>> episodes;
  for (std::int64_t k = rng.uniform(0, 2); k > 0; --k) {
    const std::int64_t a = rng.uniform(0, span);
    episodes.push_back({a, a + rng.uniform(0, span / 2)});
  }
  const double shared_p = rng.chance(0.5) ? 1.0 : 0.85;

  for (std::int64_t v = 0; v < n; ++v) {
    VantageInput in;
    in.name = names[static_cast<std::size_t>(v)];
    if (all_zero || rng.chance(0.15)) {
      in.weight = 0;
    } else if (rng.chance(0.2)) {
      in.weight = static_cast<double>(rng.uniform(1, 100)) / 7.0;
    } else {
      in.weight = static_cast<double>(rng.uniform(1, 50));
    }
    const std::int64_t count = rng.chance(0.05) ? 0 : rng.uniform(1, max_samples);
    std::int64_t t = rng.uniform(0, 5 * iv);
    bool failing = false;
    for (std::int64_t i = 0; i < count; ++i) {
      bool fail;
      const bool shared = std::any_of(episodes.begin(), episodes.end(),
                                      [t](auto e) { return e.first <= t && t < e.second; });
      if (shared) {
        fail = rng.chance(shared_p);
      } else {
        fail = rng.chance(failing ? 0.7 : 0.1);
      }
      failing = fail;
      std::int64_t d;
      if (rng.chance(0.1)) {
        d = 0;
      } else if (rng.chance(0.1)) {
        d = rng.uniform(0, 3 * iv);
      } else {
        d = rng.uniform(0, iv / 2);
      }
      in.samples.push_back({T0 + Micros{t}, Micros{d}, !fail});
      const std::int64_t r = rng.uniform(0, 99);
      if (r < 3) {
        // same ts again
      } else if (r < 6) {
        t += 3 * iv;  // exactly the gap threshold: not a gap
      } else if (r < 8) {
        t += 3 * iv + 1;  // just over: a gap
      } else if (r < 14) {
        t += rng.uniform(3 * iv + 1, 12 * iv);
      } else {
        t += iv + rng.uniform(-iv / 10, iv / 10);
      }
    }
    if (rng.chance(0.05)) std::shuffle(in.samples.begin(), in.samples.end(), rng.engine());
    c.vantages.push_back(std::move(in));
  }

  for (std::int64_t k = rng.uniform(0, 3); k > 0; --k) {
    const std::int64_t a = rng.uniform(-5 * iv, span);
    c.maintenance.push_back({T0 + Micros{a}, T0 + Micros{a + rng.uniform(-iv, span / 3)}});
  }

  // Instants worth hitting exactly: sample ts and ts + 3 x interval.
  std::vector<TimePoint> marks;
  for (const VantageInput& v : c.vantages) {
    for (const Sample& s : v.samples) {
      marks.push_back(s.ts);
      marks.push_back(s.ts + 3 * c.interval);
    }
  }
  const std::optional<Period> dp = default_period({c});
  if (dp && rng.chance(0.35)) {
    sc.period = *dp;
  } else {
    sc.period.from = T0 + Micros{rng.uniform(-10 * iv, span)};
    sc.period.to = sc.period.from + Micros{rng.uniform(0, span + 10 * iv)};
    if (!marks.empty() && rng.chance(0.2)) sc.period.from = rng.pick(marks);
    if (!marks.empty() && rng.chance(0.2)) sc.period.to = rng.pick(marks);
    if (rng.chance(0.1)) sc.period.from = T0 - Micros{10 * iv};  // long before the data
    if (rng.chance(0.1)) sc.period.to = T0 + Micros{span + 20 * iv};
  }

  if (rng.chance(0.5)) {
    sc.options.slo_objective_pct = std::vector<double>{
        99.9, 99.0, 95.0, 100.0, 90.0}[static_cast<std::size_t>(rng.uniform(0, 4))];
  }
  const std::vector<std::string> checks = {"c", "other", "db"};
  for (std::int64_t k = rng.uniform(0, 6), i = 0; i < k; ++i) {
    ChangeEvent e;
    e.check = rng.pick(checks);
    e.vantage = rng.pick(names);
    e.ts = T0 + Micros{rng.uniform(-7'200'000'000, span + 7'200'000'000)};
    if (rng.chance(0.2) && !marks.empty()) e.ts = rng.pick(marks);
    // Exactly one hour before a possible outage start: the window's inclusive edge.
    if (rng.chance(0.1) && !marks.empty()) e.ts = rng.pick(marks) - std::chrono::hours(1);
    e.kind = static_cast<ChangeKind>(rng.uniform(0, 2));
    e.change = "change-" + std::to_string(i);
    sc.changes.push_back(std::move(e));
  }
  return sc;
}

std::string describe(const Scenario& s) {
  std::ostringstream o;
  const CheckInput& c = s.check;
  o << "scenario (instants in us after " << show(T0) << ")\n"
    << "  interval_us=" << c.interval.count() << " confirm_failures=" << c.confirm_failures
    << " min_vantages=" << c.min_vantages << "\n"
    << "  period=[" << off(s.period.from) << ", " << off(s.period.to) << ")";
  if (s.options.slo_objective_pct) o << " slo=" << *s.options.slo_objective_pct;
  o << "\n";
  for (const VantageInput& v : c.vantages) {
    o << "  vantage " << v.name << " weight=" << v.weight << " samples(ts:ok|x:duration)=";
    for (const Sample& x : v.samples) {
      o << " " << off(x.ts) << (x.ok ? ":ok:" : ":x:") << x.duration.count();
    }
    o << "\n";
  }
  for (const Interval& m : c.maintenance) {
    o << "  maintenance [" << off(m.start) << ", " << off(m.end) << ")\n";
  }
  for (const ChangeEvent& e : s.changes) {
    o << "  change " << e.check << "/" << e.vantage << " at " << off(e.ts) << " " << e.change
      << "\n";
  }
  return o.str();
}

namespace {

bool near(double a, double b, double tol = 1e-9) {
  return std::fabs(a - b) <= tol * std::max({1.0, std::fabs(a), std::fabs(b)});
}

std::string fmt(const std::optional<TimePoint>& t) {
  return t ? std::to_string(off(*t)) : std::string("null");
}
std::string fmt(const std::optional<Micros>& d) {
  return d ? std::to_string(d->count()) : std::string("null");
}
std::string fmt(const std::vector<Interval>& v) {
  std::string s;
  for (const Interval& i : v) {
    s += "[" + std::to_string(off(i.start)) + "," + std::to_string(off(i.end)) + ")";
  }
  return s;
}
template <typename T>
std::string fmt_list(const std::vector<T>& v) {
  std::string s;
  for (const auto& x : v) s += std::string(x) + " ";
  return s;
}

}  // namespace

std::string compare_reports(const CheckReport& got, const CheckReport& want) {
  std::ostringstream o;
  auto num = [&](const char* what, double g, double w) {
    if (!near(g, w)) o << "  " << what << ": got " << g << " want " << w << "\n";
  };
  auto eq = [&](const std::string& what, const std::string& g, const std::string& w) {
    if (g != w) o << "  " << what << ": got " << g << " want " << w << "\n";
  };
  eq("blips", std::to_string(got.blips), std::to_string(want.blips));
  num("coverage_pct", got.coverage_pct, want.coverage_pct);
  num("availability_pct", got.availability_pct, want.availability_pct);
  num("user_weighted_availability_pct", got.user_weighted_availability_pct,
      want.user_weighted_availability_pct);
  eq("slo present", std::to_string(got.slo.has_value()), std::to_string(want.slo.has_value()));
  if (got.slo && want.slo) {
    num("slo.budget_s", got.slo->budget_s, want.slo->budget_s);
    num("slo.used_s", got.slo->used_s, want.slo->used_s);
    num("slo.remaining_pct", got.slo->remaining_pct, want.slo->remaining_pct);
  }
  eq("outage count", std::to_string(got.outages.size()), std::to_string(want.outages.size()));
  for (std::size_t i = 0; i < std::min(got.outages.size(), want.outages.size()); ++i) {
    const Outage& g = got.outages[i];
    const Outage& w = want.outages[i];
    const std::string p = "outage[" + std::to_string(i) + "].";
    eq(p + "start", fmt(g.start), fmt(w.start));
    eq(p + "end", fmt(g.end), fmt(w.end));
    eq(p + "duration", std::to_string(g.duration.count()), std::to_string(w.duration.count()));
    num((p + "peak_impact_pct").c_str(), g.peak_impact_pct, w.peak_impact_pct);
    num((p + "avg_impact_pct").c_str(), g.avg_impact_pct, w.avg_impact_pct);
    eq(p + "detected_at", fmt(g.detected_at), fmt(w.detected_at));
    eq(p + "ttd", fmt(g.ttd), fmt(w.ttd));
    eq(p + "began_before_period", std::to_string(g.began_before_period),
       std::to_string(w.began_before_period));
    eq(p + "in_maintenance", std::to_string(g.in_maintenance), std::to_string(w.in_maintenance));
    eq(p + "vantages", fmt_list(g.vantages), fmt_list(w.vantages));
    std::string gc, wc;
    for (const SuspectedCause& s : g.suspected_causes) gc += s.what + "@" + fmt(s.at) + " ";
    for (const SuspectedCause& s : w.suspected_causes) wc += s.what + "@" + fmt(s.at) + " ";
    eq(p + "suspected_causes", gc, wc);
  }
  std::string gi, wi;
  for (const VantageIncident& v : got.vantage_incidents) {
    gi += v.vantage + "[" + fmt(v.start) + "," + fmt(v.end) + ") ";
  }
  for (const VantageIncident& v : want.vantage_incidents) {
    wi += v.vantage + "[" + fmt(v.start) + "," + fmt(v.end) + ") ";
  }
  eq("vantage_incidents", gi, wi);
  eq("timeline count", std::to_string(got.timelines.size()), std::to_string(want.timelines.size()));
  for (std::size_t i = 0; i < std::min(got.timelines.size(), want.timelines.size()); ++i) {
    const VantageTimeline& g = got.timelines[i];
    const VantageTimeline& w = want.timelines[i];
    eq("timeline[" + std::to_string(i) + "].vantage", g.vantage, w.vantage);
    num("timeline.weight", g.weight, w.weight);
    eq("timeline[" + g.vantage + "].down", fmt(g.down), fmt(w.down));
    eq("timeline[" + g.vantage + "].unknown", fmt(g.unknown), fmt(w.unknown));
  }
  std::string gs, ws;
  for (const ImpactStep& s : got.impact) gs += fmt(s.at) + ":" + std::to_string(s.value_pct) + " ";
  for (const ImpactStep& s : want.impact) {
    ws += fmt(s.at) + ":" + std::to_string(s.value_pct) + " ";
  }
  eq("impact steps", gs, ws);
  if (got.impact.size() == want.impact.size()) {
    for (std::size_t i = 0; i < got.impact.size(); ++i) {
      num("impact step value", got.impact[i].value_pct, want.impact[i].value_pct);
    }
  }
  return o.str();
}

int scenario_count(int fallback) {
  if (const char* env = std::getenv("PROBER_ANALYSIS_SCENARIOS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return fallback;
}

}  // namespace prober::analysis::test_support
