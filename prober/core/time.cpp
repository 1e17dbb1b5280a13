#include "prober/core/time.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <limits>

namespace prober {
namespace {

using std::chrono::days;
using std::chrono::year_month_day;

bool parse_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string format_rfc3339_ms(TimePoint t) {
  auto day_point = std::chrono::floor<days>(t);
  year_month_day ymd{day_point};
  auto since_midnight = t - day_point;
  std::int64_t us = since_midnight.count();
  std::int64_t ms = us / 1000;
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(ms / 3600000),
                static_cast<long long>((ms / 60000) % 60), static_cast<long long>((ms / 1000) % 60),
                static_cast<long long>(ms % 1000));
  return buf.data();
}

std::string format_rfc3339(TimePoint t) {
  std::string s = format_rfc3339_ms(t);
  if (s.size() > 5 && s.compare(s.size() - 5, 5, ".000Z") == 0) {
    s.erase(s.size() - 5, 4);
  }
  return s;
}

std::optional<TimePoint> parse_rfc3339(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 20) return std::nullopt;
  if (!parse_digits(s, 0, 4, y) || s[4] != '-' || !parse_digits(s, 5, 2, mo) || s[7] != '-' ||
      !parse_digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !parse_digits(s, 11, 2, h) || s[13] != ':' || !parse_digits(s, 14, 2, mi) || s[16] != ':' ||
      !parse_digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                     std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t frac_us = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    std::int64_t scale = 100000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) {
        frac_us += (s[pos] - '0') * scale;
        scale /= 10;
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (pos >= s.size()) return std::nullopt;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (!parse_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !parse_digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  auto day_point = std::chrono::sys_days{ymd};
  std::int64_t total_s = static_cast<std::int64_t>(day_point.time_since_epoch().count()) * 86400 +
                         h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) - offset_s;
  return from_unix_micros(total_s * 1000000 + frac_us);
}

std::optional<Micros> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 2;
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    // number, possibly with a fraction ("1.5s")
    std::size_t start = pos;
    std::int64_t whole = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (whole > kMax / 10) return std::nullopt;
      whole = whole * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos == start) return std::nullopt;
    std::int64_t frac_num = 0, frac_den = 1;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      std::size_t fstart = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (frac_den < 1000000000) {
          frac_num = frac_num * 10 + (s[pos] - '0');
          frac_den *= 10;
        }
        ++pos;
      }
      if (pos == fstart) return std::nullopt;
    }
    std::size_t ustart = pos;
    while (pos < s.size() && ((s[pos] >= 'a' && s[pos] <= 'z'))) ++pos;
    std::string_view unit = s.substr(ustart, pos - ustart);
    std::int64_t mult = 0;
    if (unit == "us")
      mult = 1;
    else if (unit == "ms")
      mult = 1000;
    else if (unit == "s")
      mult = 1000000;
    else if (unit == "m")
      mult = 60LL * 1000000;
    else if (unit == "h")
      mult = 3600LL * 1000000;
    else if (unit == "d")
      mult = 86400LL * 1000000;
    else if (unit == "w")
      mult = 7 * 86400LL * 1000000;
    else
      return std::nullopt;
    if (whole > kMax / mult) return std::nullopt;
    std::int64_t part = whole * mult + (frac_num * mult) / frac_den;
    if (total > kMax - part) return std::nullopt;
    total += part;
  }
  return Micros{total};
}

std::string format_duration(Micros d) {
  std::int64_t us = d.count();
  if (us == 0) return "0s";
  std::string out;
  if (us < 0) {
    out = "-";
    us = -us;
  }
  if (us < 1000) return out + std::to_string(us) + "us";
  if (us < 1000000) {
    if (us % 1000 == 0) return out + std::to_string(us / 1000) + "ms";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3gms", static_cast<double>(us) / 1000.0);
    return out + buf;
  }
  std::int64_t s = us / 1000000;
  std::int64_t rest_us = us % 1000000;
  std::int64_t days_ = s / 86400, hours = (s / 3600) % 24, minutes = (s / 60) % 60, secs = s % 60;
  if (days_) out += std::to_string(days_) + "d";
  if (hours) out += std::to_string(hours) + "h";
  if (minutes) out += std::to_string(minutes) + "m";
  if (secs || rest_us) {
    out += std::to_string(secs);
    if (rest_us) {
      std::string frac = std::to_string(rest_us + 1000000).substr(1);
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      out += "." + frac;
    }
    out += "s";
  }
  return out;
}

std::optional<std::uint64_t> parse_byte_size(std::string_view s) {
  std::uint64_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || ptr == s.data()) return std::nullopt;
  std::string_view unit(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  std::uint64_t mult = 0;
  if (unit.empty() || unit == "B")
    mult = 1;
  else if (unit == "KB")
    mult = 1000;
  else if (unit == "MB")
    mult = 1000ull * 1000;
  else if (unit == "GB")
    mult = 1000ull * 1000 * 1000;
  else if (unit == "KiB")
    mult = 1024;
  else if (unit == "MiB")
    mult = 1024ull * 1024;
  else if (unit == "GiB")
    mult = 1024ull * 1024 * 1024;
  else if (unit == "TiB")
    mult = 1024ull * 1024 * 1024 * 1024;
  else
    return std::nullopt;
  if (n > std::numeric_limits<std::uint64_t>::max() / mult) return std::nullopt;
  return n * mult;
}

}  // namespace prober
