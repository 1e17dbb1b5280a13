// TLS client contexts shared between checks with the same trust settings: loading the system
// CA store costs milliseconds and megabytes, so it is done once per distinct setting.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "prober/core/time.hpp"

namespace boost::asio::ssl {
class context;
}
struct ssl_st;

namespace prober::checks {

class TlsContextCache {
 public:
  TlsContextCache();
  ~TlsContextCache();
  // verify=false: no chain or name verification (the certificate is still read for expiry).
  // Throws std::runtime_error when ca_file cannot be loaded.
  std::shared_ptr<boost::asio::ssl::context> get(bool verify,
                                                 const std::optional<std::string>& ca_file);

 private:
  std::map<std::pair<bool, std::string>, std::shared_ptr<boost::asio::ssl::context>> contexts_;
};

// Earliest notAfter of the certificates the peer presented, if any.
std::optional<TimePoint> earliest_peer_cert_expiry(ssl_st* ssl);

// A readable reason for a failed handshake: the verification result when there is one
// ("certificate has expired"), else the OpenSSL error text.
std::string describe_tls_failure(ssl_st* ssl, const std::string& fallback);

}  // namespace prober::checks
