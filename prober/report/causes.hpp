// Suspected causes as people read them: the analysis lists a change seen by five vantages five
// times; the postmortem and the page show it once, with the vantages that saw it.
#pragma once

#include <string>
#include <vector>

#include "prober/analysis/analysis.hpp"

namespace prober::report {

struct CauseGroup {
  TimePoint at{};  // of the first (nearest) occurrence
  std::string check;
  ChangeKind kind = ChangeKind::setting;
  std::string what;
  std::vector<std::string> vantages;  // in order of appearance, distinct
};

// Groups by (check, kind, what), in order of first appearance (so still nearest first).
std::vector<CauseGroup> group_causes(const std::vector<analysis::SuspectedCause>& causes);

// Sum of the weights of the check's vantages (timelines); 0 when none.
double total_weight(const analysis::CheckReport& report);
// The weight of `vantage` in the check (0 when not found).
double weight_of(const analysis::CheckReport& report, const std::string& vantage);

}  // namespace prober::report
