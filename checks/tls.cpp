#include "checks/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/ssl/context.hpp>
#include <stdexcept>

namespace prober::checks {

namespace ssl = boost::asio::ssl;

TlsContextCache::TlsContextCache() = default;
TlsContextCache::~TlsContextCache() = default;

std::shared_ptr<ssl::context> TlsContextCache::get(bool verify,
                                                   const std::optional<std::string>& ca_file) {
  auto key = std::make_pair(verify, ca_file.value_or(""));
  if (auto it = contexts_.find(key); it != contexts_.end()) return it->second;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3);
  // Every run is a full handshake, as a new user's browser would do; a cached session would
  // hide handshake failures and latency.
  SSL_CTX_set_session_cache_mode(ctx->native_handle(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_TICKET);
  if (verify) {
    ctx->set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (ca_file) {
      ctx->load_verify_file(*ca_file, ec);
      if (ec) throw std::runtime_error("cannot load tls.ca_file " + *ca_file + ": " + ec.message());
    } else {
      ctx->set_default_verify_paths(ec);
      if (ec) throw std::runtime_error("cannot load the system CA store: " + ec.message());
    }
  } else {
    ctx->set_verify_mode(ssl::verify_none);
  }
  contexts_.emplace(key, ctx);
  return ctx;
}

std::optional<TimePoint> earliest_peer_cert_expiry(SSL* ssl) {
  std::optional<TimePoint> earliest;
  auto consider = [&earliest](X509* cert) {
    if (!cert) return;
    const ASN1_TIME* not_after = X509_get0_notAfter(cert);
    struct tm tm_value {};
    if (!not_after || ASN1_TIME_to_tm(not_after, &tm_value) != 1) return;
    time_t seconds = timegm(&tm_value);
    TimePoint t = from_unix_micros(static_cast<std::int64_t>(seconds) * 1000000);
    if (!earliest || t < *earliest) earliest = t;
  };
  // The chain a client sees may or may not repeat the leaf; consider both.
  if (X509* leaf = SSL_get1_peer_certificate(ssl)) {
    consider(leaf);
    X509_free(leaf);
  }
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
    for (int i = 0; i < sk_X509_num(chain); ++i) consider(sk_X509_value(chain, i));
  }
  return earliest;
}

std::string describe_tls_failure(SSL* ssl, const std::string& fallback) {
  if (ssl) {
    long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
    }
  }
  return fallback;
}

}  // namespace prober::checks
