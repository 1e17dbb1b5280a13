#include "support/test_server.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace prober::testing {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

class ConnImpl final : public Conn {
 public:
  ConnImpl(tcp::socket socket, ssl::context* tls)
      : socket_(std::move(socket)), timer_(socket_.get_executor()) {
    if (tls) stream_.emplace(socket_, *tls);
  }

  asio::awaitable<bool> handshake() {
    if (!stream_) co_return true;
    auto [ec] = co_await stream_->async_handshake(ssl::stream_base::server, kTuple);
    co_return !ec;
  }

  asio::awaitable<std::size_t> read_some(char* data, std::size_t size) {
    auto buffer = asio::buffer(data, size);
    if (stream_) {
      auto [ec, n] = co_await stream_->async_read_some(buffer, kTuple);
      co_return ec ? 0 : n;
    }
    auto [ec, n] = co_await socket_.async_read_some(buffer, kTuple);
    co_return ec ? 0 : n;
  }

  asio::awaitable<std::string> read_request() override {
    std::string data = std::move(pending_);
    pending_.clear();
    char chunk[4096];
    std::size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      std::size_t n = co_await read_some(chunk, sizeof chunk);
      if (n == 0) co_return "";
      data.append(chunk, n);
    }
    std::size_t body_length = 0;
    auto cl = data.find("Content-Length: ");
    if (cl == std::string::npos) cl = data.find("content-length: ");
    if (cl != std::string::npos && cl < head_end) body_length = std::stoul(data.substr(cl + 16));
    while (data.size() < head_end + 4 + body_length) {
      std::size_t n = co_await read_some(chunk, sizeof chunk);
      if (n == 0) break;
      data.append(chunk, n);
    }
    pending_ = data.substr(std::min(data.size(), head_end + 4 + body_length));
    co_return data.substr(0, head_end + 4 + body_length);
  }

  asio::awaitable<bool> write(std::string_view bytes) override {
    auto buffer = asio::buffer(bytes.data(), bytes.size());
    if (stream_) {
      auto [ec, n] = co_await asio::async_write(*stream_, buffer, kTuple);
      co_return !ec;
    }
    auto [ec, n] = co_await asio::async_write(socket_, buffer, kTuple);
    co_return !ec;
  }

  asio::awaitable<void> sleep(std::chrono::milliseconds d) override {
    timer_.expires_after(d);
    co_await timer_.async_wait(kTuple);
  }

  void close() override {
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  tcp::socket socket_;
  std::optional<ssl::stream<tcp::socket&>> stream_;
  asio::steady_timer timer_;
  std::string pending_;
};

}  // namespace

struct TestServer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<ssl::context> tls;
  Behaviour behaviour;
  bool ipv6 = false;
  std::atomic<int> accepted{0};
  std::atomic<int> open{0};
  std::thread thread;

  asio::awaitable<void> handle(tcp::socket socket) {
    ++open;
    {
      ConnImpl conn(std::move(socket), tls ? &*tls : nullptr);
      if (co_await conn.handshake()) {
        try {
          co_await behaviour(conn);
        } catch (...) {
        }
      }
      conn.close();
    }
    --open;
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) co_return;
      ++accepted;
      asio::co_spawn(io, handle(std::move(socket)), asio::detached);
    }
  }
};

TestServer::TestServer(Behaviour behaviour, ServerOptions options) : impl_(new Impl) {
  impl_->behaviour = std::move(behaviour);
  impl_->ipv6 = options.ipv6;
  if (options.tls) {
    impl_->tls.emplace(ssl::context::tls_server);
    auto& ctx = *impl_->tls;
    ctx.use_certificate_chain(asio::buffer(options.tls->cert_pem));
    ctx.use_private_key(asio::buffer(options.tls->key_pem), ssl::context::pem);
    // Full handshakes only: no session cache, no tickets.
    SSL_CTX_set_session_cache_mode(ctx.native_handle(), SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx.native_handle(), SSL_OP_NO_TICKET);
  }
  tcp::endpoint endpoint(
      options.ipv6 ? asio::ip::make_address("::1") : asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(1024);
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

TestServer::~TestServer() {
  impl_->io.stop();
  impl_->thread.join();
}

unsigned short TestServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

std::string TestServer::address() const {
  return (impl_->ipv6 ? "[::1]:" : "127.0.0.1:") + std::to_string(port());
}

std::string TestServer::url(const std::string& path) const {
  return std::string(impl_->tls ? "https://" : "http://") + address() + path;
}

int TestServer::connections() const {
  return impl_->accepted.load();
}
int TestServer::open_connections() const {
  return impl_->open.load();
}

Behaviour respond(std::string raw_response) {
  return [raw_response](Conn& conn) -> asio::awaitable<void> {
    std::string request = co_await conn.read_request();
    if (request.empty()) co_return;
    co_await conn.write(raw_response);
  };
}

Behaviour respond_status(int status, std::string body, std::string extra_headers) {
  std::string raw = "HTTP/1.1 " + std::to_string(status) +
                    " Status\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n" + extra_headers + "\r\n" + body;
  return respond(std::move(raw));
}

Behaviour never_answer() {
  return [](Conn& conn) -> asio::awaitable<void> {
    co_await conn.read_request();
    // Silent until the client gives up and closes (the next read then returns "").
    co_await conn.read_request();
  };
}

Behaviour accept_and_hold() {
  return [](Conn& conn) -> asio::awaitable<void> { co_await conn.sleep(std::chrono::hours(1)); };
}

Behaviour drip_forever() {
  return [](Conn& conn) -> asio::awaitable<void> {
    co_await conn.read_request();
    if (!co_await conn.write("HTTP/1.1 200 OK\r\n")) co_return;
    for (;;) {
      if (!co_await conn.write("X")) co_return;
      co_await conn.sleep(std::chrono::milliseconds(50));
    }
  };
}

Behaviour close_mid_headers() {
  return [](Conn& conn) -> asio::awaitable<void> {
    co_await conn.read_request();
    co_await conn.write("HTTP/1.1 200 OK\r\nContent-Le");
    conn.close();
  };
}

Behaviour huge_body(std::size_t bytes) {
  return [bytes](Conn& conn) -> asio::awaitable<void> {
    co_await conn.read_request();
    std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(bytes) +
                       "\r\nConnection: close\r\n\r\n";
    if (!co_await conn.write(head)) co_return;
    std::string chunk(256 * 1024, 'a');
    std::size_t sent = 0;
    while (sent < bytes) {
      std::size_t n = std::min(chunk.size(), bytes - sent);
      if (!co_await conn.write(std::string_view(chunk.data(), n))) co_return;
      sent += n;
    }
  };
}

Behaviour garbage() {
  return [](Conn& conn) -> asio::awaitable<void> {
    co_await conn.read_request();
    static const char kGarbage[] = "\x16\x03\x01 not http at all\r\n\r\n\xff\xfe";
    co_await conn.write(std::string_view(kGarbage, sizeof kGarbage - 1));
  };
}

}  // namespace prober::testing
