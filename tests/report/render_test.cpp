// The renderers on small hand-made reports: exact JSON, RFC 4180 CSV, the postmortem draft,
// and a self-contained, escaped HTML page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "prober/report/render.hpp"
#include "prober/report/text.hpp"
#include "report/support.hpp"

namespace prober::report {
namespace {

using namespace std::chrono_literals;
using test::utc;
using ::testing::HasSubstr;
using ::testing::Not;
namespace json = boost::json;

const TimePoint kFrom = utc(2024, 5, 5, 12);
const TimePoint kTo = utc(2024, 5, 6, 12);

// web-home: one finished outage (with a suspected cause, in maintenance) and one ongoing,
// undetected outage; an ongoing vantage incident; SLO set. api: nothing, no SLO.
Document sample_document() {
  Document doc;
  doc.period = {kFrom, kTo};

  CheckSection web;
  web.interval = 60s;
  web.confirm_failures = 2;
  web.min_vantages = 2;
  analysis::CheckReport& r = web.report;
  r.check = "web-home";
  r.coverage_pct = 99.87654321;
  r.availability_pct = 100.0 / 3.0;
  r.user_weighted_availability_pct = 40;
  r.slo = analysis::SloResult{99.9, 86.4, 64800, -74900};
  r.blips = 3;

  analysis::Outage a;
  a.start = utc(2024, 5, 5, 15);
  a.end = utc(2024, 5, 6, 9);
  a.duration = 18h;
  a.peak_impact_pct = 80;
  a.avg_impact_pct = 79.99951;
  a.detected_at = utc(2024, 5, 5, 15, 1, 0, 250);
  a.ttd = 60250ms;
  a.vantages = {"ap-south", "eu-west", "us-east"};
  a.in_maintenance = true;
  a.suspected_causes = {{utc(2024, 5, 5, 14, 58, 3, 120), "db-users", "eu-west",
                         ChangeKind::setting, "search_path: \"$user\", public -> nowhere"},
                        {utc(2024, 5, 5, 15, 20), "web-home", "ap-south", ChangeKind::fingerprint,
                         "X-Build: a1 -> a2"}};
  r.outages.push_back(a);

  analysis::Outage b;
  b.start = utc(2024, 5, 6, 11, 30);
  b.duration = 30min;
  b.peak_impact_pct = 55;
  b.avg_impact_pct = 55;
  b.vantages = {"eu-west", "us-east"};
  r.outages.push_back(b);

  r.vantage_incidents = {{"sa-east", utc(2024, 5, 5, 13), utc(2024, 5, 5, 13, 10)},
                         {"af-south", utc(2024, 5, 6, 11), std::nullopt}};
  const char* names[] = {"us-east", "eu-west", "ap-south", "sa-east", "af-south"};
  const double weights[] = {30, 25, 25, 10, 10};
  for (int i = 0; i < 5; ++i) {
    analysis::VantageTimeline t;
    t.vantage = names[i];
    t.weight = weights[i];
    if (i < 3) t.down = {{utc(2024, 5, 5, 15), utc(2024, 5, 6, 9)}};
    if (i == 4) t.unknown = {{utc(2024, 5, 5, 20), utc(2024, 5, 5, 22)}};
    r.timelines.push_back(t);
  }
  r.impact = {{kFrom, 0}, {utc(2024, 5, 5, 15), 80}, {utc(2024, 5, 6, 9), 0}};
  web.confirmations = {{{"us-east", utc(2024, 5, 5, 15), utc(2024, 5, 5, 15, 1, 0, 150)},
                        {"eu-west", utc(2024, 5, 5, 15), utc(2024, 5, 5, 15, 1, 0, 250)},
                        {"ap-south", utc(2024, 5, 5, 15), utc(2024, 5, 5, 15, 1, 0, 400)}},
                       {}};
  web.changes = {{"web-home", "ap-south", utc(2024, 5, 5, 15, 20), ChangeKind::fingerprint,
                  "X-Build: a1 -> a2"}};
  doc.checks.push_back(web);

  CheckSection api;
  api.report.check = "api";
  api.report.coverage_pct = 100;
  api.report.timelines = {{"us-east", 30, {}, {}}, {"eu-west", 25, {}, {}}};
  api.report.impact = {{kFrom, 0}};
  api.min_vantages = 2;
  doc.checks.push_back(api);
  return doc;
}

// ---------------------------------------------------------------- JSON

TEST(RenderJson, ExactShapeAndValues) {
  const std::string out = render_json(sample_document());
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "one line";
  const json::value got = json::parse(out);
  const json::value want = json::parse(R"({
    "from":"2024-05-05T12:00:00.000Z","to":"2024-05-06T12:00:00.000Z",
    "checks":[
     {"check":"web-home","coverage_pct":99.877,"availability_pct":33.333,
      "user_weighted_availability_pct":40,
      "slo":{"objective_pct":99.9,"budget_s":86.4,"used_s":64800,"remaining_pct":-74900},
      "outages":[
       {"start":"2024-05-05T15:00:00.000Z","end":"2024-05-06T09:00:00.000Z","duration_s":64800,
        "peak_impact_pct":80,"avg_impact_pct":80,"detected_at":"2024-05-05T15:01:00.250Z",
        "ttd_s":60.25,"vantages":["ap-south","eu-west","us-east"],
        "suspected_causes":[
          {"at":"2024-05-05T14:58:03.120Z","check":"db-users","vantage":"eu-west",
           "kind":"setting","what":"search_path: \"$user\", public -> nowhere"},
          {"at":"2024-05-05T15:20:00.000Z","check":"web-home","vantage":"ap-south",
           "kind":"fingerprint","what":"X-Build: a1 -> a2"}],
        "in_maintenance":true},
       {"start":"2024-05-06T11:30:00.000Z","end":null,"duration_s":1800,
        "peak_impact_pct":55,"avg_impact_pct":55,"detected_at":null,"ttd_s":null,
        "vantages":["eu-west","us-east"],"suspected_causes":[]}],
      "vantage_incidents":[
        {"vantage":"sa-east","start":"2024-05-05T13:00:00.000Z","end":"2024-05-05T13:10:00.000Z"},
        {"vantage":"af-south","start":"2024-05-06T11:00:00.000Z","end":null}],
      "blips":3},
     {"check":"api","coverage_pct":100,"availability_pct":100,
      "user_weighted_availability_pct":100,"slo":null,"outages":[],"vantage_incidents":[],
      "blips":0}]})");
  EXPECT_EQ(got, want) << out;
}

TEST(RenderJson, WholeNumbersHaveNoFractionAndKeysAreInDesignOrder) {
  const std::string out = render_json(sample_document());
  EXPECT_THAT(out, HasSubstr("\"duration_s\":64800,"));
  EXPECT_THAT(out, HasSubstr("\"used_s\":64800,"));
  EXPECT_THAT(out, HasSubstr("\"ttd_s\":60.25,"));
  EXPECT_THAT(out, HasSubstr("\"remaining_pct\":-74900}"));
  EXPECT_THAT(out, HasSubstr("\"availability_pct\":33.333,"));
  EXPECT_THAT(out, Not(HasSubstr("E")));  // no exponent notation anywhere
  EXPECT_THAT(out, Not(HasSubstr(".0,")));
  // DESIGN.md's key order, so diffs and eyes find things where the design shows them.
  const char* keys[] = {"\"check\"",
                        "\"coverage_pct\"",
                        "\"availability_pct\"",
                        "\"user_weighted_availability_pct\"",
                        "\"slo\"",
                        "\"outages\"",
                        "\"start\"",
                        "\"end\"",
                        "\"duration_s\"",
                        "\"peak_impact_pct\"",
                        "\"avg_impact_pct\"",
                        "\"detected_at\"",
                        "\"ttd_s\"",
                        "\"vantages\"",
                        "\"suspected_causes\"",
                        "\"vantage_incidents\"",
                        "\"blips\""};
  std::size_t pos = 0;
  for (const char* k : keys) {
    const std::size_t at = out.find(k, pos);
    ASSERT_NE(at, std::string::npos) << k;
    pos = at;
  }
}

TEST(RenderJson, InMaintenanceAndBeganBeforeOnlyWhenTrue) {
  Document doc = sample_document();
  doc.checks[0].report.outages[1].began_before_period = true;
  const json::value v = json::parse(render_json(doc));
  const auto& outages = v.at("checks").at(0).at("outages").as_array();
  EXPECT_TRUE(outages[0].as_object().contains("in_maintenance"));
  EXPECT_FALSE(outages[0].as_object().contains("began_before_period"));
  EXPECT_FALSE(outages[1].as_object().contains("in_maintenance"));
  EXPECT_EQ(outages[1].at("began_before_period"), json::value(true));
}

TEST(RenderJson, EmptyDocument) {
  Document doc;
  doc.period = {kFrom, kFrom};
  EXPECT_EQ(render_json(doc),
            "{\"from\":\"2024-05-05T12:00:00.000Z\",\"to\":\"2024-05-05T12:00:00.000Z\","
            "\"checks\":[]}\n");
}

// ---------------------------------------------------------------- CSV

// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << "quote inside an unquoted field at " << i;
      quoted = was_quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      was_quoted = false;
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      was_quoted = false;
      ++i;
    } else {
      EXPECT_NE(c, '\n') << "bare LF outside quotes at " << i;
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(row.empty() && field.empty() && !was_quoted) << "last record without CRLF";
  return rows;
}

TEST(RenderCsv, HeaderAndOneRowPerOutage) {
  const std::string out = render_csv(sample_document());
  const auto rows = parse_csv(out);
  ASSERT_EQ(rows.size(), 3u) << out;
  const std::vector<std::string> header = {"check",
                                           "start",
                                           "end",
                                           "duration_s",
                                           "peak_impact_pct",
                                           "avg_impact_pct",
                                           "detected_at",
                                           "ttd_s",
                                           "vantages",
                                           "in_maintenance",
                                           "began_before_period",
                                           "cause_at",
                                           "cause_check",
                                           "cause_vantage",
                                           "cause_kind",
                                           "cause"};
  EXPECT_EQ(rows[0], header);
  const std::vector<std::string> first = {"web-home",
                                          "2024-05-05T15:00:00.000Z",
                                          "2024-05-06T09:00:00.000Z",
                                          "64800",
                                          "80",
                                          "80",
                                          "2024-05-05T15:01:00.250Z",
                                          "60.25",
                                          "ap-south eu-west us-east",
                                          "true",
                                          "false",
                                          "2024-05-05T14:58:03.120Z",
                                          "db-users",
                                          "eu-west",
                                          "setting",
                                          "search_path: \"$user\", public -> nowhere"};
  EXPECT_EQ(rows[1], first);
  // Ongoing, undetected, no cause: empty fields for the nulls.
  const std::vector<std::string> second = {"web-home",
                                           "2024-05-06T11:30:00.000Z",
                                           "",
                                           "1800",
                                           "55",
                                           "55",
                                           "",
                                           "",
                                           "eu-west us-east",
                                           "false",
                                           "false",
                                           "",
                                           "",
                                           "",
                                           "",
                                           ""};
  EXPECT_EQ(rows[2], second);
  EXPECT_THAT(out, HasSubstr(",\"search_path: \"\"$user\"\", public -> nowhere\"\r\n"));
}

TEST(RenderCsv, QuotesCommasQuotesAndNewlines) {
  Document doc = sample_document();
  doc.checks[0].report.check = "web, \"home\"";
  doc.checks[0].report.outages[0].suspected_causes[0].what = "line one\nline \"two\", end";
  doc.checks[0].report.outages[0].suspected_causes[0].vantage = "eu\r\nwest";
  const std::string out = render_csv(doc);
  EXPECT_THAT(out, HasSubstr("\"web, \"\"home\"\"\",2024-05-05T15:00:00.000Z"));
  const auto rows = parse_csv(out);
  ASSERT_EQ(rows.size(), 3u) << out;
  EXPECT_EQ(rows[1][0], "web, \"home\"");
  EXPECT_EQ(rows[1][13], "eu\r\nwest");
  EXPECT_EQ(rows[1][15], "line one\nline \"two\", end");
  EXPECT_EQ(rows[2][0], "web, \"home\"");
}

TEST(RenderCsv, NoOutagesIsTheHeaderOnly) {
  Document doc = sample_document();
  doc.checks.erase(doc.checks.begin());
  const std::string out = render_csv(doc);
  EXPECT_EQ(parse_csv(out).size(), 1u);
  EXPECT_EQ(out.substr(0, 12), "check,start,");
}

// ---------------------------------------------------------------- Markdown

std::size_t index_of(const std::string& s, const std::string& needle) {
  const std::size_t at = s.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle;
  return at;
}

TEST(RenderMarkdown, PostmortemSectionsInOrderWithTheNumbers) {
  const std::string md = render_markdown(sample_document());
  // The availability table first.
  const std::size_t table = index_of(md, "| Check | Availability | User-weighted | Coverage |");
  EXPECT_THAT(md, HasSubstr("| web-home | 33.333% | 40% | 99.877% | 99.9% | 64800 s of 86.4 s | "
                            "-74900% | 2 | 2 | 3 |"));
  EXPECT_THAT(md, HasSubstr("| api | 100% | 100% | 100% | – | – | – | 0 | 0 | 0 |"));
  // Then one postmortem per outage, in the seed postmortem's shape.
  const std::size_t title = index_of(md,
                                     "## Postmortem (draft): outage of web-home, "
                                     "2024-05-05 15:00:00 UTC");
  const std::size_t summary = index_of(md, "### Issue Summary");
  const std::size_t timeline = index_of(md, "### Timeline");
  const std::size_t causes = index_of(md, "### Suspected causes");
  const std::size_t root = index_of(md, "### Root Cause and Resolution");
  const std::size_t measures = index_of(md, "### Corrective and Preventative Measures");
  EXPECT_LT(table, title);
  EXPECT_LT(title, summary);
  EXPECT_LT(summary, timeline);
  EXPECT_LT(timeline, causes);
  EXPECT_LT(causes, root);
  EXPECT_LT(root, measures);
  EXPECT_THAT(md, HasSubstr("- **Duration:** from 2024-05-05 15:00:00 UTC to 2024-05-06 09:00:00 "
                            "UTC, lasting 18 hours 0 minutes (64800 s)."));
  EXPECT_THAT(md, HasSubstr("- **Impact:** up to 80% of users (by region weight), 80% on average"));
  EXPECT_THAT(md, HasSubstr("ap-south (25% of users)"));
  EXPECT_THAT(md, HasSubstr("us-east (30% of users)"));
  EXPECT_THAT(md, HasSubstr("- **Detection:** detected at 2024-05-05 15:01:00.250 UTC, when 2 "
                            "vantages had confirmed the failure; time to detect 1 minute 0.25 "
                            "seconds (60.25 s)."));
  EXPECT_THAT(md, HasSubstr("- **Suspected cause:** setting change on db-users (seen from "
                            "eu-west): `search_path: \"$user\", public -> nowhere`, at "
                            "2024-05-05 14:58:03.120 UTC, 1 minute 56.88 seconds before the "
                            "start."));
  EXPECT_THAT(md, HasSubstr("_To be written"));
  // Timeline: the change, the start, each confirmation, the detection, the recovery, in time
  // order; the fingerprint change 20 minutes in comes after the detection.
  const std::size_t t_change = index_of(md, "- 2024-05-05 14:58:03.120 UTC: setting change");
  const std::size_t t_start = index_of(md, "- 2024-05-05 15:00:00 UTC: outage begins");
  const std::size_t t_us = index_of(md,
                                    "- 2024-05-05 15:01:00.150 UTC: us-east (30% of users) "
                                    "confirmed down (failing since 2024-05-05 15:00:00 UTC)");
  const std::size_t t_eu = index_of(md, "- 2024-05-05 15:01:00.250 UTC: eu-west");
  const std::size_t t_detect = index_of(md, "- 2024-05-05 15:01:00.250 UTC: **detected**");
  const std::size_t t_ap = index_of(md, "- 2024-05-05 15:01:00.400 UTC: ap-south");
  const std::size_t t_fp =
      index_of(md, "- 2024-05-05 15:20:00 UTC: fingerprint change on web-home");
  const std::size_t t_end = index_of(md, "- 2024-05-06 09:00:00 UTC: recovered");
  EXPECT_LT(t_change, t_start);
  EXPECT_LT(t_start, t_us);
  EXPECT_LT(t_us, t_eu);
  EXPECT_LT(t_eu, t_detect);
  EXPECT_LT(t_detect, t_ap);
  EXPECT_LT(t_ap, t_fp);
  EXPECT_LT(t_fp, t_end);
  EXPECT_LT(t_end, causes);
  // The ordered list of suspected causes.
  EXPECT_THAT(md, HasSubstr("1. 2024-05-05 14:58:03.120 UTC (1 minute 56.88 seconds before the "
                            "start): setting change on db-users"));
  EXPECT_THAT(md, HasSubstr("2. 2024-05-05 15:20:00 UTC (20 minutes 0 seconds after the start): "
                            "fingerprint change on web-home (seen from ap-south): "
                            "`X-Build: a1 -> a2`"));
  // The second outage: ongoing, undetected, no cause.
  EXPECT_THAT(md, HasSubstr("still ongoing at the end of the period (2024-05-06 12:00:00 UTC)"));
  EXPECT_THAT(md, HasSubstr("not confirmed by 2 vantages in the data"));
  EXPECT_THAT(md, HasSubstr("no change event recorded between 1 hour before the start and the "
                            "end"));
  EXPECT_THAT(md, HasSubstr("The outage lies wholly inside a maintenance window."));
  // Vantage incidents, the ongoing one said so.
  EXPECT_THAT(md, HasSubstr("- web-home, af-south: 2024-05-06 11:00:00 UTC to the end of the "
                            "period (ongoing)"));
  EXPECT_THAT(md, Not(HasSubstr("No outages in the period")));
}

TEST(RenderMarkdown, NoOutageIsAShortReportWithTheTable) {
  Document doc = sample_document();
  doc.checks.erase(doc.checks.begin());
  const std::string md = render_markdown(doc);
  EXPECT_THAT(md, HasSubstr("| api | 100% |"));
  EXPECT_THAT(md, HasSubstr("No outages in the period."));
  EXPECT_THAT(md, Not(HasSubstr("## Postmortem")));
}

TEST(RenderMarkdown, EscapesNamesAndFencesChangeText) {
  Document doc = sample_document();
  doc.checks[0].report.check = "<b>web</b>|*x*";
  doc.checks[0].report.outages[0].suspected_causes[0].what = "a `tick` and ``two``";
  const std::string md = render_markdown(doc);
  EXPECT_THAT(md, Not(HasSubstr("<b>")));
  EXPECT_THAT(md, HasSubstr("\\<b\\>web\\</b\\>\\|\\*x\\*"));
  EXPECT_THAT(md, HasSubstr("``` a `tick` and ``two`` ```"));
}

// ---------------------------------------------------------------- HTML

// Tags balance (void elements and "/>" aside) and attributes are quoted: enough structure for
// a browser to build the DOM we mean.
void expect_balanced(const std::string& html) {
  static const std::set<std::string> kVoid = {"meta", "br", "img", "input", "link", "hr"};
  std::vector<std::string> stack;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    const std::size_t end = html.find('>', i);
    ASSERT_NE(end, std::string::npos) << "unterminated tag at " << i;
    const std::string tag = html.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty() || tag[0] == '!') continue;
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      ASSERT_FALSE(stack.empty()) << "close of " << name << " without open";
      ASSERT_EQ(stack.back(), name) << "at " << i;
      stack.pop_back();
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
    if (tag.back() == '/' || kVoid.count(name)) continue;
    stack.push_back(name);
  }
  EXPECT_TRUE(stack.empty()) << "unclosed: " << (stack.empty() ? "" : stack.back());
}

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t i = s.find(needle); i != std::string::npos; i = s.find(needle, i + 1)) ++n;
  return n;
}

TEST(RenderHtml, SelfContainedBalancedOneLanePerVantage) {
  const std::string html = render_html(sample_document());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  expect_balanced(html);
  EXPECT_EQ(count(html, "<svg "), 2u);
  EXPECT_EQ(count(html, "</svg>"), 2u);
  EXPECT_EQ(count(html, "<g class=\"lane\""), 7u);  // 5 + 2 vantages
  EXPECT_THAT(html, HasSubstr("<g class=\"lane\" data-vantage=\"af-south\">"));
  // Down (3 lanes), unknown (af-south), outage bands (2), the impact curve, change ticks.
  EXPECT_EQ(count(html, "<rect class=\"down\""), 3u);
  EXPECT_EQ(count(html, "<rect class=\"unknown\""), 1u);
  EXPECT_EQ(count(html, "<rect class=\"outage\""), 2u);
  EXPECT_EQ(count(html, "<path class=\"impact-line\""), 2u);
  EXPECT_EQ(count(html, "<g class=\"change cause\">"), 2u);  // the two suspected causes
  EXPECT_THAT(html, HasSubstr("search_path: &quot;$user&quot;, public -&gt; nowhere"));
  // The outage table and the numbers.
  EXPECT_THAT(html, HasSubstr("<table class=\"outages\">"));
  EXPECT_THAT(html, HasSubstr("<b>33.333%</b>"));
  EXPECT_THAT(html, HasSubstr("60.25&nbsp;s"));
  EXPECT_THAT(html, HasSubstr("<b>ongoing</b>"));
  // Nothing external, nothing executable.
  for (const char* banned : {"http://", "https://", "url(", "<script", "<link", "@import",
                             "src=", "<iframe", "onload", "javascript:"}) {
    EXPECT_THAT(html, Not(HasSubstr(banned))) << banned;
  }
}

TEST(RenderHtml, OutageBandSpansTheOutageOnTheTimeAxis) {
  const std::string html = render_html(sample_document());
  // P is 24 h over x 166..1186 (1020 units); the outage 15:00..09:00 is 3/24..21/24.
  EXPECT_THAT(html, HasSubstr("<rect class=\"outage\" x=\"293.5\" y=\"24.0\" width=\"765.0\""));
  EXPECT_THAT(html, HasSubstr("<rect class=\"down\" x=\"293.5\" y=\"28.0\" width=\"765.0\" "
                              "height=\"18.0\"/>"));
  // Axis labels in UTC every 3 hours, the first with its date.
  EXPECT_THAT(html, HasSubstr(">05-05 12:00</text>"));
  EXPECT_THAT(html, HasSubstr(">15:00</text>"));
  EXPECT_THAT(html, HasSubstr(">05-06 00:00</text>"));
}

TEST(RenderHtml, HostileStringsAreEscapedEverywhere) {
  Document doc = sample_document();
  const std::string evil_check = "<script>alert(\"check\")</script>";
  const std::string evil_vantage = "\"><img src=x onerror=alert(1)>";
  const std::string evil_change = "</title><script>steal()</script>&amp;";
  doc.checks[0].report.check = evil_check;
  doc.checks[0].report.timelines[0].vantage = evil_vantage;
  doc.checks[0].report.outages[0].vantages[0] = evil_vantage;
  doc.checks[0].report.outages[0].suspected_causes[0].what = evil_change;
  doc.checks[0].report.outages[0].suspected_causes[0].check = evil_check;
  doc.checks[0].changes[0].change = evil_change;
  doc.checks[0].report.vantage_incidents[0].vantage = evil_vantage;
  const std::string html = render_html(doc);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&quot;check&quot;)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;/title&gt;&lt;script&gt;steal()&lt;/script&gt;&amp;amp;"));
  EXPECT_THAT(html, HasSubstr("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
  expect_balanced(html);
  // The page head keeps exactly one <title>, and each SVG <title> closes what it opened.
  EXPECT_EQ(count(html, "<title>"), count(html, "</title>"));
}

TEST(RenderHtml, EmptyPeriodHasNoTimeline) {
  Document doc = sample_document();
  doc.period.to = doc.period.from;
  doc.checks[0].report.outages.clear();
  const std::string html = render_html(doc);
  EXPECT_EQ(count(html, "<svg"), 0u);
  EXPECT_THAT(html, HasSubstr("The period is empty"));
  expect_balanced(html);
}

TEST(RenderHtml, BurstOfChangesIsOneTickWithACappedTooltip) {
  Document doc = sample_document();
  auto& changes = doc.checks[1].changes;
  for (int i = 0; i < 40; ++i) {
    changes.push_back({"api", "us-east", utc(2024, 5, 5, 18, 0, i), ChangeKind::version,
                       "build " + std::to_string(i)});
  }
  const std::string html = render_html(doc);
  // 40 changes within 40 s: one pixel column on a 24 h axis.
  EXPECT_EQ(count(html, "<g class=\"change\">"), 1u);
  EXPECT_THAT(html, HasSubstr("…and 28 more"));
}

TEST(RenderHtml, OnlyTheNearestSuspectedCausesGetTicks) {
  Document doc = sample_document();
  auto& causes = doc.checks[0].report.outages[0].suspected_causes;
  causes.clear();
  for (int i = 0; i < 8; ++i) {  // 10 min apart: one tick each
    causes.push_back({utc(2024, 5, 5, 15, 10 * i), "other-" + std::to_string(i), "eu-west",
                      ChangeKind::version, "build " + std::to_string(i)});
  }
  doc.checks[0].changes.clear();
  const std::string html = render_html(doc);
  EXPECT_EQ(count(html, "<g class=\"change cause\">"), 5u);
  EXPECT_THAT(html, HasSubstr("other-4"));
  EXPECT_THAT(html, Not(HasSubstr("other-5 @")));  // not as a tick (the table shows the first)
  EXPECT_EQ(count(html, ">!</text>"), 1u);         // the nearest is marked
}

// ---------------------------------------------------------------- text helpers

TEST(ReportText, NumbersDurationsAndEscaping) {
  EXPECT_EQ(text::number(64800.0), "64800");
  EXPECT_EQ(text::number(60.25), "60.25");
  EXPECT_EQ(text::number(100.0 / 3.0), "33.333");
  EXPECT_EQ(text::number(-74899.65349), "-74899.653");
  EXPECT_EQ(text::number(-0.0001), "0");
  EXPECT_EQ(text::number(0.0005), "0.001");
  EXPECT_EQ(text::seconds_text(60250us * 1000), "60.25");
  EXPECT_EQ(text::human_duration(18h), "18 hours 0 minutes");
  EXPECT_EQ(text::human_duration(1h + 1min + 5s), "1 hour 1 minute");
  EXPECT_EQ(text::human_duration(60250ms), "1 minute 0.25 seconds");
  EXPECT_EQ(text::human_duration(59500ms), "59.5 seconds");
  EXPECT_EQ(text::human_duration(1s), "1 second");
  EXPECT_EQ(text::human_time(utc(2024, 5, 5, 15)), "2024-05-05 15:00:00 UTC");
  EXPECT_EQ(text::human_time(utc(2024, 5, 5, 15, 1, 0, 250)), "2024-05-05 15:01:00.250 UTC");
  EXPECT_EQ(text::timestamp(utc(2024, 5, 5, 15)), "2024-05-05T15:00:00.000Z");
  EXPECT_EQ(text::csv_field("plain"), "plain");
  EXPECT_EQ(text::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(text::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(text::csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(text::html_escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(text::md_code("x"), "`x`");
  EXPECT_EQ(text::md_code("`x`"), "`` `x` ``");
  EXPECT_EQ(text::md_text("a_b*c|d\ne"), "a\\_b\\*c\\|d e");
}

TEST(ReportFormat, ParseAndDispatch) {
  EXPECT_EQ(parse_format("json"), Format::json);
  EXPECT_EQ(parse_format("md"), Format::md);
  EXPECT_EQ(parse_format("csv"), Format::csv);
  EXPECT_EQ(parse_format("html"), Format::html);
  EXPECT_FALSE(parse_format("xml").has_value());
  const Document doc = sample_document();
  EXPECT_EQ(render(doc, Format::csv), render_csv(doc));
  EXPECT_EQ(render(doc, Format::md), render_markdown(doc));
  EXPECT_EQ(render(doc, Format::html), render_html(doc));
  EXPECT_EQ(render(doc, Format::json), render_json(doc));
}

}  // namespace
}  // namespace prober::report
