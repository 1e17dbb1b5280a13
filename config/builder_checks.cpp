#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include "config/builder.hpp"
#include "config/syntax.hpp"
#include "prober/core/redact.hpp"

namespace prober::config::detail {
namespace {

const Keys kCommonKeys = {"name",     "type",   "interval", "timeout", "confirm_failures",
                          "vantages", "labels", "expect"};
const Keys kHttpKeys = {"url",      "method",     "headers", "body", "max_redirects",
                        "max_body", "ip_version", "watch",   "tls"};
const Keys kTcpKeys = {"address", "tls", "ip_version"};
const Keys kDatabaseKeys = {"dsn", "query", "watch_settings"};
const Keys kRedisKeys = {"dsn", "command", "watch_settings"};

const Keys kTlsKeysHttp = {"verify", "ca_file", "server_name", "min_days_to_expiry"};
const Keys kTlsKeysTcp = {"enabled", "verify", "ca_file", "server_name", "min_days_to_expiry"};

const Keys kExpectHttp = {"status", "body_contains", "body_regex", "headers", "max_latency"};
const Keys kExpectTcp = {"max_latency"};
const Keys kExpectDatabase = {"rows", "value", "max_latency"};
const Keys kExpectRedis = {"value", "max_latency"};

const Keys kWatchKeys = {"headers", "json_pointer"};
const Keys kWatchSettingsKeys = {"every"};
const Keys kHeaderExpectationKeys = {"name", "equals", "regex", "present"};

// Longer patterns are refused: libstdc++ compiles (and matches) std::regex recursively.
constexpr std::size_t kMaxRegexLength = 1000;

Keys concat(std::initializer_list<const Keys*> parts) {
  Keys out;
  for (const Keys* p : parts) {
    for (const auto& k : *p) {
      if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
    }
  }
  return out;
}

const Keys kAllCheckKeys =
    concat({&kCommonKeys, &kHttpKeys, &kTcpKeys, &kDatabaseKeys, &kRedisKeys});
const Keys kAllTlsKeys = kTlsKeysTcp;
const Keys kAllExpectKeys = concat({&kExpectHttp, &kExpectTcp, &kExpectDatabase, &kExpectRedis});

Keys check_keys_for(const std::string& type) {
  if (type == "http") return concat({&kCommonKeys, &kHttpKeys});
  if (type == "tcp") return concat({&kCommonKeys, &kTcpKeys});
  if (type == "postgres" || type == "mysql") return concat({&kCommonKeys, &kDatabaseKeys});
  if (type == "redis") return concat({&kCommonKeys, &kRedisKeys});
  return kAllCheckKeys;
}

const Keys& expect_keys_for(const std::string& type) {
  if (type == "http") return kExpectHttp;
  if (type == "tcp") return kExpectTcp;
  if (type == "postgres" || type == "mysql") return kExpectDatabase;
  if (type == "redis") return kExpectRedis;
  return kAllExpectKeys;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// RFC 9110 token characters.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool is_secret_header(std::string_view name) {
  std::string n = lower(name);
  return n == "authorization" || n == "proxy-authorization" || n == "cookie" || n == "x-api-key" ||
         n.find("token") != std::string::npos || n.find("secret") != std::string::npos ||
         n.find("password") != std::string::npos || n.find("api-key") != std::string::npos ||
         n.find("apikey") != std::string::npos;
}

bool is_label_name(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void Builder::build_checks(const YNode& list, Config& cfg) {
  if (!want_list(list, "'checks'")) return;
  if (list.items.empty()) {
    error(list, "at least one check is required");
    return;
  }
  cfg.checks.reserve(list.items.size());
  for (const YNode* item : list.items) {
    if (!want_map(*item, "an item of 'checks'")) continue;
    build_check(*item, cfg);
  }
}

void Builder::build_check(const YNode& map, Config& cfg) {
  Check c;
  c.interval = defaults_.interval;
  c.timeout = defaults_.timeout;
  c.confirm_failures = defaults_.confirm_failures;

  // type first: it decides which keys are valid.
  std::string type;
  if (map.get("type") == nullptr) {
    error(map, "missing required key 'type'");
  } else if (auto t = get_string(map, "type")) {
    if (std::find(kCheckTypes.begin(), kCheckTypes.end(), *t) != kCheckTypes.end()) {
      type = *t;
    } else {
      auto hint = suggest(*t, kCheckTypes);
      error(*map.get("type"),
            "unknown check type " + quote(*t) +
                (hint.empty() ? " (expected http, tcp, postgres, mysql or redis)" : hint));
    }
  }
  c.type = type;
  check_keys(map, check_keys_for(type), type.empty() ? nullptr : &kAllCheckKeys, type);

  if (map.get("name") == nullptr) {
    error(map, "missing required key 'name'");
  } else if (auto name = get_nonempty_string(map, "name")) {
    c.name = *name;
    const YNode* at = map.get("name");
    auto [it, inserted] = check_lines_.emplace(c.name, at->pos.line);
    if (!inserted) {
      error(*at, "duplicate check name " + quote(c.name) + " (first at line " +
                     std::to_string(it->second) + ")");
    } else {
      check_names_.push_back(c.name);
    }
  }

  auto interval = get_duration(map, "interval");
  auto timeout = get_duration(map, "timeout");
  if (interval) c.interval = *interval;
  if (timeout) c.timeout = *timeout;
  if ((interval || timeout) && c.timeout > c.interval) {
    const YNode* at = map.get(timeout ? "timeout" : "interval");
    error(*at, "timeout " + format_duration(c.timeout) + " exceeds interval " +
                   format_duration(c.interval));
  }
  if (auto n = get_int(map, "confirm_failures", 1, std::numeric_limits<int>::max())) {
    c.confirm_failures = static_cast<int>(*n);
  }

  if (const YNode* vantages = map.get("vantages"); vantages && get_string_list(map, "vantages")) {
    std::vector<std::string> seen;
    for (const YNode* item : vantages->items) {
      const std::string& v = item->value;
      if (vantage_lines_.count(v) == 0) {
        error(*item, "unknown vantage " + quote(v) + suggest(v, vantage_names_));
      } else if (std::find(seen.begin(), seen.end(), v) != seen.end()) {
        error(*item, "vantage " + quote(v) + " is listed twice");
      } else {
        seen.push_back(v);
      }
    }
    if (vantages->items.empty()) error(*vantages, "'vantages' must list at least one vantage");
    c.vantages = seen;
  }
  if (const YNode* labels = map.get("labels")) build_labels(*labels, c);

  if (type == "http") build_http(map, c);
  if (type == "tcp") build_tcp(map, c);
  if (type == "postgres" || type == "mysql") build_database(map, c);
  if (type == "redis") build_redis(map, c);
  if (const YNode* tls = map.get("tls"); tls && (type == "http" || type == "tcp")) {
    build_tls(*tls, type, c);
  }
  if (const YNode* expect = map.get("expect")) build_expect(*expect, type, c);
  if (auto* v = map.get("ip_version"); v && !v->env_error && (type == "http" || type == "tcp")) {
    if (v->is_scalar() && v->value == "any") {
      c.ip_version = IpVersion::any;
    } else if (v->is_scalar() && v->value == "4") {
      c.ip_version = IpVersion::v4;
    } else if (v->is_scalar() && v->value == "6") {
      c.ip_version = IpVersion::v6;
    } else {
      error(*v, "invalid ip_version " + describe(*v) + " (expected any, 4 or 6)");
    }
  }
  cfg.checks.push_back(std::move(c));
}

void Builder::build_labels(const YNode& labels, Check& c) {
  if (!want_map(labels, "'labels'")) return;
  for (const auto& [k, v] : labels.entries) {
    const std::string& name = k->value;
    if (!is_label_name(name)) {
      error(*k, "invalid label name " + quote(name) +
                    " (use letters, digits and _, not starting with a digit)");
      continue;
    }
    if (name == "check" || name == "vantage" || name.rfind("__", 0) == 0) {
      error(*k, "label name " + quote(name) + " is reserved");
      continue;
    }
    if (v->env_error) continue;
    if (!v->is_scalar()) {
      error(*v, "expected a string for label " + quote(name) + ", got " + describe(*v));
      continue;
    }
    c.labels[name] = v->value;
  }
}

void Builder::build_http(const YNode& map, Check& c) {
  if (map.get("url") == nullptr) {
    error(map, "missing required key 'url' for a check of type http");
  } else if (auto url = get_string(map, "url")) {
    UrlParts parts;
    if (auto problem = split_url(*url, parts)) {
      error(*map.get("url"), "invalid url " + quote(redact_url_password(*url)) + ": " + *problem);
    } else if (parts.scheme != "http" && parts.scheme != "https") {
      error(*map.get("url"), "url scheme must be http or https, got '" + parts.scheme + "'");
    } else {
      c.tls.enabled = parts.scheme == "https";
    }
    c.url = *url;
    add_url_password(*url);
  }
  if (auto method = get_string(map, "method")) {
    bool ok = !method->empty() && method->front() >= 'A' && method->front() <= 'Z';
    for (char ch : *method) {
      ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_');
    }
    if (!ok) {
      error(*map.get("method"),
            "invalid http method " + quote(*method) + " (expected upper case, e.g. GET or POST)");
    } else {
      c.method = *method;
    }
  }
  if (const YNode* headers = map.get("headers")) build_headers(*headers, c);
  if (auto body = get_string(map, "body")) c.body = *body;
  if (auto n = get_int(map, "max_redirects", 0, std::numeric_limits<int>::max())) {
    c.max_redirects = static_cast<int>(*n);
  }
  if (auto n = get_byte_size(map, "max_body")) c.max_body_bytes = *n;
  if (const YNode* watch = map.get("watch")) build_watch(*watch, c);
}

void Builder::build_headers(const YNode& headers, Check& c) {
  if (!want_map(headers, "'headers'")) return;
  for (const auto& [k, v] : headers.entries) {
    const std::string& name = k->value;
    if (!is_token(name)) {
      error(*k, "invalid header name " + quote(name));
      continue;
    }
    if (v->env_error) continue;
    if (!v->is_scalar()) {
      error(*v, "expected a string for header " + quote(name) + ", got " + describe(*v));
      continue;
    }
    if (v->value.find_first_of("\r\n") != std::string::npos) {
      error(*v, "value of header " + quote(name) + " contains a line break");
      continue;
    }
    c.headers.emplace_back(name, v->value);
    if (is_secret_header(name)) {
      add_secret(v->value);
      // "Bearer abc..." / "Basic abc...": the credential alone is also a secret.
      if (auto space = v->value.find(' '); space != std::string::npos) {
        std::string credential = v->value.substr(space + 1);
        if (credential.size() >= 3) add_secret(credential);
      }
    }
  }
}

void Builder::build_watch(const YNode& watch, Check& c) {
  if (!want_map(watch, "'watch'")) return;
  check_keys(watch, kWatchKeys);
  if (auto headers = get_string_list(watch, "headers")) {
    const YNode* list = watch.get("headers");
    for (std::size_t i = 0; i < headers->size(); ++i) {
      if (!is_token((*headers)[i])) {
        error(*list->items[i], "invalid header name " + quote((*headers)[i]));
      } else {
        c.watch.headers.push_back((*headers)[i]);
      }
    }
  }
  if (auto pointer = get_string(watch, "json_pointer")) {
    const YNode* at = watch.get("json_pointer");
    if (!pointer->empty() && pointer->front() != '/') {
      error(*at, "'json_pointer' must be empty or start with '/', got " + quote(*pointer));
      return;
    }
    for (std::size_t i = 0; i < pointer->size(); ++i) {
      if ((*pointer)[i] == '~' &&
          (i + 1 >= pointer->size() || ((*pointer)[i + 1] != '0' && (*pointer)[i + 1] != '1'))) {
        error(*at, "invalid json_pointer " + quote(*pointer) + " ('~' must be followed by 0 or 1)");
        return;
      }
    }
    c.watch.json_pointer = *pointer;
  }
}

void Builder::build_tcp(const YNode& map, Check& c) {
  if (map.get("address") == nullptr) {
    error(map, "missing required key 'address' for a check of type tcp");
  } else if (auto address = get_string(map, "address")) {
    HostPort hp;
    if (auto problem = parse_host_port(*address, "address", 1, hp)) {
      error(*map.get("address"), *problem);
    } else {
      c.address = *address;
    }
  }
}

void Builder::check_dsn(const YNode& map, const std::string& type, Check& c) {
  if (map.get("dsn") == nullptr) {
    error(map, "missing required key 'dsn' for a check of type " + type);
    return;
  }
  auto dsn = get_nonempty_string(map, "dsn");
  if (!dsn) return;
  c.dsn = *dsn;
  add_url_password(*dsn);
  Keys schemes;
  if (type == "postgres") schemes = {"postgresql", "postgres"};
  if (type == "mysql") schemes = {"mysql", "mariadb"};
  if (type == "redis") schemes = {"redis", "rediss"};
  const std::string expected = schemes[0] + ":// or " + schemes[1] + "://";
  auto scheme = url_scheme(*dsn);
  if (!scheme) {
    error(*map.get("dsn"),
          "invalid dsn " + quote(redact_url_password(*dsn)) + " (expected " + expected + "...)");
  } else if (std::find(schemes.begin(), schemes.end(), *scheme) == schemes.end()) {
    error(*map.get("dsn"), "dsn scheme '" + *scheme + "' does not match check type " + type +
                               " (expected " + expected + ")");
  }
}

void Builder::build_database(const YNode& map, Check& c) {
  check_dsn(map, c.type, c);
  if (map.get("query") == nullptr) {
    error(map, "missing required key 'query' for a check of type " + c.type);
  } else if (auto query = get_nonempty_string(map, "query")) {
    c.query = *query;
  }
  if (const YNode* ws = map.get("watch_settings")) build_watch_settings(*ws, c);
}

void Builder::build_redis(const YNode& map, Check& c) {
  check_dsn(map, "redis", c);
  if (map.get("command") == nullptr) {
    error(map, "missing required key 'command' for a check of type redis");
  } else if (auto command = get_string_list(map, "command")) {
    if (command->empty()) {
      error(*map.get("command"), "'command' must not be empty");
    } else if (command->front().empty()) {
      error(*map.get("command")->items.front(), "the redis command name must not be empty");
    } else {
      c.command = *command;
    }
  }
  if (const YNode* ws = map.get("watch_settings")) build_watch_settings(*ws, c);
}

void Builder::build_watch_settings(const YNode& value, Check& c) {
  if (value.env_error) return;
  if (value.is_map()) {
    check_keys(value, kWatchSettingsKeys);
    c.watch_settings.enabled = true;
    if (auto every = get_duration(value, "every")) c.watch_settings.every = *every;
    return;
  }
  if (value.is_scalar()) {
    std::string s = lower(value.value);
    if (s == "true" || s == "yes" || s == "on") {
      c.watch_settings.enabled = true;
      return;
    }
    if (s == "false" || s == "no" || s == "off") {
      c.watch_settings.enabled = false;
      return;
    }
  }
  error(value, "expected true, false or a map like {every: 5m} for 'watch_settings', got " +
                   describe(value));
}

void Builder::build_tls(const YNode& tls, const std::string& type, Check& c) {
  if (!want_map(tls, "'tls'")) return;
  check_keys(tls, type == "tcp" ? kTlsKeysTcp : kTlsKeysHttp, &kAllTlsKeys, type);
  if (type == "tcp") {
    if (auto enabled = get_bool(tls, "enabled")) c.tls.enabled = *enabled;
  }
  if (auto verify = get_bool(tls, "verify")) c.tls.verify = *verify;
  if (auto ca = get_nonempty_string(tls, "ca_file")) {
    std::string path = resolve_path(*ca);
    std::error_code ec;
    std::ifstream probe(path, std::ios::binary);
    if (!probe.is_open() || !std::filesystem::is_regular_file(path, ec)) {
      error(*tls.get("ca_file"),
            "ca_file " + quote(path) + " does not exist or is not a readable file");
    } else {
      c.tls.ca_file = path;
    }
  }
  if (auto name = get_nonempty_string(tls, "server_name")) c.tls.server_name = *name;
  if (auto days = get_int(tls, "min_days_to_expiry", 0, std::numeric_limits<int>::max())) {
    c.tls.min_days_to_expiry = static_cast<int>(*days);
  }
}

std::optional<std::string> Builder::get_regex(const YNode& map, std::string_view key,
                                              std::string_view what) {
  auto pattern = get_string(map, key);
  if (!pattern) return std::nullopt;
  const YNode* at = map.get(key);
  if (pattern->size() > kMaxRegexLength) {
    error(*at, std::string(what) + " is too long (at most " + std::to_string(kMaxRegexLength) +
                   " characters)");
    return std::nullopt;
  }
  if (auto problem = regex_problem(*pattern)) {
    error(*at, "invalid " + std::string(what) + " " + quote(*pattern) + ": " + *problem);
    return std::nullopt;
  }
  return pattern;
}

void Builder::build_expect(const YNode& expect, const std::string& type, Check& c) {
  if (!want_map(expect, "'expect'")) return;
  check_keys(expect, expect_keys_for(type), type.empty() ? nullptr : &kAllExpectKeys, type);
  if (type.empty()) return;  // unknown type: keys checked, values not
  Expect& e = c.expect;
  if (auto d = get_duration(expect, "max_latency")) e.max_latency = *d;
  if (type == "http") {
    if (const YNode* status = expect.get("status")) build_status(*status, e);
    if (auto s = get_string(expect, "body_contains")) e.body_contains = *s;
    if (auto re = get_regex(expect, "body_regex", "body_regex")) e.body_regex = *re;
    if (const YNode* headers = expect.get("headers")) build_header_expectations(*headers, e);
  }
  if (type == "postgres" || type == "mysql") {
    if (auto rows = get_int(expect, "rows", 0, std::numeric_limits<std::int64_t>::max())) {
      e.rows = *rows;
    }
  }
  if (type == "postgres" || type == "mysql" || type == "redis") {
    if (auto v = get_string(expect, "value")) e.value = *v;
  }
}

void Builder::build_status(const YNode& value, Expect& e) {
  std::vector<const YNode*> items;
  if (value.is_seq()) {
    items = value.items;
    if (items.empty()) {
      error(value, "'status' must list at least one code or range");
      return;
    }
  } else if (value.is_scalar()) {
    items.push_back(&value);
  } else {
    error(value,
          "expected a status code, a range like 200-299 or a list of them for 'status', "
          "got " +
              describe(value));
    return;
  }
  auto parse_code = [](std::string_view s) -> std::optional<int> {
    if (s.empty() || s.size() > 9) return std::nullopt;
    int v = 0;
    for (char ch : s) {
      if (ch < '0' || ch > '9') return std::nullopt;
      v = v * 10 + (ch - '0');
    }
    return v;
  };
  for (const YNode* item : items) {
    if (item->env_error) continue;
    if (!item->is_scalar()) {
      error(*item, "expected a status code or a range like 200-299, got " + describe(*item));
      continue;
    }
    const std::string& s = item->value;
    auto dash = s.find('-');
    std::optional<int> low, high;
    if (dash == std::string::npos) {
      low = high = parse_code(s);
    } else {
      low = parse_code(std::string_view(s).substr(0, dash));
      high = parse_code(std::string_view(s).substr(dash + 1));
    }
    if (!low || !high) {
      error(*item, "invalid status " + quote(s) +
                       " (expected a code like 200 or a range like "
                       "200-299)");
      continue;
    }
    bool ok = true;
    for (int code : {*low, *high}) {
      if (code < 100 || code > 599) {
        error(*item, "status code " + std::to_string(code) + " is out of range 100-599");
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (*low > *high) {
      error(*item, "invalid status range " + quote(s) + " (low > high)");
      continue;
    }
    e.status.push_back(StatusRange{*low, *high});
  }
}

void Builder::build_header_expectations(const YNode& list, Expect& e) {
  if (!want_list(list, "'headers'")) return;
  for (const YNode* item : list.items) {
    if (!want_map(*item, "an item of 'headers'")) continue;
    check_keys(*item, kHeaderExpectationKeys);
    HeaderExpectation h;
    if (item->get("name") == nullptr) {
      error(*item, "missing required key 'name'");
    } else if (auto name = get_string(*item, "name")) {
      if (!is_token(*name)) {
        error(*item->get("name"), "invalid header name " + quote(*name));
      }
      h.name = *name;
    }
    if (auto eq = get_string(*item, "equals")) h.equals = *eq;
    if (auto re = get_regex(*item, "regex", "header regex")) h.regex = *re;
    if (auto present = get_bool(*item, "present")) h.present = *present;
    if (!h.present && (item->get("equals") || item->get("regex"))) {
      error(*item->get("present"), "'present: false' cannot be combined with 'equals' or 'regex'");
    }
    e.headers.push_back(std::move(h));
  }
}

}  // namespace prober::config::detail
