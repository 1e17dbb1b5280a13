// `prober report`: outage windows, impact, TTD and SLO per check, from the store or from a
// JSON-lines file, as json, md, csv or html (docs/report.md).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "prober/cli/commands.hpp"
#include "prober/cli/common.hpp"
#include "prober/report/build.hpp"
#include "prober/report/render.hpp"
#include "prober/store/store.hpp"

namespace prober::cli {
namespace {

std::optional<TimePoint> report_time_flag(const char* flag, const std::string& value, bool& bad) {
  if (value.empty()) return std::nullopt;
  auto t = parse_rfc3339(value);
  if (!t) {
    std::cerr << "prober report: " << flag << ": not an RFC 3339 time: " << value << "\n";
    bad = true;
  }
  return t;
}

// "\ranalysed 412/1000 checks" on a terminal, at most ~10 times a second, and a final newline.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  void operator()(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::fprintf(stderr, "\ranalysed %zu/%zu checks", done, total);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int cmd_report(const ReportArgs& args) {
  auto config = load_or_report(args.config);
  if (!config) return kExitUsage;
  bool bad = false;
  report::BuildOptions options;
  options.from = report_time_flag("--from", args.from, bad);
  options.to = report_time_flag("--to", args.to, bad);
  const auto format = report::parse_format(args.format);
  if (!format) {
    std::cerr << "prober report: --format must be json, md, csv or html, got " << args.format
              << "\n";
    bad = true;
  }
  if (options.from && options.to && *options.to <= *options.from) {
    std::cerr << "prober report: --to must be after --from\n";
    bad = true;
  }
  if (bad) return kExitUsage;

  options.warn = [](const std::string& message) {
    std::cerr << "prober report: warning: " << message << "\n";
  };
  Progress progress(args.progress && ::isatty(STDERR_FILENO) == 1);
  options.progress = [&progress](std::size_t done, std::size_t total) { progress(done, total); };

  report::Document doc;
  try {
    if (!args.input.empty()) {
      const bool from_stdin = args.input == "-";
      const std::string display = from_stdin ? "<stdin>" : args.input;
      std::ifstream file;
      if (!from_stdin) {
        file.open(args.input, std::ios::binary);
        if (!file) {
          std::cerr << "prober report: cannot read " << args.input << "\n";
          return kExitFailed;
        }
      }
      std::istream& in = from_stdin ? std::cin : file;
      report::JsonlInput input;
      const bool ok = report::read_jsonl(in, input, [&](std::size_t line, const std::string& m) {
        std::cerr << display << ":" << line << ": " << m << "\n";
      });
      if (!ok) {
        std::cerr << "prober report: read error on " << display << "\n";
        return kExitFailed;
      }
      if (input.malformed > 0) {
        std::cerr << "prober report: skipped " << input.malformed << " malformed line(s) of "
                  << display << "\n";
      }
      doc = report::build_from_jsonl(*config, input, options);
    } else {
      if (config->store.path.empty()) {
        std::cerr << "prober report: only sqlite:// stores are implemented in this version; "
                     "use --input with an export\n";
        return kExitUsage;
      }
      if (!std::filesystem::exists(config->store.path)) {
        std::cerr << "prober report: no store at " << config->store.path
                  << " (nothing recorded yet)\n";
        return kExitFailed;
      }
      store::SqliteOptions sqlite;
      sqlite.read_only = true;
      auto store = store::open_sqlite_store(config->store.path, sqlite);
      doc = report::build_from_store(*config, *store, options);
    }
  } catch (const std::exception& e) {
    std::cerr << "prober report: " << e.what() << "\n";
    return kExitFailed;
  }

  const std::string text = report::render(doc, *format);
  if (args.output.empty() || args.output == "-") {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "prober report: cannot write the report to stdout\n";
      return kExitFailed;
    }
    return kExitOk;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "prober report: cannot write " << args.output << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace prober::cli
