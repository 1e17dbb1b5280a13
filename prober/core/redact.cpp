#include "prober/core/redact.hpp"

#include <algorithm>

namespace prober {
namespace {
// Position of the userinfo ("user:pass@") in "scheme://user:pass@host/...", if any.
bool find_userinfo(std::string_view url, std::size_t& begin, std::size_t& end) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  begin = scheme_end + 3;
  auto authority_end = url.find_first_of("/?#", begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  auto at = url.rfind('@', authority_end);
  if (at == std::string_view::npos || at < begin) return false;
  end = at;
  return true;
}
}  // namespace

std::string url_password(std::string_view url) {
  std::size_t begin = 0, end = 0;
  if (!find_userinfo(url, begin, end)) return {};
  auto colon = url.find(':', begin);
  if (colon == std::string_view::npos || colon > end) return {};
  return std::string(url.substr(colon + 1, end - colon - 1));
}

std::string redact_url_password(std::string_view url) {
  std::size_t begin = 0, end = 0;
  if (!find_userinfo(url, begin, end)) return std::string(url);
  auto colon = url.find(':', begin);
  if (colon == std::string_view::npos || colon > end || colon + 1 == end) return std::string(url);
  std::string out(url.substr(0, colon + 1));
  out += "***";
  out += url.substr(end);
  return out;
}

Redactor::Redactor(std::vector<std::string> secrets) {
  for (auto& s : secrets) add(std::move(s));
}

void Redactor::add(std::string secret) {
  if (secret.size() < 3) return;
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  secrets_.push_back(std::move(secret));
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  for (const auto& secret : secrets_) {
    std::size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace prober
