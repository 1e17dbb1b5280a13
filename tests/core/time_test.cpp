#include "prober/core/time.hpp"

#include <gtest/gtest.h>

namespace prober {
namespace {
using namespace std::chrono_literals;

TEST(Rfc3339, ParsesAndFormats) {
  auto t = parse_rfc3339("2024-05-05T15:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(to_unix_micros(*t), 1714921200LL * 1000000);
  EXPECT_EQ(format_rfc3339(*t), "2024-05-05T15:00:00Z");
  EXPECT_EQ(format_rfc3339_ms(*t), "2024-05-05T15:00:00.000Z");
  auto ms = parse_rfc3339("2024-05-05T14:58:03.120Z");
  ASSERT_TRUE(ms);
  EXPECT_EQ(format_rfc3339_ms(*ms), "2024-05-05T14:58:03.120Z");
  EXPECT_EQ(format_rfc3339(*ms), "2024-05-05T14:58:03.120Z");
  auto offset = parse_rfc3339("2024-05-05T17:00:00+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(*offset, *t);
  auto micro = parse_rfc3339("2024-05-05T15:00:00.000001Z");
  ASSERT_TRUE(micro);
  EXPECT_EQ(*micro - *t, 1us);
  EXPECT_EQ(format_rfc3339_ms(from_unix_micros(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(from_unix_micros(951782400LL * 1000000)), "2000-02-29T00:00:00Z");
}

TEST(Rfc3339, RejectsMalformed) {
  for (const char* bad :
       {"", "2024-05-05", "2024-05-05T15:00:00", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
        "2024-05-05T24:00:00Z", "2024-05-05T15:00:00.Z", "2024-05-05T15:00:00Zjunk",
        "2024-05-05T15:00:00+2:00", "x024-05-05T15:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(Duration, ParsesUnitsAndCompounds) {
  EXPECT_EQ(parse_duration("500ms"), 500ms);
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("5m"), 5min);
  EXPECT_EQ(parse_duration("1h"), 1h);
  EXPECT_EQ(parse_duration("30d"), std::chrono::hours(24 * 30));
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("250us"), 250us);
  for (const char* bad : {"", "5", "s", "-5s", "5 s", "5x", "1.s", "99999999999999999999d"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(Duration, FormatsShortest) {
  EXPECT_EQ(format_duration(0us), "0s");
  EXPECT_EQ(format_duration(300ms), "300ms");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(18h), "18h");
  EXPECT_EQ(format_duration(std::chrono::hours(24 * 30)), "30d");
  EXPECT_EQ(format_duration(250us), "250us");
}

TEST(ByteSize, Units) {
  EXPECT_EQ(parse_byte_size("512"), 512u);
  EXPECT_EQ(parse_byte_size("64KiB"), 65536u);
  EXPECT_EQ(parse_byte_size("1GiB"), 1ull << 30);
  EXPECT_EQ(parse_byte_size("10MB"), 10000000u);
  EXPECT_FALSE(parse_byte_size("1PB").has_value());
  EXPECT_FALSE(parse_byte_size("MiB").has_value());
  EXPECT_FALSE(parse_byte_size("99999999999999999999GiB").has_value());
}

}  // namespace
}  // namespace prober
