#include "prober/cli/common.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "prober/core/time.hpp"

namespace prober::cli {
namespace {

void append_json_escaped(std::string_view in, spdlog::memory_buf_t& out) {
  for (char c : in) {
    switch (c) {
      case '"':
        out.append(std::string_view("\\\""));
        break;
      case '\\':
        out.append(std::string_view("\\\\"));
        break;
      case '\n':
        out.append(std::string_view("\\n"));
        break;
      case '\r':
        out.append(std::string_view("\\r"));
        break;
      case '\t':
        out.append(std::string_view("\\t"));
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out.append(std::string_view(buf));
        } else {
          out.push_back(c);
        }
    }
  }
}

// One JSON object per line: {"ts":..., "level":..., "msg":...}.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto ts = std::chrono::time_point_cast<Micros>(msg.time);
    dest.append(std::string_view(R"({"ts":")"));
    auto text = format_rfc3339_ms(TimePoint{ts.time_since_epoch()});
    dest.append(std::string_view(text));
    dest.append(std::string_view(R"(","level":")"));
    auto level = spdlog::level::to_string_view(msg.level);
    dest.append(std::string_view(level.data(), level.size()));
    dest.append(std::string_view(R"(","msg":")"));
    append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    dest.append(std::string_view("\"}\n"));
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

std::optional<config::Config> load_or_report(const std::string& path) {
  auto loaded = config::load_config_file(path);
  if (!loaded.problems.empty() || !loaded.config) {
    for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
    if (loaded.problems.empty()) std::cerr << path << ": invalid configuration\n";
    return std::nullopt;
  }
  return std::move(loaded.config);
}

std::optional<std::string> choose_vantage(const config::Config& config,
                                          const std::string& flag_value) {
  std::string name = flag_value;
  if (name.empty()) {
    if (const char* env = std::getenv("PROBER_VANTAGE"); env && *env) name = env;
  }
  if (name.empty() && !config.vantages.empty()) name = config.vantages.front().name;
  if (!config.find_vantage(name)) {
    std::cerr << "prober: vantage '" << name << "' is not in the config (vantages:";
    for (const auto& v : config.vantages) std::cerr << " " << v.name;
    std::cerr << ")\n";
    return std::nullopt;
  }
  return name;
}

void setup_logging(const std::string& level, const std::string& format) {
  // Logs go to stderr: stdout carries the commands' data (JSON lines, reports).
  auto logger = spdlog::stderr_logger_mt("prober");
  if (format == "json") {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
  }
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace prober::cli
