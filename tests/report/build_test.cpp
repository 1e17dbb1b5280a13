// Assembling the analysis inputs: vantages and weights from the config, unknown checks and
// vantages, per-vantage confirmations, JSON-lines reading, and the store path (streaming with
// a bounded window around the period) giving the same report as the in-memory path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "prober/codec/result_json.hpp"
#include "prober/report/build.hpp"
#include "prober/report/render.hpp"
#include "report/support.hpp"

namespace prober::report {
namespace {

using namespace std::chrono_literals;
using test::utc;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

config::Config load(const std::string& yaml) {
  auto result = config::load_config_string(yaml, "test.yaml", "/tmp");
  std::string problems;
  for (const auto& p : result.problems) problems += p.to_string() + "\n";
  if (!result.config) ADD_FAILURE() << problems;
  return result.config.value_or(config::Config{});
}

struct Collected {
  std::vector<std::string> warnings;
  BuildOptions options() {
    BuildOptions o;
    o.warn = [this](const std::string& m) { warnings.push_back(m); };
    return o;
  }
};

JsonlInput seed_input() {
  JsonlInput in;
  std::istringstream s(test::seed_jsonl());
  EXPECT_TRUE(read_jsonl(
      s, in, [](std::size_t line, const std::string& m) { ADD_FAILURE() << line << ": " << m; }));
  return in;
}

TEST(CheckSkeleton, EveryConfiguredVantageOfTheCheckWithItsWeight) {
  const auto config = load(test::seed_config("p.db",
                                             "maintenance:\n"
                                             "  - {checks: [web-home], start: "
                                             "2024-05-05T14:00:00Z, end: 2024-05-05T15:00:00Z}\n"
                                             "  - {checks: [db-users], start: "
                                             "2024-05-06T14:00:00Z, end: 2024-05-06T15:00:00Z}\n") +
                           "    vantages: [eu-west, sa-east]\n"  // db-users runs at two only
                           "    interval: 30s\n"
                           "    confirm_failures: 3\n");
  Warnings warnings([](const std::string& m) { ADD_FAILURE() << m; });
  const analysis::CheckInput web = check_skeleton(config, "web-home", {"eu-west"}, warnings);
  EXPECT_EQ(web.check, "web-home");
  EXPECT_EQ(web.interval, 60s);
  EXPECT_EQ(web.confirm_failures, 2);
  EXPECT_EQ(web.min_vantages, 2);
  ASSERT_EQ(web.vantages.size(), 5u);  // also those without results: they are unknown
  EXPECT_EQ(web.vantages[0].name, "us-east");
  EXPECT_DOUBLE_EQ(web.vantages[0].weight, 30);
  EXPECT_EQ(web.vantages[4].name, "af-south");
  EXPECT_DOUBLE_EQ(web.vantages[4].weight, 10);
  ASSERT_EQ(web.maintenance.size(), 1u);
  EXPECT_EQ(web.maintenance[0], (analysis::Interval{utc(2024, 5, 5, 14), utc(2024, 5, 5, 15)}));

  const analysis::CheckInput db = check_skeleton(config, "db-users", {}, warnings);
  EXPECT_EQ(db.interval, 30s);
  EXPECT_EQ(db.confirm_failures, 3);
  ASSERT_EQ(db.vantages.size(), 2u);
  EXPECT_EQ(db.vantages[0].name, "eu-west");
  EXPECT_EQ(db.vantages[1].name, "sa-east");
  EXPECT_EQ(db.maintenance.size(), 1u);
}

TEST(CheckSkeleton, UnknownVantagesGetWeightZeroAndOneWarning) {
  const auto config = load(test::seed_config("p.db"));
  std::vector<std::string> messages;
  Warnings warnings([&](const std::string& m) { messages.push_back(m); });
  auto web = check_skeleton(config, "web-home", {"mars", "eu-west", "moon"}, warnings);
  ASSERT_EQ(web.vantages.size(), 7u);
  EXPECT_EQ(web.vantages[5].name, "mars");
  EXPECT_DOUBLE_EQ(web.vantages[5].weight, 0);
  EXPECT_EQ(web.vantages[6].name, "moon");
  check_skeleton(config, "db-users", {"mars"}, warnings);  // warned already
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_THAT(messages[0], HasSubstr("vantage 'mars', which is not in the config"));
  EXPECT_THAT(messages[0], HasSubstr("weight 0"));
}

TEST(CheckSkeleton, UnknownCheckUsesTheDefaultsAndItsOwnVantages) {
  const auto config = load(test::seed_config("p.db"));
  Warnings warnings(nullptr);
  auto ghost = check_skeleton(config, "ghost", {"sa-east", "eu-west"}, warnings);
  EXPECT_EQ(ghost.interval, 60s);  // defaults.interval
  EXPECT_EQ(ghost.confirm_failures, 2);
  ASSERT_EQ(ghost.vantages.size(), 2u);
  EXPECT_EQ(ghost.vantages[0].name, "eu-west");  // config order
  EXPECT_DOUBLE_EQ(ghost.vantages[0].weight, 25);
  EXPECT_EQ(ghost.vantages[1].name, "sa-east");
}

TEST(ReadJsonl, SkipsMalformedLinesWithTheirNumbers) {
  std::string text = test::seed_jsonl();
  const std::string first_line = text.substr(0, text.find('\n') + 1);
  text = first_line + "{not json\n\n   \n" + first_line.substr(0, first_line.size() - 1) +
         "\r\n{\"check\":\"web-home\",\"vantage\":\"x\"}\n[1,2]\n" + text;
  std::istringstream in(text);
  JsonlInput input;
  std::vector<std::size_t> lines;
  ASSERT_TRUE(read_jsonl(in, input, [&](std::size_t line, const std::string& message) {
    lines.push_back(line);
    EXPECT_FALSE(message.empty());
  }));
  EXPECT_THAT(lines, ElementsAre(2u, 6u, 7u));
  EXPECT_EQ(input.malformed, 3u);
  EXPECT_EQ(input.results, 2u + test::seed_results().size());
  EXPECT_EQ(input.changes.size(), 1u);
}

TEST(ReadJsonl, AnOverlongLineIsSkippedWithoutReadingItWhole) {
  const std::string text = test::seed_jsonl();
  const std::string first_line = text.substr(0, text.find('\n') + 1);
  const std::string last_line_no_newline = first_line.substr(0, first_line.size() - 1);
  // 3 MiB without a newline, between two good lines, and an overlong last line without one.
  std::istringstream in(first_line + "{\"check\":\"" + std::string(3 << 20, 'a') + "\n" +
                        last_line_no_newline + "\n" + std::string(2 << 20, 'b'));
  JsonlInput input;
  std::vector<std::pair<std::size_t, std::string>> errors;
  ASSERT_TRUE(read_jsonl(in, input, [&](std::size_t line, const std::string& message) {
    errors.emplace_back(line, message);
  }));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].first, 2u);
  EXPECT_EQ(errors[0].second, "line longer than 1048576 bytes, skipped");
  EXPECT_EQ(errors[1].first, 4u);
  EXPECT_EQ(input.results, 2u);
  EXPECT_EQ(input.malformed, 2u);
}

TEST(ReadJsonl, LastLineWithoutNewlineAndNulBytesAreHandled) {
  const std::string text = test::seed_jsonl();
  const std::string first_line = text.substr(0, text.find('\n'));
  std::string with_nul = first_line;
  with_nul.insert(5, 1, '\0');
  std::istringstream in(with_nul + "\n" + first_line);
  JsonlInput input;
  std::vector<std::size_t> lines;
  ASSERT_TRUE(
      read_jsonl(in, input, [&](std::size_t line, const std::string&) { lines.push_back(line); }));
  EXPECT_THAT(lines, ElementsAre(1u));  // the NUL makes line 1 malformed, not shorter
  EXPECT_EQ(input.results, 1u);
}

TEST(OutageConfirmations, OnePerVantageMatchingTheDetection) {
  const auto config = load(test::seed_config("p.db"));
  const JsonlInput input = seed_input();
  Collected c;
  const Document doc = build_from_jsonl(config, input, c.options());
  ASSERT_EQ(doc.checks.size(), 2u);
  const CheckSection& web = doc.checks[0];
  ASSERT_EQ(web.report.outages.size(), 1u);
  ASSERT_EQ(web.confirmations.size(), 1u);
  const auto& conf = web.confirmations[0];
  ASSERT_EQ(conf.size(), 3u);
  EXPECT_EQ(conf[0],
            (VantageConfirmation{"us-east", utc(2024, 5, 5, 15), utc(2024, 5, 5, 15, 1, 0, 150)}));
  EXPECT_EQ(conf[1].vantage, "eu-west");
  EXPECT_EQ(conf[2],
            (VantageConfirmation{"ap-south", utc(2024, 5, 5, 15), utc(2024, 5, 5, 15, 1, 0, 400)}));
  // Rule 5: the min_vantages-th confirmation is the detection.
  EXPECT_EQ(conf[1].confirmed_at, web.report.outages[0].detected_at.value());
  // The check's own changes: db-users has the search_path change, web-home none.
  EXPECT_TRUE(web.changes.empty());
  ASSERT_EQ(doc.checks[1].changes.size(), 1u);
  EXPECT_EQ(doc.checks[1].changes[0].change, "search_path: \"$user\", public -> nowhere");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(OutageConfirmations, FlappingVantageCountsItsFirstOverlappingInterval) {
  // a: xx.xx..... (down [0,2m) and [3m,5m)), b: xxxxxxx... (down [0,7m)); quorum 2 -> outages
  // [0,2m) and [3m,5m). For the second, a's interval is [3m,5m), confirmed at 4m + 1 s.
  analysis::CheckInput in;
  in.check = "c";
  in.interval = 60s;
  in.confirm_failures = 2;
  in.min_vantages = 2;
  const TimePoint t0 = utc(2024, 1, 1);
  auto series = [&](const std::string& name, const std::string& pattern) {
    analysis::VantageInput v{name, 1, {}};
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      v.samples.push_back({t0 + static_cast<int>(i) * 60s, 1s, pattern[i] == '.'});
    }
    return v;
  };
  in.vantages = {series("a", "xx.xx....."), series("b", "xxxxxxx...")};
  const analysis::Period p{t0, t0 + 10min};
  const auto report = analysis::analyze_check(in, {}, p, {});
  ASSERT_EQ(report.outages.size(), 2u);
  const auto conf = outage_confirmations(in, report, p);
  ASSERT_EQ(conf.size(), 2u);
  ASSERT_EQ(conf[1].size(), 2u);
  EXPECT_EQ(conf[1][0], (VantageConfirmation{"b", t0, t0 + 1min + 1s}));
  EXPECT_EQ(conf[1][1], (VantageConfirmation{"a", t0 + 3min, t0 + 4min + 1s}));
  EXPECT_EQ(conf[1][1].confirmed_at, report.outages[1].detected_at.value());
}

TEST(BuildFromJsonl, UnknownChecksAreAnalysedAfterTheConfiguredOnes) {
  const auto config = load(test::seed_config("p.db"));
  JsonlInput input = seed_input();
  input.samples["ghost"]["eu-west"] = {{utc(2024, 5, 5, 13), 1s, true}};
  input.samples["web-home"]["mars"] = {{utc(2024, 5, 5, 13), 1s, false}};
  Collected c;
  const Document doc = build_from_jsonl(config, input, c.options());
  ASSERT_EQ(doc.checks.size(), 3u);
  EXPECT_EQ(doc.checks[0].report.check, "web-home");
  EXPECT_EQ(doc.checks[1].report.check, "db-users");
  EXPECT_EQ(doc.checks[2].report.check, "ghost");
  EXPECT_FALSE(doc.checks[2].configured);
  EXPECT_EQ(doc.checks[0].report.timelines.size(), 6u);
  EXPECT_EQ(doc.checks[0].report.timelines[5].vantage, "mars");
  EXPECT_DOUBLE_EQ(doc.checks[0].report.timelines[5].weight, 0);
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_THAT(c.warnings[0], HasSubstr("check 'ghost', which is not in the config"));
  EXPECT_THAT(c.warnings[1], HasSubstr("vantage 'mars'"));
}

TEST(BuildFromJsonl, NoResultsNeedsAnExplicitPeriod) {
  const auto config = load(test::seed_config("p.db"));
  Collected c;
  EXPECT_THROW(build_from_jsonl(config, JsonlInput{}, c.options()), ReportError);
  BuildOptions o = c.options();
  o.to = utc(2024, 5, 6);
  EXPECT_THROW(build_from_jsonl(config, JsonlInput{}, o), ReportError);
  o.from = utc(2024, 5, 5);
  const Document doc = build_from_jsonl(config, JsonlInput{}, o);
  ASSERT_EQ(doc.checks.size(), 2u);
  EXPECT_DOUBLE_EQ(doc.checks[0].report.coverage_pct, 0);  // every vantage unknown
  EXPECT_EQ(doc.checks[0].report.timelines.size(), 5u);
}

TEST(BuildFromJsonl, ProgressIsReportedPerCheck) {
  const auto config = load(test::seed_config("p.db"));
  Collected c;
  BuildOptions o = c.options();
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  o.progress = [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); };
  build_from_jsonl(config, seed_input(), o);
  EXPECT_THAT(calls, ElementsAre(std::pair<std::size_t, std::size_t>{1, 2},
                                 std::pair<std::size_t, std::size_t>{2, 2}));
}

// The store path loads a bounded window around P per series (and reaches further back while
// a run of failures continues); it must give exactly the in-memory report for any period.
class StoreVsMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = load(test::seed_config(dir_.file("p.db")));
    auto store = store::open_sqlite_store(dir_.file("p.db"));
    for (const auto& r : test::seed_results()) store->append(r);
    for (const auto& e : test::seed_changes()) store->append(e);
    store->flush();
  }
  std::string both(std::optional<TimePoint> from, std::optional<TimePoint> to) {
    Collected c;
    BuildOptions o = c.options();
    o.from = from;
    o.to = to;
    const std::string memory = render_json(build_from_jsonl(config_, seed_input(), o));
    store::SqliteOptions ro;
    ro.read_only = true;
    auto store = store::open_sqlite_store(dir_.file("p.db"), ro);
    const std::string stored = render_json(build_from_store(config_, *store, o));
    EXPECT_EQ(stored, memory);
    return stored;
  }
  test::TempDir dir_;
  config::Config config_;
};

TEST_F(StoreVsMemory, SameReportForEveryPeriod) {
  const std::string all = both(std::nullopt, std::nullopt);
  EXPECT_THAT(all, HasSubstr("\"duration_s\":64800"));
  // Starting 3 h into the outage: the store must look back past 1 h, 2 h to find 15:00.
  const std::string late = both(utc(2024, 5, 5, 18), utc(2024, 5, 6, 6));
  EXPECT_THAT(late, HasSubstr("\"start\":\"2024-05-05T18:00:00.000Z\",\"end\":null,"
                              "\"duration_s\":43200"));
  EXPECT_THAT(late, HasSubstr("\"detected_at\":\"2024-05-05T15:01:00.250Z\",\"ttd_s\":null"));
  EXPECT_THAT(late, HasSubstr("\"began_before_period\":true"));
  // Ending one probe into the outage: only samples after P can tell it is not a blip.
  const std::string edge = both(utc(2024, 5, 5, 12), utc(2024, 5, 5, 15, 0, 30));
  EXPECT_THAT(edge, HasSubstr("\"duration_s\":30,"));
  EXPECT_THAT(edge, HasSubstr("\"detected_at\":\"2024-05-05T15:01:00.250Z\""));
  both(utc(2024, 5, 5, 12), utc(2024, 5, 6, 12));
  both(utc(2024, 5, 6, 8, 59, 30), std::nullopt);
  both(std::nullopt, utc(2024, 5, 5, 16));
  both(utc(2024, 5, 7), utc(2024, 5, 8));  // after every result
}

}  // namespace
}  // namespace prober::report
