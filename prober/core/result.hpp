// The record every check produces (one JSON line, one store row) and the change events that
// sit beside results. Shapes are fixed by DESIGN.md "Result".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "prober/core/time.hpp"

namespace prober {

// Why a run failed. The set is closed and documented (docs/results.md); `none` means ok.
enum class ErrorClass : std::uint8_t {
  none,
  dns,          // name did not resolve
  connect,      // TCP connect refused / unreachable / reset before a response
  tls,          // handshake or certificate verification failed
  cert_expiry,  // certificate valid but expires sooner than tls.min_days_to_expiry
  timeout,      // the check's deadline expired (engine-enforced)
  http_status,  // status code outside expect.status
  assertion,    // body/header/latency/rows/value expectation not met
  auth,         // the server refused our credentials
  query,        // the database rejected or failed the query
  protocol,     // malformed or unexpected response (bad HTTP, redirect loop, ...)
  internal,     // prober's own fault (bug, resource exhaustion); never the target's
};

std::string_view to_string(ErrorClass e);
std::optional<ErrorClass> parse_error_class(std::string_view s);

struct Phases {
  std::optional<double> dns_ms, connect_ms, tls_ms, ttfb_ms, transfer_ms;
  bool empty() const { return !dns_ms && !connect_ms && !tls_ms && !ttfb_ms && !transfer_ms; }
};

struct Result {
  std::string check;
  std::string vantage;
  TimePoint ts{};      // when the run started
  Micros duration{0};  // how long it took (the timeout, for a timeout)
  bool ok = false;
  ErrorClass error = ErrorClass::none;
  std::optional<int> status_code;
  std::string detail;
  Phases phases;
  std::optional<TimePoint> cert_not_after;  // earliest expiry in the presented chain

  TimePoint completed() const { return ts + duration; }
};

enum class ChangeKind : std::uint8_t { setting, version, fingerprint };
std::string_view to_string(ChangeKind k);
std::optional<ChangeKind> parse_change_kind(std::string_view s);

struct ChangeEvent {
  std::string check;
  std::string vantage;
  TimePoint ts{};
  ChangeKind kind = ChangeKind::setting;
  std::string change;  // "search_path: \"$user\", public -> nowhere"
};

}  // namespace prober
