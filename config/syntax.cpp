#include "config/syntax.hpp"

#include <algorithm>
#include <limits>

namespace prober::config::detail {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_hex(char c) {
  return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

// Characters allowed in a host name (RFC 3986 reg-name: unreserved, pct-encoded, sub-delims).
bool is_host_char(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '%':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}

bool valid_ipv6_literal(std::string_view h) {
  if (h.empty()) return false;
  for (char c : h) {
    if (!is_hex(c) && c != ':' && c != '.') return false;
  }
  return h.find(':') != std::string_view::npos;
}

// Port digits -> value; nullopt when not 1..5 digits.
std::optional<int> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Inputs are keys and names; cap the work for hostile lengths.
  constexpr std::size_t kCap = 256;
  if (a.size() > kCap || b.size() > kCap) return std::numeric_limits<std::size_t>::max();
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates,
                                        std::size_t* budget) {
  std::optional<std::string> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& candidate : candidates) {
    if (candidate == word) continue;
    std::size_t allowed = std::max<std::size_t>(1, std::min<std::size_t>(3, candidate.size() / 3));
    // The distance is at least the difference in length: skip hopeless candidates for free.
    std::size_t diff = word.size() > candidate.size() ? word.size() - candidate.size()
                                                      : candidate.size() - word.size();
    if (diff > allowed) continue;
    if (budget != nullptr) {
      std::size_t cost = (word.size() + 1) * (candidate.size() + 1);
      if (*budget < cost) return std::nullopt;
      *budget -= cost;
    }
    std::size_t d = edit_distance(word, candidate);
    if (d <= allowed && d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string did_you_mean_suffix(std::string_view word, const std::vector<std::string>& candidates,
                                std::size_t* budget) {
  auto best = did_you_mean(word, candidates, budget);
  return best ? " (did you mean '" + *best + "'?)" : std::string();
}

std::optional<std::string> url_scheme(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  std::string scheme;
  for (std::size_t i = 0; i < sep; ++i) {
    char c = url[i];
    bool ok = is_alpha(c) || (i > 0 && (is_digit(c) || c == '+' || c == '-' || c == '.'));
    if (!ok) return std::nullopt;
    scheme += lower(c);
  }
  return scheme;
}

std::optional<std::string> split_url(std::string_view url, UrlParts& out) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return std::string("contains whitespace or a control character");
    }
  }
  auto scheme = url_scheme(url);
  if (!scheme) return std::string("missing scheme");
  out.scheme = *scheme;
  std::string_view rest = url.substr(scheme->size() + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    out.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::string("unterminated '[' in host");
    std::string_view host = authority.substr(1, close - 1);
    if (!valid_ipv6_literal(host)) return "invalid IPv6 address '" + std::string(host) + "'";
    out.host = std::string(host);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::string("unexpected text after ']'");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    auto colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
      if (port_text.find(':') != std::string_view::npos) {
        return std::string("IPv6 addresses need brackets, e.g. [::1]");
      }
    }
    for (char c : host) {
      if (!is_host_char(c)) return "invalid character '" + std::string(1, c) + "' in host";
    }
    out.host = std::string(host);
  }
  if (out.host.empty()) return std::string("missing host");
  if (has_port) {
    auto port = parse_port(port_text);
    if (!port || *port < 1 || *port > 65535) {
      return "invalid port '" + std::string(port_text) + "'";
    }
    out.port = *port;
  }
  return std::nullopt;
}

std::optional<std::string> parse_host_port(std::string_view text, std::string_view noun,
                                           int min_port, HostPort& out) {
  const std::string quoted = "'" + std::string(text) + "'";
  const std::string form =
      "invalid " + std::string(noun) + " " + quoted + " (expected host:port, IPv6 as [::1]:443)";
  std::string_view host, port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return form;
    }
    host = text.substr(1, close - 1);
    if (!valid_ipv6_literal(host)) return form;
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
      return form;
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    for (char c : host) {
      if (!is_host_char(c)) return form;
    }
  }
  if (host.empty()) return form;
  auto port = parse_port(port_text);
  if (!port) return "invalid port '" + std::string(port_text) + "' in " + quoted;
  if (*port < min_port || *port > 65535) {
    return "port " + std::to_string(*port) + " in " + quoted + " is out of range " +
           std::to_string(min_port) + "-65535";
  }
  out.host = std::string(host);
  out.port = *port;
  return std::nullopt;
}

}  // namespace prober::config::detail
