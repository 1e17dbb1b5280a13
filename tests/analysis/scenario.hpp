// Random scenarios for the differential and invariant tests: reproducible from a seed, and
// printable, so a failure can be replayed and read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prober/analysis/analysis.hpp"

namespace prober::analysis::test_support {

struct Scenario {
  CheckInput check;
  std::vector<ChangeEvent> changes;
  Period period;
  Options options;
};

// Vantages with random weights (some 0), results with failure episodes (some shared by several
// vantages, so outages happen), gaps (some exactly at the 3 x interval threshold), duplicate
// timestamps, long durations, unsorted input, maintenance windows (some invalid or
// overlapping), periods (default, random, cutting through outages, empty), change events.
Scenario generate_scenario(std::uint64_t seed);

// Everything needed to replay the scenario by hand; instants as microseconds after T0.
std::string describe(const Scenario& s);

// Differences between two reports ("" when they agree, floats within a tight tolerance).
std::string compare_reports(const CheckReport& got, const CheckReport& want);

// Number of scenarios the randomized tests run: PROBER_ANALYSIS_SCENARIOS, else `fallback`.
int scenario_count(int fallback);

}  // namespace prober::analysis::test_support
