// The Asio driver of the Planner: starts due runs as coroutines, enforces each check's
// deadline (cancelling the operation, which closes its socket), tracks changes, and hands
// results to the sinks. One engine thread; Asio stays out of this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "prober/core/result.hpp"
#include "prober/engine/sink.hpp"

namespace boost::asio {
class io_context;
}

namespace prober::engine {

struct EngineStats {
  std::size_t checks = 0;
  std::uint64_t started = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t skipped_overrun = 0;
  std::uint64_t skipped_overload = 0;
  std::uint64_t changes = 0;
  // Start lag: actual start - planned start.
  double lag_p50_ms = 0;
  double lag_p99_ms = 0;
  double lag_max_ms = 0;
};

class Engine {
 public:
  Engine(boost::asio::io_context& io, const Clock& clock, std::vector<ResultSink*> sinks);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Schedules the checks of `config` that `vantage` runs. On a later call (reload), checks
  // whose configuration is unchanged keep their schedule; removed checks stop (a run in
  // flight still completes and is recorded); new and changed ones are scheduled afresh.
  // Returns the number of checks scheduled.
  // This form copies each new or changed check's configuration.
  std::size_t apply(const config::Config& config, const std::string& vantage);
  // This form shares them with `config` instead (no copy: 100,000 checks' configs are ~85 MB),
  // keeping `config` alive while any of its checks is scheduled. For the first apply; a reload
  // should copy, or every reload would keep one more whole config alive for its few changes.
  std::size_t apply(std::shared_ptr<const config::Config> config, const std::string& vantage);

  void start();
  // Stops scheduling; `done` runs on the engine thread once every in-flight run has ended
  // (each is bounded by its deadline).
  void drain(std::function<void()> done);

  EngineStats stats() const;

  struct Scheduled {
    std::string check;
    std::uint64_t job = 0;  // changes when a reload reschedules the check
    TimePoint next{};       // next planned start
  };
  std::vector<Scheduled> schedule() const;  // ordered by check name

 private:
  std::size_t apply_checks(
      const config::Config& config, const std::string& vantage,
      const std::function<std::shared_ptr<const config::Check>(const config::Check&)>& keep);

  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Runs one check once, now, with its deadline: `prober check`. Blocks the calling thread.
Result run_check_once(const config::Config& config, const config::Check& check,
                      const std::string& vantage, const Clock& clock,
                      std::vector<ChangeEvent>* changes = nullptr);

}  // namespace prober::engine
