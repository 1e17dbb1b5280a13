// One function per command of DESIGN.md "CLI"; each returns the process exit code.
#pragma once

#include <optional>
#include <string>

namespace prober::cli {

struct RunArgs {
  std::string config;
  std::string vantage;
  std::string duration;  // "" = until SIGTERM/SIGINT
};
int cmd_run(const RunArgs& args);

struct CheckArgs {
  std::string config;
  std::string name;
  std::string vantage;
};
int cmd_check(const CheckArgs& args);

struct ResultsArgs {
  std::string config;
  std::string check;
  std::string from;
  std::string to;
  bool summary = false;  // a table per check and vantage instead of JSON lines
};
int cmd_results(const ResultsArgs& args);

struct ReportArgs {
  std::string config;
  std::string input;
  std::string from;
  std::string to;
  std::string format = "json";
  std::string output;  // "" = stdout
  bool progress = true;
};
int cmd_report(const ReportArgs& args);

int cmd_validate(const std::string& config);

}  // namespace prober::cli
