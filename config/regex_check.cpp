// Validates regexes with the engine the http check runs them with: Boost.Regex, Perl syntax
// (non-recursive, so a hostile body cannot exhaust the stack). Validating with another
// engine would accept patterns the check then cannot compile, or refuse ones it can.
#include <boost/regex.hpp>

#include "config/syntax.hpp"

namespace prober::config::detail {
namespace {

std::string regex_error_text(boost::regex_constants::error_type code) {
  using namespace boost::regex_constants;
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
  if (!pattern.empty() && (pattern[0] == '*' || pattern[0] == '+' || pattern[0] == '?')) {
    return std::string("nothing to repeat");
  }
  try {
    boost::regex re(pattern, boost::regex::perl);
  } catch (const boost::regex_error& e) {
    return regex_error_text(e.code());
  }
  return std::nullopt;
}

}  // namespace prober::config::detail
