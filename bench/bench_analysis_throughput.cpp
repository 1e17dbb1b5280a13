// Throughput of the outage analysis (prober/analysis): 1,000 checks x 5 vantages x 2,000
// results = 10 M results, generated in memory with realistic failures (mostly ok; per check a
// few outages shared by several vantages, single-vantage incidents, blips, the odd gap), then
// analyze_check over every check. items_processed = results, so the output shows results/s.
//
//   cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release
//   cmake --build build/release --target bench_analysis_throughput
//   build/release/bench/bench_analysis_throughput
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "prober/analysis/analysis.hpp"

namespace {

using prober::Micros;
using prober::TimePoint;
using prober::analysis::analyze_check;
using prober::analysis::CheckInput;
using prober::analysis::Options;
using prober::analysis::Period;
using prober::analysis::Sample;
using prober::analysis::VantageInput;
using namespace std::chrono_literals;

constexpr int kChecks = 1000;
constexpr int kVantages = 5;
constexpr int kResults = 2000;  // per check and vantage
constexpr std::int64_t kTotal = std::int64_t{kChecks} * kVantages * kResults;

struct Data {
  std::vector<CheckInput> checks;
  std::vector<prober::ChangeEvent> changes;
  Period period;
};

Data generate() {
  Data d;
  std::mt19937_64 rng(42);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const TimePoint t0 = prober::from_unix_micros(1'714'867'200'000'000);  // 2024-05-05T00:00Z
  const Micros interval = 30s;
  const char* names[kVantages] = {"us-east", "eu-west", "ap-south", "sa-east", "af-south"};
  const double weights[kVantages] = {30, 25, 25, 10, 10};
  d.checks.reserve(kChecks);
  for (int c = 0; c < kChecks; ++c) {
    CheckInput check;
    check.check = "check-" + std::to_string(c);
    check.interval = interval;
    check.confirm_failures = 2;
    check.min_vantages = 2;
    // Per check 0-3 outages (a range of result indexes) hitting 2-5 vantages.
    struct Episode {
      std::int64_t from, to;
      int vantages;
    };
    std::vector<Episode> episodes;
    for (std::int64_t k = uniform(0, 3); k > 0; --k) {
      const std::int64_t from = uniform(0, kResults - 1);
      episodes.push_back({from, from + uniform(2, 120), static_cast<int>(uniform(2, 5))});
    }
    if (uniform(0, 9) == 0) check.maintenance.push_back({t0 + 10h, t0 + 11h});
    for (int v = 0; v < kVantages; ++v) {
      VantageInput in;
      in.name = names[v];
      in.weight = weights[v];
      in.samples.reserve(kResults);
      std::int64_t incident_left = 0;
      TimePoint t = t0 + Micros{uniform(0, interval.count())};
      for (std::int64_t i = 0; i < kResults; ++i) {
        bool ok = true;
        for (const Episode& e : episodes) {
          if (v < e.vantages && i >= e.from && i < e.to) ok = false;
        }
        if (incident_left == 0 && uniform(0, 1999) == 0) incident_left = uniform(2, 30);
        if (incident_left > 0) {
          --incident_left;
          ok = false;
        }
        if (uniform(0, 299) == 0) ok = false;  // blip
        const Micros duration = ok ? Micros{uniform(20'000, 400'000)} : Micros{5s};
        in.samples.push_back({t, duration, ok});
        // Jittered schedule; rarely a gap (the vantage lost its connection).
        t += interval + Micros{uniform(-200'000, 200'000)};
        if (uniform(0, 4999) == 0) t += 10min;
      }
      check.vantages.push_back(std::move(in));
    }
    d.checks.push_back(std::move(check));
  }
  for (int i = 0; i < 2000; ++i) {
    d.changes.push_back({"check-" + std::to_string(uniform(0, kChecks - 1)),
                         names[uniform(0, kVantages - 1)],
                         t0 + Micros{uniform(0, kResults * interval.count())},
                         prober::ChangeKind::setting, "max_connections: 100 -> 5"});
  }
  // As `prober results` exports them: in ts order (the analysis then finds each outage's
  // window by binary search; unsorted input works too, with a linear scan per outage).
  std::sort(d.changes.begin(), d.changes.end(),
            [](const auto& a, const auto& b) { return a.ts < b.ts; });
  d.period = *prober::analysis::default_period(d.checks);
  return d;
}

const Data& data() {
  static const Data d = generate();
  return d;
}

void BM_AnalyzeAllChecks(benchmark::State& state) {
  const Data& d = data();
  const Options options{99.9};
  std::int64_t outages = 0;
  for (auto _ : state) {
    for (const CheckInput& c : d.checks) {
      auto report = analyze_check(c, d.changes, d.period, options);
      outages += static_cast<std::int64_t>(report.outages.size());
      benchmark::DoNotOptimize(report);
    }
  }
  state.SetItemsProcessed(state.iterations() * kTotal);
  state.counters["outages_per_pass"] =
      static_cast<double>(outages) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_AnalyzeAllChecks)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_DefaultPeriod(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) benchmark::DoNotOptimize(prober::analysis::default_period(d.checks));
  state.SetItemsProcessed(state.iterations() * kTotal);
}
BENCHMARK(BM_DefaultPeriod)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
