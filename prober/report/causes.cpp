#include "prober/report/causes.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace prober::report {

std::vector<CauseGroup> group_causes(const std::vector<analysis::SuspectedCause>& causes) {
  std::vector<CauseGroup> groups;
  std::map<std::tuple<std::string, ChangeKind, std::string>, std::size_t> index;
  for (const auto& c : causes) {
    auto [it, added] = index.try_emplace({c.check, c.kind, c.what}, groups.size());
    if (added) groups.push_back({c.at, c.check, c.kind, c.what, {}});
    CauseGroup& g = groups[it->second];
    if (std::find(g.vantages.begin(), g.vantages.end(), c.vantage) == g.vantages.end()) {
      g.vantages.push_back(c.vantage);
    }
  }
  return groups;
}

double total_weight(const analysis::CheckReport& report) {
  double sum = 0;
  for (const auto& t : report.timelines) sum += t.weight;
  return sum;
}

double weight_of(const analysis::CheckReport& report, const std::string& vantage) {
  for (const auto& t : report.timelines) {
    if (t.vantage == vantage) return t.weight;
  }
  return 0;
}

}  // namespace prober::report
