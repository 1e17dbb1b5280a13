#include "prober/core/result.hpp"

#include <array>
#include <utility>

namespace prober {
namespace {
constexpr std::array<std::pair<ErrorClass, std::string_view>, 12> kErrorNames{{
    {ErrorClass::none, "none"},
    {ErrorClass::dns, "dns"},
    {ErrorClass::connect, "connect"},
    {ErrorClass::tls, "tls"},
    {ErrorClass::cert_expiry, "cert_expiry"},
    {ErrorClass::timeout, "timeout"},
    {ErrorClass::http_status, "http_status"},
    {ErrorClass::assertion, "assertion"},
    {ErrorClass::auth, "auth"},
    {ErrorClass::query, "query"},
    {ErrorClass::protocol, "protocol"},
    {ErrorClass::internal, "internal"},
}};
}  // namespace

std::string_view to_string(ErrorClass e) {
  for (const auto& [value, name] : kErrorNames) {
    if (value == e) return name;
  }
  return "internal";
}

std::optional<ErrorClass> parse_error_class(std::string_view s) {
  for (const auto& [value, name] : kErrorNames) {
    if (name == s) return value;
  }
  return std::nullopt;
}

std::string_view to_string(ChangeKind k) {
  switch (k) {
    case ChangeKind::setting:
      return "setting";
    case ChangeKind::version:
      return "version";
    case ChangeKind::fingerprint:
      return "fingerprint";
  }
  return "setting";
}

std::optional<ChangeKind> parse_change_kind(std::string_view s) {
  if (s == "setting") return ChangeKind::setting;
  if (s == "version") return ChangeKind::version;
  if (s == "fingerprint") return ChangeKind::fingerprint;
  return std::nullopt;
}

}  // namespace prober
