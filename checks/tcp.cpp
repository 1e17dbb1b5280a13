#include "checks/tcp.hpp"

#include <boost/asio/ssl/context.hpp>

#include "checks/net.hpp"
#include "checks/tls.hpp"

namespace prober::checks {
namespace {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using Steady = std::chrono::steady_clock;

class TcpCheck final : public Check {
 public:
  TcpCheck(CheckConfigPtr shared, CheckEnv& env)
      : shared_(std::move(shared)), config_(*shared_), env_(env) {
    target_ = split_host_port(config_.address);
  }

  asio::awaitable<Outcome> run(RunProgress& progress) override {
    if (!target_) co_return Outcome::failure(ErrorClass::internal, "invalid address");
    auto started = Steady::now();
    tcp::socket socket(env_.executor);
    if (auto failure =
            co_await resolve_and_connect(socket, *target_, config_.ip_version, progress)) {
      failure->phases = progress.phases;
      co_return std::move(*failure);
    }
    Outcome out;
    TlsInfo tls_info;
    if (config_.tls.enabled) {
      std::shared_ptr<ssl::context> context;
      try {
        context = env_.tls->get(config_.tls.verify, config_.tls.ca_file);
      } catch (const std::exception& e) {
        co_return Outcome::failure(ErrorClass::internal, e.what());
      }
      ssl::stream<tcp::socket&> stream(socket, *context);
      std::string server_name = config_.tls.server_name.value_or(target_->host);
      if (auto failure =
              co_await tls_handshake(stream, server_name, config_.tls.verify, progress, tls_info)) {
        failure->phases = progress.phases;
        co_return std::move(*failure);
      }
      out.cert_not_after = tls_info.cert_not_after;
    }
    out.phases = progress.phases;
    out.ok = true;
    auto total = std::chrono::duration_cast<Micros>(Steady::now() - started);
    if (config_.expect.max_latency && total > *config_.expect.max_latency) {
      out.ok = false;
      out.error = ErrorClass::assertion;
      out.detail = "took " + format_duration(total) + ", more than max_latency " +
                   format_duration(*config_.expect.max_latency);
      co_return out;
    }
    if (env_.clock) {
      if (auto expiring = check_cert_expiry(tls_info, config_.tls, env_.clock->now())) {
        expiring->phases = out.phases;
        co_return std::move(*expiring);
      }
    }
    co_return out;
  }

 private:
  CheckConfigPtr shared_;
  const config::Check& config_;
  CheckEnv& env_;
  std::optional<HostPort> target_;
};

}  // namespace

std::unique_ptr<Check> make_tcp_check(CheckConfigPtr config, CheckEnv& env) {
  return std::make_unique<TcpCheck>(std::move(config), env);
}

}  // namespace prober::checks
