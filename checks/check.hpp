// The one interface every check type implements (see checks/registry.cpp). A check is built
// once per configured check and run many times; each run is one coroutine that never throws
// for a target's misbehaviour: it returns an Outcome with an error class. Deadlines,
// retries, concurrency and result fan-out belong to the engine, not to the check.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "prober/core/result.hpp"

namespace prober::checks {

// What a run found. The engine adds check, vantage, ts and duration to make a Result.
struct Outcome {
  bool ok = false;
  ErrorClass error = ErrorClass::none;
  std::string detail;
  std::optional<int> status_code;
  Phases phases;
  std::optional<TimePoint> cert_not_after;
  // Change tracking: the engine turns differences between consecutive runs into change
  // events. Each is a list of (name, value); absent means "not observed this run".
  using Snapshot = std::vector<std::pair<std::string, std::string>>;
  std::optional<Snapshot> fingerprint;  // watched response headers / JSON pointer values
  std::optional<std::string> server_version;
  std::optional<Snapshot> settings;  // server settings (databases)

  static Outcome failure(ErrorClass e, std::string why) {
    Outcome o;
    o.error = e;
    o.detail = std::move(why);
    return o;
  }
};

// Progress of a run, readable by the engine when the deadline cuts the run short, so a
// timeout says where it happened ("timeout during tls") and keeps the phases measured so far.
struct RunProgress {
  Phases phases;
  const char* phase = "start";
};

class TlsContextCache;

// Shared by all checks of one engine.
struct CheckEnv {
  boost::asio::any_io_executor executor;
  TlsContextCache* tls = nullptr;
  const Clock* clock = nullptr;  // wall time, for certificate expiry
};

class Check {
 public:
  virtual ~Check() = default;
  virtual boost::asio::awaitable<Outcome> run(RunProgress& progress) = 0;
};

// Builds the check for `config->type`; throws std::invalid_argument for an unknown type (the
// config validator has already rejected those). The check shares the config (one copy per
// check, even with 100,000 of them).
using CheckConfigPtr = std::shared_ptr<const config::Check>;
std::unique_ptr<Check> make_check(CheckConfigPtr config, CheckEnv& env);

// Milliseconds between two steady-clock instants, for phases.
inline double elapsed_ms(std::chrono::steady_clock::time_point from,
                         std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace prober::checks
