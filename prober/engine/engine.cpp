#include "prober/engine/engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <variant>

#include "checks/check.hpp"
#include "checks/tls.hpp"
#include "prober/core/redact.hpp"
#include "prober/engine/change_tracker.hpp"
#include "prober/engine/planner.hpp"

namespace prober::engine {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Steady = std::chrono::steady_clock;

namespace {

// Start-lag histogram: 10 us buckets up to 1 s, then one overflow bucket.
class LagHistogram {
 public:
  void add(Micros lag) {
    std::int64_t us = std::max<std::int64_t>(0, lag.count());
    max_us_ = std::max(max_us_, us);
    std::size_t bucket = static_cast<std::size_t>(std::min<std::int64_t>(us / 10, kBuckets - 1));
    ++counts_[bucket];
    ++total_;
  }
  double percentile_ms(double p) const {
    if (total_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return static_cast<double>((i + 1) * 10) / 1000.0;
    }
    return static_cast<double>(max_us_) / 1000.0;
  }
  double max_ms() const { return static_cast<double>(max_us_) / 1000.0; }

 private:
  static constexpr std::int64_t kBuckets = 100001;
  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(kBuckets);
  std::uint64_t total_ = 0;
  std::int64_t max_us_ = 0;
};

asio::awaitable<checks::Outcome> guarded(checks::Check& check, checks::RunProgress& progress) {
  try {
    co_return co_await check.run(progress);
  } catch (const boost::system::system_error& e) {
    if (e.code() == asio::error::operation_aborted) {
      co_return checks::Outcome::failure(ErrorClass::timeout, "cancelled");
    }
    co_return checks::Outcome::failure(ErrorClass::internal, e.what());
  } catch (const std::exception& e) {
    co_return checks::Outcome::failure(ErrorClass::internal, e.what());
  }
}

struct RunInputs {
  std::shared_ptr<checks::Check> check;
  std::string name;
  Micros timeout;
};

// One run with its deadline. The losing side of `||` is cancelled: a check cut off by the
// deadline has its pending operation aborted and its socket closed as its frame unwinds.
asio::awaitable<Result> run_with_deadline(RunInputs inputs, std::string vantage, const Clock& clock,
                                          const Redactor& redactor, checks::Outcome* outcome_out) {
  auto executor = co_await asio::this_coro::executor;
  Result result;
  result.check = inputs.name;
  result.vantage = std::move(vantage);
  result.ts = clock.now();
  auto started = Steady::now();
  checks::RunProgress progress;
  asio::steady_timer deadline(executor, inputs.timeout);
  // as_tuple: the deadline's wait, cancelled when the check wins (almost every run), completes
  // with operation_aborted as a value instead of throwing it (an exception per run).
  auto winner = co_await (guarded(*inputs.check, progress) ||
                          deadline.async_wait(asio::as_tuple(asio::use_awaitable)));
  result.duration = std::chrono::duration_cast<Micros>(Steady::now() - started);
  if (winner.index() == 1) {
    result.ok = false;
    result.error = ErrorClass::timeout;
    result.detail =
        "no result within " + format_duration(inputs.timeout) + " (during " + progress.phase + ")";
    result.phases = progress.phases;
    if (outcome_out) *outcome_out = checks::Outcome{};
  } else {
    checks::Outcome& outcome = std::get<0>(winner);
    result.ok = outcome.ok;
    result.error = outcome.ok ? ErrorClass::none : outcome.error;
    if (!outcome.ok && result.error == ErrorClass::none) result.error = ErrorClass::internal;
    result.detail = redactor.apply(outcome.detail);
    result.status_code = outcome.status_code;
    result.phases = outcome.phases;
    result.cert_not_after = outcome.cert_not_after;
    if (outcome_out) *outcome_out = std::move(outcome);
  }
  co_return result;
}

bool runs_on(const config::Check& check, const std::string& vantage) {
  return check.vantages.empty() ||
         std::find(check.vantages.begin(), check.vantages.end(), vantage) != check.vantages.end();
}

}  // namespace

struct Engine::Impl : std::enable_shared_from_this<Engine::Impl> {
  struct Job {
    checks::CheckConfigPtr config;
    std::shared_ptr<checks::Check> check;
    JobId id = 0;
  };

  Impl(asio::io_context& io_context, const Clock& wall_clock, std::vector<ResultSink*> result_sinks)
      : io(io_context), clock(wall_clock), sinks(std::move(result_sinks)), wakeup(io_context) {
    env.executor = io.get_executor();
    env.tls = &tls;
    env.clock = &clock;
  }

  asio::io_context& io;
  const Clock& clock;
  std::vector<ResultSink*> sinks;
  asio::steady_timer wakeup;
  checks::TlsContextCache tls;
  checks::CheckEnv env;
  Planner planner;
  ChangeTracker changes;
  Redactor redactor;
  std::string vantage;
  std::map<std::string, std::shared_ptr<Job>> jobs_by_name;
  std::map<JobId, std::shared_ptr<Job>> jobs_by_id;
  bool running = false;
  bool draining = false;
  std::size_t in_flight = 0;
  std::function<void()> on_drained;
  EngineStats counters;
  LagHistogram lag;

  void schedule_wakeup() {
    if (!running || draining) return;
    auto next = planner.next_wakeup(clock.now());
    if (!next) return;
    auto delay = *next - clock.now();
    wakeup.expires_after(std::max(Micros{0}, delay));
    wakeup.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec == asio::error::operation_aborted) return;
      self->tick();
    });
  }

  void tick() {
    if (!running || draining) return;
    TimePoint now = clock.now();
    for (const DueRun& due : planner.take_due(now)) {
      auto it = jobs_by_id.find(due.job);
      if (it == jobs_by_id.end()) {
        planner.finished(due.job);
        continue;
      }
      lag.add(now - due.planned);
      start_run(it->second);
    }
    schedule_wakeup();
  }

  void start_run(std::shared_ptr<Job> job) {
    ++in_flight;
    ++counters.started;
    auto outcome = std::make_shared<checks::Outcome>();
    RunInputs inputs{job->check, job->config->name, job->config->timeout};
    asio::co_spawn(
        io, run_with_deadline(inputs, vantage, clock, redactor, outcome.get()),
        [self = shared_from_this(), job, outcome](std::exception_ptr error, Result result) {
          self->finish_run(*job, error, std::move(result), *outcome);
        });
  }

  void finish_run(const Job& job, std::exception_ptr error, Result result,
                  const checks::Outcome& outcome) {
    --in_flight;
    // Only when every slot was taken can runs be waiting for this one to finish.
    const bool slots_were_full = planner.full();
    planner.finished(job.id);
    if (error) {
      // run_with_deadline catches everything a check throws; this is our own bug.
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        spdlog::error("engine: run of {} failed internally: {}", job.config->name, e.what());
      }
    } else {
      ++counters.completed;
      if (!result.ok) ++counters.failed;
      if (result.error == ErrorClass::timeout) ++counters.timeouts;
      for (auto& event :
           changes.observe(result.check, result.vantage, result.ts, outcome.fingerprint,
                           outcome.settings, outcome.server_version)) {
        event.change = redactor.apply(event.change);
        ++counters.changes;
        spdlog::info("change: check={} kind={} {}", event.check, to_string(event.kind),
                     event.change);
        for (ResultSink* sink : sinks) sink->on_change(event);
      }
      for (ResultSink* sink : sinks) sink->on_result(result);
    }
    if (draining && in_flight == 0 && on_drained) {
      auto done = std::move(on_drained);
      on_drained = nullptr;
      done();
      return;
    }
    // A freed slot may let a waiting run start now. With a slot free before, nothing waits
    // and the wakeup timer is already set for the next due run: re-arming it would cost a
    // timer cancel and a timerfd update per run.
    if (running && !draining && slots_were_full) {
      wakeup.cancel();
      tick();
    }
  }
};

Engine::Engine(asio::io_context& io, const Clock& clock, std::vector<ResultSink*> sinks)
    : impl_(std::make_shared<Impl>(io, clock, std::move(sinks))) {}

Engine::~Engine() {
  impl_->running = false;
  impl_->wakeup.cancel();
}

std::size_t Engine::apply(const config::Config& config, const std::string& vantage) {
  return apply_checks(config, vantage, [](const config::Check& check) {
    return std::make_shared<const config::Check>(check);
  });
}

std::size_t Engine::apply(std::shared_ptr<const config::Config> config,
                          const std::string& vantage) {
  const config::Config& ref = *config;
  return apply_checks(ref, vantage, [&config](const config::Check& check) {
    return std::shared_ptr<const config::Check>(config, &check);  // aliases into `config`
  });
}

std::size_t Engine::apply_checks(
    const config::Config& config, const std::string& vantage,
    const std::function<std::shared_ptr<const config::Check>(const config::Check&)>& keep) {
  Impl& d = *impl_;
  d.vantage = vantage;
  d.redactor = Redactor(config.secrets);
  d.planner.set_max_in_flight(static_cast<std::size_t>(std::max(1, config.engine.max_in_flight)));
  std::map<std::string, std::shared_ptr<Impl::Job>> next;
  TimePoint now = d.clock.now();
  for (const config::Check& check : config.checks) {
    if (!runs_on(check, vantage)) continue;
    auto it = d.jobs_by_name.find(check.name);
    if (it != d.jobs_by_name.end() && *it->second->config == check) {
      next.emplace(check.name, it->second);  // unchanged: keeps its schedule
      continue;
    }
    auto job = std::make_shared<Impl::Job>();
    job->config = keep(check);
    try {
      job->check = checks::make_check(job->config, d.env);
    } catch (const std::exception& e) {
      spdlog::warn("engine: check {} not scheduled: {}", check.name, e.what());
      continue;
    }
    job->id = d.planner.add(check.name, check.interval, now);
    next.emplace(check.name, job);
  }
  for (const auto& [name, job] : d.jobs_by_name) {
    auto it = next.find(name);
    if (it == next.end() || it->second != job) {
      d.planner.remove(job->id);
      d.jobs_by_id.erase(job->id);
      if (it == next.end()) d.changes.forget(name);
    }
  }
  d.jobs_by_name = std::move(next);
  for (const auto& [name, job] : d.jobs_by_name) d.jobs_by_id[job->id] = job;
  d.counters.checks = d.jobs_by_name.size();
  if (d.running) {
    d.wakeup.cancel();
    d.schedule_wakeup();
  }
  return d.jobs_by_name.size();
}

void Engine::start() {
  impl_->running = true;
  impl_->schedule_wakeup();
}

void Engine::drain(std::function<void()> done) {
  Impl& d = *impl_;
  d.draining = true;
  d.wakeup.cancel();
  if (d.in_flight == 0) {
    asio::post(d.io, std::move(done));
    return;
  }
  d.on_drained = std::move(done);
}

EngineStats Engine::stats() const {
  EngineStats s = impl_->counters;
  JobStats totals = impl_->planner.totals();
  s.skipped_overrun = totals.skipped_overrun;
  s.skipped_overload = totals.skipped_overload;
  s.lag_p50_ms = impl_->lag.percentile_ms(50);
  s.lag_p99_ms = impl_->lag.percentile_ms(99);
  s.lag_max_ms = impl_->lag.max_ms();
  return s;
}

std::vector<Engine::Scheduled> Engine::schedule() const {
  std::vector<Scheduled> out;
  for (const auto& [name, job] : impl_->jobs_by_name) {
    out.push_back({name, job->id, impl_->planner.next_planned(job->id)});
  }
  return out;
}

Result run_check_once(const config::Config& config, const config::Check& check,
                      const std::string& vantage, const Clock& clock,
                      std::vector<ChangeEvent>* /*changes*/) {
  asio::io_context io;
  checks::TlsContextCache tls;
  checks::CheckEnv env{io.get_executor(), &tls, &clock};
  Redactor redactor(config.secrets);
  Result result;
  std::shared_ptr<checks::Check> runner;
  try {
    runner = checks::make_check(std::make_shared<const config::Check>(check), env);
  } catch (const std::exception& e) {
    result.check = check.name;
    result.vantage = vantage;
    result.ts = clock.now();
    result.error = ErrorClass::internal;
    result.detail = e.what();
    return result;
  }
  RunInputs inputs{runner, check.name, check.timeout};
  asio::co_spawn(io, run_with_deadline(inputs, vantage, clock, redactor, nullptr),
                 [&result](std::exception_ptr error, Result r) {
                   if (!error) result = std::move(r);
                 });
  io.run();
  return result;
}

}  // namespace prober::engine
