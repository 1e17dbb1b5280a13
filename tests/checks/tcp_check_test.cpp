#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "prober/engine/engine.hpp"
#include "support/certs.hpp"
#include "support/test_server.hpp"

namespace prober {
namespace {
using namespace std::chrono_literals;
using testing::TestServer;

config::Check tcp_check(const std::string& address) {
  config::Check c;
  c.name = "port";
  c.type = "tcp";
  c.address = address;
  c.interval = 10s;
  c.timeout = 3s;
  return c;
}

Result run(const config::Check& check) {
  config::Config config;
  SystemClock clock;
  return engine::run_check_once(config, check, "test", clock);
}

TEST(TcpCheck, ConnectSucceeds) {
  TestServer server(testing::accept_and_hold());
  Result r = run(tcp_check(server.address()));
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_TRUE(r.phases.connect_ms.has_value());
}

TEST(TcpCheck, RefusedIsConnectError) {
  unsigned short port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }
  Result r = run(tcp_check("127.0.0.1:" + std::to_string(port)));
  EXPECT_EQ(r.error, ErrorClass::connect);
}

TEST(TcpCheck, TlsHandshakeVerifiedAgainstCa) {
  auto ca = testing::make_ca();
  TestServer server(testing::accept_and_hold(), {.tls = testing::make_leaf(ca, {})});
  auto check = tcp_check(server.address());
  check.tls.enabled = true;
  check.tls.ca_file = testing::write_temp_file("tcp-ca.pem", ca.cert_pem);
  Result r = run(check);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_TRUE(r.phases.tls_ms.has_value());
  EXPECT_TRUE(r.cert_not_after.has_value());

  TestServer self_signed(testing::accept_and_hold(), {.tls = testing::make_self_signed({})});
  check.address = self_signed.address();
  EXPECT_EQ(run(check).error, ErrorClass::tls);
}

TEST(TcpCheck, Ipv6Address) {
  TestServer server(testing::accept_and_hold(), {.tls = std::nullopt, .ipv6 = true});
  Result r = run(tcp_check(server.address()));
  EXPECT_TRUE(r.ok) << r.detail;
}

}  // namespace
}  // namespace prober
