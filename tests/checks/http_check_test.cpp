// The http check against real servers on loopback: an in-process server with scripted
// behaviour (tests/support/test_server.hpp) and certificates made per test run.
#include <dirent.h>
#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "prober/engine/engine.hpp"
#include "support/certs.hpp"
#include "support/test_server.hpp"

namespace prober {
namespace {

using namespace std::chrono_literals;
using testing::TestServer;
namespace asio = boost::asio;

config::Check http_check(const std::string& url) {
  config::Check c;
  c.name = "web";
  c.type = "http";
  c.url = url;
  c.interval = 10s;
  c.timeout = 5s;
  return c;
}

Result run(const config::Check& check) {
  config::Config config;
  config.vantages.push_back({"test", 1});
  SystemClock clock;
  return engine::run_check_once(config, check, "test", clock);
}

double ms(Micros d) {
  return static_cast<double>(d.count()) / 1000.0;
}

int open_fds() {
  int n = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (readdir(dir)) ++n;
    closedir(dir);
  }
  return n;
}

TEST(HttpCheck, OkResponseRecordsStatusAndPhases) {
  TestServer server(testing::respond_status(200, "Welcome home"));
  Result r = run(http_check(server.url("/")));
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.error, ErrorClass::none);
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.check, "web");
  EXPECT_EQ(r.vantage, "test");
  ASSERT_TRUE(r.phases.dns_ms && r.phases.connect_ms && r.phases.ttfb_ms && r.phases.transfer_ms);
  EXPECT_FALSE(r.phases.tls_ms.has_value());
  EXPECT_GE(ms(r.duration), *r.phases.connect_ms);
}

TEST(HttpCheck, UnexpectedStatusIsHttpStatusError) {
  TestServer server(testing::respond_status(503, "down"));
  Result r = run(http_check(server.url("/")));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, ErrorClass::http_status);
  EXPECT_EQ(r.status_code, 503);
  EXPECT_EQ(r.detail, "status 503, expected 200-299");
}

TEST(HttpCheck, ConfiguredStatusRangesAreHonoured) {
  TestServer server(testing::respond_status(404, "nope"));
  auto check = http_check(server.url("/"));
  check.expect.status = {{404, 404}, {500, 599}};
  EXPECT_TRUE(run(check).ok);
  check.expect.status = {{200, 204}};
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::http_status);
  EXPECT_EQ(r.detail, "status 404, expected 200-204");
}

TEST(HttpCheck, BodyContainsAndRegex) {
  TestServer server(testing::respond_status(200, "<h1>Welcome, build 42</h1>"));
  auto check = http_check(server.url("/"));
  check.expect.body_contains = "Welcome";
  check.expect.body_regex = "build [0-9]+";
  EXPECT_TRUE(run(check).ok);

  check.expect.body_contains = "Goodbye";
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::assertion);
  EXPECT_EQ(r.detail, "body does not contain \"Goodbye\"");

  check.expect.body_contains.reset();
  check.expect.body_regex = "build [a-z]+$";
  r = run(check);
  EXPECT_EQ(r.error, ErrorClass::assertion);
  EXPECT_EQ(r.detail, "body does not match /build [a-z]+$/");
}

TEST(HttpCheck, HeaderExpectations) {
  TestServer server(
      testing::respond_status(200, "ok", "X-Build: 2024.05.1\r\nContent-Type: text/plain\r\n"));
  auto check = http_check(server.url("/"));
  check.expect.headers = {{"x-build", std::nullopt, "^2024\\.", true},
                          {"Content-Type", "text/plain", std::nullopt, true},
                          {"X-Debug", std::nullopt, std::nullopt, false}};
  EXPECT_TRUE(run(check).ok) << run(check).detail;

  check.expect.headers = {{"Content-Type", "application/json", std::nullopt, true}};
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::assertion);
  EXPECT_EQ(r.detail, "header Content-Type is \"text/plain\", expected \"application/json\"");

  check.expect.headers = {{"X-Missing", std::nullopt, std::nullopt, true}};
  EXPECT_EQ(run(check).detail, "header X-Missing is missing");
  check.expect.headers = {{"X-Build", std::nullopt, std::nullopt, false}};
  EXPECT_EQ(run(check).detail, "header X-Build is present");
}

TEST(HttpCheck, MaxLatencyExceededIsAssertion) {
  TestServer server([](testing::Conn& conn) -> asio::awaitable<void> {
    co_await conn.read_request();
    co_await conn.sleep(300ms);
    co_await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  auto check = http_check(server.url("/"));
  check.expect.max_latency = 100ms;
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::assertion);
  EXPECT_NE(r.detail.find("more than max_latency 100ms"), std::string::npos) << r.detail;
  check.expect.max_latency = 3s;
  EXPECT_TRUE(run(check).ok);
}

TEST(HttpCheck, RefusedConnectionIsConnectError) {
  unsigned short port;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }  // closed: nothing listens there now
  Result r = run(http_check("http://127.0.0.1:" + std::to_string(port) + "/"));
  EXPECT_EQ(r.error, ErrorClass::connect);
  EXPECT_NE(r.detail.find("connect to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << r.detail;
}

TEST(HttpCheck, UnresolvableNameIsDnsError) {
  auto check = http_check("http://no-such-host.invalid/");
  check.timeout = 20s;
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::dns) << r.detail;
  EXPECT_NE(r.detail.find("no-such-host.invalid"), std::string::npos);
}

TEST(HttpCheck, ServerThatNeverAnswersTimesOutAtTheDeadline) {
  TestServer server(testing::never_answer());
  auto check = http_check(server.url("/"));
  check.timeout = 300ms;
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::timeout);
  EXPECT_GE(ms(r.duration), 300);
  EXPECT_LT(ms(r.duration), 1000);
  EXPECT_EQ(r.detail, "no result within 300ms (during ttfb)");
  EXPECT_TRUE(r.phases.connect_ms.has_value());
}

TEST(HttpCheck, AcceptButNeverReadTimesOut) {
  TestServer server(testing::accept_and_hold());
  auto check = http_check(server.url("/"));
  check.timeout = 200ms;
  EXPECT_EQ(run(check).error, ErrorClass::timeout);
}

TEST(HttpCheck, DrippingServerIsCutOffByTheDeadline) {
  TestServer server(testing::drip_forever());
  auto check = http_check(server.url("/"));
  check.timeout = 400ms;
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::timeout);
  EXPECT_LT(ms(r.duration), 1500);
}

TEST(HttpCheck, CloseMidHeadersIsProtocolError) {
  TestServer server(testing::close_mid_headers());
  Result r = run(http_check(server.url("/")));
  EXPECT_EQ(r.error, ErrorClass::protocol);
  EXPECT_EQ(r.detail, "connection closed in the response headers");
}

TEST(HttpCheck, GarbageResponseIsProtocolError) {
  TestServer server(testing::garbage());
  Result r = run(http_check(server.url("/")));
  EXPECT_EQ(r.error, ErrorClass::protocol);
  EXPECT_NE(r.detail.find("bad response"), std::string::npos) << r.detail;
}

TEST(HttpCheck, FiftyMegabyteBodyIsReadWithBoundedMemory) {
  constexpr std::size_t kBytes = 50u << 20;
  TestServer server(testing::huge_body(kBytes));
  auto check = http_check(server.url("/"));
  check.timeout = 30s;
  check.expect.body_contains = "needle";  // not there: forces a search of the kept prefix
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::assertion);
  // Only max_body_bytes (1 MiB) were kept; the rest was read and dropped.
  EXPECT_EQ(r.detail,
            "body does not contain \"needle\" (searched the first 1048576 of 52428800 bytes)");
  check.expect.body_contains.reset();
  EXPECT_TRUE(run(check).ok);
}

TEST(HttpCheck, FollowsRedirectsUpToTheLimit) {
  TestServer server([](testing::Conn& conn) -> asio::awaitable<void> {
    std::string request = co_await conn.read_request();
    if (request.rfind("GET /final ", 0) == 0) {
      co_await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
    } else if (request.rfind("GET /loop ", 0) == 0) {
      co_await conn.write("HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n");
    } else {
      co_await conn.write("HTTP/1.1 301 Moved\r\nLocation: /final\r\nContent-Length: 0\r\n\r\n");
    }
  });
  auto check = http_check(server.url("/start"));
  check.expect.body_contains = "done";
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.status_code, 200);

  check = http_check(server.url("/loop"));
  check.max_redirects = 3;
  r = run(check);
  EXPECT_EQ(r.error, ErrorClass::protocol);
  EXPECT_EQ(r.detail, "too many redirects (more than 3)");

  check = http_check(server.url("/start"));
  check.max_redirects = 0;
  r = run(check);
  EXPECT_EQ(r.error, ErrorClass::http_status);
  EXPECT_EQ(r.status_code, 301);
}

TEST(HttpCheck, SendsMethodHeadersAndBody) {
  TestServer server([](testing::Conn& conn) -> asio::awaitable<void> {
    std::string request = co_await conn.read_request();
    bool good = request.rfind("POST /api?x=1 HTTP/1.1\r\n", 0) == 0 &&
                request.find("X-Token: abc\r\n") != std::string::npos && request.size() > 9 &&
                request.substr(request.size() - 9) == "{\"a\": 1}\n";
    std::string status = good ? "200 OK" : "400 Bad";
    co_await conn.write("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n");
  });
  auto check = http_check(server.url("/api?x=1"));
  check.method = "POST";
  check.headers = {{"X-Token", "abc"}};
  check.body = "{\"a\": 1}\n";
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail << " status " << r.status_code.value_or(0);
}

TEST(HttpCheck, UrlCredentialsBecomeBasicAuth) {
  TestServer server([](testing::Conn& conn) -> asio::awaitable<void> {
    std::string request = co_await conn.read_request();
    // base64("probe:s3cret") = cHJvYmU6czNjcmV0
    bool good = request.find("Authorization: Basic cHJvYmU6czNjcmV0\r\n") != std::string::npos;
    co_await conn.write(good ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                             : "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
  });
  auto check = http_check("http://probe:s3cret@" + server.address() + "/");
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
  check.url = server.url("/");
  EXPECT_EQ(run(check).status_code, 401);
}

TEST(HttpCheck, HeadRequestDoesNotWaitForABody) {
  TestServer server(testing::respond("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
  auto check = http_check(server.url("/"));
  check.method = "HEAD";
  check.timeout = 2s;
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
}

TEST(HttpCheck, Ipv6Loopback) {
  TestServer server(testing::respond_status(200, "v6"), {.tls = std::nullopt, .ipv6 = true});
  auto check = http_check(server.url("/"));
  EXPECT_EQ(check.url.substr(0, 13), "http://[::1]:");
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
  check.ip_version = config::IpVersion::v4;
  check.url = "http://localhost:" + std::to_string(server.port()) + "/";
  // localhost resolves to 127.0.0.1 here; nothing listens on v4 for this port.
  EXPECT_FALSE(run(check).ok);
}

class HttpsCheck : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_ = new testing::KeyPair(testing::make_ca());
    ca_file_ = new std::string(testing::write_temp_file("ca.pem", ca_->cert_pem));
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete ca_file_;
  }
  config::Check https_check(const TestServer& server) {
    auto check = http_check(server.url("/"));
    check.tls.ca_file = *ca_file_;
    return check;
  }
  static testing::KeyPair* ca_;
  static std::string* ca_file_;
};
testing::KeyPair* HttpsCheck::ca_ = nullptr;
std::string* HttpsCheck::ca_file_ = nullptr;

TEST_F(HttpsCheck, ValidCertificateRecordsExpiryAndTlsPhase) {
  testing::CertSpec spec;
  spec.not_after_offset_s = 30 * 86400;
  TestServer server(testing::respond_status(200, "secure"),
                    {.tls = testing::make_leaf(*ca_, spec)});
  Result r = run(https_check(server));
  ASSERT_TRUE(r.ok) << r.detail;
  ASSERT_TRUE(r.phases.tls_ms.has_value());
  ASSERT_TRUE(r.cert_not_after.has_value());
  auto days_left =
      std::chrono::duration_cast<std::chrono::hours>(*r.cert_not_after - SystemClock().now())
          .count() /
      24.0;
  EXPECT_NEAR(days_left, 30, 1);
}

TEST_F(HttpsCheck, SelfSignedCertificateFailsVerification) {
  TestServer server(testing::respond_status(200), {.tls = testing::make_self_signed({})});
  Result r = run(https_check(server));
  EXPECT_EQ(r.error, ErrorClass::tls);
  EXPECT_NE(r.detail.find("certificate verify failed"), std::string::npos) << r.detail;
}

TEST_F(HttpsCheck, SelfSignedAcceptedWithVerifyOff) {
  TestServer server(testing::respond_status(200), {.tls = testing::make_self_signed({})});
  auto check = https_check(server);
  check.tls.verify = false;
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_TRUE(r.cert_not_after.has_value());
}

TEST_F(HttpsCheck, ExpiredCertificate) {
  testing::CertSpec spec;
  spec.not_before_offset_s = -10 * 86400;
  spec.not_after_offset_s = -86400;
  TestServer server(testing::respond_status(200), {.tls = testing::make_leaf(*ca_, spec)});
  Result r = run(https_check(server));
  EXPECT_EQ(r.error, ErrorClass::tls);
  EXPECT_NE(r.detail.find("certificate has expired"), std::string::npos) << r.detail;
  ASSERT_TRUE(r.cert_not_after.has_value());
  EXPECT_LT(*r.cert_not_after, SystemClock().now());
}

TEST_F(HttpsCheck, WrongHostName) {
  testing::CertSpec spec;
  spec.common_name = "other.example";
  spec.dns_names = {"other.example"};
  spec.ip_addresses = {};
  TestServer server(testing::respond_status(200), {.tls = testing::make_leaf(*ca_, spec)});
  Result r = run(https_check(server));
  EXPECT_EQ(r.error, ErrorClass::tls);
  EXPECT_NE(r.detail.find("certificate verify failed"), std::string::npos) << r.detail;
  // The same certificate passes when we verify against the name it was issued for.
  auto check = https_check(server);
  check.tls.server_name = "other.example";
  EXPECT_TRUE(run(check).ok);
}

TEST_F(HttpsCheck, CertificateExpiringSoonFailsMinDays) {
  testing::CertSpec spec;
  spec.not_after_offset_s = 5 * 86400;
  TestServer server(testing::respond_status(200), {.tls = testing::make_leaf(*ca_, spec)});
  auto check = https_check(server);
  check.tls.min_days_to_expiry = 14;
  Result r = run(check);
  EXPECT_EQ(r.error, ErrorClass::cert_expiry);
  EXPECT_NE(r.detail.find("in 4 days (minimum 14)"), std::string::npos) << r.detail;
  check.tls.min_days_to_expiry = 3;
  EXPECT_TRUE(run(check).ok);
}

TEST_F(HttpsCheck, PlainHttpServerOnTlsPortIsTlsError) {
  // Answers whatever arrives (a ClientHello here) with plain HTTP, as a misrouted port would.
  TestServer server([](testing::Conn& conn) -> asio::awaitable<void> {
    co_await conn.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  });
  auto check = http_check("https://" + server.address() + "/");
  check.tls.ca_file = *ca_file_;
  EXPECT_EQ(run(check).error, ErrorClass::tls);
}

TEST(HttpCheckResources, TimeoutsCloseTheirSockets) {
  TestServer server(testing::never_answer());
  auto check = http_check(server.url("/"));
  check.timeout = 20ms;
  run(check);  // warm up lazily created descriptors (resolver, epoll)
  int before = open_fds();
  for (int i = 0; i < 50; ++i) EXPECT_EQ(run(check).error, ErrorClass::timeout);
  // The server sees every connection closed by the client, and we hold no descriptor more.
  for (int i = 0; i < 200 && server.open_connections() > 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(server.open_connections(), 0);
  EXPECT_LE(open_fds(), before + 1);
}

}  // namespace
}  // namespace prober
