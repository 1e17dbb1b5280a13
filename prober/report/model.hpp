// What every report format renders: the analysis of each check over one period, plus the few
// facts the renderers need beside it (per-vantage confirmation instants for the postmortem
// timeline, the check's own change events and maintenance windows for the HTML timeline).
// Built by prober/report/build.hpp; rendered by prober/report/render.hpp.
#pragma once

#include <string>
#include <vector>

#include "prober/analysis/analysis.hpp"
#include "prober/core/result.hpp"
#include "prober/core/time.hpp"

namespace prober::report {

// One vantage's part in one outage (rule 5): the earliest of its down intervals that overlap
// the outage, when that interval began (its first failure, possibly before the period) and
// when it was confirmed (completion of the run's confirm_failures-th failure).
struct VantageConfirmation {
  std::string vantage;
  TimePoint down_since{};
  TimePoint confirmed_at{};
  bool operator==(const VantageConfirmation&) const = default;
};

struct CheckSection {
  analysis::CheckReport report;
  Micros interval{0};
  int confirm_failures = 0;
  int min_vantages = 0;
  // false: results of a check that is not in the config (analysed with the defaults).
  bool configured = true;
  // Parallel to report.outages; each sorted by confirmed_at, then vantage.
  std::vector<std::vector<VantageConfirmation>> confirmations;
  // This check's own change events with ts in the period, in ts order.
  std::vector<ChangeEvent> changes;
  // This check's maintenance windows, merged and clipped to the period.
  std::vector<analysis::Interval> maintenance;
};

struct Document {
  analysis::Period period;
  std::vector<CheckSection> checks;  // configured checks in config order, then unknown ones
};

}  // namespace prober::report
