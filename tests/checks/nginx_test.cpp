// The http and tcp checks against a real nginx (started by scripts/test-services.sh).
#include <gtest/gtest.h>

#include "prober/engine/engine.hpp"
#include "support/services.hpp"

namespace prober {
namespace {
using namespace std::chrono_literals;

config::Check http_check(const std::string& url) {
  config::Check c;
  c.name = "nginx";
  c.type = "http";
  c.url = url;
  c.interval = 10s;
  c.timeout = 5s;
  return c;
}

Result run(const config::Check& check) {
  config::Config config;
  SystemClock clock;
  return engine::run_check_once(config, check, "test", clock);
}

TEST(Nginx, PageWithExpectedBody) {
  auto address = testing::service_env("PROBER_TEST_NGINX_HTTP");
  ASSERT_FALSE(address.empty());
  auto check = http_check("http://" + address + "/index.html");
  check.expect.body_contains = "Welcome to the test shop";
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.status_code, 200);
}

TEST(Nginx, ErrorStatusAndRedirect) {
  auto address = testing::service_env("PROBER_TEST_NGINX_HTTP");
  ASSERT_FALSE(address.empty());
  Result r = run(http_check("http://" + address + "/status/503"));
  EXPECT_EQ(r.error, ErrorClass::http_status);
  EXPECT_EQ(r.status_code, 503);
  auto check = http_check("http://" + address + "/redirect");
  check.expect.body_contains = "Welcome";
  r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
}

TEST(Nginx, LargeBody) {
  auto address = testing::service_env("PROBER_TEST_NGINX_HTTP");
  ASSERT_FALSE(address.empty());
  Result r = run(http_check("http://" + address + "/big.txt"));
  EXPECT_TRUE(r.ok) << r.detail;
  ASSERT_TRUE(r.phases.transfer_ms.has_value());
}

TEST(Nginx, HttpsWithPrivateCa) {
  auto address = testing::service_env("PROBER_TEST_NGINX_HTTPS");
  auto ca = testing::service_env("PROBER_TEST_NGINX_CA");
  ASSERT_FALSE(address.empty());
  auto check = http_check("https://" + address + "/health.json");
  check.tls.ca_file = ca;
  check.expect.headers = {{"X-Build", "1.4.2", std::nullopt, true}};
  Result r = run(check);
  ASSERT_TRUE(r.ok) << r.detail;
  ASSERT_TRUE(r.phases.tls_ms.has_value());
  ASSERT_TRUE(r.cert_not_after.has_value());
  // The script issues the server certificate for 20 days.
  check.tls.min_days_to_expiry = 25;
  r = run(check);
  EXPECT_EQ(r.error, ErrorClass::cert_expiry);
  // Without the private CA the system store does not trust it.
  check = http_check("https://" + address + "/health.json");
  EXPECT_EQ(run(check).error, ErrorClass::tls);
}

TEST(Nginx, TcpCheckWithTls) {
  auto address = testing::service_env("PROBER_TEST_NGINX_HTTPS");
  ASSERT_FALSE(address.empty());
  config::Check c;
  c.name = "port";
  c.type = "tcp";
  c.address = address;
  c.timeout = 3s;
  c.tls.enabled = true;
  c.tls.ca_file = testing::service_env("PROBER_TEST_NGINX_CA");
  Result r = run(c);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_TRUE(r.phases.tls_ms.has_value());
}

}  // namespace
}  // namespace prober
