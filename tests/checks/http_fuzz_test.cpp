// Mutated HTTP responses over a real socket: the check classifies every one and never crashes,
// hangs past its deadline or reports its own fault.
#include <gtest/gtest.h>

#include <mutex>
#include <random>

#include "prober/engine/engine.hpp"
#include "support/mutate.hpp"
#include "support/test_server.hpp"

namespace prober {
namespace {
using namespace std::chrono_literals;

const char* const kSeeds[] = {
    "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-Build: 42\r\n\r\nWelcome home",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nWelco\r\n7\r\nme home\r\n0\r\n\r\n",
    "HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"version\":\"1.2.3\"}",
};

TEST(HttpFuzz, MutatedResponsesAreClassified) {
  std::mutex mutex;
  std::string next_response;
  testing::TestServer server([&](testing::Conn& conn) -> boost::asio::awaitable<void> {
    co_await conn.read_request();
    std::string response;
    {
      std::lock_guard lock(mutex);
      response = next_response;
    }
    co_await conn.write(response);
  });
  config::Config config;
  SystemClock clock;
  config::Check check;
  check.name = "fuzz";
  check.type = "http";
  check.url = server.url("/");
  check.timeout = 300ms;
  check.interval = 1s;
  check.max_redirects = 2;
  check.expect.body_contains = "Welcome";
  check.watch.headers = {"X-Build"};
  check.watch.json_pointer = "/version";

  std::mt19937 rng(20241203);
  int ok = 0, failed = 0;
  for (int i = 0; i < 400; ++i) {
    std::string response = kSeeds[rng() % std::size(kSeeds)];
    testing::mutate_bytes(response, rng,
                          {.max_edits = 5, .max_erase = 6, .max_copy = 12, .framing = "\r\n:0 9"});
    {
      std::lock_guard lock(mutex);
      next_response = response;
    }
    Result r = engine::run_check_once(config, check, "test", clock);
    EXPECT_NE(r.error, ErrorClass::internal) << r.detail << "\nresponse: " << response;
    EXPECT_LT(r.duration, 2s) << response;
    if (r.ok)
      ++ok;
    else
      ++failed;
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(failed, 0);
}

}  // namespace
}  // namespace prober
