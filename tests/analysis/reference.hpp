// A second, deliberately naive implementation of DESIGN.md's analysis rules, for the
// differential test. It shares no code with prober/analysis: instead of building intervals in
// one pass and sweeping them, it cuts P at every instant where anything may change (each
// result's ts and ts + 3 x interval, the maintenance edges, P's edges) and evaluates, for each
// elementary segment independently, every vantage's state straight from the rule text:
// "the last result at or before t, is it within 3 x interval, is it a failure, how long is
// the run of failures around it". Slow (O(segments x vantages x run length)) and obvious.
#pragma once

#include <vector>

#include "prober/analysis/analysis.hpp"

namespace prober::analysis::reference {

CheckReport analyze(const CheckInput& check, const std::vector<ChangeEvent>& changes,
                    const Period& period, const Options& options);

}  // namespace prober::analysis::reference
