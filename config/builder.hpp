// Internal to prober_config: walks the YAML tree, applies the schema and the semantic rules,
// and fills a Config. Every problem is recorded; nothing stops at the first one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/yaml_tree.hpp"

namespace prober::config::detail {

using Keys = std::vector<std::string>;

// The kinds of check, in the order used for messages.
inline const Keys kCheckTypes = {"http", "tcp", "postgres", "mysql", "redis"};

class Builder {
 public:
  Builder(std::vector<Diag>& problems, std::filesystem::path base_dir,
          std::vector<std::string>& secrets)
      : problems_(problems), base_dir_(std::move(base_dir)), secrets_(secrets) {}

  void build(const YNode& root, Config& cfg);

  // --- shared helpers (builder.cpp) -------------------------------------------------------
  void error(const YNode& at, std::string message);
  void error(Pos at, std::string message);

  // Reports keys of `map` that are not in `allowed`. A key in `other_types` (known for another
  // check type) gets "key 'k' is not valid for a check of type T"; any other gets
  // "unknown key 'k'" with a did-you-mean among `allowed`.
  void check_keys(const YNode& map, const Keys& allowed, const Keys* other_types = nullptr,
                  std::string_view type = {});

  // Shape checks: report "expected a map for 'key', got ..." and return false on mismatch.
  bool want_map(const YNode& n, std::string_view what);
  bool want_list(const YNode& n, std::string_view what);

  // Typed readers of map[key]. Absent key: nullopt without a problem. Wrong value: nullopt and
  // a problem at the value.
  std::optional<std::string> get_string(const YNode& map, std::string_view key);
  std::optional<std::string> get_nonempty_string(const YNode& map, std::string_view key);
  std::optional<bool> get_bool(const YNode& map, std::string_view key);
  std::optional<double> get_number(const YNode& map, std::string_view key);
  std::optional<std::int64_t> get_int(const YNode& map, std::string_view key, std::int64_t min,
                                      std::int64_t max);
  std::optional<Micros> get_duration(const YNode& map, std::string_view key);
  std::optional<std::uint64_t> get_byte_size(const YNode& map, std::string_view key);
  std::optional<std::vector<std::string>> get_string_list(const YNode& map, std::string_view key);
  std::optional<TimePoint> get_time(const YNode& map, std::string_view key);

  // Paths relative to the config file's directory become absolute.
  std::string resolve_path(const std::string& path) const;
  void add_secret(const std::string& secret);
  void add_url_password(std::string_view url);
  // " (did you mean 'x'?)" or "", within the suggestion budget.
  std::string suggest(std::string_view word, const Keys& candidates);

 private:
  // builder.cpp
  void build_vantages(const YNode& list, Config& cfg);
  void build_defaults(const YNode& map, Config& cfg);
  void build_outage(const YNode* map, Config& cfg);
  void build_store(const YNode* map, Config& cfg);
  void build_spool(const YNode& map, Config& cfg);
  void build_engine(const YNode& map, Config& cfg);
  void build_server(const YNode& map, Config& cfg);
  void build_slo(const YNode& map, Config& cfg);
  void build_components(const YNode& list, Config& cfg);
  void build_maintenance(const YNode& list, Config& cfg);
  void build_alerts(const YNode& list, Config& cfg);
  void check_references(const YNode& list, std::string_view owner, std::vector<std::string>& out);

  // builder_checks.cpp
  void build_checks(const YNode& list, Config& cfg);
  void build_check(const YNode& map, Config& cfg);
  void build_http(const YNode& map, Check& c);
  void build_tcp(const YNode& map, Check& c);
  void build_database(const YNode& map, Check& c);
  void build_redis(const YNode& map, Check& c);
  void build_tls(const YNode& map, const std::string& type, Check& c);
  void build_expect(const YNode& map, const std::string& type, Check& c);
  void build_status(const YNode& value, Expect& e);
  void build_header_expectations(const YNode& list, Expect& e);
  void build_watch(const YNode& map, Check& c);
  void build_watch_settings(const YNode& value, Check& c);
  void build_labels(const YNode& map, Check& c);
  void build_headers(const YNode& map, Check& c);
  std::optional<std::string> get_regex(const YNode& map, std::string_view key,
                                       std::string_view what);
  void check_dsn(const YNode& map, const std::string& type, Check& c);

  std::vector<Diag>& problems_;
  std::filesystem::path base_dir_;
  std::vector<std::string>& secrets_;
  const YNode* root_ = nullptr;
  std::size_t suggestion_budget_ = 20'000'000;  // edit-distance cells for did-you-mean
  Defaults defaults_;
  const YNode* defaults_map_ = nullptr;
  std::map<std::string, int> vantage_lines_;  // name -> line of definition
  std::map<std::string, int> check_lines_;
  Keys vantage_names_;
  Keys check_names_;
};

// "'value'" shortened for messages.
std::string quote(std::string_view value);
// "an empty value", "'text'", "a list", "a map".
std::string describe(const YNode& n);

}  // namespace prober::config::detail
