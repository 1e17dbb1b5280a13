// The four report formats of `prober report` (DESIGN.md "Report"), each a pure function of a
// Document. docs/report.md shows an example of each.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "prober/report/model.hpp"

namespace prober::report {

enum class Format { json, md, csv, html };
std::optional<Format> parse_format(std::string_view name);

// DESIGN.md's JSON shape, on one line, with a trailing newline.
std::string render_json(const Document& doc);
// One row per outage after a header row; RFC 4180 (CRLF line ends, quoted where needed).
std::string render_csv(const Document& doc);
// A per-check availability table, then a postmortem draft per outage (seed-postmortem.txt).
std::string render_markdown(const Document& doc);
// One self-contained page: inline CSS and SVG, no script, no external resource.
std::string render_html(const Document& doc);

std::string render(const Document& doc, Format format);

}  // namespace prober::report
