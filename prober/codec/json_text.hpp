// JSON text as people read it: Boost.JSON prints doubles as "2.16E-1"; this prints the
// shortest exact form ("0.216", "12", "64800"), so results, reports and the feed look like
// DESIGN.md's examples and diff cleanly.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace prober::codec {

std::string to_json_text(const boost::json::value& value);
void append_json_text(const boost::json::value& value, std::string& out);
// Shortest round-trip text of a finite double; "null" for NaN or infinity.
void append_json_number(double value, std::string& out);

}  // namespace prober::codec
