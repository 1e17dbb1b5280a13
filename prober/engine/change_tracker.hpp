// Turns what consecutive runs of a check observed (response fingerprint, server settings,
// server version) into change events. Pure: no clock, no I/O.
//
// The first observation after start is the baseline, not a change. A run that could not
// observe something (absent snapshot) neither changes nor resets the baseline, so a failing
// target does not produce an event storm.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "prober/core/result.hpp"

namespace prober::engine {

using Snapshot = std::vector<std::pair<std::string, std::string>>;

class ChangeTracker {
 public:
  std::vector<ChangeEvent> observe(const std::string& check, const std::string& vantage,
                                   TimePoint ts, const std::optional<Snapshot>& fingerprint,
                                   const std::optional<Snapshot>& settings,
                                   const std::optional<std::string>& version);
  void forget(const std::string& check);

 private:
  struct State {
    std::optional<std::map<std::string, std::string>> fingerprint;
    std::optional<std::map<std::string, std::string>> settings;
    std::optional<std::string> version;
  };
  std::map<std::string, State> states_;
};

}  // namespace prober::engine
