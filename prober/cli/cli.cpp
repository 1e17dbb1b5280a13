#include "prober/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "prober/cli/commands.hpp"
#include "prober/cli/common.hpp"
#include "prober/report/text.hpp"

namespace prober::cli {

int cmd_validate(const std::string& path) {
  auto config = load_or_report(path);
  if (!config) return kExitUsage;
  using report::text::plural;
  const auto count = [](std::size_t n) { return static_cast<std::int64_t>(n); };
  std::cout << "ok: " << plural(count(config->checks.size()), "check") << ", "
            << plural(count(config->vantages.size()), "vantage") << "\n";
  return kExitOk;
}

int main(int argc, char** argv) {
  CLI::App app{"prober: synthetic availability probes, outage windows, user impact"};
  app.require_subcommand(1);
  app.set_version_flag("--version", PROBER_VERSION);
  std::string log_level = "info";
  std::string log_format = "text";
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_option("--log-format", log_format, "text or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));

  std::string validate_path;
  auto* validate = app.add_subcommand("validate", "load and validate a config");
  validate->add_option("CONFIG", validate_path)->required();

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "probe on schedule and store the results");
  run->add_option("--config,-c", run_args.config)->required();
  run->add_option("--vantage", run_args.vantage, "default: $PROBER_VANTAGE, else the first");
  run->add_option("--duration", run_args.duration, "stop after this long (e.g. 30s)");

  CheckArgs check_args;
  auto* check = app.add_subcommand("check", "run one check once, print its result");
  check->add_option("--config,-c", check_args.config)->required();
  check->add_option("NAME", check_args.name)->required();
  check->add_option("--vantage", check_args.vantage);

  ResultsArgs results_args;
  auto* results = app.add_subcommand("results", "export stored results as JSON lines");
  results->add_option("--config,-c", results_args.config)->required();
  results->add_option("--check", results_args.check);
  results->add_option("--from", results_args.from, "RFC 3339 time, inclusive");
  results->add_option("--to", results_args.to, "RFC 3339 time, exclusive");
  results->add_flag("--summary", results_args.summary,
                    "a table per check and vantage instead of JSON lines");

  ReportArgs report_args;
  auto* report = app.add_subcommand("report", "outages, impact, TTD and SLA per check");
  report->add_option("--config,-c", report_args.config)->required();
  report->add_option("--input", report_args.input, "JSON lines file ('-' for stdin)");
  report->add_option("--from", report_args.from);
  report->add_option("--to", report_args.to);
  report->add_option("--format", report_args.format)
      ->check(CLI::IsMember({"json", "md", "csv", "html"}));
  report->add_option("--output,-o", report_args.output, "write to a file instead of stdout");
  report->add_flag("!--no-progress", report_args.progress,
                   "no progress indicator on stderr (shown only on a terminal anyway)");

  std::string serve_config;
  auto* serve = app.add_subcommand("serve", "status feed, page and metrics from the store");
  serve->add_option("--config,-c", serve_config)->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  setup_logging(log_level, log_format);

  if (*validate) return cmd_validate(validate_path);
  if (*run) return cmd_run(run_args);
  if (*check) return cmd_check(check_args);
  if (*results) return cmd_results(results_args);
  if (*report) return cmd_report(report_args);
  if (*serve) {
    std::cerr << "prober serve: not implemented yet\n";
    return kExitFailed;
  }
  return kExitUsage;
}

}  // namespace prober::cli
