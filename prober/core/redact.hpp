// Keeps secrets out of every text that leaves the process (logs, results, reports, feed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace prober {

// "postgresql://probe:s3cret@db/app" -> "postgresql://probe:***@db/app"; strings without
// userinfo are returned unchanged.
std::string redact_url_password(std::string_view url);

// Returns the password part of a URL's userinfo, or "" when there is none.
std::string url_password(std::string_view url);

class Redactor {
 public:
  Redactor() = default;
  explicit Redactor(std::vector<std::string> secrets);
  // Secrets shorter than 3 characters are ignored: masking them would shred ordinary text.
  void add(std::string secret);
  std::string apply(std::string_view text) const;
  bool empty() const { return secrets_.empty(); }

 private:
  std::vector<std::string> secrets_;  // longest first, so overlapping secrets mask fully
};

}  // namespace prober
