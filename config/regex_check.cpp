// std::regex in its own translation unit: GCC 12 reports a false -Wmaybe-uninitialized inside
// <regex> (std::function in _StateT) at -O1 with sanitizers; silence it here only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <regex>

#include "config/syntax.hpp"

namespace prober::config::detail {
namespace {

std::string regex_error_text(std::regex_constants::error_type code) {
  using namespace std::regex_constants;
  switch (code) {
    case error_collate:
      return "invalid collating element";
    case error_ctype:
      return "invalid character class";
    case error_escape:
      return "invalid escape";
    case error_backref:
      return "invalid back reference";
    case error_brack:
      return "unbalanced [ ]";
    case error_paren:
      return "unbalanced ( )";
    case error_brace:
      return "unbalanced { }";
    case error_badbrace:
      return "invalid repetition count in { }";
    case error_range:
      return "invalid character range";
    case error_space:
      return "out of memory";
    case error_badrepeat:
      return "nothing to repeat";
    case error_complexity:
      return "too complex";
    case error_stack:
      return "too complex";
    default:
      return "invalid regular expression";
  }
}

}  // namespace

std::optional<std::string> regex_problem(const std::string& pattern) {
  // libstdc++ reports a leading quantifier as error_paren; say what is wrong instead.
  if (!pattern.empty() && (pattern[0] == '*' || pattern[0] == '+' || pattern[0] == '?')) {
    return std::string("nothing to repeat");
  }
  try {
    std::regex re(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return regex_error_text(e.code());
  }
  return std::nullopt;
}

}  // namespace prober::config::detail
