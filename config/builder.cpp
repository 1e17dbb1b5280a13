#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "config/builder.hpp"
#include "config/syntax.hpp"
#include "prober/core/redact.hpp"

namespace prober::config::detail {
namespace {

const Keys kTopKeys = {"vantages", "defaults", "outage",     "store",       "spool",  "engine",
                       "server",   "slo",      "components", "maintenance", "alerts", "checks"};
const Keys kVantageKeys = {"name", "weight"};
const Keys kDefaultsKeys = {"interval", "timeout", "confirm_failures"};
const Keys kOutageKeys = {"min_vantages"};
const Keys kStoreKeys = {"url", "retention"};
const Keys kSpoolKeys = {"dir", "max_bytes"};
const Keys kEngineKeys = {"max_in_flight"};
const Keys kServerKeys = {"listen"};
const Keys kSloKeys = {"objective", "period"};
const Keys kComponentKeys = {"name", "checks"};
const Keys kMaintenanceKeys = {"checks", "start", "end"};
const Keys kAlertKeys = {"type", "url", "format"};

constexpr std::string_view kDefaultStoreUrl = "sqlite://prober.db";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string quote(std::string_view value) {
  constexpr std::size_t kMax = 80;
  std::string out = "'";
  if (value.size() > kMax) {
    out.append(value.substr(0, kMax));
    out += "...";
  } else {
    out.append(value);
  }
  out += "'";
  return out;
}

std::string describe(const YNode& n) {
  switch (n.kind) {
    case YNode::Kind::null:
      return "an empty value";
    case YNode::Kind::scalar:
      return quote(n.value);
    case YNode::Kind::sequence:
      return "a list";
    case YNode::Kind::map:
      return "a map";
  }
  return "an unknown value";
}

// --- helpers ------------------------------------------------------------------------------

void Builder::error(const YNode& at, std::string message) {
  error(at.pos, std::move(message));
}

void Builder::error(Pos at, std::string message) {
  problems_.push_back({at, std::move(message)});
}

void Builder::check_keys(const YNode& map, const Keys& allowed, const Keys* other_types,
                         std::string_view type) {
  for (const auto& [k, v] : map.entries) {
    const std::string& key = k->value;
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    // Extension keys (as in docker compose): a place for anchors, ignored otherwise.
    if (&map == root_ && key.rfind("x-", 0) == 0) continue;
    if (other_types != nullptr &&
        std::find(other_types->begin(), other_types->end(), key) != other_types->end()) {
      error(*k, "key '" + key + "' is not valid for a check of type " + std::string(type));
      continue;
    }
    error(*k, "unknown key " + quote(key) + suggest(key, allowed));
  }
}

bool Builder::want_map(const YNode& n, std::string_view what) {
  if (n.is_map()) return true;
  error(n, "expected a map for " + std::string(what) + ", got " + describe(n));
  return false;
}

bool Builder::want_list(const YNode& n, std::string_view what) {
  if (n.is_seq()) return true;
  error(n, "expected a list for " + std::string(what) + ", got " + describe(n));
  return false;
}

std::optional<std::string> Builder::get_string(const YNode& map, std::string_view key) {
  const YNode* v = map.get(key);
  if (v == nullptr || v->env_error) return std::nullopt;
  if (!v->is_scalar()) {
    error(*v, "expected a string for '" + std::string(key) + "', got " + describe(*v));
    return std::nullopt;
  }
  return v->value;
}

std::optional<std::string> Builder::get_nonempty_string(const YNode& map, std::string_view key) {
  auto s = get_string(map, key);
  if (s && s->find_first_not_of(" \t\r\n") == std::string::npos) {
    error(*map.get(key), "'" + std::string(key) + "' must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> Builder::get_bool(const YNode& map, std::string_view key) {
  const YNode* v = map.get(key);
  if (v == nullptr || v->env_error) return std::nullopt;
  if (v->is_scalar()) {
    std::string s = lower(v->value);
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  error(*v, "expected true or false for '" + std::string(key) + "', got " + describe(*v));
  return std::nullopt;
}

std::optional<double> Builder::get_number(const YNode& map, std::string_view key) {
  const YNode* v = map.get(key);
  if (v == nullptr || v->env_error) return std::nullopt;
  if (v->is_scalar() && !v->value.empty()) {
    const std::string& s = v->value;
    const char* begin = s.data();
    if (s.size() > 1 && s[0] == '+' && s[1] != '-') ++begin;
    double d = 0;
    auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), d);
    if (ec == std::errc{} && ptr == s.data() + s.size() && std::isfinite(d)) return d;
  }
  error(*v, "expected a number for '" + std::string(key) + "', got " + describe(*v));
  return std::nullopt;
}

std::optional<std::int64_t> Builder::get_int(const YNode& map, std::string_view key,
                                             std::int64_t min, std::int64_t max) {
  const YNode* v = map.get(key);
  if (v == nullptr || v->env_error) return std::nullopt;
  const std::string k(key);
  if (!v->is_scalar() || v->value.empty()) {
    error(*v, "expected an integer for '" + k + "', got " + describe(*v));
    return std::nullopt;
  }
  const std::string& s = v->value;
  const char* begin = s.data();
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') ++begin;
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), n);
  if (ec == std::errc::result_out_of_range) {
    error(*v, "number " + quote(s) + " is out of range for '" + k + "'");
    return std::nullopt;
  }
  if (ec != std::errc{} || ptr != s.data() + s.size()) {
    error(*v, "expected an integer for '" + k + "', got " + describe(*v));
    return std::nullopt;
  }
  if (n < min) {
    error(*v, "'" + k + "' must be >= " + std::to_string(min) + ", got " + std::to_string(n));
    return std::nullopt;
  }
  if (n > max) {
    error(*v, "'" + k + "' must be <= " + std::to_string(max) + ", got " + std::to_string(n));
    return std::nullopt;
  }
  return n;
}

std::optional<Micros> Builder::get_duration(const YNode& map, std::string_view key) {
  const YNode* v = map.get(key);
  if (v == nullptr || v->env_error) return std::nullopt;
  const std::string k(key);
  if (!v->is_scalar()) {
    error(*v, "expected a duration for '" + k + "', got " + describe(*v));
    return std::nullopt;
  }
  const std::string& s = v->value;
  if (!s.empty() && s.front() == '-') {
    error(*v, "'" + k + "' must be positive, got " + quote(s));
    return std::nullopt;
  }
  auto d = parse_duration(s);
  if (!d) {
    error(*v, "invalid duration " + quote(s) + " for '" + k +
                  "' (expected e.g. 500ms, 30s, 5m, 1h, 30d)");
    return std::nullopt;
  }
  if (d->count() <= 0) {
    error(*v, "'" + k + "' must be positive, got " + quote(s));
    return std::nullopt;
  }
  return d;
}

std::optional<std::uint64_t> Builder::get_byte_size(const YNode& map, std::string_view key) {
  const YNode* v = map.get(key);
  if (v == nullptr || v->env_error) return std::nullopt;
  const std::string k(key);
  std::optional<std::uint64_t> n;
  if (v->is_scalar()) n = parse_byte_size(v->value);
  if (!n) {
    error(*v, "invalid byte size " + (v->is_scalar() ? quote(v->value) : describe(*v)) + " for '" +
                  k + "' (expected e.g. 512, 64KiB, 1MiB, 1GiB)");
    return std::nullopt;
  }
  if (*n == 0) {
    error(*v, "'" + k + "' must be > 0");
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<std::string>> Builder::get_string_list(const YNode& map,
                                                                 std::string_view key) {
  const YNode* v = map.get(key);
  if (v == nullptr) return std::nullopt;
  if (!want_list(*v, "'" + std::string(key) + "'")) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const YNode* item : v->items) {
    if (item->env_error) {
      ok = false;
      continue;
    }
    if (!item->is_scalar()) {
      error(*item,
            "expected a string for an item of '" + std::string(key) + "', got " + describe(*item));
      ok = false;
      continue;
    }
    out.push_back(item->value);
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<TimePoint> Builder::get_time(const YNode& map, std::string_view key) {
  const YNode* v = map.get(key);
  if (v == nullptr || v->env_error) return std::nullopt;
  std::optional<TimePoint> t;
  if (v->is_scalar()) t = parse_rfc3339(v->value);
  if (!t) {
    error(*v, "invalid time " + (v->is_scalar() ? quote(v->value) : describe(*v)) + " for '" +
                  std::string(key) + "' (expected RFC 3339, e.g. 2024-05-05T14:00:00Z)");
  }
  return t;
}

std::string Builder::resolve_path(const std::string& path) const {
  std::filesystem::path p(path);
  if (p.is_relative()) p = base_dir_ / p;
  return p.lexically_normal().string();
}

void Builder::add_secret(const std::string& secret) {
  if (secret.empty()) return;
  if (std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) {
    secrets_.push_back(secret);
  }
}

std::string Builder::suggest(std::string_view word, const Keys& candidates) {
  return did_you_mean_suffix(word, candidates, &suggestion_budget_);
}

void Builder::add_url_password(std::string_view url) {
  std::string password = url_password(url);
  add_secret(password);
  add_secret(percent_decode(password));
}

// --- top level -----------------------------------------------------------------------------

void Builder::build(const YNode& root, Config& cfg) {
  if (!root.is_map()) {
    error(root, "expected a map at the top level, got " + describe(root));
    return;
  }
  root_ = &root;
  check_keys(root, kTopKeys);

  if (const YNode* v = root.get("vantages")) {
    build_vantages(*v, cfg);
  } else {
    error(root, "missing required key 'vantages'");
  }
  if (const YNode* v = root.get("defaults")) build_defaults(*v, cfg);
  build_outage(root.get("outage"), cfg);
  build_store(root.get("store"), cfg);
  if (const YNode* v = root.get("spool")) build_spool(*v, cfg);
  if (const YNode* v = root.get("engine")) build_engine(*v, cfg);
  if (const YNode* v = root.get("server")) build_server(*v, cfg);
  if (const YNode* v = root.get("slo")) build_slo(*v, cfg);
  if (const YNode* v = root.get("checks")) {
    build_checks(*v, cfg);
  } else {
    error(root, "missing required key 'checks'");
  }
  if (const YNode* v = root.get("components")) build_components(*v, cfg);
  if (const YNode* v = root.get("maintenance")) build_maintenance(*v, cfg);
  if (const YNode* v = root.get("alerts")) build_alerts(*v, cfg);
}

void Builder::build_vantages(const YNode& list, Config& cfg) {
  if (!want_list(list, "'vantages'")) return;
  if (list.items.empty()) {
    error(list, "at least one vantage is required");
    return;
  }
  for (const YNode* item : list.items) {
    if (!want_map(*item, "an item of 'vantages'")) continue;
    check_keys(*item, kVantageKeys);
    Vantage v;
    if (item->get("name") == nullptr) {
      error(*item, "missing required key 'name'");
    } else if (auto name = get_nonempty_string(*item, "name")) {
      v.name = *name;
      const YNode* at = item->get("name");
      auto [it, inserted] = vantage_lines_.emplace(v.name, at->pos.line);
      if (!inserted) {
        error(*at, "duplicate vantage name " + quote(v.name) + " (first at line " +
                       std::to_string(it->second) + ")");
      } else {
        vantage_names_.push_back(v.name);
      }
    }
    if (auto w = get_number(*item, "weight")) {
      if (*w <= 0) {
        error(*item->get("weight"),
              "'weight' must be > 0, got " + quote(item->get("weight")->value));
      } else {
        v.weight = *w;
      }
    }
    cfg.vantages.push_back(std::move(v));
  }
}

void Builder::build_defaults(const YNode& map, Config& cfg) {
  if (!want_map(map, "'defaults'")) return;
  defaults_map_ = &map;
  check_keys(map, kDefaultsKeys);
  if (auto d = get_duration(map, "interval")) defaults_.interval = *d;
  if (auto d = get_duration(map, "timeout")) defaults_.timeout = *d;
  if (auto n = get_int(map, "confirm_failures", 1, std::numeric_limits<int>::max())) {
    defaults_.confirm_failures = static_cast<int>(*n);
  }
  if (defaults_.timeout > defaults_.interval) {
    const YNode* at = map.get("timeout") ? map.get("timeout") : map.get("interval");
    error(at ? *at : map, "default timeout " + format_duration(defaults_.timeout) +
                              " exceeds default interval " + format_duration(defaults_.interval));
  }
  cfg.defaults = defaults_;
}

void Builder::build_outage(const YNode* map, Config& cfg) {
  const int n = static_cast<int>(cfg.vantages.size());
  cfg.min_vantages = std::max(1, std::min(2, n));
  if (map == nullptr || !want_map(*map, "'outage'")) return;
  check_keys(*map, kOutageKeys);
  if (auto m = get_int(*map, "min_vantages", std::numeric_limits<int>::min(),
                       std::numeric_limits<int>::max())) {
    if (n == 0 && *m < 1) {
      error(*map->get("min_vantages"), "'min_vantages' must be >= 1, got " + std::to_string(*m));
    } else if (n > 0 && (*m < 1 || *m > n)) {
      const std::string range = n == 1 ? "1" : "between 1 and " + std::to_string(n);
      error(*map->get("min_vantages"), "'min_vantages' must be " + range +
                                           " (the number of vantages), got " + std::to_string(*m));
    } else {
      cfg.min_vantages = static_cast<int>(*m);
    }
  }
}

void Builder::build_store(const YNode* map, Config& cfg) {
  std::string url(kDefaultStoreUrl);
  const YNode* at = map;
  if (map != nullptr) {
    if (!want_map(*map, "'store'")) return;
    check_keys(*map, kStoreKeys);
    if (auto d = get_duration(*map, "retention")) cfg.store.retention = *d;
    if (map->get("url") != nullptr) {
      auto u = get_nonempty_string(*map, "url");
      if (!u) return;
      url = *u;
      at = map->get("url");
    }
  }
  auto scheme = url_scheme(url);
  if (!scheme) {
    error(*at, "invalid store url " + quote(redact_url_password(url)) +
                   " (expected sqlite://PATH or postgresql://...)");
    return;
  }
  if (*scheme == "sqlite") {
    std::string path = url.substr(std::string_view("sqlite://").size());
    if (path.empty()) {
      error(*at, "sqlite store url needs a path, e.g. sqlite://var/prober.db");
      return;
    }
    cfg.store.path = resolve_path(path);
    cfg.store.url = "sqlite://" + cfg.store.path;
  } else if (*scheme == "postgresql" || *scheme == "postgres") {
    cfg.store.url = url;
    add_url_password(url);
  } else {
    error(*at, "unsupported store url scheme '" + *scheme +
                   "' (expected sqlite://, postgresql:// or postgres://)");
  }
}

void Builder::build_spool(const YNode& map, Config& cfg) {
  if (!want_map(map, "'spool'")) return;
  check_keys(map, kSpoolKeys);
  SpoolConfig spool;
  if (map.get("dir") == nullptr) {
    error(map, "missing required key 'dir'");
  } else if (auto dir = get_nonempty_string(map, "dir")) {
    spool.dir = resolve_path(*dir);
  }
  if (auto n = get_byte_size(map, "max_bytes")) spool.max_bytes = *n;
  cfg.spool = spool;
}

void Builder::build_engine(const YNode& map, Config& cfg) {
  if (!want_map(map, "'engine'")) return;
  check_keys(map, kEngineKeys);
  if (auto n = get_int(map, "max_in_flight", 1, std::numeric_limits<int>::max())) {
    cfg.engine.max_in_flight = static_cast<int>(*n);
  }
}

void Builder::build_server(const YNode& map, Config& cfg) {
  if (!want_map(map, "'server'")) return;
  check_keys(map, kServerKeys);
  ServerConfig server;
  if (map.get("listen") == nullptr) {
    error(map, "missing required key 'listen'");
  } else if (auto listen = get_string(map, "listen")) {
    HostPort hp;
    if (auto problem = parse_host_port(*listen, "listen address", 0, hp)) {
      error(*map.get("listen"), *problem);
    } else {
      server.listen = *listen;
    }
  }
  cfg.server = server;
}

void Builder::build_slo(const YNode& map, Config& cfg) {
  if (!want_map(map, "'slo'")) return;
  check_keys(map, kSloKeys);
  SloConfig slo;
  if (auto o = get_number(map, "objective")) {
    if (*o <= 0 || *o >= 100) {
      error(*map.get("objective"),
            "'objective' must be > 0 and < 100, got " + quote(map.get("objective")->value));
    } else {
      slo.objective = *o;
    }
  }
  if (auto p = get_duration(map, "period")) slo.period = *p;
  cfg.slo = slo;
}

void Builder::check_references(const YNode& list, std::string_view owner,
                               std::vector<std::string>& out) {
  for (const YNode* item : list.items) {
    if (!item->is_scalar()) continue;  // reported by get_string_list
    if (check_lines_.count(item->value) == 0) {
      error(*item, "unknown check " + quote(item->value) + " in " + std::string(owner) +
                       suggest(item->value, check_names_));
    } else {
      out.push_back(item->value);
    }
  }
}

void Builder::build_components(const YNode& list, Config& cfg) {
  if (!want_list(list, "'components'")) return;
  std::map<std::string, int> seen;
  for (const YNode* item : list.items) {
    if (!want_map(*item, "an item of 'components'")) continue;
    check_keys(*item, kComponentKeys);
    Component comp;
    if (item->get("name") == nullptr) {
      error(*item, "missing required key 'name'");
    } else if (auto name = get_nonempty_string(*item, "name")) {
      comp.name = *name;
      const YNode* at = item->get("name");
      auto [it, inserted] = seen.emplace(comp.name, at->pos.line);
      if (!inserted) {
        error(*at, "duplicate component name " + quote(comp.name) + " (first at line " +
                       std::to_string(it->second) + ")");
      }
    }
    const YNode* checks = item->get("checks");
    if (checks == nullptr) {
      error(*item, "missing required key 'checks'");
    } else if (get_string_list(*item, "checks")) {
      if (checks->items.empty()) {
        error(*checks, "'checks' must list at least one check");
      }
      check_references(*checks, "component " + quote(comp.name), comp.checks);
    }
    cfg.components.push_back(std::move(comp));
  }
}

void Builder::build_maintenance(const YNode& list, Config& cfg) {
  if (!want_list(list, "'maintenance'")) return;
  for (const YNode* item : list.items) {
    if (!want_map(*item, "an item of 'maintenance'")) continue;
    check_keys(*item, kMaintenanceKeys);
    MaintenanceWindow w;
    for (const char* key : {"checks", "start", "end"}) {
      if (item->get(key) == nullptr) {
        error(*item, "missing required key '" + std::string(key) + "'");
      }
    }
    if (const YNode* checks = item->get("checks"); checks && get_string_list(*item, "checks")) {
      if (checks->items.empty()) {
        error(*checks, "'checks' must list at least one check");
      }
      check_references(*checks, "maintenance window", w.checks);
    }
    auto start = get_time(*item, "start");
    auto end = get_time(*item, "end");
    if (start) w.start = *start;
    if (end) w.end = *end;
    if (start && end && *end <= *start) {
      error(*item->get("end"), "maintenance end " + format_rfc3339(*end) +
                                   " is not after its start " + format_rfc3339(*start));
    }
    cfg.maintenance.push_back(std::move(w));
  }
}

void Builder::build_alerts(const YNode& list, Config& cfg) {
  if (!want_list(list, "'alerts'")) return;
  for (const YNode* item : list.items) {
    if (!want_map(*item, "an item of 'alerts'")) continue;
    check_keys(*item, kAlertKeys);
    Alert a;
    if (auto type = get_string(*item, "type")) {
      if (*type != "webhook") {
        error(*item->get("type"), "unsupported alert type " + quote(*type) + " (expected webhook)");
      }
      a.type = *type;
    }
    if (item->get("url") == nullptr) {
      error(*item, "missing required key 'url'");
    } else if (auto url = get_string(*item, "url")) {
      UrlParts parts;
      if (auto problem = split_url(*url, parts)) {
        error(*item->get("url"),
              "invalid alert url " + quote(redact_url_password(*url)) + ": " + *problem);
      } else if (parts.scheme != "http" && parts.scheme != "https") {
        error(*item->get("url"),
              "alert url scheme must be http or https, got '" + parts.scheme + "'");
      }
      a.url = *url;
      add_url_password(*url);
    }
    if (auto format = get_string(*item, "format")) {
      if (*format != "json" && *format != "slack" && *format != "text") {
        error(*item->get("format"),
              "invalid alert format " + quote(*format) + " (expected json, slack or text)");
      }
      a.format = *format;
    }
    cfg.alerts.push_back(std::move(a));
  }
}

}  // namespace prober::config::detail
