// A real TCP (optionally TLS) server on loopback, port chosen by the kernel, running on its
// own thread, whose every connection is handled by a scripted behaviour: answer normally,
// never answer, drip bytes, close mid-headers, send 50 MB... The checks under test talk to it
// over real sockets.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "support/certs.hpp"

namespace prober::testing {

class Conn {
 public:
  virtual ~Conn() = default;
  // Reads one request's head (and a Content-Length body); "" when the peer closed.
  virtual boost::asio::awaitable<std::string> read_request() = 0;
  virtual boost::asio::awaitable<bool> write(std::string_view bytes) = 0;
  virtual boost::asio::awaitable<void> sleep(std::chrono::milliseconds d) = 0;
  virtual void close() = 0;
};

using Behaviour = std::function<boost::asio::awaitable<void>(Conn&)>;

struct ServerOptions {
  std::optional<KeyPair> tls;
  bool ipv6 = false;
};

class TestServer {
 public:
  explicit TestServer(Behaviour behaviour, ServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const;
  // "http://127.0.0.1:PORT/path" (https when TLS, [::1] when IPv6).
  std::string url(const std::string& path = "/") const;
  std::string address() const;   // "127.0.0.1:PORT"
  int connections() const;       // accepted so far
  int open_connections() const;  // currently being handled

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Canned behaviours.
Behaviour respond(std::string raw_response);  // after reading the request
Behaviour respond_status(int status, std::string body = "ok", std::string extra_headers = "");
Behaviour never_answer();       // reads the request, then stays silent until the client closes
Behaviour accept_and_hold();    // does not even read
Behaviour drip_forever();       // a status line, then one header byte every 50 ms
Behaviour close_mid_headers();  // half a header block, then close
Behaviour huge_body(std::size_t bytes);  // 200 with a body of `bytes` bytes
Behaviour garbage();                     // bytes that are not HTTP

}  // namespace prober::testing
