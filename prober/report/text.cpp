#include "prober/report/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace prober::report::text {

double round3(double value) {
  if (!std::isfinite(value)) return value;
  double r = std::round(value * 1000.0) / 1000.0;
  return r == 0 ? 0.0 : r;
}

std::string number(double value) {
  const double r = round3(value);
  if (!std::isfinite(r)) return "null";
  char buf[40];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, r);
  return ec == std::errc{} ? std::string(buf, end) : std::string("0");
}

double seconds(Micros d) {
  return round3(static_cast<double>(d.count()) / 1e6);
}

std::string seconds_text(Micros d) {
  return number(static_cast<double>(d.count()) / 1e6);
}

std::string timestamp(TimePoint t) {
  return format_rfc3339_ms(t);
}

std::string human_time(TimePoint t) {
  std::string s = format_rfc3339(t);  // "2024-05-05T15:00:00Z" or "...:00.250Z"
  if (s.size() > 10 && s[10] == 'T') s[10] = ' ';
  if (!s.empty() && s.back() == 'Z') {
    s.pop_back();
    s += " UTC";
  }
  return s;
}

std::string plural(std::int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

std::string human_duration(Micros d) {
  const std::int64_t us = d.count() < 0 ? 0 : d.count();
  const std::int64_t total_s = us / 1'000'000;
  if (total_s >= 3600) {
    return plural(total_s / 3600, "hour") + " " + plural((total_s / 60) % 60, "minute");
  }
  if (total_s >= 60) {
    const double rest = round3(static_cast<double>(us % 60'000'000) / 1e6);
    return plural(total_s / 60, "minute") + " " + number(rest) +
           (rest == 1.0 ? " second" : " seconds");
  }
  const double s = round3(static_cast<double>(us) / 1e6);
  return number(s) + (s == 1.0 ? " second" : " seconds");
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\0':
        out += "\xEF\xBF\xBD";  // U+FFFD: NUL is not allowed in HTML text
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string md_text(std::string_view s) {
  // Never at a line start here (always after a bullet or a table pipe), so only the
  // characters that matter inside a line.
  static constexpr std::string_view kSpecial = "\\`*_[]<>|~&";
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      if (kSpecial.find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string md_code(std::string_view s) {
  std::string body(s);
  std::replace(body.begin(), body.end(), '\n', ' ');
  std::replace(body.begin(), body.end(), '\r', ' ');
  // A fence longer than the longest run of backticks inside.
  std::size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string kind_text(ChangeKind kind) {
  return std::string(to_string(kind));
}

}  // namespace prober::report::text
