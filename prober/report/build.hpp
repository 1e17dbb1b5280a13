// Assembling the analysis inputs of `prober report` from the config and from results, either
// from a JSON-lines file (prober results' export) or from the store, and running the analysis
// one check at a time. docs/report.md describes the choices made here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "prober/analysis/analysis.hpp"
#include "prober/report/model.hpp"
#include "prober/store/store.hpp"

namespace prober::report {

// Nothing to report on (no result and no explicit period), or a period that cannot be used.
class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BuildOptions {
  std::optional<TimePoint> from;  // --from
  std::optional<TimePoint> to;    // --to
  // One human-readable warning (no trailing newline). Must be set.
  std::function<void(const std::string&)> warn;
  // Called after each analysed check with (done, total). May be empty.
  std::function<void(std::size_t, std::size_t)> progress;
};

// The results and change events of a JSON-lines input, grouped per check and vantage in
// memory (file order within a series; the analysis sorts when needed).
struct JsonlInput {
  std::map<std::string, std::map<std::string, std::vector<analysis::Sample>>> samples;
  std::vector<ChangeEvent> changes;
  std::uint64_t results = 0;
  std::uint64_t malformed = 0;
};

// Reads one JSON object per line (codec::parse_json_line). Blank lines are skipped; every
// malformed line is reported as on_error(1-based line number, message) and skipped.
// Returns false when the stream failed (an I/O error, not end of input).
bool read_jsonl(std::istream& in, JsonlInput& out,
                const std::function<void(std::size_t, const std::string&)>& on_error);

// Both throw ReportError when there is no result at all and the period is not given by both
// `from` and `to`. build_from_store also throws store::StoreError.
Document build_from_jsonl(const config::Config& config, const JsonlInput& input,
                          const BuildOptions& options);
// Streams: one check at a time, one vantage series at a time (Store::load_series); only the
// change events are loaded whole.
Document build_from_store(const config::Config& config, const store::Store& store,
                          const BuildOptions& options);

// ---- the pieces, exposed for tests ----

// Emits each distinct warning once.
class Warnings {
 public:
  explicit Warnings(std::function<void(const std::string&)> sink) : sink_(std::move(sink)) {}
  void once(const std::string& key, const std::string& message);

 private:
  std::function<void(const std::string&)> sink_;
  std::set<std::string> seen_;
};

// The analysis input of `check` without samples: interval, confirm_failures, min_vantages and
// maintenance from the config (the defaults, with a warning, for a check not in the config);
// every configured vantage that runs the check, with its weight, in config order; then every
// other vantage in `vantages_with_results` (sorted) with weight 0, with a warning.
analysis::CheckInput check_skeleton(const config::Config& config, const std::string& check,
                                    const std::vector<std::string>& vantages_with_results,
                                    Warnings& warnings);

// The analysis of one check plus what the renderers need beside it.
CheckSection analyze_section(const analysis::CheckInput& input,
                             const std::vector<ChangeEvent>& changes,
                             const analysis::Period& period, const analysis::Options& options,
                             bool configured);

// Per outage of `report`, per vantage in it: the earliest of its down intervals (rule 1,
// clipped to `period`) that overlap the outage, with its first failure and confirmation.
std::vector<std::vector<VantageConfirmation>> outage_confirmations(
    const analysis::CheckInput& input, const analysis::CheckReport& report,
    const analysis::Period& period);

}  // namespace prober::report
