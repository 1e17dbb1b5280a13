// The Asio driver: reload semantics in virtual time, and real runs against a loopback server
// for fan-out, deadlines and drain.
#include "prober/engine/engine.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "support/test_server.hpp"

namespace prober::engine {
namespace {
using namespace std::chrono_literals;
namespace asio = boost::asio;

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint t) : now_(t) {}
  TimePoint now() const override { return now_; }
  void advance(Micros d) { now_ += d; }

 private:
  TimePoint now_;
};

config::Check tcp(const std::string& name, Micros interval, const std::string& address) {
  config::Check c;
  c.name = name;
  c.type = "tcp";
  c.address = address;
  c.interval = interval;
  c.timeout = std::min<Micros>(interval, 2s);
  return c;
}

config::Config with_checks(std::vector<config::Check> checks) {
  config::Config c;
  c.vantages = {{"eu", 1}, {"us", 1}};
  c.checks = std::move(checks);
  return c;
}

class CollectSink final : public ResultSink {
 public:
  void on_result(const Result& r) override { results.push_back(r); }
  void on_change(const ChangeEvent& e) override { changes.push_back(e); }
  std::vector<Result> results;
  std::vector<ChangeEvent> changes;
};

const Engine::Scheduled* find(const std::vector<Engine::Scheduled>& s, const std::string& name) {
  for (const auto& x : s) {
    if (x.check == name) return &x;
  }
  return nullptr;
}

TEST(EngineReload, UnchangedChecksKeepTheirScheduleChangedOnesAreRescheduled) {
  asio::io_context io;
  ManualClock clock(from_unix_micros(1714900000LL * 1000000));
  CollectSink sink;
  Engine engine(io, clock, {&sink});
  auto a = with_checks({tcp("keep", 30s, "127.0.0.1:1"), tcp("change", 30s, "127.0.0.1:1"),
                        tcp("drop", 30s, "127.0.0.1:1")});
  ASSERT_EQ(engine.apply(a, "eu"), 3u);
  auto before = engine.schedule();
  clock.advance(7s);
  auto b = with_checks({tcp("keep", 30s, "127.0.0.1:1"), tcp("change", 60s, "127.0.0.1:1"),
                        tcp("new", 30s, "127.0.0.1:1")});
  ASSERT_EQ(engine.apply(b, "eu"), 3u);
  auto after = engine.schedule();
  ASSERT_TRUE(find(after, "keep") && find(after, "change") && find(after, "new"));
  EXPECT_EQ(find(after, "keep")->job, find(before, "keep")->job);
  EXPECT_EQ(find(after, "keep")->next, find(before, "keep")->next);
  EXPECT_NE(find(after, "change")->job, find(before, "change")->job);
  EXPECT_EQ(find(after, "drop"), nullptr);
  // Applying the same config again changes nothing.
  ASSERT_EQ(engine.apply(b, "eu"), 3u);
  auto again = engine.schedule();
  for (const auto& s : after) EXPECT_EQ(find(again, s.check)->job, s.job) << s.check;
}

TEST(EngineReload, ChecksOfOtherVantagesAreNotScheduled) {
  asio::io_context io;
  ManualClock clock(from_unix_micros(1714900000LL * 1000000));
  Engine engine(io, clock, {});
  auto only_us = tcp("us-only", 30s, "127.0.0.1:1");
  only_us.vantages = {"us"};
  auto config = with_checks({tcp("all", 30s, "127.0.0.1:1"), only_us});
  EXPECT_EQ(engine.apply(config, "eu"), 1u);
  EXPECT_EQ(engine.apply(config, "us"), 2u);
}

TEST(EngineReload, SharedConfigIsHeldOnlyWhileItsChecksAreScheduled) {
  asio::io_context io;
  ManualClock clock(from_unix_micros(1714900000LL * 1000000));
  Engine engine(io, clock, {});
  auto shared = std::make_shared<const config::Config>(
      with_checks({tcp("a", 30s, "127.0.0.1:1"), tcp("b", 30s, "127.0.0.1:1")}));
  ASSERT_EQ(engine.apply(shared, "eu"), 2u);
  EXPECT_GT(shared.use_count(), 1);  // the jobs point into it: nothing was copied

  // A reload (copying form) that keeps "a": "a" still points into the first config.
  ASSERT_EQ(
      engine.apply(with_checks({tcp("a", 30s, "127.0.0.1:1"), tcp("c", 30s, "127.0.0.1:1")}), "eu"),
      2u);
  EXPECT_GT(shared.use_count(), 1);

  // Once none of its checks is scheduled, the engine lets the first config go.
  ASSERT_EQ(engine.apply(with_checks({tcp("a", 60s, "127.0.0.1:1")}), "eu"), 1u);
  EXPECT_EQ(shared.use_count(), 1);
}

TEST(EngineRun, RunsOnScheduleFansOutAndDrains) {
  testing::TestServer server(testing::accept_and_hold());
  asio::io_context io;
  SystemClock clock;
  CollectSink first, second;
  Engine engine(io, clock, {&first, &second});
  auto config = with_checks({tcp("a", 100ms, server.address()), tcp("b", 100ms, server.address())});
  engine.apply(config, "eu");
  engine.start();
  asio::steady_timer stop(io, 1050ms);
  bool drained = false;
  stop.async_wait([&](auto) {
    engine.drain([&] {
      drained = true;
      io.stop();
    });
  });
  io.run();
  EXPECT_TRUE(drained);
  // 1 s at 100 ms: about 10 runs per check; each sink saw every result.
  EXPECT_GE(first.results.size(), 12u);
  EXPECT_LE(first.results.size(), 24u);
  EXPECT_EQ(first.results.size(), second.results.size());
  for (const auto& r : first.results) EXPECT_TRUE(r.ok) << r.detail;
  auto stats = engine.stats();
  EXPECT_EQ(stats.completed, first.results.size());
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_LT(stats.lag_p99_ms, 100.0);
}

TEST(EngineRun, DrainWaitsForRunsInFlight) {
  // Accepts the connection and answers after 400 ms; the check is http with a 2 s timeout.
  testing::TestServer server([](testing::Conn& conn) -> asio::awaitable<void> {
    co_await conn.read_request();
    co_await conn.sleep(400ms);
    co_await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  });
  asio::io_context io;
  SystemClock clock;
  CollectSink sink;
  Engine engine(io, clock, {&sink});
  config::Check slow;
  slow.name = "slow";
  slow.type = "http";
  slow.url = server.url("/");
  slow.interval = 1s;
  slow.timeout = 2s;
  engine.apply(with_checks({slow}), "eu");
  engine.start();
  // Stop 1.1 s in: the first run (phase within the first second) has started; whatever is in
  // flight must complete and be delivered before `done` runs.
  asio::steady_timer stop(io, 1100ms);
  auto started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration drained_after{};
  stop.async_wait([&](auto) {
    engine.drain([&] {
      drained_after = std::chrono::steady_clock::now() - started;
      io.stop();
    });
  });
  io.run();
  ASSERT_GE(sink.results.size(), 1u);
  EXPECT_EQ(engine.stats().started, sink.results.size());  // nothing lost in flight
  for (const auto& r : sink.results) EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_LT(drained_after, 3s);
}

}  // namespace
}  // namespace prober::engine
