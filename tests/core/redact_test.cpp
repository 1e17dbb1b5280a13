#include "prober/core/redact.hpp"

#include <gtest/gtest.h>

namespace prober {
namespace {

TEST(Redact, UrlPassword) {
  EXPECT_EQ(redact_url_password("postgresql://probe:s3cret@db:5432/app"),
            "postgresql://probe:***@db:5432/app");
  EXPECT_EQ(redact_url_password("redis://:hunter22@cache:6379/0"), "redis://:***@cache:6379/0");
  EXPECT_EQ(redact_url_password("https://example.com/a@b"), "https://example.com/a@b");
  EXPECT_EQ(redact_url_password("mysql://user@db/shop"), "mysql://user@db/shop");
  EXPECT_EQ(url_password("postgresql://probe:p%40ss@db/app"), "p%40ss");
  EXPECT_EQ(url_password("postgresql://db/app"), "");
}

TEST(Redact, MasksEveryOccurrenceLongestFirst) {
  Redactor r({"s3cret", "s3cret-longer", "ab"});
  EXPECT_EQ(r.apply("password s3cret-longer and s3cret again"), "password *** and *** again");
  // Too short to mask without shredding ordinary text.
  EXPECT_EQ(r.apply("abc"), "abc");
  EXPECT_TRUE(Redactor().empty());
}

}  // namespace
}  // namespace prober
