// Randomized differential test: prober::analysis against the naive reference implementation
// (reference.cpp) over thousands of generated scenarios. Seeds are fixed, so a failure
// reproduces; the failing seed and the whole scenario are printed.
// More scenarios: PROBER_ANALYSIS_SCENARIOS=100000 ./test_analysis --gtest_filter='Differential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "analysis/reference.hpp"
#include "analysis/scenario.hpp"
#include "prober/analysis/analysis.hpp"

namespace prober::analysis {
namespace {

using namespace test_support;

constexpr std::uint64_t kSeedBase = 0x5eed'0000;

TEST(Differential, MatchesNaiveReference) {
  const int count = scenario_count(5000);
  int failures = 0;
  // What the scenarios exercised, so the test cannot pass by generating only trivial cases.
  int with_outage = 0, began_before = 0, ongoing = 0, in_maintenance = 0, with_incident = 0,
      with_blips = 0, with_unknown = 0, with_causes = 0, multi_outage = 0;
  for (int i = 0; i < count; ++i) {
    const std::uint64_t seed = kSeedBase + static_cast<std::uint64_t>(i);
    const Scenario s = generate_scenario(seed);
    const CheckReport got = analyze_check(s.check, s.changes, s.period, s.options);
    const CheckReport want = reference::analyze(s.check, s.changes, s.period, s.options);
    std::string diff = compare_reports(got, want);
    // Change events in ts order take the binary-search path: same answer.
    std::vector<ChangeEvent> sorted_changes = s.changes;
    std::stable_sort(sorted_changes.begin(), sorted_changes.end(),
                     [](const ChangeEvent& a, const ChangeEvent& b) { return a.ts < b.ts; });
    const std::string diff_sorted =
        compare_reports(analyze_check(s.check, sorted_changes, s.period, s.options), want);
    if (!diff_sorted.empty()) diff += "with change events sorted by ts:\n" + diff_sorted;
    if (!diff.empty()) {
      ADD_FAILURE() << "seed " << seed << " (scenario " << i << "): analysis differs from the "
                    << "reference:\n"
                    << diff << describe(s);
      if (++failures == 3) break;
    }
    with_outage += !want.outages.empty();
    multi_outage += want.outages.size() > 1;
    with_incident += !want.vantage_incidents.empty();
    with_blips += want.blips > 0;
    with_unknown += want.coverage_pct < 100 && want.coverage_pct > 0;
    for (const Outage& o : want.outages) {
      began_before += o.began_before_period;
      ongoing += !o.end.has_value();
      in_maintenance += o.in_maintenance;
      with_causes += !o.suspected_causes.empty();
    }
  }
  const int tenth = count / 10;
  const int hundredth = count / 100;
  EXPECT_GT(with_outage, 3 * tenth);
  EXPECT_GT(multi_outage, tenth);
  EXPECT_GT(with_incident, 3 * tenth);
  EXPECT_GT(with_blips, 3 * tenth);
  EXPECT_GT(with_unknown, 3 * tenth);
  EXPECT_GT(began_before, hundredth);
  EXPECT_GT(ongoing, hundredth);
  EXPECT_GT(in_maintenance, hundredth);
  EXPECT_GT(with_causes, tenth);
  RecordProperty("scenarios", count);
}

}  // namespace
}  // namespace prober::analysis
