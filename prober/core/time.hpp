// Time as integers: every instant is microseconds since the Unix epoch (UTC), every span is
// microseconds. Integer arithmetic keeps the analysis exact over years of data.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prober {

using Micros = std::chrono::microseconds;
using TimePoint = std::chrono::sys_time<Micros>;

inline TimePoint from_unix_micros(std::int64_t us) {
  return TimePoint{Micros{us}};
}
inline std::int64_t to_unix_micros(TimePoint t) {
  return t.time_since_epoch().count();
}

// RFC 3339 in UTC with millisecond precision: "2024-05-05T15:00:00.000Z".
std::string format_rfc3339_ms(TimePoint t);
// RFC 3339 in UTC without fractional seconds when they are zero: "2024-05-05T15:00:00Z".
std::string format_rfc3339(TimePoint t);

// Accepts "2024-05-05T15:00:00Z", fractional seconds (up to microseconds), and numeric
// offsets ("+02:00"); returns nullopt on anything else.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// Durations as in the config and on the CLI: "500ms", "30s", "5m", "1h", "30d", and
// compounds such as "1h30m". Returns nullopt for malformed, negative or overflowing input.
std::optional<Micros> parse_duration(std::string_view text);
// Shortest exact rendering: 90s -> "1m30s", 1500ms -> "1.5s".
std::string format_duration(Micros d);

// Byte sizes in the config: "512", "64KiB", "1MiB", "1GiB", "10MB".
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// Clock interface: everything that needs "now" takes one, so tests drive virtual time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
  }
};

}  // namespace prober
