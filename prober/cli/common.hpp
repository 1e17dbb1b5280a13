// Shared by the CLI commands: config loading with exit codes, vantage choice, logging.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"

namespace prober::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// Loads and validates; on problems prints each as FILE:LINE:COL: message to stderr and
// returns nullopt (callers exit 2).
std::optional<config::Config> load_or_report(const std::string& path);

// --vantage, else $PROBER_VANTAGE, else the config's first vantage. Prints an error and
// returns nullopt when the name is not a configured vantage.
std::optional<std::string> choose_vantage(const config::Config& config,
                                          const std::string& flag_value);

// "text" or "json"; level as spdlog names it (trace, debug, info, warn, error, off).
void setup_logging(const std::string& level, const std::string& format);

}  // namespace prober::cli
