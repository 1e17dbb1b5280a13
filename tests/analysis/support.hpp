// Helpers shared by the analysis tests: UTC instants, compact sample patterns, printers.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "prober/analysis/analysis.hpp"
#include "prober/core/time.hpp"

namespace prober::analysis::test_support {

using namespace std::chrono_literals;

inline TimePoint utc(int year, unsigned month, unsigned day, int hour = 0, int minute = 0,
                     int second = 0, int millisecond = 0) {
  const std::chrono::sys_days d{std::chrono::year{year} / std::chrono::month{month} /
                                std::chrono::day{day}};
  return TimePoint{d} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second} + std::chrono::milliseconds{millisecond};
}
// The tests' epoch, 2024-05-05T00:00:00Z.
inline const TimePoint T0 = utc(2024, 5, 5);

// One sample per character, `step` apart, starting at `start`:
//   '.' success, 'x' failure, '_' no sample in that slot.
inline VantageInput series(std::string name, double weight, TimePoint start, Micros step,
                           std::string_view pattern, Micros duration = 1s) {
  VantageInput v{std::move(name), weight, {}};
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '_') continue;
    v.samples.push_back({start + static_cast<std::int64_t>(i) * step, duration, pattern[i] == '.'});
  }
  return v;
}

inline CheckInput make_check(std::string name, Micros interval, int confirm, int min_vantages) {
  CheckInput c;
  c.check = std::move(name);
  c.interval = interval;
  c.confirm_failures = confirm;
  c.min_vantages = min_vantages;
  return c;
}

// RFC 3339 with milliseconds, plus the microseconds when there are any.
inline std::string show(TimePoint t) {
  std::string s = format_rfc3339_ms(t);
  const std::int64_t us = ((to_unix_micros(t) % 1000) + 1000) % 1000;
  if (us != 0) s += "+" + std::to_string(us) + "us";
  return s;
}
inline std::string show(const std::optional<TimePoint>& t) {
  return t ? show(*t) : std::string("null");
}

}  // namespace prober::analysis::test_support

namespace prober::analysis {
// gtest printers (found by ADL), so failures show readable instants.
inline void PrintTo(const Interval& i, std::ostream* os) {
  *os << "[" << test_support::show(i.start) << ", " << test_support::show(i.end) << ")";
}
inline void PrintTo(const ImpactStep& s, std::ostream* os) {
  *os << "{" << test_support::show(s.at) << ": " << s.value_pct << "}";
}
inline void PrintTo(const VantageIncident& i, std::ostream* os) {
  *os << "{" << i.vantage << " " << test_support::show(i.start) << " .. "
      << test_support::show(i.end) << "}";
}
}  // namespace prober::analysis

// Compares instants (or optional instants) through their exact RFC 3339 rendering, so a
// failure prints readable times.
#define EXPECT_AT(actual, expected)                         \
  EXPECT_EQ(::prober::analysis::test_support::show(actual), \
            ::prober::analysis::test_support::show(expected))
