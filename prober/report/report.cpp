#include "prober/report/render.hpp"

namespace prober::report {

std::optional<Format> parse_format(std::string_view name) {
  if (name == "json") return Format::json;
  if (name == "md" || name == "markdown") return Format::md;
  if (name == "csv") return Format::csv;
  if (name == "html") return Format::html;
  return std::nullopt;
}

std::string render(const Document& doc, Format format) {
  switch (format) {
    case Format::json:
      return render_json(doc);
    case Format::md:
      return render_markdown(doc);
    case Format::csv:
      return render_csv(doc);
    case Format::html:
      return render_html(doc);
  }
  return render_json(doc);
}

}  // namespace prober::report
