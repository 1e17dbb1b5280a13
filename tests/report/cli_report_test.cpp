// `prober report` end to end: the real binary as a child process, a config and a JSON-lines
// fixture (the seed incident) in a fresh temp dir per test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "prober/codec/result_json.hpp"
#include "prober/store/store.hpp"
#include "report/support.hpp"

namespace prober::report {
namespace {

using test::ProcessResult;
using test::run_process;
using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
namespace json = boost::json;

const std::string kProber = PROBER_BINARY;

// A temp dir holding c.yaml (store p.db beside it) and f.jsonl (the seed incident).
struct Fixture {
  TempDir dir;
  std::string config = dir.file("c.yaml");
  std::string input = dir.file("f.jsonl");
  explicit Fixture(const std::string& jsonl = test::seed_jsonl(), const std::string& extra = "") {
    dir.write("c.yaml", test::seed_config(dir.file("p.db"), extra));
    dir.write("f.jsonl", jsonl);
  }
  ProcessResult report(std::vector<std::string> args, const std::string& stdin_data = "") const {
    std::vector<std::string> argv = {kProber, "report", "--config", config};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, stdin_data);
  }
};

json::value parse(const ProcessResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  try {
    return json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.out.substr(0, 500);
    return nullptr;
  }
}

const json::object& check_of(const json::value& report, const std::string& name) {
  for (const auto& c : report.at("checks").as_array()) {
    if (c.at("check").as_string() == name) return c.as_object();
  }
  throw std::runtime_error("no check " + name + " in the report");
}

TEST(ReportCli, SeedIncidentFromJsonl) {
  Fixture f;
  const ProcessResult r = f.report({"--input", f.input, "--format", "json"});
  const json::value v = parse(r);
  EXPECT_THAT(r.err, Not(HasSubstr("warning"))) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("analysed"))) << "no progress when stderr is not a terminal";
  EXPECT_EQ(v.at("from"), json::value("2024-05-05T12:00:00.000Z"));
  EXPECT_EQ(v.at("to"), json::value("2024-05-06T12:00:00.400Z"));  // last ts + 400 ms
  ASSERT_EQ(v.at("checks").as_array().size(), 2u);
  const json::object& web = check_of(v, "web-home");
  EXPECT_EQ(web.at("availability_pct"), json::value(25));  // 64800 of 86400.4 s, 3 decimals
  EXPECT_EQ(web.at("user_weighted_availability_pct"), json::value(40));
  EXPECT_EQ(web.at("coverage_pct"), json::value(100));
  EXPECT_EQ(web.at("slo").at("used_s"), json::value(64800));
  EXPECT_EQ(web.at("blips"), json::value(0));
  const auto& outages = web.at("outages").as_array();
  ASSERT_EQ(outages.size(), 1u);
  const json::object& o = outages[0].as_object();
  EXPECT_EQ(o.at("start"), json::value("2024-05-05T15:00:00.000Z"));
  EXPECT_EQ(o.at("end"), json::value("2024-05-06T09:00:00.000Z"));
  EXPECT_EQ(o.at("duration_s"), json::value(64800));
  EXPECT_EQ(o.at("peak_impact_pct"), json::value(80));
  EXPECT_EQ(o.at("avg_impact_pct"), json::value(80));
  EXPECT_EQ(o.at("detected_at"), json::value("2024-05-05T15:01:00.250Z"));
  EXPECT_EQ(o.at("ttd_s"), json::value(60.25));
  EXPECT_EQ(o.at("vantages"), json::parse(R"(["ap-south","eu-west","us-east"])"));
  EXPECT_FALSE(o.contains("in_maintenance"));
  const auto& causes = o.at("suspected_causes").as_array();
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0], json::parse(R"({"at":"2024-05-05T14:58:03.120Z","check":"db-users",
      "vantage":"eu-west","kind":"setting","what":"search_path: \"$user\", public -> nowhere"})"));
  EXPECT_TRUE(web.at("vantage_incidents").as_array().empty());
  // db-users has no result at all: every vantage unknown, nothing down.
  const json::object& db = check_of(v, "db-users");
  EXPECT_EQ(db.at("coverage_pct"), json::value(0));
  EXPECT_TRUE(db.at("outages").as_array().empty());
}

TEST(ReportCli, MalformedLinesAreReportedWithLineNumbersAndSkipped) {
  std::string jsonl = test::seed_jsonl();
  // Line 3 and line 10 (after the insertion of line 3) are broken.
  auto insert_at = [&](std::size_t line, const std::string& text) {
    std::size_t pos = 0;
    for (std::size_t i = 1; i < line; ++i) pos = jsonl.find('\n', pos) + 1;
    jsonl.insert(pos, text + "\n");
  };
  insert_at(3, "{\"check\":\"web-home\",\"vantage\":\"us-east\",\"ts\":\"yesterday\"}");
  insert_at(10, "this is not json");
  Fixture f(jsonl);
  const ProcessResult r = f.report({"--input", f.input});
  const json::value v = parse(r);
  EXPECT_THAT(r.err, HasSubstr(f.input + ":3: "));
  EXPECT_THAT(r.err, HasSubstr(f.input + ":10: "));
  EXPECT_THAT(r.err, HasSubstr("skipped 2 malformed line(s)"));
  const auto& outages = check_of(v, "web-home").at("outages").as_array();
  ASSERT_EQ(outages.size(), 1u);
  EXPECT_EQ(outages[0].at("duration_s"), json::value(64800));
}

TEST(ReportCli, InputFromStdin) {
  Fixture f;
  const ProcessResult from_file = f.report({"--input", f.input});
  const ProcessResult from_stdin = f.report({"--input", "-"}, test::seed_jsonl());
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, from_file.out);
  EXPECT_THAT(from_stdin.out, HasSubstr("\"duration_s\":64800"));

  const ProcessResult bad = f.report({"--input", "-"}, "garbage\n");
  EXPECT_THAT(bad.err, HasSubstr("<stdin>:1: "));
  EXPECT_EQ(bad.exit_code, 1);  // nothing left to report on
  EXPECT_THAT(bad.err, HasSubstr("no results"));
}

TEST(ReportCli, FromToClipThePeriodAndTheDurations) {
  Fixture f;
  const json::value whole = parse(f.report(
      {"--input", f.input, "--from", "2024-05-05T12:00:00Z", "--to", "2024-05-06T12:00:00Z"}));
  EXPECT_EQ(whole.at("from"), json::value("2024-05-05T12:00:00.000Z"));
  EXPECT_EQ(whole.at("to"), json::value("2024-05-06T12:00:00.000Z"));
  const json::object& w = check_of(whole, "web-home");
  EXPECT_EQ(w.at("availability_pct"), json::value(25));
  EXPECT_EQ(w.at("user_weighted_availability_pct"), json::value(40));
  EXPECT_EQ(w.at("slo").at("remaining_pct"), json::value(-74900));

  // From 3 h into the outage to 3 h before its end: ongoing at P's end, began before P.
  const json::value inner = parse(f.report(
      {"--input", f.input, "--from", "2024-05-05T18:00:00Z", "--to", "2024-05-06T06:00:00+00:00"}));
  EXPECT_EQ(inner.at("from"), json::value("2024-05-05T18:00:00.000Z"));
  EXPECT_EQ(inner.at("to"), json::value("2024-05-06T06:00:00.000Z"));
  const json::object& i = check_of(inner, "web-home");
  ASSERT_EQ(i.at("outages").as_array().size(), 1u);
  const json::object& o = i.at("outages").as_array()[0].as_object();
  EXPECT_EQ(o.at("start"), json::value("2024-05-05T18:00:00.000Z"));
  EXPECT_TRUE(o.at("end").is_null());
  EXPECT_EQ(o.at("duration_s"), json::value(43200));
  EXPECT_TRUE(o.at("ttd_s").is_null());
  EXPECT_EQ(o.at("began_before_period"), json::value(true));
  EXPECT_EQ(i.at("availability_pct"), json::value(0));

  // Only --from: the end is the data's.
  const json::value tail = parse(f.report({"--input", f.input, "--from", "2024-05-06T08:00:00Z"}));
  EXPECT_EQ(tail.at("to"), json::value("2024-05-06T12:00:00.400Z"));
  EXPECT_EQ(check_of(tail, "web-home").at("outages").as_array()[0].at("duration_s"),
            json::value(3600));
}

TEST(ReportCli, EveryFormatExitsZeroWithOutput) {
  Fixture f;
  for (const char* format : {"json", "md", "csv", "html"}) {
    const ProcessResult r = f.report({"--input", f.input, "--format", format});
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_GT(r.out.size(), 100u) << format;
  }
  const ProcessResult md = f.report({"--input", f.input, "--format", "md"});
  EXPECT_THAT(md.out, HasSubstr("## Postmortem (draft): outage of web-home"));
  EXPECT_THAT(md.out, HasSubstr("lasting 18 hours 0 minutes (64800 s)"));
  EXPECT_THAT(md.out, HasSubstr("`search_path: \"$user\", public -> nowhere`"));
  const ProcessResult csv = f.report({"--input", f.input, "--format", "csv"});
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 2);  // header + one outage
  EXPECT_THAT(csv.out, HasSubstr("web-home,2024-05-05T15:00:00.000Z,2024-05-06T09:00:00.000Z,"
                                 "64800,80,80,2024-05-05T15:01:00.250Z,60.25,"));
  const ProcessResult html = f.report({"--input", f.input, "--format", "html"});
  EXPECT_EQ(html.out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html.out, HasSubstr("</html>"));

  // --output writes the file and nothing to stdout.
  const ProcessResult to_file =
      f.report({"--input", f.input, "--format", "csv", "--output", f.dir.file("out.csv")});
  EXPECT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_TRUE(to_file.out.empty());
  EXPECT_EQ(test::read_file(f.dir.file("out.csv")), csv.out);
}

TEST(ReportCli, ExitCodes) {
  Fixture f;
  EXPECT_EQ(f.report({"--input", f.input, "--from", "yesterday"}).exit_code, 2);
  EXPECT_EQ(f.report({"--input", f.input, "--from", "2024-05-06T00:00:00Z", "--to",
                      "2024-05-05T00:00:00Z"})
                .exit_code,
            2);
  EXPECT_EQ(f.report({"--input", f.input, "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(f.report({"--input", f.input, "--bogus"}).exit_code, 2);
  const ProcessResult missing_input = f.report({"--input", f.dir.file("nope.jsonl")});
  EXPECT_EQ(missing_input.exit_code, 1);
  EXPECT_THAT(missing_input.err, HasSubstr("cannot read"));
  const ProcessResult missing_store = f.report({});
  EXPECT_EQ(missing_store.exit_code, 1);
  EXPECT_THAT(missing_store.err, HasSubstr("no store at"));
  const ProcessResult unwritable =
      f.report({"--input", f.input, "--output", f.dir.file("no/such/dir/out.json")});
  EXPECT_EQ(unwritable.exit_code, 1);

  f.dir.write("bad.yaml", "vantages: []\nchecks: 3\n");
  const ProcessResult bad_config =
      run_process({kProber, "report", "--config", f.dir.file("bad.yaml"), "--input", f.input});
  EXPECT_EQ(bad_config.exit_code, 2);
  EXPECT_THAT(bad_config.err, HasSubstr("bad.yaml:"));
}

TEST(ReportCli, UnknownChecksAndVantagesAreAnalysedWithAWarning) {
  std::string jsonl = test::seed_jsonl();
  Result ghost;
  ghost.check = "ghost";
  ghost.vantage = "eu-west";
  ghost.ts = test::utc(2024, 5, 5, 13);
  ghost.duration = std::chrono::milliseconds(5);
  ghost.ok = true;
  jsonl += codec::to_json_line(ghost) + "\n";
  Result mars = ghost;
  mars.check = "web-home";
  mars.vantage = "mars";
  for (int i = 0; i < 3; ++i) {
    mars.ts += std::chrono::minutes(1);
    jsonl += codec::to_json_line(mars) + "\n";
  }
  Fixture f(jsonl);
  const ProcessResult r = f.report({"--input", f.input});
  const json::value v = parse(r);
  EXPECT_THAT(r.err, HasSubstr("warning: results of check 'ghost', which is not in the config"));
  EXPECT_THAT(r.err, HasSubstr("warning: results from vantage 'mars'"));
  const std::size_t first = r.err.find("vantage 'mars'");
  EXPECT_EQ(r.err.find("vantage 'mars'", first + 1), std::string::npos) << "warned once";
  ASSERT_EQ(v.at("checks").as_array().size(), 3u);
  EXPECT_EQ(v.at("checks").as_array()[2].at("check"), json::value("ghost"));
  // mars (weight 0) does not change the impact.
  const auto& o = check_of(v, "web-home").at("outages").as_array()[0];
  EXPECT_EQ(o.at("peak_impact_pct"), json::value(80));
}

TEST(ReportCli, ProgressOnlyOnATerminalAndNeverInTheOutput) {
  Fixture f;
  const ProcessResult tty = test::run_with_tty_stderr(
      {kProber, "report", "--config", f.config, "--input", f.input, "--format", "json"});
  EXPECT_EQ(tty.exit_code, 0) << tty.err;
  EXPECT_THAT(tty.err, HasSubstr("\ranalysed 2/2 checks"));
  EXPECT_THAT(tty.out, Not(HasSubstr("analysed")));
  EXPECT_NO_THROW(json::parse(tty.out));
  const ProcessResult quiet = test::run_with_tty_stderr(
      {kProber, "report", "--config", f.config, "--input", f.input, "--no-progress"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_THAT(quiet.err, Not(HasSubstr("analysed")));
}

TEST(ReportCli, FromTheStoreSameAsFromTheExport) {
  Fixture f;
  {
    auto store = store::open_sqlite_store(f.dir.file("p.db"));
    for (const auto& r : test::seed_results()) store->append(r);
    for (const auto& e : test::seed_changes()) store->append(e);
    store->flush();
  }
  const ProcessResult from_store = f.report({"--format", "json"});
  const ProcessResult from_input = f.report({"--input", f.input, "--format", "json"});
  const json::value s = parse(from_store);
  const json::value i = parse(from_input);
  EXPECT_EQ(s.at("from"), i.at("from"));
  EXPECT_EQ(s.at("to"), i.at("to"));
  EXPECT_EQ(s.at("checks"), i.at("checks"));
  EXPECT_EQ(check_of(s, "web-home").at("outages").as_array().size(), 1u);
  // The export of the store is the same input again.
  const ProcessResult exported = run_process({kProber, "results", "--config", f.config});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const ProcessResult piped = f.report({"--input", "-"}, exported.out);
  EXPECT_EQ(piped.out, from_store.out);
  // A clipped period too (the store reads a window around it).
  const std::vector<std::string> clip = {"--from", "2024-05-05T20:00:00Z", "--to",
                                         "2024-05-06T10:00:00Z"};
  std::vector<std::string> with_input = clip;
  with_input.insert(with_input.end(), {"--input", f.input});
  EXPECT_EQ(f.report(clip).out, f.report(with_input).out);
}

}  // namespace
}  // namespace prober::report
