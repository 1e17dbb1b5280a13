#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include "prober/cli/commands.hpp"
#include "prober/cli/common.hpp"
#include "prober/engine/engine.hpp"
#include "prober/store/store.hpp"

namespace prober::cli {
namespace {

class StoreSink final : public engine::ResultSink {
 public:
  explicit StoreSink(store::Store& store) : store_(store) {}
  void on_result(const Result& result) override { store_.append(result); }
  void on_change(const ChangeEvent& event) override { store_.append(event); }

 private:
  store::Store& store_;
};

// Logs what an operator wants to see as it happens: a check going from passing to failing and
// back (one line each), not every run.
class TransitionLogSink final : public engine::ResultSink {
 public:
  void on_result(const Result& r) override {
    spdlog::debug("result: check={} ok={} duration_ms={:.1f} error={} detail={}", r.check, r.ok,
                  static_cast<double>(r.duration.count()) / 1000.0, to_string(r.error), r.detail);
    auto [it, inserted] = last_ok_.try_emplace(r.check, r.ok);
    if (!inserted && it->second == r.ok) return;
    it->second = r.ok;
    if (!r.ok) {
      spdlog::warn("check {} failing: error={} detail={}", r.check, to_string(r.error), r.detail);
    } else if (!inserted) {
      spdlog::info("check {} passing again", r.check);
    }
  }

 private:
  std::map<std::string, bool> last_ok_;
};

}  // namespace

int cmd_run(const RunArgs& args) {
  // Shared with the engine, which schedules its checks without copying them.
  std::shared_ptr<const config::Config> config;
  if (auto loaded = load_or_report(args.config)) {
    config = std::make_shared<const config::Config>(std::move(*loaded));
  } else {
    return kExitUsage;
  }
  auto vantage = choose_vantage(*config, args.vantage);
  if (!vantage) return kExitUsage;
  std::optional<Micros> duration;
  if (!args.duration.empty()) {
    duration = parse_duration(args.duration);
    if (!duration || duration->count() <= 0) {
      std::cerr << "prober: --duration: not a positive duration: " << args.duration << "\n";
      return kExitUsage;
    }
  }
  if (config->store.path.empty()) {
    std::cerr << "prober: store " << config->store.url
              << ": only sqlite:// stores are implemented in this version\n";
    return kExitUsage;
  }

  std::unique_ptr<store::Store> store;
  try {
    store::SqliteOptions options;
    options.retention = config->store.retention;
    store = store::open_sqlite_store(config->store.path, options);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailed;
  }

  boost::asio::io_context io;
  SystemClock clock;
  StoreSink store_sink(*store);
  TransitionLogSink log_sink;
  engine::Engine engine(io, clock, {&store_sink, &log_sink});
  std::size_t scheduled = engine.apply(config, *vantage);
  spdlog::info("prober {} starting: vantage={} checks={} store={}", PROBER_VERSION, *vantage,
               scheduled, config->store.path);
  engine.start();

  bool stopping = false;
  auto stop = [&](const char* why) {
    if (stopping) return;
    stopping = true;
    spdlog::info("stopping ({}): waiting for runs in flight", why);
    engine.drain([&io] { io.stop(); });
  };

  // SIGHUP: the new config is parsed on a loader thread and applied on the engine thread.
  // Parsing a large config takes seconds (100,000 checks: ~2 s); on the engine thread it would
  // hold back every run, and every deadline, for that long.
  struct Reload {
    bool loading = false;
    bool again = false;   // a SIGHUP arrived while loading: load once more when done
    std::jthread loader;  // declared after io: joined before io is destroyed
  } reload;
  std::function<void()> start_reload = [&] {
    if (reload.loading) {
      reload.again = true;
      return;
    }
    reload.loading = true;
    // Assigning joins the previous loader, which has already posted its result and ended.
    reload.loader = std::jthread([&, requested = std::chrono::steady_clock::now()] {
      boost::asio::post(io, [&, loaded = config::load_config_file(args.config), requested] {
        const auto load_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - requested)
                                 .count();
        if (!loaded.config) {
          spdlog::error("reload: {} problem(s), keeping the running config",
                        loaded.problems.size());
          for (const auto& p : loaded.problems) spdlog::error("reload: {}", p.to_string());
        } else if (!loaded.config->find_vantage(*vantage)) {
          spdlog::error("reload: vantage {} is gone from the config, keeping the running one",
                        *vantage);
        } else if (!stopping) {
          // Copies what changed: sharing would keep this whole config alive for a few checks.
          std::size_t n = engine.apply(*loaded.config, *vantage);
          spdlog::info("reload: {} checks scheduled (config loaded in {} ms off the engine thread)",
                       n, load_ms);
        }
        reload.loading = false;
        if (reload.again && !stopping) {
          reload.again = false;
          start_reload();
        }
      });
    });
  };

  boost::asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& ec, int signal_number) {
        if (ec) return;
        if (signal_number == SIGHUP) {
          start_reload();
          signals.async_wait(on_signal);
          return;
        }
        stop(signal_number == SIGINT ? "SIGINT" : "SIGTERM");
      };
  signals.async_wait(on_signal);

  boost::asio::steady_timer duration_timer(io);
  if (duration) {
    duration_timer.expires_after(*duration);
    duration_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) stop("--duration elapsed");
    });
  }

  io.run();
  store->flush();
  auto stats = engine.stats();
  auto stored = store->stats();
  spdlog::info(
      "stopped: runs={} failed={} timeouts={} skipped_overrun={} skipped_overload={} "
      "changes={} stored={} start_lag_p50_ms={:.2f} p99_ms={:.2f} max_ms={:.2f}",
      stats.completed, stats.failed, stats.timeouts, stats.skipped_overrun, stats.skipped_overload,
      stats.changes, stored.results_written, stats.lag_p50_ms, stats.lag_p99_ms, stats.lag_max_ms);
  return stored.dropped == 0 ? kExitOk : kExitFailed;
}

}  // namespace prober::cli
