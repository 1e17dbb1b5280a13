// The validated configuration (DESIGN.md "Config"). Produced only by load_config(), so every
// value here has passed the schema and the semantic rules; consumers need not re-check.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prober/core/time.hpp"

namespace prober::config {

struct Vantage {
  std::string name;
  double weight = 1;  // share of users served from this region; > 0
};

struct Defaults {
  Micros interval = std::chrono::seconds(30);
  Micros timeout = std::chrono::seconds(5);
  int confirm_failures = 2;
};

struct StoreConfig {
  std::string url;   // "sqlite:///abs/path.db" after resolution, or "postgresql://..."
  std::string path;  // resolved filesystem path for sqlite://, empty otherwise
  Micros retention = std::chrono::hours(24 * 400);
};

struct SpoolConfig {
  std::string dir;  // resolved against the config file's directory
  std::uint64_t max_bytes = 1ull << 30;
};

struct EngineConfig {
  int max_in_flight = 2000;
};

struct ServerConfig {
  std::string listen;  // "host:port"
};

struct SloConfig {
  double objective = 99.9;  // percent, in (0, 100)
  Micros period = std::chrono::hours(24 * 30);
};

struct Component {
  std::string name;
  std::vector<std::string> checks;
};

struct MaintenanceWindow {
  std::vector<std::string> checks;
  TimePoint start{};
  TimePoint end{};
};

struct Alert {
  std::string type = "webhook";  // webhook
  std::string url;
  std::string format = "json";  // json | slack | text
};

struct StatusRange {
  int low = 200;
  int high = 299;
  bool operator==(const StatusRange&) const = default;
};

struct HeaderExpectation {
  std::string name;                   // case-insensitive header name
  std::optional<std::string> equals;  // exact value
  std::optional<std::string> regex;   // ECMAScript regex searched in the value
  bool present = true;                // false: the header must be absent
  bool operator==(const HeaderExpectation&) const = default;
};

struct Expect {
  std::vector<StatusRange> status;  // http; empty means 200-299
  std::optional<std::string> body_contains;
  std::optional<std::string> body_regex;
  std::vector<HeaderExpectation> headers;
  std::optional<Micros> max_latency;
  std::optional<std::int64_t> rows;  // databases
  std::optional<std::string> value;  // databases: first column of first row / redis reply
  bool operator==(const Expect&) const = default;
};

struct TlsOptions {
  bool enabled = false;  // tcp only: wrap the connection in TLS; http: implied by https://
  bool verify = true;
  std::optional<std::string> ca_file;      // resolved path
  std::optional<std::string> server_name;  // SNI / verification name override
  std::optional<int> min_days_to_expiry;
  bool operator==(const TlsOptions&) const = default;
};

struct Watch {
  std::vector<std::string> headers;         // response headers whose values form the fingerprint
  std::optional<std::string> json_pointer;  // RFC 6901 pointer into a JSON body
  bool any() const { return !headers.empty() || json_pointer.has_value(); }
  bool operator==(const Watch&) const = default;
};

struct WatchSettings {
  bool enabled = false;
  std::optional<Micros> every;  // nullopt: at every run
  bool operator==(const WatchSettings&) const = default;
};

enum class IpVersion { any, v4, v6 };

struct Check {
  std::string name;
  std::string type;  // http | tcp | postgres | mysql | redis
  Micros interval{};
  Micros timeout{};
  int confirm_failures = 2;
  std::vector<std::string> vantages;  // empty: every vantage runs it
  std::map<std::string, std::string> labels;

  // http
  std::string url;
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
  int max_redirects = 5;                    // 0: do not follow
  std::uint64_t max_body_bytes = 1u << 20;  // read beyond it is discarded, not buffered
  IpVersion ip_version = IpVersion::any;
  Watch watch;

  // tcp
  std::string address;  // host:port

  // http + tcp
  TlsOptions tls;

  // databases
  std::string dsn;
  std::string query;
  std::vector<std::string> command;  // redis
  WatchSettings watch_settings;

  Expect expect;
  bool operator==(const Check&) const = default;
};

struct Config {
  std::string source_path;  // the file loaded
  std::vector<Vantage> vantages;
  Defaults defaults;
  int min_vantages = 1;  // outage quorum; default min(2, vantages)
  StoreConfig store;
  std::optional<SpoolConfig> spool;
  EngineConfig engine;
  std::optional<ServerConfig> server;
  std::optional<SloConfig> slo;
  std::vector<Component> components;
  std::vector<MaintenanceWindow> maintenance;
  std::vector<Alert> alerts;
  std::vector<Check> checks;

  // Every value that must never be printed: passwords in DSNs/URLs, values substituted from
  // environment variables, Authorization-like header values. See prober/core/redact.hpp.
  std::vector<std::string> secrets;

  const Check* find_check(const std::string& name) const;
  const Vantage* find_vantage(const std::string& name) const;
};

struct Problem {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
  std::string message;
  std::string to_string() const;  // "FILE:LINE:COL: message"; "FILE: message" if line is 0
};

struct LoadResult {
  std::optional<Config> config;   // set iff problems is empty
  std::vector<Problem> problems;  // every problem found, in file order
};

// Reads, substitutes ${VAR} from `env` (nullptr: the process environment), validates.
using EnvLookup = std::optional<std::string> (*)(const std::string& name);
LoadResult load_config_file(const std::string& path, EnvLookup env = nullptr);
LoadResult load_config_string(const std::string& yaml_text, const std::string& display_path,
                              const std::string& base_dir, EnvLookup env = nullptr);

}  // namespace prober::config
