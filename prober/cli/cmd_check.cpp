#include <iostream>

#include "prober/cli/commands.hpp"
#include "prober/cli/common.hpp"
#include "prober/codec/result_json.hpp"
#include "prober/engine/engine.hpp"

namespace prober::cli {

int cmd_check(const CheckArgs& args) {
  auto config = load_or_report(args.config);
  if (!config) return kExitUsage;
  auto vantage = choose_vantage(*config, args.vantage);
  if (!vantage) return kExitUsage;
  const config::Check* check = config->find_check(args.name);
  if (!check) {
    std::cerr << "prober: no check named '" << args.name << "' in " << args.config << "\n";
    return kExitUsage;
  }
  SystemClock clock;
  Result result = engine::run_check_once(*config, *check, *vantage, clock);
  std::cout << codec::to_json_line(result) << "\n";
  return result.ok ? kExitOk : kExitFailed;
}

}  // namespace prober::cli
