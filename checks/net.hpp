// Resolve + connect + TLS handshake, shared by the checks that open a TCP connection.
// Included only by check implementation files (it pulls in Asio's socket and SSL headers).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <optional>
#include <string>

#include "checks/check.hpp"

namespace prober::checks {

using tcp = boost::asio::ip::tcp;

struct HostPort {
  std::string host;  // without IPv6 brackets
  std::string port;
};

// "host:port" or "[v6]:port"; nullopt when malformed.
std::optional<HostPort> split_host_port(const std::string& address);

// On failure returns the Outcome to report (dns or connect), phases filled as far as reached.
boost::asio::awaitable<std::optional<Outcome>> resolve_and_connect(tcp::socket& socket,
                                                                   const HostPort& target,
                                                                   config::IpVersion ip_version,
                                                                   RunProgress& progress);

struct TlsInfo {
  std::optional<TimePoint> cert_not_after;
};

// SNI, hostname verification (when the context verifies) and the handshake itself.
// `server_name` is the name to present and verify (the URL host unless overridden).
boost::asio::awaitable<std::optional<Outcome>> tls_handshake(
    boost::asio::ssl::stream<tcp::socket&>& stream, const std::string& server_name, bool verify,
    RunProgress& progress, TlsInfo& info);

// The certificate-expiry rule shared by http and tcp checks.
std::optional<Outcome> check_cert_expiry(const TlsInfo& info, const config::TlsOptions& tls,
                                         TimePoint now);

}  // namespace prober::checks
