// Outage analysis (DESIGN.md "Analysis rules" 1-8): results and change events in, a report
// structure out. Pure: no I/O, no clock, no Asio; integer microseconds throughout, so the
// same input always gives the same output, to the microsecond.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prober/core/result.hpp"
#include "prober/core/time.hpp"

namespace prober::analysis {

// Half-open [start, end).
struct Interval {
  TimePoint start{};
  TimePoint end{};
  Micros length() const { return end - start; }
  bool operator==(const Interval&) const = default;
};

// One result, reduced to what the analysis needs.
struct Sample {
  TimePoint ts{};
  Micros duration{0};
  bool ok = false;
};

struct VantageInput {
  std::string name;
  double weight = 1;
  std::vector<Sample> samples;  // sorted by ts (analyze_check sorts if not)
};

struct CheckInput {
  std::string check;
  Micros interval{std::chrono::seconds(30)};
  int confirm_failures = 2;
  int min_vantages = 2;
  // Every configured vantage, also those without a single result (they are unknown).
  std::vector<VantageInput> vantages;
  std::vector<Interval> maintenance;  // this check's maintenance windows
};

struct SuspectedCause {
  TimePoint at{};
  std::string check;
  std::string vantage;
  ChangeKind kind = ChangeKind::setting;
  std::string what;
};

struct Outage {
  TimePoint start{};             // clipped to the period's start
  std::optional<TimePoint> end;  // nullopt: ongoing at the period's end
  Micros duration{0};            // to the period's end when ongoing
  double peak_impact_pct = 0;
  double avg_impact_pct = 0;  // time-weighted over the outage
  std::optional<TimePoint> detected_at;
  // detected_at - start; nullopt when began_before_period (the real start is outside P, so
  // a time to detect measured from P's start would be meaningless; docs/analysis.md).
  std::optional<Micros> ttd;
  // Already in progress just before P's start (`start` is P's start, clipped).
  bool began_before_period = false;
  std::vector<std::string> vantages;  // every vantage down at some point of the outage, sorted
  bool in_maintenance = false;        // wholly inside a maintenance window of the check
  std::vector<SuspectedCause> suspected_causes;  // nearest to start first
};

struct VantageIncident {
  std::string vantage;
  TimePoint start{};
  std::optional<TimePoint> end;  // nullopt: ongoing at the period's end
  bool operator==(const VantageIncident&) const = default;
};

struct SloResult {
  double objective_pct = 0;
  double budget_s = 0;
  double used_s = 0;
  double remaining_pct = 0;
};

// For drawing (html report): each vantage's down and unknown intervals within the period.
struct VantageTimeline {
  std::string vantage;
  double weight = 0;
  std::vector<Interval> down;
  std::vector<Interval> unknown;
};

// impact(t) as a step function: value_pct holds from `at` until the next step's `at`.
struct ImpactStep {
  TimePoint at{};
  double value_pct = 0;
  bool operator==(const ImpactStep&) const = default;
};

struct CheckReport {
  std::string check;
  double coverage_pct = 0;
  double availability_pct = 100;
  double user_weighted_availability_pct = 100;
  std::optional<SloResult> slo;
  std::vector<Outage> outages;
  std::vector<VantageIncident> vantage_incidents;
  std::int64_t blips = 0;
  std::vector<VantageTimeline> timelines;
  std::vector<ImpactStep> impact;
};

struct Options {
  std::optional<double> slo_objective_pct;  // slo.objective
};

// The report period P = [from, to); see default_period().
struct Period {
  TimePoint from{};
  TimePoint to{};
};

// P's default: [earliest result ts, latest result completion] over all checks given.
// Returns nullopt when there is no result at all.
std::optional<Period> default_period(const std::vector<CheckInput>& checks);

// The analysis of one check over `period`. `changes` are the change events of *all* checks
// (rule 8), in any order (in ts order, each outage's window is found by binary search instead
// of a scan). docs/analysis.md states every rule and decision.
CheckReport analyze_check(const CheckInput& check, const std::vector<ChangeEvent>& changes,
                          const Period& period, const Options& options);

}  // namespace prober::analysis
