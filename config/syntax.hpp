// Internal to prober_config (and its tests): small syntax helpers used by validation.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prober::config::detail {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring
// ASCII case: "intervall"/"interval" -> 1, "dns"/"dsn" -> 1, "Interval"/"interval" -> 0.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a likely typo: distance at most
// max(1, min(3, candidate length / 3)). Ties go to the earlier candidate. `budget`, if given,
// is the number of edit-distance cells left to spend; when it runs out there is no suggestion
// (a hostile file with thousands of unknown names must not take minutes).
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates,
                                        std::size_t* budget = nullptr);
// " (did you mean 'x'?)" or "".
std::string did_you_mean_suffix(std::string_view word, const std::vector<std::string>& candidates,
                                std::size_t* budget = nullptr);

struct UrlParts {
  std::string scheme;  // lower-case
  std::string userinfo;
  std::string host;  // without brackets for IPv6 literals
  std::optional<int> port;
};

// Splits "scheme://[userinfo@]host[:port][/path][?query][#fragment]" and checks the host and
// port. Returns a short reason on failure ("missing host", "invalid port '99999'", ...).
std::optional<std::string> split_url(std::string_view url, UrlParts& out);

// The lower-case scheme of "scheme://...", or nullopt.
std::optional<std::string> url_scheme(std::string_view url);

struct HostPort {
  std::string host;  // without brackets
  int port = 0;
};

// "host:port", "[v6]:port". `noun` names the value in messages ("address"). Returns the
// problem message on failure.
std::optional<std::string> parse_host_port(std::string_view text, std::string_view noun,
                                           int min_port, HostPort& out);

// Why `pattern` does not compile as a std::regex (ECMAScript), or nullopt when it does.
// (regex_check.cpp: a translation unit of its own, see there.)
std::optional<std::string> regex_problem(const std::string& pattern);

}  // namespace prober::config::detail
