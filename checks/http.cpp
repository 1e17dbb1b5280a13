#include "checks/http.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/regex.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "checks/net.hpp"
#include "checks/tls.hpp"

namespace prober::checks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using Steady = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kChunk = 64 * 1024;

struct Response {
  int status = 0;
  http::fields headers;
  std::string body;  // the first max_body_bytes bytes
  std::uint64_t body_bytes = 0;
};

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string describe_status_ranges(const std::vector<config::StatusRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    if (!out.empty()) out += ", ";
    out += std::to_string(r.low);
    if (r.high != r.low) out += "-" + std::to_string(r.high);
  }
  return out;
}

// Read errors after the request was sent: a closed or reset connection and a malformed
// response are the target's protocol failures, a cancelled read is the engine's deadline.
Outcome read_failure(const boost::system::error_code& ec, const char* while_doing) {
  if (ec == asio::error::operation_aborted) {
    return Outcome::failure(ErrorClass::timeout, std::string("cancelled ") + while_doing);
  }
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == http::error::partial_message || ec == ssl::error::stream_truncated) {
    return Outcome::failure(ErrorClass::protocol, std::string("connection closed ") + while_doing);
  }
  if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) {
    return Outcome::failure(ErrorClass::connect, std::string("connection reset ") + while_doing);
  }
  return Outcome::failure(ErrorClass::protocol,
                          std::string("bad response ") + while_doing + ": " + ec.message());
}

class HttpCheck final : public Check {
 public:
  HttpCheck(CheckConfigPtr shared, CheckEnv& env)
      : shared_(std::move(shared)), config_(*shared_), env_(env) {
    const config::Check& config = config_;
    auto parsed = boost::urls::parse_uri(config.url);
    if (parsed) url_ = *parsed;
    status_ranges_ = config.expect.status.empty() ? std::vector<config::StatusRange>{{200, 299}}
                                                  : config.expect.status;
    try {
      if (config.expect.body_regex) {
        body_regex_.emplace(*config.expect.body_regex, boost::regex::perl);
      }
      for (const auto& h : config.expect.headers) {
        if (h.regex)
          header_regexes_.emplace_back(boost::regex(*h.regex, boost::regex::perl));
        else
          header_regexes_.emplace_back();
      }
    } catch (const std::exception& e) {
      setup_error_ = std::string("invalid regex: ") + e.what();
    }
    needs_body_ = config.expect.body_contains || config.expect.body_regex ||
                  config.watch.json_pointer.has_value();
  }

  asio::awaitable<Outcome> run(RunProgress& progress) override {
    if (url_.empty()) co_return Outcome::failure(ErrorClass::internal, "invalid url");
    if (!setup_error_.empty()) co_return Outcome::failure(ErrorClass::internal, setup_error_);
    boost::urls::url current = url_;
    Outcome out;
    Response response;
    TlsInfo tls_info;
    auto started = Steady::now();
    for (int hop = 0;; ++hop) {
      response = Response{};
      auto failure = co_await fetch(current, progress, response, tls_info);
      if (failure) {
        failure->phases = progress.phases;
        if (!failure->cert_not_after) failure->cert_not_after = tls_info.cert_not_after;
        co_return std::move(*failure);
      }
      if (!is_redirect(response.status) || config_.max_redirects == 0 ||
          in_expected_status(response.status)) {
        break;
      }
      auto location = response.headers[http::field::location];
      if (location.empty()) break;
      if (hop + 1 > config_.max_redirects) {
        Outcome o =
            Outcome::failure(ErrorClass::protocol, "too many redirects (more than " +
                                                       std::to_string(config_.max_redirects) + ")");
        o.status_code = response.status;
        o.phases = progress.phases;
        co_return o;
      }
      auto ref = boost::urls::parse_uri_reference(
          boost::core::string_view(location.data(), location.size()));
      boost::urls::url next;
      if (!ref || boost::urls::resolve(current, *ref, next).has_error() ||
          (next.scheme() != "http" && next.scheme() != "https") || next.host().empty()) {
        Outcome o =
            Outcome::failure(ErrorClass::protocol,
                             "invalid redirect location: " + std::string(location.substr(0, 200)));
        o.status_code = response.status;
        o.phases = progress.phases;
        co_return o;
      }
      current = next;
    }
    out.phases = progress.phases;
    out.status_code = response.status;
    out.cert_not_after = tls_info.cert_not_after;
    out.fingerprint = fingerprint(response);
    auto total = Steady::now() - started;
    out.ok = true;
    if (!in_expected_status(response.status)) {
      out.ok = false;
      out.error = ErrorClass::http_status;
      out.detail = "status " + std::to_string(response.status) + ", expected " +
                   describe_status_ranges(status_ranges_);
      co_return out;
    }
    if (auto why = check_assertions(response, total)) {
      out.ok = false;
      out.error = ErrorClass::assertion;
      out.detail = std::move(*why);
      co_return out;
    }
    if (env_.clock) {
      if (auto expiring = check_cert_expiry(tls_info, config_.tls, env_.clock->now())) {
        expiring->phases = out.phases;
        expiring->status_code = out.status_code;
        expiring->fingerprint = out.fingerprint;
        co_return std::move(*expiring);
      }
    }
    co_return out;
  }

 private:
  bool in_expected_status(int status) const {
    for (const auto& r : status_ranges_) {
      if (status >= r.low && status <= r.high) return true;
    }
    return false;
  }

  std::optional<std::string> check_assertions(const Response& response,
                                              Steady::duration total) const {
    const auto& expect = config_.expect;
    for (std::size_t i = 0; i < expect.headers.size(); ++i) {
      const auto& h = expect.headers[i];
      auto it = response.headers.find(h.name);
      if (!h.present) {
        if (it != response.headers.end()) return "header " + h.name + " is present";
        continue;
      }
      if (it == response.headers.end()) return "header " + h.name + " is missing";
      std::string value(it->value());
      if (h.equals && value != *h.equals) {
        return "header " + h.name + " is \"" + value.substr(0, 100) + "\", expected \"" +
               *h.equals + "\"";
      }
      if (header_regexes_[i]) {
        if (!safe_search(value, *header_regexes_[i])) {
          return "header " + h.name + " does not match /" + *h.regex + "/";
        }
      }
    }
    if (expect.body_contains && response.body.find(*expect.body_contains) == std::string::npos) {
      return "body does not contain \"" + *expect.body_contains + "\"" + truncation_note(response);
    }
    if (body_regex_) {
      if (!safe_search(response.body, *body_regex_)) {
        return "body does not match /" + *expect.body_regex + "/" + truncation_note(response);
      }
    }
    if (expect.max_latency && total > *expect.max_latency) {
      auto took = std::chrono::duration_cast<Micros>(total);
      return "took " + format_duration(took) + ", more than max_latency " +
             format_duration(*expect.max_latency);
    }
    return std::nullopt;
  }

  std::string truncation_note(const Response& response) const {
    if (response.body_bytes <= response.body.size()) return "";
    return " (searched the first " + std::to_string(response.body.size()) + " of " +
           std::to_string(response.body_bytes) + " bytes)";
  }

  // Boost.Regex is non-recursive and gives up on pathological backtracking with an
  // exception instead of exhausting the stack, which matters for hostile response bodies.
  static bool safe_search(const std::string& text, const boost::regex& re) {
    try {
      return boost::regex_search(text, re);
    } catch (const std::exception&) {
      return false;
    }
  }

  std::optional<Outcome::Snapshot> fingerprint(const Response& response) const {
    const auto& watch = config_.watch;
    if (!watch.any()) return std::nullopt;
    Outcome::Snapshot snapshot;
    for (const auto& name : watch.headers) {
      auto it = response.headers.find(name);
      snapshot.emplace_back(name,
                            it == response.headers.end() ? "(absent)" : std::string(it->value()));
    }
    if (watch.json_pointer) {
      boost::json::parse_options options;
      options.max_depth = 64;
      boost::system::error_code ec;
      auto doc = boost::json::parse(response.body, ec, {}, options);
      // An unreadable body is not a new version: skip this run's fingerprint.
      if (ec) return std::nullopt;
      const boost::json::value* found = doc.find_pointer(*watch.json_pointer, ec);
      if (!found) return std::nullopt;
      std::string value = found->is_string()
                              ? std::string(found->as_string().data(), found->as_string().size())
                              : boost::json::serialize(*found);
      if (value.size() > 200) value.resize(200);
      snapshot.emplace_back(*watch.json_pointer, std::move(value));
    }
    return snapshot;
  }

  http::request<http::string_body> build_request(const boost::urls::url& url) const {
    http::request<http::string_body> req;
    req.method_string(config_.method);
    std::string target(url.encoded_path());
    if (target.empty()) target = "/";
    if (url.has_query()) target += "?" + std::string(url.encoded_query());
    req.target(target);
    req.version(11);
    req.set(http::field::host, std::string(url.encoded_host_and_port()));
    req.set(http::field::user_agent, "prober/0.1");
    req.set(http::field::accept, "*/*");
    req.set(http::field::connection, "close");
    if (url.has_userinfo()) {
      // Credentials in the URL mean HTTP Basic authentication, as curl and browsers do.
      std::string credentials = std::string(url.user()) + ":" + std::string(url.password());
      std::string encoded(beast::detail::base64::encoded_size(credentials.size()), '\0');
      encoded.resize(
          beast::detail::base64::encode(encoded.data(), credentials.data(), credentials.size()));
      req.set(http::field::authorization, "Basic " + encoded);
    }
    for (const auto& [name, value] : config_.headers) req.set(name, value);
    if (config_.body) {
      req.body() = *config_.body;
      req.prepare_payload();
    }
    return req;
  }

  // One request/response on a fresh connection. Returns a failure, or nullopt with `response`
  // filled.
  asio::awaitable<std::optional<Outcome>> fetch(const boost::urls::url& url, RunProgress& progress,
                                                Response& response, TlsInfo& tls_info) {
    bool https = url.scheme() == "https";
    HostPort target{std::string(url.host_address()),
                    url.has_port() ? std::string(url.port()) : (https ? "443" : "80")};
    if (url.host_type() == boost::urls::host_type::ipv6) {
      target.host = std::string(url.host_ipv6_address().to_string());
    }
    tcp::socket socket(env_.executor);
    if (auto failure = co_await resolve_and_connect(socket, target, config_.ip_version, progress)) {
      co_return failure;
    }
    auto request = build_request(url);
    if (!https) co_return co_await exchange(socket, request, progress, response);

    std::shared_ptr<ssl::context> context;
    try {
      context = env_.tls->get(config_.tls.verify, config_.tls.ca_file);
    } catch (const std::exception& e) {
      co_return Outcome::failure(ErrorClass::internal, e.what());
    }
    ssl::stream<tcp::socket&> stream(socket, *context);
    std::string server_name = config_.tls.server_name.value_or(target.host);
    if (auto failure =
            co_await tls_handshake(stream, server_name, config_.tls.verify, progress, tls_info)) {
      co_return failure;
    }
    // No TLS close_notify exchange: the response is complete, and waiting for the peer's
    // close_notify would only add a round trip to every run.
    co_return co_await exchange(stream, request, progress, response);
  }

  template <class Stream>
  asio::awaitable<std::optional<Outcome>> exchange(Stream& stream,
                                                   http::request<http::string_body>& request,
                                                   RunProgress& progress, Response& response) {
    progress.phase = "ttfb";
    auto sent_at = Steady::now();
    auto [write_error, written] = co_await http::async_write(stream, request, kTuple);
    if (write_error) co_return read_failure(write_error, "while sending the request");

    beast::flat_buffer buffer(kHeaderLimit + kChunk);
    auto [first_error, first_bytes] =
        co_await stream.async_read_some(buffer.prepare(16384), kTuple);
    if (first_error) {
      progress.phases.ttfb_ms = elapsed_ms(sent_at, Steady::now());
      co_return read_failure(first_error, "before the response");
    }
    buffer.commit(first_bytes);
    auto first_byte_at = Steady::now();
    progress.phases.ttfb_ms = elapsed_ms(sent_at, first_byte_at);
    progress.phase = "transfer";

    http::response_parser<http::buffer_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(boost::none);  // bounded by the deadline; bytes past the cap are dropped
    parser.skip(request.method() == http::verb::head);
    auto [header_error, header_bytes] =
        co_await http::async_read_header(stream, buffer, parser, kTuple);
    if (header_error) co_return read_failure(header_error, "in the response headers");
    response.status = static_cast<int>(parser.get().result_int());
    response.headers = parser.get().base();

    std::array<char, kChunk> chunk;
    const std::uint64_t keep = needs_body_ ? config_.max_body_bytes : 0;
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
      if (ec == http::error::need_buffer) ec = {};
      if (ec == ssl::error::stream_truncated && parser.need_eof()) {
        // A TLS server that closes without close_notify ends a body delimited by EOF.
        boost::system::error_code eof_ec;
        parser.put_eof(eof_ec);
        ec = eof_ec;
      }
      std::size_t got = chunk.size() - parser.get().body().size;
      response.body_bytes += got;
      if (response.body.size() < keep) {
        std::size_t room = static_cast<std::size_t>(keep - response.body.size());
        response.body.append(chunk.data(), std::min(room, got));
      }
      if (ec) {
        progress.phases.transfer_ms = elapsed_ms(first_byte_at, Steady::now());
        Outcome o = read_failure(ec, "in the response body");
        o.status_code = response.status;
        co_return o;
      }
    }
    progress.phases.transfer_ms = elapsed_ms(first_byte_at, Steady::now());
    co_return std::nullopt;
  }

  CheckConfigPtr shared_;
  const config::Check& config_;
  CheckEnv& env_;
  boost::urls::url url_;
  std::vector<config::StatusRange> status_ranges_;
  std::optional<boost::regex> body_regex_;
  std::vector<std::optional<boost::regex>> header_regexes_;
  bool needs_body_ = false;
  std::string setup_error_;
};

}  // namespace

std::unique_ptr<Check> make_http_check(CheckConfigPtr config, CheckEnv& env) {
  return std::make_unique<HttpCheck>(std::move(config), env);
}

}  // namespace prober::checks
