#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <vector>

#include "prober/cli/commands.hpp"
#include "prober/cli/common.hpp"
#include "prober/codec/result_json.hpp"
#include "prober/store/store.hpp"

namespace prober::cli {

std::optional<TimePoint> parse_time_flag(const std::string& flag, const std::string& value,
                                         bool& bad) {
  if (value.empty()) return std::nullopt;
  auto t = parse_rfc3339(value);
  if (!t) {
    std::cerr << "prober: " << flag << ": not an RFC 3339 time: " << value << "\n";
    bad = true;
  }
  return t;
}

namespace {

struct SeriesSummary {
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
  std::map<std::string, std::uint64_t> errors;
  std::vector<float> durations_ms;
  TimePoint first{}, last{};
  std::string last_failure;
};

double percentile(std::vector<float>& values, double p) {
  if (values.empty()) return 0;
  auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

void print_summary(std::map<std::pair<std::string, std::string>, SeriesSummary>& table,
                   std::uint64_t changes) {
  std::printf("%-24s %-12s %6s %6s %8s %8s %8s  %s\n", "CHECK", "VANTAGE", "RUNS", "FAILED", "OK%",
              "P50ms", "P95ms", "ERRORS (last failure)");
  for (auto& [key, s] : table) {
    std::string errors;
    for (const auto& [name, count] : s.errors) {
      if (!errors.empty()) errors += " ";
      errors += name + "=" + std::to_string(count);
    }
    if (!s.last_failure.empty()) errors += " (" + s.last_failure.substr(0, 60) + ")";
    double ok_pct =
        s.runs ? 100.0 * static_cast<double>(s.runs - s.failed) / static_cast<double>(s.runs) : 0.0;
    std::printf("%-24s %-12s %6llu %6llu %8.2f %8.1f %8.1f  %s\n", key.first.c_str(),
                key.second.c_str(), static_cast<unsigned long long>(s.runs),
                static_cast<unsigned long long>(s.failed), ok_pct, percentile(s.durations_ms, 50),
                percentile(s.durations_ms, 95), errors.empty() ? "-" : errors.c_str());
  }
  std::printf("%llu change event(s)\n", static_cast<unsigned long long>(changes));
}

}  // namespace

int cmd_results(const ResultsArgs& args) {
  auto config = load_or_report(args.config);
  if (!config) return kExitUsage;
  store::Query query;
  bool bad = false;
  query.from = parse_time_flag("--from", args.from, bad);
  query.to = parse_time_flag("--to", args.to, bad);
  if (bad) return kExitUsage;
  if (!args.check.empty()) query.check = args.check;
  if (config->store.path.empty()) {
    std::cerr << "prober: only sqlite:// stores are implemented in this version\n";
    return kExitUsage;
  }
  if (!std::filesystem::exists(config->store.path)) {
    std::cerr << "prober: no store at " << config->store.path << " (nothing recorded yet)\n";
    return kExitFailed;
  }
  try {
    store::SqliteOptions options;
    options.read_only = true;
    auto store = store::open_sqlite_store(config->store.path, options);
    if (args.summary) {
      std::map<std::pair<std::string, std::string>, SeriesSummary> table;
      store->scan_results(query, [&](const Result& r) {
        SeriesSummary& s = table[{r.check, r.vantage}];
        if (s.runs == 0) s.first = r.ts;
        s.last = r.ts;
        ++s.runs;
        s.durations_ms.push_back(static_cast<float>(r.duration.count()) / 1000.0f);
        if (!r.ok) {
          ++s.failed;
          ++s.errors[std::string(to_string(r.error))];
          s.last_failure = r.detail;
        }
        return true;
      });
      std::uint64_t changes = 0;
      store->scan_changes(query, [&](const ChangeEvent& e) {
        std::printf("change %s %s %s [%s] %s\n", format_rfc3339_ms(e.ts).c_str(), e.check.c_str(),
                    e.vantage.c_str(), std::string(to_string(e.kind)).c_str(), e.change.c_str());
        ++changes;
        return true;
      });
      print_summary(table, changes);
      return kExitOk;
    }
    std::ios::sync_with_stdio(false);
    std::string line;
    store->scan_results(query, [&](const Result& r) {
      line = codec::to_json_line(r);
      line += '\n';
      std::cout << line;
      return static_cast<bool>(std::cout);
    });
    store->scan_changes(query, [&](const ChangeEvent& e) {
      std::cout << codec::to_json_line(e) << '\n';
      return static_cast<bool>(std::cout);
    });
  } catch (const std::exception& e) {
    std::cerr << "prober: " << e.what() << "\n";
    return kExitFailed;
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace prober::cli
