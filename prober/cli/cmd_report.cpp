#include <iostream>

#include "prober/cli/commands.hpp"

namespace prober::cli {

int cmd_report(const ReportArgs&) {
  std::cerr << "prober report: not implemented yet\n";
  return 1;
}

}  // namespace prober::cli
