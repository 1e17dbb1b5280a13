// Results and change events as JSON lines (DESIGN.md "Result"). The parser classifies every
// malformed line instead of throwing, so `report --input` can skip it and go on.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "prober/core/result.hpp"

namespace prober::codec {

std::string to_json_line(const Result& r);       // no trailing newline
std::string to_json_line(const ChangeEvent& e);  // no trailing newline

struct ParseError {
  std::string message;
};

// A line is a change event when it has "change", a result otherwise.
using ParsedLine = std::variant<Result, ChangeEvent, ParseError>;
ParsedLine parse_json_line(std::string_view line);

}  // namespace prober::codec
