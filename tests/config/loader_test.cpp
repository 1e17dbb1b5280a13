// Parsed values: defaults, resolved paths, secrets, ${VAR} substitution, messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "config/config.hpp"
#include "test_support.hpp"

namespace prober::config {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr const char* kMinimal = R"(vantages:
  - {name: local}
checks:
  - {name: web, type: http, url: "https://example.com/"}
)";

std::optional<std::string> no_env(const std::string&) {
  return std::nullopt;
}

std::optional<std::string> test_env(const std::string& name) {
  if (name == "TOKEN") return "tok-123456";
  if (name == "SHORT") return "ab";
  if (name == "HOST") return "db.internal";
  if (name == "PORT") return "5432";
  if (name == "PG_PASSWORD") return "pg-pass-word";
  if (name == "EMPTY") return "";
  return std::nullopt;
}

LoadResult load(const std::string& yaml, EnvLookup env = &test_env,
                const std::string& base_dir = "/etc/prober") {
  return load_config_string(yaml, "test.yaml", base_dir, env);
}

std::string problems_of(const LoadResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += p.to_string() + "\n";
  return out;
}

Config must_load(const std::string& yaml, EnvLookup env = &test_env,
                 const std::string& base_dir = "/etc/prober") {
  LoadResult r = load(yaml, env, base_dir);
  EXPECT_EQ(problems_of(r), "");
  if (!r.config) throw std::runtime_error("config did not load");
  return *r.config;
}

// --- full.yaml, value by value ---------------------------------------------------------------

class FullExample : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (testing::examples_dir() / "full.yaml").string();
    LoadResult r = load_config_file(path_, &testing::example_env);
    ASSERT_EQ(problems_of(r), "");
    cfg_ = *r.config;
  }
  const Check& check(const std::string& name) {
    const Check* c = cfg_.find_check(name);
    if (c == nullptr) throw std::runtime_error("no check " + name);
    return *c;
  }
  std::string path_;
  Config cfg_;
};

TEST_F(FullExample, TopLevel) {
  const std::string dir = testing::examples_dir().lexically_normal().string();
  EXPECT_EQ(cfg_.source_path, path_);
  ASSERT_EQ(cfg_.vantages.size(), 4u);
  EXPECT_EQ(cfg_.vantages[1].name, "eu-west");
  EXPECT_DOUBLE_EQ(cfg_.vantages[1].weight, 25);
  EXPECT_EQ(cfg_.defaults.interval, 30s);
  EXPECT_EQ(cfg_.defaults.timeout, 5s);
  EXPECT_EQ(cfg_.defaults.confirm_failures, 2);
  EXPECT_EQ(cfg_.min_vantages, 2);
  EXPECT_EQ(cfg_.store.path, dir + "/var/prober.db");
  EXPECT_EQ(cfg_.store.url, "sqlite://" + dir + "/var/prober.db");
  EXPECT_EQ(cfg_.store.retention, std::chrono::hours(24 * 400));
  ASSERT_TRUE(cfg_.spool.has_value());
  EXPECT_EQ(cfg_.spool->dir, dir + "/var/spool");
  EXPECT_EQ(cfg_.spool->max_bytes, 1ull << 30);
  EXPECT_EQ(cfg_.engine.max_in_flight, 2000);
  ASSERT_TRUE(cfg_.server.has_value());
  EXPECT_EQ(cfg_.server->listen, "127.0.0.1:9115");
  ASSERT_TRUE(cfg_.slo.has_value());
  EXPECT_DOUBLE_EQ(cfg_.slo->objective, 99.9);
  EXPECT_EQ(cfg_.slo->period, std::chrono::hours(24 * 30));
  ASSERT_EQ(cfg_.components.size(), 3u);
  EXPECT_EQ(cfg_.components[0].name, "Website");
  EXPECT_THAT(cfg_.components[0].checks, ElementsAre("web-home", "web-api"));
  ASSERT_EQ(cfg_.maintenance.size(), 1u);
  EXPECT_THAT(cfg_.maintenance[0].checks, ElementsAre("db-users"));
  EXPECT_EQ(format_rfc3339(cfg_.maintenance[0].start), "2024-05-05T14:00:00Z");
  EXPECT_EQ(format_rfc3339(cfg_.maintenance[0].end), "2024-05-05T15:00:00Z");
  ASSERT_EQ(cfg_.alerts.size(), 2u);
  EXPECT_EQ(cfg_.alerts[0].type, "webhook");
  EXPECT_EQ(cfg_.alerts[0].url, "http://127.0.0.1:9000/hook");
  EXPECT_EQ(cfg_.alerts[0].format, "json");
  EXPECT_EQ(cfg_.alerts[1].format, "slack");
  ASSERT_EQ(cfg_.checks.size(), 7u);
  EXPECT_EQ(cfg_.find_vantage("ap-south"), &cfg_.vantages[2]);
  EXPECT_EQ(cfg_.find_vantage("mars"), nullptr);
  EXPECT_EQ(cfg_.find_check("nope"), nullptr);
}

TEST_F(FullExample, HttpCheckWithDefaults) {
  const Check& c = check("web-home");
  EXPECT_EQ(c.type, "http");
  EXPECT_EQ(c.url, "https://www.example.com/");
  EXPECT_EQ(c.interval, 30s);
  EXPECT_EQ(c.timeout, 5s);
  EXPECT_EQ(c.confirm_failures, 2);
  EXPECT_TRUE(c.vantages.empty());
  EXPECT_EQ(c.method, "GET");
  EXPECT_EQ(c.max_redirects, 5);
  EXPECT_EQ(c.max_body_bytes, 1u << 20);
  EXPECT_EQ(c.ip_version, IpVersion::any);
  EXPECT_TRUE(c.tls.enabled);
  EXPECT_TRUE(c.tls.verify);
  EXPECT_EQ(c.tls.min_days_to_expiry, 14);
  ASSERT_EQ(c.expect.status.size(), 1u);
  EXPECT_EQ(c.expect.status[0].low, 200);
  EXPECT_EQ(c.expect.status[0].high, 299);
  EXPECT_EQ(c.expect.body_contains, "Welcome");
  EXPECT_EQ(c.expect.max_latency, 2s);
  EXPECT_THAT(c.watch.headers, ElementsAre("X-Build"));
  EXPECT_EQ(c.watch.json_pointer, "/version");
  EXPECT_EQ(c.labels.at("team"), "web");
  EXPECT_EQ(c.labels.at("tier"), "frontend");
}

TEST_F(FullExample, HttpCheckWithEveryOption) {
  const Check& c = check("web-api");
  EXPECT_EQ(c.method, "POST");
  ASSERT_EQ(c.headers.size(), 2u);
  EXPECT_EQ(c.headers[0].first, "Authorization");
  EXPECT_EQ(c.headers[0].second, "Bearer example-value");
  EXPECT_EQ(c.headers[1].first, "Content-Type");
  EXPECT_EQ(c.body, "{\"probe\": true}");
  EXPECT_EQ(c.interval, 15s);
  EXPECT_EQ(c.timeout, 3s);
  EXPECT_EQ(c.confirm_failures, 3);
  EXPECT_THAT(c.vantages, ElementsAre("us-east", "eu-west"));
  EXPECT_EQ(c.max_redirects, 0);
  EXPECT_EQ(c.max_body_bytes, 1u << 20);
  EXPECT_EQ(c.ip_version, IpVersion::v4);
  ASSERT_EQ(c.expect.status.size(), 3u);
  EXPECT_EQ(c.expect.status[0].low, 200);
  EXPECT_EQ(c.expect.status[0].high, 200);
  EXPECT_EQ(c.expect.status[2].low, 300);
  EXPECT_EQ(c.expect.status[2].high, 302);
  EXPECT_EQ(c.expect.body_regex, "\"status\":\\s*\"(ok|degraded)\"");
  ASSERT_EQ(c.expect.headers.size(), 3u);
  EXPECT_EQ(c.expect.headers[0].regex, "^application/json");
  EXPECT_FALSE(c.expect.headers[1].present);
  EXPECT_EQ(c.expect.headers[2].equals, "no-store");
  EXPECT_TRUE(c.expect.headers[2].present);
  EXPECT_EQ(c.expect.max_latency, 1500ms);
  EXPECT_EQ(c.tls.ca_file,
            (testing::examples_dir() / "certs/internal-ca.pem").lexically_normal().string());
  EXPECT_EQ(c.tls.server_name, "api.example.com");
  EXPECT_EQ(c.tls.min_days_to_expiry, 7);
  EXPECT_EQ(c.watch.json_pointer, "");
}

TEST_F(FullExample, DatabaseAndOtherChecks) {
  const Check& pg = check("db-users");
  EXPECT_EQ(pg.dsn, "postgresql://probe:pg-example-password@db:5432/app");
  EXPECT_EQ(pg.query, "SELECT id FROM users WHERE id = 1");
  EXPECT_EQ(pg.expect.rows, 1);
  EXPECT_EQ(pg.expect.value, "1");
  EXPECT_TRUE(pg.watch_settings.enabled);
  EXPECT_FALSE(pg.watch_settings.every.has_value());

  const Check& my = check("db-orders");
  EXPECT_EQ(my.type, "mysql");
  EXPECT_EQ(my.expect.max_latency, 500ms);
  EXPECT_TRUE(my.watch_settings.enabled);
  EXPECT_EQ(my.watch_settings.every, 5min);

  const Check& redis = check("cache");
  EXPECT_THAT(redis.command, ElementsAre("GET", "health"));
  EXPECT_EQ(redis.expect.value, "ok");
  EXPECT_FALSE(redis.watch_settings.enabled);

  const Check& tcp = check("api-port");
  EXPECT_EQ(tcp.address, "api:443");
  EXPECT_TRUE(tcp.tls.enabled);
  EXPECT_EQ(tcp.expect.max_latency, 300ms);
  EXPECT_EQ(check("dns-v6").address, "[2001:db8::53]:53");
  EXPECT_FALSE(check("dns-v6").tls.enabled);
  EXPECT_EQ(check("dns-v6").interval, 1min);
}

TEST_F(FullExample, CollectsSecrets) {
  EXPECT_THAT(cfg_.secrets, Contains("pg-example-password"));
  EXPECT_THAT(cfg_.secrets, Contains("my-example-password"));
  EXPECT_THAT(cfg_.secrets, Contains("redis-example-password"));
  EXPECT_THAT(cfg_.secrets, Contains("Bearer example-value"));  // Authorization header
  EXPECT_THAT(cfg_.secrets, Contains("example-value"));         // ${API_TOKEN}
  EXPECT_THAT(cfg_.secrets, Not(Contains("application/json")));
}

// --- defaults and paths ----------------------------------------------------------------------

TEST(Loader, MinimalConfigGetsDefaults) {
  Config cfg = must_load(kMinimal);
  EXPECT_EQ(cfg.min_vantages, 1);
  EXPECT_EQ(cfg.store.path, "/etc/prober/prober.db");
  EXPECT_EQ(cfg.store.url, "sqlite:///etc/prober/prober.db");
  EXPECT_FALSE(cfg.spool.has_value());
  EXPECT_FALSE(cfg.server.has_value());
  EXPECT_FALSE(cfg.slo.has_value());
  EXPECT_EQ(cfg.engine.max_in_flight, 2000);
  ASSERT_EQ(cfg.checks.size(), 1u);
  EXPECT_EQ(cfg.checks[0].interval, 30s);
  EXPECT_EQ(cfg.checks[0].timeout, 5s);
  EXPECT_EQ(cfg.checks[0].confirm_failures, 2);
  EXPECT_TRUE(cfg.checks[0].expect.status.empty());
  EXPECT_TRUE(cfg.secrets.empty());
}

TEST(Loader, MinVantagesDefaultsToTwoWhenThereAreEnough) {
  Config cfg = must_load(R"(vantages: [{name: a}, {name: b}, {name: c}]
checks: [{name: web, type: http, url: "https://example.com/"}])");
  EXPECT_EQ(cfg.min_vantages, 2);
}

TEST(Loader, DefaultsApplyToChecksThatDoNotOverride) {
  Config cfg = must_load(R"(vantages: [{name: a}]
defaults: {interval: 1m, timeout: 10s, confirm_failures: 4}
checks:
  - {name: one, type: tcp, address: "a:1"}
  - {name: two, type: tcp, address: "a:1", interval: 2m, confirm_failures: 1}
  - {name: three, type: tcp, address: "a:1", timeout: 45s})");
  EXPECT_EQ(cfg.checks[0].interval, 1min);
  EXPECT_EQ(cfg.checks[0].timeout, 10s);
  EXPECT_EQ(cfg.checks[0].confirm_failures, 4);
  EXPECT_EQ(cfg.checks[1].interval, 2min);
  EXPECT_EQ(cfg.checks[1].confirm_failures, 1);
  EXPECT_EQ(cfg.checks[2].timeout, 45s);
}

TEST(Loader, ResolvesRelativePathsAgainstTheConfigDirectory) {
  Config cfg = must_load(R"(vantages: [{name: a}]
store: {url: "sqlite://data/../var/p.db"}
spool: {dir: ./spool}
checks: [{name: web, type: http, url: "https://example.com/"}])",
                         &test_env, "/srv/prober/conf");
  EXPECT_EQ(cfg.store.path, "/srv/prober/conf/var/p.db");
  EXPECT_EQ(cfg.store.url, "sqlite:///srv/prober/conf/var/p.db");
  EXPECT_EQ(cfg.spool->dir, "/srv/prober/conf/spool");
  EXPECT_EQ(cfg.spool->max_bytes, 1ull << 30);
}

TEST(Loader, KeepsAbsoluteSqlitePathsAndPostgresUrls) {
  Config abs = must_load(R"(vantages: [{name: a}]
store: {url: "sqlite:///var/lib/prober/p.db", retention: 90d}
checks: [{name: web, type: http, url: "https://example.com/"}])");
  EXPECT_EQ(abs.store.path, "/var/lib/prober/p.db");
  EXPECT_EQ(abs.store.url, "sqlite:///var/lib/prober/p.db");
  EXPECT_EQ(abs.store.retention, std::chrono::hours(24 * 90));

  Config pg = must_load(R"(vantages: [{name: a}]
store: {url: "postgresql://prober:${PG_PASSWORD}@store:5432/prober"}
checks: [{name: web, type: http, url: "https://example.com/"}])");
  EXPECT_EQ(pg.store.url, "postgresql://prober:pg-pass-word@store:5432/prober");
  EXPECT_EQ(pg.store.path, "");
  EXPECT_THAT(pg.secrets, Contains("pg-pass-word"));

  Config pg2 = must_load(R"(vantages: [{name: a}]
store: {url: "postgres://prober@store/prober"}
checks: [{name: web, type: http, url: "https://example.com/"}])");
  EXPECT_EQ(pg2.store.url, "postgres://prober@store/prober");
}

TEST(Loader, RelativeBaseDirIsMadeAbsolute) {
  Config cfg = must_load(kMinimal, &test_env, "");
  EXPECT_TRUE(fs::path(cfg.store.path).is_absolute()) << cfg.store.path;
  EXPECT_EQ(cfg.store.path, (fs::current_path() / "prober.db").lexically_normal().string());
}

TEST(Loader, LoadConfigFileUsesTheFilesDirectory) {
  const fs::path path = testing::examples_dir() / "minimal.yaml";
  LoadResult r = load_config_file(path.string(), &testing::example_env);
  ASSERT_TRUE(r.config.has_value()) << problems_of(r);
  EXPECT_EQ(r.config->store.path, (testing::examples_dir() / "prober.db").lexically_normal());
}

// --- ${VAR} ----------------------------------------------------------------------------------

TEST(Loader, SubstitutesEnvironmentVariablesInAnyScalar) {
  Config cfg = must_load(R"(vantages: [{name: a, weight: "${PORT}"}]
checks:
  - name: db
    type: postgres
    dsn: "postgresql://probe:${TOKEN}@${HOST}:${PORT}/app"
    query: SELECT 1
    labels: {host: "${HOST}", empty: "x${EMPTY}y"}
)");
  EXPECT_DOUBLE_EQ(cfg.vantages[0].weight, 5432);
  EXPECT_EQ(cfg.checks[0].dsn, "postgresql://probe:tok-123456@db.internal:5432/app");
  EXPECT_EQ(cfg.checks[0].labels.at("host"), "db.internal");
  EXPECT_EQ(cfg.checks[0].labels.at("empty"), "xy");
  // Every substituted value of 3+ characters is a secret, and so is the DSN password.
  EXPECT_THAT(cfg.secrets, Contains("tok-123456"));
  EXPECT_THAT(cfg.secrets, Contains("db.internal"));
  EXPECT_THAT(cfg.secrets, Contains("5432"));
}

TEST(Loader, DollarDollarIsALiteralDollarAndLoneDollarsStay) {
  Config cfg = must_load(R"(vantages: [{name: a}]
checks:
  - name: web
    type: http
    url: "https://example.com/$$HOME"
    body: "cost: $5 ${SHORT}"
    expect: {body_regex: "^ok$", body_contains: "$${NOT_A_VAR}"}
)");
  const Check& c = cfg.checks[0];
  EXPECT_EQ(c.url, "https://example.com/$HOME");
  EXPECT_EQ(c.body, "cost: $5 ab");
  EXPECT_EQ(c.expect.body_regex, "^ok$");
  EXPECT_EQ(c.expect.body_contains, "${NOT_A_VAR}");
  EXPECT_THAT(cfg.secrets, Not(Contains("ab")));  // shorter than 3: not a secret
}

TEST(Loader, UnsetVariableIsAProblemAtItsScalar) {
  LoadResult r = load(R"(vantages: [{name: a}]
checks:
  - name: db
    type: postgres
    dsn: "postgresql://probe:${PG_PASSWORD}@db/app"
    query: SELECT 1
)",
                      &no_env);
  EXPECT_EQ(problems_of(r), "test.yaml:5:10: environment variable PG_PASSWORD is not set\n");
  EXPECT_FALSE(r.config.has_value());
}

TEST(Loader, WithoutALookupUsesTheProcessEnvironment) {
  ::setenv("PROBER_CONFIG_TEST_VAR", "from-the-environment", 1);
  ::unsetenv("PROBER_CONFIG_TEST_UNSET");
  Config cfg = must_load(R"(vantages: [{name: "${PROBER_CONFIG_TEST_VAR}"}]
checks: [{name: web, type: http, url: "https://example.com/"}])",
                         nullptr);
  EXPECT_EQ(cfg.vantages[0].name, "from-the-environment");
  LoadResult r = load(R"(vantages: [{name: "${PROBER_CONFIG_TEST_UNSET}"}]
checks: [{name: web, type: http, url: "https://example.com/"}])",
                      nullptr);
  EXPECT_EQ(problems_of(r),
            "test.yaml:1:19: environment variable PROBER_CONFIG_TEST_UNSET is not set\n");
}

// --- secrets ---------------------------------------------------------------------------------

TEST(Loader, CollectsSecretHeadersAndUrlPasswords) {
  Config cfg = must_load(R"(vantages: [{name: a}]
store: {url: "postgresql://prober:store%40pw@store/prober"}
alerts: [{url: "https://hook:alertpw@hooks.example.com/x"}]
checks:
  - name: web
    type: http
    url: "https://user:urlpw@example.com/"
    headers:
      Authorization: "Basic dXNlcjpwYXNz"
      proxy-authorization: proxy-credential
      Cookie: "session=abc123"
      X-API-Key: key-value-1
      X-Auth-Token: token-value-2
      X-Client-Secret: secret-value-3
      Accept: text/html
      User-Agent: prober
  - name: cache
    type: redis
    dsn: "redis://:redispw@cache:6379/0"
    command: [PING]
)");
  EXPECT_THAT(cfg.secrets, Contains("store%40pw"));
  EXPECT_THAT(cfg.secrets, Contains("store@pw"));  // percent-decoded, as the driver sees it
  EXPECT_THAT(cfg.secrets, Contains("alertpw"));
  EXPECT_THAT(cfg.secrets, Contains("urlpw"));
  EXPECT_THAT(cfg.secrets, Contains("Basic dXNlcjpwYXNz"));
  EXPECT_THAT(cfg.secrets, Contains("dXNlcjpwYXNz"));
  EXPECT_THAT(cfg.secrets, Contains("proxy-credential"));
  EXPECT_THAT(cfg.secrets, Contains("session=abc123"));
  EXPECT_THAT(cfg.secrets, Contains("key-value-1"));
  EXPECT_THAT(cfg.secrets, Contains("token-value-2"));
  EXPECT_THAT(cfg.secrets, Contains("secret-value-3"));
  EXPECT_THAT(cfg.secrets, Contains("redispw"));
  EXPECT_THAT(cfg.secrets, Not(Contains("text/html")));
  EXPECT_THAT(cfg.secrets, Not(Contains("prober")));
  EXPECT_EQ(std::count(cfg.secrets.begin(), cfg.secrets.end(), "urlpw"), 1);
}

TEST(Loader, ProblemMessagesDoNotLeakSecrets) {
  LoadResult r = load(R"(vantages: [{name: a, weight: "${TOKEN}"}, {name: b, weight: literalpw}]
checks:
  - {name: db, type: postgres, dsn: "postgresql://u:literalpw@db/app", query: SELECT 1}
)");
  EXPECT_EQ(problems_of(r),
            "test.yaml:1:30: expected a number for 'weight', got '***'\n"
            "test.yaml:1:61: expected a number for 'weight', got '***'\n");
}

// --- syntax and messages ---------------------------------------------------------------------

TEST(Loader, DidYouMeanSuggestsTheClosestKnownKey) {
  LoadResult r = load(R"(vantages: [{name: a}]
chekcs: []
checks:
  - {name: web, type: http, url: "https://example.com/", Interval: 10s, mehtod: GET, zzz: 1}
)");
  EXPECT_EQ(problems_of(r),
            "test.yaml:2:1: unknown key 'chekcs' (did you mean 'checks'?)\n"
            "test.yaml:4:58: unknown key 'Interval' (did you mean 'interval'?)\n"
            "test.yaml:4:73: unknown key 'mehtod' (did you mean 'method'?)\n"
            "test.yaml:4:86: unknown key 'zzz'\n");
}

TEST(Loader, MergeKeysAndExtensionKeys) {
  Config cfg = must_load(R"(vantages: [{name: a}]
x-http: &http {type: http, interval: 10s, timeout: 2s, labels: {team: web}}
checks:
  - <<: *http
    name: one
    url: https://example.com/
  - <<: *http
    name: two
    url: https://example.org/
    timeout: 9s
)");
  ASSERT_EQ(cfg.checks.size(), 2u);
  EXPECT_EQ(cfg.checks[0].type, "http");
  EXPECT_EQ(cfg.checks[0].interval, 10s);
  EXPECT_EQ(cfg.checks[0].labels.at("team"), "web");
  EXPECT_EQ(cfg.checks[1].timeout, 9s);  // the explicit key wins
}

TEST(Loader, AcceptsYamlSpellingsOfNumbersAndBooleans) {
  Config cfg = must_load(R"(vantages: [{name: a, weight: "12.5"}, {name: b, weight: +3}]
checks:
  - name: web
    type: http
    url: http://example.com/
    ip_version: "6"
    expect: {status: "204"}
    tls: {verify: no}
  - {name: port, type: tcp, address: "[::1]:8443", tls: {enabled: True}}
)");
  EXPECT_DOUBLE_EQ(cfg.vantages[0].weight, 12.5);
  EXPECT_DOUBLE_EQ(cfg.vantages[1].weight, 3);
  EXPECT_FALSE(cfg.checks[0].tls.enabled);  // http:// url
  EXPECT_FALSE(cfg.checks[0].tls.verify);
  EXPECT_EQ(cfg.checks[0].ip_version, IpVersion::v6);
  ASSERT_EQ(cfg.checks[0].expect.status.size(), 1u);
  EXPECT_EQ(cfg.checks[0].expect.status[0].low, 204);
  EXPECT_EQ(cfg.checks[0].expect.status[0].high, 204);
  EXPECT_TRUE(cfg.checks[1].tls.enabled);
}

TEST(Loader, SyntaxErrorIsOneProblemAtItsPosition) {
  LoadResult r = load("vantages:\n  - {name: \"${NOPE}\"}\nchecks: [\n");
  // Only the syntax error, not the unset variable read before it; at the end of the input,
  // where yaml-cpp finds the unclosed '['.
  EXPECT_EQ(problems_of(r), "test.yaml:4:1: invalid YAML: end of sequence flow not found\n");
}

TEST(Loader, NulByteIsReportedWhereItIs) {
  std::string text = "vantages: [{name: a}]\nchecks: [x";
  text += '\0';
  text += "]\n";
  LoadResult r = load(text);
  EXPECT_EQ(problems_of(r), "test.yaml:2:11: file contains a NUL byte (is it a text file?)\n");
}

TEST(Loader, SelfReferencingAnchorDoesNotLoop) {
  LoadResult r = load("vantages: &v [{name: a}, *v]\nchecks: []\n");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_FALSE(r.problems.empty());
}

TEST(Loader, HugeInputIsRefused) {
  std::string text = "vantages: [{name: a}]\n# ";
  text.append(65u << 20, 'x');
  LoadResult r = load(text);
  EXPECT_EQ(problems_of(r), "test.yaml:1:1: file is too large (more than 64 MiB)\n");
}

TEST(Loader, MissingFileAndDirectoryAreProblemsWithoutPosition) {
  LoadResult missing = load_config_file("/nonexistent/prober.yaml", &no_env);
  EXPECT_EQ(problems_of(missing),
            "/nonexistent/prober.yaml: cannot read the config: No such file or directory\n");
  EXPECT_FALSE(missing.config.has_value());
  const std::string dir = testing::examples_dir().string();
  LoadResult directory = load_config_file(dir, &no_env);
  EXPECT_EQ(problems_of(directory), dir + ": cannot read the config: it is a directory\n");
}

TEST(Loader, ThousandsOfProblemsAreCappedAndQuick) {
  std::string text = "vantages: [{name: a}]\nchecks:\n  - name: web\n    type: http\n";
  text += "    url: https://example.com/\n";
  for (int i = 0; i < 20000; ++i) text += "    intervall" + std::to_string(i) + ": 1s\n";
  text += "components:\n  - name: c\n    checks: [";
  for (int i = 0; i < 5000; ++i) text += (i ? ", w" : "w") + std::to_string(i);
  text += "]\n";
  auto started = std::chrono::steady_clock::now();
  LoadResult r = load(text);
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(r.problems.size(), 1001u);
  EXPECT_EQ(r.problems[0].to_string(),
            "test.yaml:6:5: unknown key 'intervall0' (did you mean 'interval'?)");
  EXPECT_EQ(r.problems.back().to_string(),
            "test.yaml: too many problems: only the first 1000 are shown");
  EXPECT_LT(elapsed, 20s);  // generous: sanitizer builds on a busy machine
}

TEST(Problem, ToStringFormats) {
  EXPECT_EQ((Problem{"a.yaml", 3, 7, "bad"}).to_string(), "a.yaml:3:7: bad");
  EXPECT_EQ((Problem{"a.yaml", 0, 0, "bad"}).to_string(), "a.yaml: bad");
}

TEST(Loader, ProblemsAreCollectedNotStoppedAtTheFirst) {
  LoadResult r = load(R"(vantages: [{name: a, weight: 0}]
defaults: {interval: 0s}
checks:
  - {name: x, type: http, url: "ftp://x"}
  - {name: x, type: tcp, address: "x"}
)");
  EXPECT_EQ(problems_of(r),
            "test.yaml:1:30: 'weight' must be > 0, got '0'\n"
            "test.yaml:2:22: 'interval' must be positive, got '0s'\n"
            "test.yaml:4:32: url scheme must be http or https, got 'ftp'\n"
            "test.yaml:5:12: duplicate check name 'x' (first at line 4)\n"
            "test.yaml:5:35: invalid address 'x' (expected host:port, IPv6 as [::1]:443)\n");
}

}  // namespace
}  // namespace prober::config
