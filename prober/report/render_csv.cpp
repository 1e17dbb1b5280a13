#include "prober/report/render.hpp"
#include "prober/report/text.hpp"

namespace prober::report {

std::string render_csv(const Document& doc) {
  using text::csv_field;
  std::string out =
      "check,start,end,duration_s,peak_impact_pct,avg_impact_pct,detected_at,ttd_s,vantages,"
      "in_maintenance,began_before_period,cause_at,cause_check,cause_vantage,cause_kind,"
      "cause\r\n";
  for (const auto& section : doc.checks) {
    for (const auto& o : section.report.outages) {
      std::string vantages;
      for (const auto& v : o.vantages) {
        if (!vantages.empty()) vantages += ' ';
        vantages += v;
      }
      std::string row;
      row += csv_field(section.report.check);
      row += ',' + text::timestamp(o.start);
      row += ',' + (o.end ? text::timestamp(*o.end) : std::string());
      row += ',' + text::seconds_text(o.duration);
      row += ',' + text::number(o.peak_impact_pct);
      row += ',' + text::number(o.avg_impact_pct);
      row += ',' + (o.detected_at ? text::timestamp(*o.detected_at) : std::string());
      row += ',' + (o.ttd ? text::seconds_text(*o.ttd) : std::string());
      row += ',' + csv_field(vantages);
      row += std::string(",") + (o.in_maintenance ? "true" : "false");
      row += std::string(",") + (o.began_before_period ? "true" : "false");
      if (o.suspected_causes.empty()) {
        row += ",,,,,";
      } else {
        const analysis::SuspectedCause& c = o.suspected_causes.front();
        row += ',' + text::timestamp(c.at);
        row += ',' + csv_field(c.check);
        row += ',' + csv_field(c.vantage);
        row += ',' + text::kind_text(c.kind);
        row += ',' + csv_field(c.what);
      }
      out += row;
      out += "\r\n";
    }
  }
  return out;
}

}  // namespace prober::report
