#include "checks/net.hpp"

#include "checks/tls.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace prober::checks {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using Steady = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::optional<HostPort> split_host_port(const std::string& address) {
  HostPort hp;
  if (!address.empty() && address.front() == '[') {
    auto close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':')
      return std::nullopt;
    hp.host = address.substr(1, close - 1);
    hp.port = address.substr(close + 2);
  } else {
    auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    hp.host = address.substr(0, colon);
    hp.port = address.substr(colon + 1);
  }
  if (hp.host.empty() || hp.port.empty()) return std::nullopt;
  return hp;
}

asio::awaitable<std::optional<Outcome>> resolve_and_connect(tcp::socket& socket,
                                                            const HostPort& target,
                                                            config::IpVersion ip_version,
                                                            RunProgress& progress) {
  std::vector<tcp::endpoint> endpoints;
  auto started = Steady::now();
  progress.phase = "dns";
  boost::system::error_code parse_error;
  auto literal = asio::ip::make_address(target.host, parse_error);
  unsigned long port_number = 0;
  try {
    port_number = std::stoul(target.port);
  } catch (...) {
    port_number = 0;
  }
  if (!parse_error && port_number > 0 && port_number < 65536) {
    // Literal addresses skip the resolver thread entirely.
    endpoints.emplace_back(literal, static_cast<unsigned short>(port_number));
  } else {
    tcp::resolver resolver(socket.get_executor());
    auto [ec, results] = co_await resolver.async_resolve(target.host, target.port, kTuple);
    if (ec) {
      progress.phases.dns_ms = elapsed_ms(started, Steady::now());
      co_return Outcome::failure(ErrorClass::dns,
                                 "cannot resolve " + target.host + ": " + ec.message());
    }
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }
  if (ip_version != config::IpVersion::any) {
    std::erase_if(endpoints, [ip_version](const tcp::endpoint& e) {
      return ip_version == config::IpVersion::v4 ? !e.address().is_v4() : !e.address().is_v6();
    });
    if (endpoints.empty()) {
      progress.phases.dns_ms = elapsed_ms(started, Steady::now());
      co_return Outcome::failure(ErrorClass::dns,
                                 target.host + " has no " +
                                     (ip_version == config::IpVersion::v4 ? "IPv4" : "IPv6") +
                                     " address");
    }
  }
  auto resolved = Steady::now();
  progress.phases.dns_ms = elapsed_ms(started, resolved);
  progress.phase = "connect";
  boost::system::error_code last_error;
  tcp::endpoint last_endpoint;
  for (const auto& endpoint : endpoints) {
    if (socket.is_open()) socket.close();
    auto [ec] = co_await socket.async_connect(endpoint, kTuple);
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      progress.phases.connect_ms = elapsed_ms(resolved, Steady::now());
      co_return std::nullopt;
    }
    last_error = ec;
    last_endpoint = endpoint;
    if (ec == asio::error::operation_aborted) break;
  }
  progress.phases.connect_ms = elapsed_ms(resolved, Steady::now());
  std::string where = last_endpoint.address().to_string();
  if (last_endpoint.address().is_v6()) where = "[" + where + "]";
  co_return Outcome::failure(ErrorClass::connect, "connect to " + where + ":" +
                                                      std::to_string(last_endpoint.port()) +
                                                      " failed: " + last_error.message());
}

asio::awaitable<std::optional<Outcome>> tls_handshake(ssl::stream<tcp::socket&>& stream,
                                                      const std::string& server_name, bool verify,
                                                      RunProgress& progress, TlsInfo& info) {
  progress.phase = "tls";
  auto started = Steady::now();
  boost::system::error_code ec;
  asio::ip::make_address(server_name, ec);
  if (ec) {
    // SNI is only for names, never for address literals (RFC 6066 section 3).
    // SSL_set_tlsext_host_name() is a macro with a C cast; this is what it expands to.
    if (SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(server_name.c_str())) != 1) {
      co_return Outcome::failure(ErrorClass::internal, "cannot set SNI name " + server_name);
    }
  }
  if (verify) stream.set_verify_callback(ssl::host_name_verification(server_name));
  auto [handshake_error] = co_await stream.async_handshake(ssl::stream_base::client, kTuple);
  progress.phases.tls_ms = elapsed_ms(started, Steady::now());
  info.cert_not_after = earliest_peer_cert_expiry(stream.native_handle());
  if (handshake_error) {
    if (handshake_error == asio::error::operation_aborted) {
      co_return Outcome::failure(ErrorClass::timeout, "tls handshake cancelled");
    }
    std::string reason = handshake_error.message();
    if (handshake_error.category() == asio::error::get_ssl_category()) {
      reason = describe_tls_failure(stream.native_handle(), reason);
    } else if (handshake_error == asio::error::eof ||
               handshake_error == asio::error::connection_reset) {
      reason = "server closed the connection during the handshake";
    }
    Outcome out = Outcome::failure(ErrorClass::tls,
                                   "tls handshake with " + server_name + " failed: " + reason);
    out.cert_not_after = info.cert_not_after;
    co_return out;
  }
  co_return std::nullopt;
}

std::optional<Outcome> check_cert_expiry(const TlsInfo& info, const config::TlsOptions& tls,
                                         TimePoint now) {
  if (!tls.min_days_to_expiry || !info.cert_not_after) return std::nullopt;
  auto left = *info.cert_not_after - now;
  auto required = std::chrono::hours(24) * *tls.min_days_to_expiry;
  if (left >= required) return std::nullopt;
  auto days_left = std::chrono::duration_cast<std::chrono::hours>(left).count() / 24;
  Outcome out = Outcome::failure(ErrorClass::cert_expiry,
                                 "certificate expires " + format_rfc3339(*info.cert_not_after) +
                                     ", in " + std::to_string(days_left) + " days (minimum " +
                                     std::to_string(*tls.min_days_to_expiry) + ")");
  out.cert_not_after = info.cert_not_after;
  return out;
}

}  // namespace prober::checks
