// Certificates made at test time with OpenSSL's API: a CA, and leaves signed by it with any
// names and validity window (expired, not yet valid, wrong host, self-signed).
#pragma once

#include <string>
#include <vector>

namespace prober::testing {

struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

struct CertSpec {
  std::string common_name = "localhost";
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
  long not_before_offset_s = -3600;      // relative to now
  long not_after_offset_s = 30 * 86400;  // relative to now
};

KeyPair make_ca(const std::string& name = "prober test CA");
KeyPair make_leaf(const KeyPair& ca, const CertSpec& spec);
KeyPair make_self_signed(const CertSpec& spec);

// Writes `content` to a fresh file in the test temp dir and returns its path.
std::string write_temp_file(const std::string& name, const std::string& content);

}  // namespace prober::testing
