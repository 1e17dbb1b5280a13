// Small text helpers shared by the renderers: numbers, times, durations, escaping.
#pragma once

#include <string>
#include <string_view>

#include "prober/core/result.hpp"
#include "prober/core/time.hpp"

namespace prober::report::text {

// Rounded to 3 decimals (half away from zero); -0 becomes 0; NaN/inf stay as they are.
double round3(double value);
// round3, then the shortest exact text: 64800 -> "64800", 60.25 -> "60.25", -74900 -> "-74900".
std::string number(double value);
// Seconds, rounded to milliseconds: 60250000 us -> "60.25".
double seconds(Micros d);
std::string seconds_text(Micros d);

// Machine-readable instant in every format: RFC 3339 UTC with milliseconds.
std::string timestamp(TimePoint t);
// For people: "2024-05-05 15:00:00 UTC", "2024-05-05 15:01:00.250 UTC".
std::string human_time(TimePoint t);
// For people: "18 hours 0 minutes" (seconds dropped from 1 hour on), "1 minute 0.25 seconds",
// "59.5 seconds", "1 second".
std::string human_duration(Micros d);
// "1 check", "3 checks".
std::string plural(std::int64_t n, const char* unit);

std::string html_escape(std::string_view s);
// RFC 4180: quoted (with doubled quotes) when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view s);
// Markdown text (not at a line start): backslash before the characters Markdown interprets inside a
// line, line breaks as spaces.
std::string md_text(std::string_view s);
// Markdown inline code span that holds `s` verbatim (line breaks as spaces).
std::string md_code(std::string_view s);

// "setting", "version", "fingerprint".
std::string kind_text(ChangeKind kind);

}  // namespace prober::report::text
