#include "prober/codec/result_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "prober/codec/json_text.hpp"
#include "support/mutate.hpp"

namespace prober::codec {
namespace {

TEST(ResultJson, DesignExampleRoundTrips) {
  const std::string line =
      R"({"check":"web-home","vantage":"eu-west","ts":"2024-05-05T15:00:00.000Z","ok":false,)"
      R"("duration_ms":12.3,"error":"http_status","status_code":503,"detail":"expected 200-299",)"
      R"("phases":{"dns_ms":0.1,"connect_ms":0.4,"tls_ms":3.1,"ttfb_ms":7.9,"transfer_ms":0.2}})";
  auto parsed = parse_json_line(line);
  ASSERT_TRUE(std::holds_alternative<Result>(parsed));
  const Result& r = std::get<Result>(parsed);
  EXPECT_EQ(r.check, "web-home");
  EXPECT_EQ(r.duration, Micros{12300});
  EXPECT_EQ(r.error, ErrorClass::http_status);
  EXPECT_EQ(r.status_code, 503);
  EXPECT_EQ(r.phases.tls_ms, 3.1);
  // Serialising gives back the same text, numbers as written (no "1.23E1").
  EXPECT_EQ(to_json_line(r), line);
}

TEST(ResultJson, ChangeEventLine) {
  const std::string line =
      R"({"check":"db-users","vantage":"eu-west","ts":"2024-05-05T14:58:03.120Z","kind":"setting",)"
      R"("change":"search_path: \"$user\", public -> nowhere"})";
  auto parsed = parse_json_line(line);
  ASSERT_TRUE(std::holds_alternative<ChangeEvent>(parsed));
  const auto& e = std::get<ChangeEvent>(parsed);
  EXPECT_EQ(e.kind, ChangeKind::setting);
  EXPECT_EQ(e.change, "search_path: \"$user\", public -> nowhere");
  EXPECT_EQ(to_json_line(e), line);
}

TEST(ResultJson, MalformedLinesAreClassified) {
  struct Case {
    const char* line;
    const char* message;
  } cases[] = {
      {"", "invalid JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"vantage":"a","ts":"2024-05-05T15:00:00Z","ok":true,"duration_ms":1})",
       "missing \"check\""},
      {R"({"check":"c","vantage":"a","ts":"yesterday","ok":true,"duration_ms":1})",
       "\"ts\" is not an RFC 3339 time: yesterday"},
      {R"({"check":"c","vantage":"a","ts":"2024-05-05T15:00:00Z","ok":"yes","duration_ms":1})",
       "\"ok\" must be true or false"},
      {R"({"check":"c","vantage":"a","ts":"2024-05-05T15:00:00Z","ok":true})",
       "missing or non-numeric \"duration_ms\""},
      {R"({"check":"c","vantage":"a","ts":"2024-05-05T15:00:00Z","ok":true,"duration_ms":-1})",
       "\"duration_ms\" out of range"},
      {R"({"check":"c","ts":"2024-05-05T15:00:00Z","kind":"mood","change":"x"})",
       "\"kind\" must be setting, version or fingerprint"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_json_line(c.line);
    ASSERT_TRUE(std::holds_alternative<ParseError>(parsed)) << c.line;
    EXPECT_NE(std::get<ParseError>(parsed).message.find(c.message), std::string::npos)
        << c.line << " -> " << std::get<ParseError>(parsed).message;
  }
}

TEST(ResultJson, FailedResultWithoutErrorClassBecomesInternal) {
  auto parsed = parse_json_line(
      R"({"check":"c","vantage":"a","ts":"2024-05-05T15:00:00Z","ok":false,"duration_ms":1})");
  ASSERT_TRUE(std::holds_alternative<Result>(parsed));
  EXPECT_EQ(std::get<Result>(parsed).error, ErrorClass::internal);
}

TEST(ResultJson, MutatedLinesNeverThrow) {
  const std::string seed =
      R"({"check":"web-home","vantage":"eu-west","ts":"2024-05-05T15:00:00.000Z","ok":false,)"
      R"("duration_ms":12.3,"error":"http_status","status_code":503,"detail":"x",)"
      R"("phases":{"dns_ms":0.1},"change":"a -> b","kind":"version"})";
  std::mt19937 rng(12345);
  int results = 0, changes = 0, errors = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line = seed;
    testing::mutate_bytes(line, rng, {.max_edits = 4, .max_erase = 8, .max_copy = 16});
    ParsedLine parsed;
    ASSERT_NO_THROW(parsed = parse_json_line(line)) << line;
    if (std::holds_alternative<Result>(parsed))
      ++results;
    else if (std::holds_alternative<ChangeEvent>(parsed))
      ++changes;
    else
      ++errors;
  }
  EXPECT_GT(changes, 0);
  EXPECT_GT(errors, 0);
  (void)results;
}

TEST(JsonText, NumbersAsPeopleWriteThem) {
  boost::json::object o;
  o["a"] = 0.216;
  o["b"] = 64800.0;
  o["c"] = -37400.0;
  o["d"] = 1e-7;
  o["e"] = std::numeric_limits<double>::quiet_NaN();
  o["f"] = "quote\" and \\ and \n";
  o["g"] = -0.0;
  EXPECT_EQ(
      to_json_text(o),
      R"({"a":0.216,"b":64800,"c":-37400,"d":1e-07,"e":null,"f":"quote\" and \\ and \n","g":0})");
}

}  // namespace
}  // namespace prober::codec
