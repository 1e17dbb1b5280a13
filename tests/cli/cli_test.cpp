// The `prober` executable end to end: exit codes, output shapes, signals, reload, crash
// safety of the store, and secrets kept out of every output.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <sstream>
#include <thread>

#include "prober/core/time.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"

namespace prober {
namespace {
using namespace std::chrono_literals;
using testing::Child;
using testing::ProcessResult;
using testing::run_process;
using testing::TempDir;
using testing::TestServer;

const std::string kProber = PROBER_BINARY;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string config_for(const std::string& store, const std::string& checks,
                       const std::string& extra = "") {
  return "vantages:\n  - {name: eu-west, weight: 60}\n  - {name: us-east, weight: 40}\n"
         "store: {url: \"sqlite://" +
         store + "\"}\n" + extra + "checks:\n" + checks;
}

std::string http_check(const std::string& name, const std::string& url,
                       const std::string& interval = "200ms", const std::string& more = "") {
  return "  - name: " + name + "\n    type: http\n    url: " + url + "\n    interval: " + interval +
         "\n    timeout: " + interval + "\n" + more;
}

std::int64_t count_results(const std::string& db_path, const std::string& where = "1=1") {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return -1;
  std::string sql =
      "SELECT COUNT(*) FROM results r JOIN series s ON s.id = r.series_id WHERE " + where;
  sqlite3_stmt* s = nullptr;
  std::int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    n = sqlite3_column_int64(s, 0);
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

TEST(Cli, ValidatePrintsCountsOrProblems) {
  TempDir dir;
  dir.write("ok.yaml", config_for("p.db", http_check("web", "http://127.0.0.1:9/")));
  ProcessResult ok = run_process({kProber, "validate", dir.file("ok.yaml")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "ok: 1 check, 2 vantages\n");

  dir.write("bad.yaml", config_for("p.db", http_check("web", "ftp://x/") + "    intervall: 5s\n"));
  ProcessResult bad = run_process({kProber, "validate", dir.file("bad.yaml")});
  EXPECT_EQ(bad.exit_code, 2);
  auto problems = lines_of(bad.err);
  ASSERT_EQ(problems.size(), 2u) << bad.err;
  EXPECT_EQ(problems[0],
            dir.file("bad.yaml") + ":8:10: url scheme must be http or https, got 'ftp'");
  EXPECT_NE(problems[1].find("unknown key 'intervall' (did you mean 'interval'?)"),
            std::string::npos);
}

TEST(Cli, CheckPrintsOneJsonLineAndExitCode) {
  TestServer up(testing::respond_status(200, "fine"));
  TestServer down(testing::respond_status(500, "broken"));
  TempDir dir;
  dir.write("c.yaml",
            config_for("p.db", http_check("up", up.url("/")) + http_check("down", down.url("/"))));
  ProcessResult ok = run_process({kProber, "check", "--config", dir.file("c.yaml"), "up"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  auto lines = lines_of(ok.out);
  ASSERT_EQ(lines.size(), 1u);
  auto value = boost::json::parse(lines[0]);
  EXPECT_EQ(value.at("check").as_string(), "up");
  EXPECT_EQ(value.at("vantage").as_string(), "eu-west");  // the first vantage by default
  EXPECT_EQ(value.at("ok").as_bool(), true);

  ProcessResult failed = run_process(
      {kProber, "check", "--config", dir.file("c.yaml"), "down", "--vantage", "us-east"});
  EXPECT_EQ(failed.exit_code, 1);
  value = boost::json::parse(lines_of(failed.out).at(0));
  EXPECT_EQ(value.at("vantage").as_string(), "us-east");
  EXPECT_EQ(value.at("error").as_string(), "http_status");
  EXPECT_EQ(value.at("status_code").as_int64(), 500);

  ProcessResult env_vantage = run_process({kProber, "check", "--config", dir.file("c.yaml"), "up"},
                                          "", {"PROBER_VANTAGE=us-east"});
  EXPECT_EQ(boost::json::parse(lines_of(env_vantage.out).at(0)).at("vantage").as_string(),
            "us-east");
  ProcessResult unknown = run_process({kProber, "check", "--config", dir.file("c.yaml"), "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  ProcessResult bad_vantage =
      run_process({kProber, "check", "--config", dir.file("c.yaml"), "up", "--vantage", "mars"});
  EXPECT_EQ(bad_vantage.exit_code, 2);
}

TEST(Cli, RunStoresResultsAndResultsExportsThem) {
  TestServer server(testing::respond_status(200, "Welcome"));
  TempDir dir;
  dir.write("c.yaml", config_for(dir.file("p.db"), http_check("web", server.url("/"), "100ms")));
  ProcessResult run = run_process(
      {kProber, "run", "--config", dir.file("c.yaml"), "--vantage", "us-east", "--duration", "1s"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("stopped: runs="), std::string::npos) << run.err;

  ProcessResult results = run_process({kProber, "results", "--config", dir.file("c.yaml")});
  EXPECT_EQ(results.exit_code, 0) << results.err;
  auto lines = lines_of(results.out);
  EXPECT_GE(lines.size(), 6u);  // 1 s at 100 ms: 10, give or take a loaded machine
  EXPECT_LE(lines.size(), 12u);
  std::string previous_ts;
  for (const auto& line : lines) {
    auto v = boost::json::parse(line).as_object();
    EXPECT_EQ(v.at("check").as_string(), "web");
    EXPECT_EQ(v.at("vantage").as_string(), "us-east");
    EXPECT_TRUE(v.at("ok").as_bool());
    std::string ts(v.at("ts").as_string());
    EXPECT_GT(ts, previous_ts);
    previous_ts = ts;
  }
  // --from/--to select by ts (half-open).
  auto first = std::string(boost::json::parse(lines[0]).at("ts").as_string());
  auto third = std::string(boost::json::parse(lines[2]).at("ts").as_string());
  ProcessResult window = run_process(
      {kProber, "results", "--config", dir.file("c.yaml"), "--from", first, "--to", third});
  EXPECT_EQ(lines_of(window.out).size(), 2u);
  ProcessResult none =
      run_process({kProber, "results", "--config", dir.file("c.yaml"), "--check", "other"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_TRUE(none.out.empty());
  ProcessResult bad_time =
      run_process({kProber, "results", "--config", dir.file("c.yaml"), "--from", "yesterday"});
  EXPECT_EQ(bad_time.exit_code, 2);
}

TEST(Cli, SigtermDrainsInFlightRunsAndExitsZero) {
  // Every response takes 600 ms; SIGTERM arrives while runs are in flight.
  TestServer server([](testing::Conn& conn) -> boost::asio::awaitable<void> {
    co_await conn.read_request();
    co_await conn.sleep(600ms);
    co_await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  });
  TempDir dir;
  std::string checks;
  for (int i = 0; i < 5; ++i) {
    checks += http_check("slow-" + std::to_string(i), server.url("/"), "1s");
  }
  dir.write("c.yaml", config_for(dir.file("p.db"), checks));
  Child child({kProber, "run", "--config", dir.file("c.yaml")});
  ASSERT_TRUE(child.wait_for_err("starting", 10s)) << child.err();
  std::this_thread::sleep_for(1300ms);  // every check has started once, some are in flight
  auto signalled = std::chrono::steady_clock::now();
  child.signal(SIGTERM);
  int code = child.wait(10s);
  auto took = std::chrono::steady_clock::now() - signalled;
  EXPECT_EQ(code, 0) << child.err();
  EXPECT_LT(took, 3s);
  std::string err = child.err();
  EXPECT_NE(err.find("stopping (SIGTERM)"), std::string::npos) << err;
  // Every run started was completed and stored: "runs=N" equals "stored=N".
  auto runs_at = err.find("runs=");
  auto stored_at = err.find("stored=");
  ASSERT_NE(runs_at, std::string::npos);
  ASSERT_NE(stored_at, std::string::npos);
  int runs = std::stoi(err.substr(runs_at + 5));
  int stored = std::stoi(err.substr(stored_at + 7));
  EXPECT_GE(runs, 5);
  EXPECT_EQ(runs, stored);
  EXPECT_EQ(count_results(dir.file("p.db")), stored);
  EXPECT_EQ(count_results(dir.file("p.db"), "r.ok = 0"), 0);
}

TEST(Cli, SighupReloadsAndKeepsOldConfigWhenNewIsInvalid) {
  TestServer server(testing::respond_status(200, "ok"));
  TempDir dir;
  std::string config_path = dir.file("c.yaml");
  dir.write("c.yaml", config_for(dir.file("p.db"), http_check("first", server.url("/"), "100ms")));
  Child child({kProber, "run", "--config", config_path});
  ASSERT_TRUE(child.wait_for_err("starting", 10s)) << child.err();

  dir.write("c.yaml", "vantages: [oops\n");
  child.signal(SIGHUP);
  ASSERT_TRUE(child.wait_for_err("keeping the running config", 5s)) << child.err();
  EXPECT_TRUE(child.running());

  dir.write("c.yaml",
            config_for(dir.file("p.db"), http_check("first", server.url("/"), "100ms") +
                                             http_check("second", server.url("/"), "100ms")));
  child.signal(SIGHUP);
  ASSERT_TRUE(child.wait_for_err("reload: 2 checks scheduled", 5s)) << child.err();
  std::this_thread::sleep_for(800ms);
  child.signal(SIGINT);
  EXPECT_EQ(child.wait(10s), 0) << child.err();
  EXPECT_GT(count_results(dir.file("p.db"), "s.check_name = 'second'"), 3);
  EXPECT_GT(count_results(dir.file("p.db"), "s.check_name = 'first'"), 5);
  // "first" was unchanged by both reloads: it kept its 100 ms grid throughout (no restart,
  // no double run, no gap).
  ProcessResult first =
      run_process({kProber, "results", "--config", config_path, "--check", "first"});
  std::vector<std::int64_t> starts;
  for (const auto& line : lines_of(first.out)) {
    auto ts = parse_rfc3339(std::string(boost::json::parse(line).at("ts").as_string()));
    ASSERT_TRUE(ts.has_value());
    starts.push_back(to_unix_micros(*ts));
  }
  // Half an interval of slack for a loaded CI machine: a double run (~0 apart) or a missed
  // slot (~200 ms) still fails.
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_NEAR(starts[i] - starts[i - 1], 100000, 50000) << "run " << i;
  }
}

TEST(Cli, SlowReloadDoesNotStallRunningChecks) {
  TestServer server(testing::respond_status(200, "ok"));
  TempDir dir;
  std::string config_path = dir.file("c.yaml");
  const std::string first = http_check("first", server.url("/"), "100ms");
  dir.write("c.yaml", config_for(dir.file("p.db"), first));
  Child child({kProber, "run", "--config", config_path});
  ASSERT_TRUE(child.wait_for_err("starting", 10s)) << child.err();

  // A config that takes a while to parse: tens of thousands of checks, all for the other
  // vantage, so the reload schedules nothing new here.
  std::string many = first;
  for (int i = 0; i < 40000; ++i) {
    many += "  - {name: other-" + std::to_string(i) +
            ", type: tcp, address: \"127.0.0.1:9\", vantages: [us-east]}\n";
  }
  dir.write("c.yaml", config_for(dir.file("p.db"), many));
  const auto sighup_at = std::chrono::system_clock::now();
  child.signal(SIGHUP);
  ASSERT_TRUE(child.wait_for_err("reload: 1 checks scheduled", 60s)) << child.err();
  const std::string err = child.err();
  const std::string marker = "config loaded in ";
  const auto at = err.find(marker);
  ASSERT_NE(at, std::string::npos) << err;
  const std::int64_t load_ms = std::stoll(err.substr(at + marker.size()));
  ASSERT_GE(load_ms, 400) << "the config parsed too fast to show anything; make it bigger";
  child.signal(SIGINT);
  EXPECT_EQ(child.wait(10s), 0) << child.err();

  // While the loader thread parsed, "first" kept running every 100 ms. Had the parse run on
  // the engine thread, no run would have started in that window.
  const std::int64_t window_from =
      std::chrono::duration_cast<std::chrono::microseconds>(sighup_at.time_since_epoch()).count() +
      100'000;
  const std::int64_t window_to = window_from + (load_ms - 200) * 1000;
  const std::int64_t during = count_results(
      dir.file("p.db"), "s.check_name = 'first' AND r.ts_us >= " + std::to_string(window_from) +
                            " AND r.ts_us < " + std::to_string(window_to));
  EXPECT_GE(during, (load_ms - 200) / 100 / 2) << "load took " << load_ms << " ms";
}

TEST(Cli, KillNineLeavesAConsistentStore) {
  TestServer server(testing::accept_and_hold());
  TempDir dir;
  std::string checks;
  for (int i = 0; i < 50; ++i) {
    checks += "  - {name: port-" + std::to_string(i) + ", type: tcp, address: \"" +
              server.address() + "\", interval: 100ms, timeout: 100ms}\n";
  }
  dir.write("c.yaml", config_for(dir.file("p.db"), checks));
  {
    Child child({kProber, "run", "--config", dir.file("c.yaml")});
    ASSERT_TRUE(child.wait_for_err("starting", 10s));
    std::this_thread::sleep_for(1500ms);
    child.signal(SIGKILL);
    EXPECT_EQ(child.wait(5s), 128 + SIGKILL);
  }
  std::int64_t after_crash = count_results(dir.file("p.db"));
  EXPECT_GT(after_crash, 300);  // ~500 produced; at most the last batch (200 ms) is lost
  ProcessResult again =
      run_process({kProber, "run", "--config", dir.file("c.yaml"), "--duration", "500ms"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_GT(count_results(dir.file("p.db")), after_crash);
  ProcessResult export_all = run_process({kProber, "results", "--config", dir.file("c.yaml")});
  EXPECT_EQ(export_all.exit_code, 0);
  EXPECT_EQ(static_cast<std::int64_t>(lines_of(export_all.out).size()),
            count_results(dir.file("p.db")));
}

TEST(Cli, SecretsNeverReachLogsOrResults) {
  TestServer server(testing::respond_status(200, "public page"));
  TempDir dir;
  const std::string secret = "hunter2-very-secret";
  std::string checks = http_check("web", server.url("/"), "100ms",
                                  "    headers: {Authorization: \"Bearer ${API_TOKEN}\"}\n"
                                  "    expect: {body_contains: \"${API_TOKEN}\"}\n");
  dir.write("c.yaml", config_for(dir.file("p.db"), checks));
  ProcessResult run = run_process({kProber, "--log-level", "debug", "run", "--config",
                                   dir.file("c.yaml"), "--duration", "600ms"},
                                  "", {"API_TOKEN=" + secret});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // The body assertion fails and its detail would quote the token: it must be masked.
  EXPECT_NE(run.err.find("body does not contain \"***\""), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(secret), std::string::npos) << run.err;
  EXPECT_EQ(run.out.find(secret), std::string::npos);
  ProcessResult results = run_process({kProber, "results", "--config", dir.file("c.yaml")}, "",
                                      {"API_TOKEN=" + secret});
  EXPECT_FALSE(results.out.empty());
  EXPECT_EQ(results.out.find(secret), std::string::npos);
  EXPECT_NE(results.out.find("***"), std::string::npos);
  // And the store file itself.
  EXPECT_EQ(testing::read_file(dir.file("p.db")).find(secret), std::string::npos);
  EXPECT_EQ(testing::read_file(dir.file("p.db") + "-wal").find(secret), std::string::npos);
}

TEST(Cli, JsonLogFormatIsOneObjectPerLine) {
  TestServer server(testing::respond_status(503, "down"));
  TempDir dir;
  dir.write("c.yaml", config_for(dir.file("p.db"), http_check("web", server.url("/"), "100ms")));
  ProcessResult run = run_process({kProber, "--log-format", "json", "run", "--config",
                                   dir.file("c.yaml"), "--duration", "400ms"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = lines_of(run.err);
  ASSERT_GE(lines.size(), 3u);
  bool saw_failure = false;
  for (const auto& line : lines) {
    boost::json::value v;
    ASSERT_NO_THROW(v = boost::json::parse(line)) << line;
    EXPECT_TRUE(v.as_object().contains("ts"));
    EXPECT_TRUE(v.as_object().contains("level"));
    saw_failure |= std::string(v.at("msg").as_string()).find("check web failing") == 0;
  }
  EXPECT_TRUE(saw_failure) << run.err;
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_process({kProber}).exit_code, 2);
  EXPECT_EQ(run_process({kProber, "frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_process({kProber, "run"}).exit_code, 2);
  EXPECT_EQ(run_process({kProber, "validate", "/nonexistent/config.yaml"}).exit_code, 2);
  TempDir dir;
  dir.write("c.yaml", config_for("p.db", http_check("web", "http://127.0.0.1:9/")));
  EXPECT_EQ(
      run_process({kProber, "run", "--config", dir.file("c.yaml"), "--duration", "soon"}).exit_code,
      2);
  EXPECT_EQ(run_process({kProber, "--version"}).exit_code, 0);
}

}  // namespace
}  // namespace prober
