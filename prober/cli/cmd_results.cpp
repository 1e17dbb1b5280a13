#include <filesystem>
#include <iostream>

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
