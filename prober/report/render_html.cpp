// The HTML report: one self-contained page (inline CSS, inline SVG, no script, no external
// resource of any kind). Every text that comes from data (check and vantage names, change
// descriptions) is HTML-escaped.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "prober/report/causes.hpp"
#include "prober/report/render.hpp"
#include "prober/report/text.hpp"

namespace prober::report {
namespace {

using text::html_escape;
using text::human_duration;
using text::human_time;
using text::number;

constexpr const char* kStyle = R"css(
:root{--up:#43a86a;--down:#d63e2a;--unknown:#bcc1ca;--maint:#4a73d1;--cause:#7b3fbf;
--change:#5f6b7d;--ink:#1d2330;--muted:#5d6675;--line:#dfe3ea;--bg:#f4f5f8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:1320px;margin:0 auto;padding:22px 28px 48px}
h1{font-size:24px;margin:0 0 2px}
h2{font-size:19px;margin:0 0 10px;overflow-wrap:anywhere}
h3{font-size:15px;margin:16px 0 4px}
.period{color:var(--muted);margin:0 0 14px}
section.check{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
.stats{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 12px}
.stat{border:1px solid var(--line);border-radius:6px;padding:5px 12px;min-width:118px}
.stat b{display:block;font-size:18px;font-variant-numeric:tabular-nums}
.stat span{color:var(--muted);font-size:12px}
.stat.bad b{color:var(--down)}
.stat.good b{color:#23804a}
svg.timeline{width:100%;height:auto;display:block;margin:4px 0}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,"DejaVu Sans",sans-serif;fill:var(--ink)}
svg .lbl{font-size:12px}
svg .axis{font-size:11px;fill:var(--muted)}
svg .num{font-size:10px;font-weight:700;fill:#fff}
.up{fill:var(--up)}
.down{fill:var(--down)}
.unknown{fill:var(--unknown)}
.outage{fill:rgba(214,62,42,.10);stroke:var(--down);stroke-width:1;stroke-dasharray:4 3}
.maint{fill:rgba(74,115,209,.30);stroke:var(--maint);stroke-width:1}
.maint-bar{fill:var(--maint)}
.impact-bg{fill:#fafbfc;stroke:var(--line)}
.impact-area{fill:rgba(214,62,42,.30)}
.impact-line{fill:none;stroke:var(--down);stroke-width:1.5}
.grid{stroke:#e6e9ef;stroke-width:1}
.tick{stroke:var(--change);stroke-width:1.2;stroke-dasharray:2 2}
.change.cause .tick{stroke:var(--cause);stroke-width:1.5;stroke-dasharray:none;opacity:.9}
.change circle{fill:var(--change)}
.change.cause circle{fill:var(--cause)}
.legend{display:flex;flex-wrap:wrap;gap:16px;color:var(--muted);font-size:12px;margin:2px 0 6px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;margin-right:5px}
table{border-collapse:collapse;width:100%;margin:6px 0 4px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}
td.t{font-variant-numeric:tabular-nums;min-width:96px}
td.cause{min-width:240px}
.scroll{overflow-x:auto}
code{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;background:#f0f2f5;padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
.note{color:var(--muted)}
.tag{display:inline-block;font-size:11px;border-radius:3px;padding:0 5px;background:#e8edf8;color:#2e4a8f;margin-right:4px}
a{color:#2854b8;text-decoration:none}
)css";

// SVG geometry (viewBox units; the SVG scales to the page width).
constexpr double kWidth = 1200;
constexpr double kX0 = 166;  // plot start; the lane labels sit left of it
constexpr double kX1 = 1186;
constexpr double kTop = 28;  // room for the change markers
constexpr double kLane = 18;
constexpr double kLaneGap = 6;
constexpr double kImpactGap = 14;
constexpr double kImpactHeight = 60;
constexpr std::size_t kMaxTitleLines = 12;
constexpr std::size_t kMaxCauseTicks = 5;  // per outage

std::string f1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// At most `max` bytes, cut on a UTF-8 character boundary, with an ellipsis when cut.
std::string shorten(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "\xE2\x80\xA6";
}

std::string pct(double v) {
  return number(v) + "%";
}

struct Scale {
  TimePoint from, to;
  double x(TimePoint t) const {
    if (to <= from) return kX0;
    const double f = static_cast<double>((std::clamp(t, from, to) - from).count()) /
                     static_cast<double>((to - from).count());
    return kX0 + f * (kX1 - kX0);
  }
};

std::string rect(const char* cls, double x, double y, double w, double h) {
  return std::string("<rect class=\"") + cls + "\" x=\"" + f1(x) + "\" y=\"" + f1(y) +
         "\" width=\"" + f1(w) + "\" height=\"" + f1(h) + "\"/>";
}

// Time axis: ticks at a round step, at most ~8 of them, labelled in UTC.
struct Tick {
  TimePoint at;
  std::string label;
};
std::vector<Tick> axis_ticks(const analysis::Period& p) {
  static constexpr std::array<std::int64_t, 19> kSteps = {
      1,    5,     10,    30,    60,    300,    600,    900,     1800,   3600,
      7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000};
  std::vector<Tick> ticks;
  const std::int64_t span_s = (p.to - p.from).count() / 1'000'000;
  if (p.to <= p.from) return ticks;
  std::int64_t step = kSteps.back();
  for (std::int64_t s : kSteps) {
    if (span_s / s <= 8) {
      step = s;
      break;
    }
  }
  while (span_s / step > 8) step *= 2;  // periods longer than ~8 months
  const std::int64_t step_us = step * 1'000'000;
  const std::int64_t from_us = to_unix_micros(p.from);
  std::int64_t t = from_us - ((from_us % step_us) + step_us) % step_us;
  if (t < from_us) t += step_us;
  std::string last_date;
  for (; t <= to_unix_micros(p.to); t += step_us) {
    const std::string iso = format_rfc3339(from_unix_micros(t));  // 2024-05-05T15:00:00Z
    const std::string date = iso.substr(0, 10);
    std::string label;
    if (step >= 86400) {
      label = date;
    } else {
      label = step < 60 ? iso.substr(11, 8) : iso.substr(11, 5);
      if (date != last_date) label = iso.substr(5, 5) + " " + label;
    }
    last_date = date;
    ticks.push_back({from_unix_micros(t), label});
  }
  return ticks;
}

struct Mark {
  std::vector<std::string> lines;
  bool cause = false;
  int rank = 0;  // 1-based rank of the first suspected cause of an outage, 0 otherwise
};

std::string change_line(TimePoint at, const std::string& check, const std::string& vantage,
                        ChangeKind kind, const std::string& what) {
  return human_time(at) + " " + check + " @" + vantage + " [" + text::kind_text(kind) + "] " + what;
}

std::string timeline_svg(const CheckSection& s, const analysis::Period& p) {
  const analysis::CheckReport& r = s.report;
  const Scale sc{p.from, p.to};
  const std::size_t n = r.timelines.size();
  const double lanes_bottom =
      kTop + static_cast<double>(n) * (kLane + kLaneGap) - (n ? kLaneGap : 0);
  const double iy = lanes_bottom + kImpactGap;
  const double ibottom = iy + kImpactHeight;
  const double axis_y = ibottom + 6;
  const double height = axis_y + 22;

  std::string o;
  o += "<svg class=\"timeline\" viewBox=\"0 0 " + f1(kWidth) + " " + f1(height) + "\" width=\"" +
       f1(kWidth) + "\" height=\"" + f1(height) + "\" role=\"img\" aria-label=\"timeline of " +
       html_escape(r.check) + "\">";

  // Grid lines at the axis ticks.
  const std::vector<Tick> ticks = axis_ticks(p);
  for (const Tick& t : ticks) {
    const std::string x = f1(sc.x(t.at));
    o += "<line class=\"grid\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + f1(kTop - 4) +
         "\" y2=\"" + f1(ibottom) + "\"/>";
  }

  // One lane per vantage: green underneath, unknown grey and down red on top.
  const double total = total_weight(r);
  for (std::size_t i = 0; i < n; ++i) {
    const analysis::VantageTimeline& tl = r.timelines[i];
    const double y = kTop + static_cast<double>(i) * (kLane + kLaneGap);
    std::string share = total > 0 ? pct(100.0 * tl.weight / total) : std::string("0%");
    o += "<g class=\"lane\" data-vantage=\"" + html_escape(tl.vantage) + "\"><title>" +
         html_escape(tl.vantage) + ": weight " + number(tl.weight) + " (" + share +
         " of users)</title>";
    o += "<text class=\"lbl\" x=\"" + f1(kX0 - 8) + "\" y=\"" + f1(y + kLane - 5) +
         "\" text-anchor=\"end\">" + html_escape(shorten(tl.vantage, 18)) + " · " + share +
         "</text>";
    o += rect("up", kX0, y, kX1 - kX0, kLane);
    for (const auto& u : tl.unknown) {
      const double x = sc.x(u.start);
      o += rect("unknown", x, y, std::max(sc.x(u.end) - x, 0.8), kLane);
    }
    for (const auto& d : tl.down) {
      const double x = sc.x(d.start);
      o += rect("down", x, y, std::max(sc.x(d.end) - x, 0.8), kLane);
    }
    o += "</g>";
  }

  // Maintenance windows and outages, shaded across every lane and the impact lane.
  for (const auto& m : s.maintenance) {
    const double x = sc.x(m.start);
    o += "<g class=\"maintenance\"><title>maintenance " + human_time(m.start) + " to " +
         human_time(m.end) + "</title>" +
         rect("maint", x, kTop - 4, std::max(sc.x(m.end) - x, 0.8), ibottom - kTop + 4) +
         rect("maint-bar", x, kTop - 7, std::max(sc.x(m.end) - x, 2.0), 4) + "</g>";
  }
  for (std::size_t k = 0; k < r.outages.size(); ++k) {
    const analysis::Outage& out = r.outages[k];
    const TimePoint end = out.end.value_or(p.to);
    const double x = sc.x(out.start);
    o += "<g class=\"outage-band\"><title>outage " + std::to_string(k + 1) + ": " +
         human_time(out.start) + " to " + (out.end ? human_time(*out.end) : "ongoing") + " (" +
         human_duration(out.duration) + "), peak " + pct(out.peak_impact_pct) + ", avg " +
         pct(out.avg_impact_pct) + "</title>" +
         rect("outage", x, kTop - 4, std::max(sc.x(end) - x, 1.0), ibottom - kTop + 4) + "</g>";
  }

  // Impact lane: the step function as an area and a line.
  o += "<text class=\"lbl\" x=\"" + f1(kX0 - 8) + "\" y=\"" + f1(iy + kImpactHeight / 2 + 4) +
       "\" text-anchor=\"end\">users affected</text>";
  o += "<text class=\"axis\" x=\"" + f1(kX0 - 8) + "\" y=\"" + f1(iy + 9) +
       "\" text-anchor=\"end\">100%</text>";
  o += "<text class=\"axis\" x=\"" + f1(kX0 - 8) + "\" y=\"" + f1(ibottom - 1) +
       "\" text-anchor=\"end\">0%</text>";
  o += "<g class=\"impact\"><title>share of users affected (impact), step function</title>";
  o += rect("impact-bg", kX0, iy, kX1 - kX0, kImpactHeight);
  o += "<line class=\"grid\" x1=\"" + f1(kX0) + "\" x2=\"" + f1(kX1) + "\" y1=\"" +
       f1(iy + kImpactHeight / 2) + "\" y2=\"" + f1(iy + kImpactHeight / 2) + "\"/>";
  if (!r.impact.empty() && p.to > p.from) {
    auto y_of = [&](double v) {
      return ibottom - std::clamp(v, 0.0, 100.0) / 100.0 * kImpactHeight;
    };
    const std::string x0 = f1(sc.x(r.impact.front().at));
    const std::string y0 = f1(y_of(r.impact.front().value_pct));
    std::string steps;
    for (std::size_t i = 1; i < r.impact.size(); ++i) {
      steps += "H" + f1(sc.x(r.impact[i].at)) + "V" + f1(y_of(r.impact[i].value_pct));
    }
    steps += "H" + f1(kX1);
    const std::string line = "M" + x0 + " " + y0 + steps;
    const std::string area =
        "M" + x0 + " " + f1(ibottom) + "V" + y0 + steps + "V" + f1(ibottom) + "Z";
    o += "<path class=\"impact-area\" d=\"" + area + "\"/>";
    o += "<path class=\"impact-line\" d=\"" + line + "\"/>";
  }
  o += "</g>";

  // Change events: this check's own (purple when a suspected cause), and the nearest suspected
  // causes of its outages (of any check); merged per pixel column so that a burst of changes is
  // one tick with a long tooltip.
  std::map<long, Mark> marks;
  std::set<std::tuple<std::int64_t, std::string, std::string, int, std::string>> seen;
  auto add = [&](TimePoint at, const std::string& check, const std::string& vantage,
                 ChangeKind kind, const std::string& what, bool cause, int rank) {
    if (at < p.from || at >= p.to) return;
    const bool fresh =
        seen.insert({to_unix_micros(at), check, vantage, static_cast<int>(kind), what}).second;
    Mark& m = marks[std::lround(sc.x(at))];
    m.cause = m.cause || cause;
    if (rank > 0 && (m.rank == 0 || rank < m.rank)) m.rank = rank;
    if (fresh) m.lines.push_back(change_line(at, check, vantage, kind, what));
  };
  for (const auto& out : r.outages) {
    // The nearest few: dozens of ticks over an outage would hide it (the table and the JSON
    // list them all).
    for (std::size_t i = 0; i < out.suspected_causes.size() && i < kMaxCauseTicks; ++i) {
      const auto& c = out.suspected_causes[i];
      add(c.at, c.check, c.vantage, c.kind, c.what, true, i == 0 ? 1 : 0);
    }
  }
  std::set<std::tuple<std::int64_t, std::string, int, std::string>> causes;  // all of them
  for (const auto& out : r.outages) {
    for (const auto& c : out.suspected_causes) {
      causes.insert({to_unix_micros(c.at), c.vantage, static_cast<int>(c.kind), c.what});
    }
  }
  for (const auto& e : s.changes) {
    const bool cause =
        causes.count({to_unix_micros(e.ts), e.vantage, static_cast<int>(e.kind), e.change}) > 0;
    add(e.ts, e.check, e.vantage, e.kind, e.change, cause, 0);
  }
  for (const auto& [px, m] : marks) {
    const std::string x = std::to_string(px);
    o += std::string("<g class=\"change") + (m.cause ? " cause" : "") + "\"><title>";
    for (std::size_t i = 0; i < m.lines.size() && i < kMaxTitleLines; ++i) {
      if (i) o += "\n";
      o += html_escape(m.lines[i]);
    }
    if (m.lines.size() > kMaxTitleLines) {
      o += "\n…and " + std::to_string(m.lines.size() - kMaxTitleLines) + " more";
    }
    o += "</title><line class=\"tick\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + f1(kTop - 12) +
         "\" y2=\"" + f1(ibottom) + "\"/><circle cx=\"" + x + "\" cy=\"" + f1(kTop - 15) +
         "\" r=\"" + (m.rank ? "7" : "4") + "\"/>";
    if (m.rank) {
      o += "<text class=\"num\" x=\"" + x + "\" y=\"" + f1(kTop - 11.5) +
           "\" text-anchor=\"middle\">!</text>";
    }
    o += "</g>";
  }

  // Time axis.
  for (const Tick& t : ticks) {
    const double x = sc.x(t.at);
    const char* anchor = x > kX1 - 50 ? "end" : (x < kX0 + 30 ? "start" : "middle");
    o += "<text class=\"axis\" x=\"" + f1(x) + "\" y=\"" + f1(axis_y + 12) + "\" text-anchor=\"" +
         anchor + "\">" + html_escape(t.label) + "</text>";
  }
  o += "<text class=\"axis\" x=\"" + f1(kX0 - 8) + "\" y=\"" + f1(axis_y + 12) +
       "\" text-anchor=\"end\">UTC</text>";
  o += "</svg>";
  return o;
}

std::string legend() {
  auto item = [](const char* color, const char* label) {
    return std::string("<span><i class=\"sw\" style=\"background:") + color + "\"></i>" + label +
           "</span>";
  };
  return "<div class=\"legend\">" + item("var(--up)", "up") + item("var(--down)", "down") +
         item("var(--unknown)", "unknown (no recent result)") +
         item("rgba(214,62,42,.25)", "outage (quorum down)") +
         item("rgba(74,115,209,.3)", "maintenance") +
         item("var(--cause)", "suspected cause (! = first)") +
         item("var(--change)", "other change of this check") + "</div>";
}

std::string stat(const std::string& value, const std::string& label, const char* cls = "") {
  return std::string("<div class=\"stat ") + cls + "\"><b>" + value + "</b><span>" + label +
         "</span></div>";
}

std::string cause_cell(const analysis::Outage& o) {
  const std::vector<CauseGroup> groups = group_causes(o.suspected_causes);
  if (groups.empty()) return "<span class=\"note\">none recorded</span>";
  const CauseGroup& g = groups.front();
  std::string vantages;
  for (const auto& v : g.vantages) vantages += (vantages.empty() ? "" : ", ") + html_escape(v);
  std::string cell = html_escape(text::kind_text(g.kind)) + " change on <b>" +
                     html_escape(g.check) + "</b> at " + html_escape(human_time(g.at)) +
                     " (seen from " + vantages + "): <code>" + html_escape(g.what) + "</code>";
  if (groups.size() > 1) {
    cell += " <span class=\"note\">+" + std::to_string(groups.size() - 1) + " more</span>";
  }
  return cell;
}

std::string section_html(const CheckSection& s, std::size_t index, const analysis::Period& p) {
  const analysis::CheckReport& r = s.report;
  std::string o = "<section class=\"check\" id=\"check-" + std::to_string(index) + "\">";
  o += "<h2>" + html_escape(r.check) +
       (s.configured ? "" : " <span class=\"tag\">not in the config</span>") + "</h2>";
  const bool missed = r.slo && r.availability_pct < r.slo->objective_pct;
  o += "<div class=\"stats\">";
  o += stat(pct(r.availability_pct), "availability", r.slo ? (missed ? "bad" : "good") : "");
  o += stat(pct(r.user_weighted_availability_pct), "user-weighted availability");
  o += stat(pct(r.coverage_pct), "coverage");
  if (r.slo) {
    o += stat(pct(r.slo->remaining_pct),
              "error budget left (SLO " + pct(r.slo->objective_pct) + ": " + number(r.slo->used_s) +
                  " s used of " + number(r.slo->budget_s) + " s)",
              r.slo->remaining_pct < 0 ? "bad" : "good");
  } else {
    o += stat("–", "no SLO configured");
  }
  o += stat(std::to_string(r.outages.size()), "outages", r.outages.empty() ? "good" : "bad");
  o += stat(std::to_string(r.vantage_incidents.size()), "vantage incidents");
  o += stat(std::to_string(r.blips), "blips");
  o += "</div>";

  if (p.to > p.from) {
    o += timeline_svg(s, p);
    o += legend();
  } else {
    o += "<p class=\"note\">The period is empty: no timeline.</p>";
  }

  o += "<h3>Outages</h3>";
  if (r.outages.empty()) {
    o += "<p class=\"note\">No outages in the period.</p>";
  } else {
    o += "<div class=\"scroll\"><table class=\"outages\"><thead><tr><th>#</th><th>start "
         "(UTC)</th><th>end (UTC)</th>"
         "<th class=\"n\">duration</th><th class=\"n\">peak</th><th class=\"n\">avg</th>"
         "<th>detected (UTC)</th><th class=\"n\">TTD</th><th>vantages</th>"
         "<th>first suspected cause</th></tr></thead><tbody>";
    for (std::size_t k = 0; k < r.outages.size(); ++k) {
      const analysis::Outage& out = r.outages[k];
      std::string vantages;
      for (const auto& v : out.vantages)
        vantages += (vantages.empty() ? "" : ", ") + html_escape(v);
      o += "<tr><td class=\"n\">" + std::to_string(k + 1) + "</td><td class=\"t\">" +
           html_escape(human_time(out.start));
      if (out.began_before_period) o += " <span class=\"tag\">began before</span>";
      o += "</td><td class=\"t\">" +
           (out.end ? html_escape(human_time(*out.end)) : std::string("<b>ongoing</b>")) +
           "</td><td class=\"n\">" + html_escape(human_duration(out.duration)) +
           "</td><td class=\"n\">" + pct(out.peak_impact_pct) + "</td><td class=\"n\">" +
           pct(out.avg_impact_pct) + "</td><td class=\"t\">" +
           (out.detected_at ? html_escape(human_time(*out.detected_at)) : std::string("–")) +
           "</td><td class=\"n\">" + (out.ttd ? text::seconds_text(*out.ttd) + "&nbsp;s" : "–") +
           "</td><td>" + vantages;
      if (out.in_maintenance) o += " <span class=\"tag\">in maintenance</span>";
      o += "</td><td class=\"cause\">" + cause_cell(out) + "</td></tr>";
    }
    o += "</tbody></table></div>";
  }
  if (!r.vantage_incidents.empty()) {
    o += "<h3>Vantage incidents</h3><div class=\"scroll\"><table "
         "class=\"incidents\"><thead><tr><th>vantage</th>"
         "<th>start (UTC)</th><th>end (UTC)</th><th class=\"n\">duration</th></tr></thead><tbody>";
    for (const auto& i : r.vantage_incidents) {
      o += "<tr><td>" + html_escape(i.vantage) + "</td><td class=\"t\">" +
           html_escape(human_time(i.start)) + "</td><td class=\"t\">" +
           (i.end ? html_escape(human_time(*i.end)) : std::string("<b>ongoing</b>")) +
           "</td><td class=\"n\">" + html_escape(human_duration(i.end.value_or(p.to) - i.start)) +
           "</td></tr>";
    }
    o += "</tbody></table></div>";
  }
  o += "</section>";
  return o;
}

}  // namespace

std::string render_html(const Document& doc) {
  const analysis::Period& p = doc.period;
  std::string o =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>prober report " +
      html_escape(human_time(p.from)) + " to " + html_escape(human_time(p.to)) + "</title><style>" +
      kStyle + "</style></head><body><main>";
  o += "<h1>Availability report</h1><p class=\"period\">" + html_escape(human_time(p.from)) +
       " to " + html_escape(human_time(p.to)) + " (" + html_escape(human_duration(p.to - p.from)) +
       ") · " + std::to_string(doc.checks.size()) + " check" + (doc.checks.size() == 1 ? "" : "s") +
       "</p>";

  o += "<table class=\"summary\"><thead><tr><th>check</th><th class=\"n\">availability</th>"
       "<th class=\"n\">user-weighted</th><th class=\"n\">coverage</th>"
       "<th class=\"n\">error budget left</th><th class=\"n\">outages</th>"
       "<th class=\"n\">vantage incidents</th><th class=\"n\">blips</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < doc.checks.size(); ++i) {
    const analysis::CheckReport& r = doc.checks[i].report;
    o += "<tr><td><a href=\"#check-" + std::to_string(i) + "\">" + html_escape(r.check) +
         "</a></td><td class=\"n\">" + pct(r.availability_pct) + "</td><td class=\"n\">" +
         pct(r.user_weighted_availability_pct) + "</td><td class=\"n\">" + pct(r.coverage_pct) +
         "</td><td class=\"n\">" + (r.slo ? pct(r.slo->remaining_pct) : std::string("–")) +
         "</td><td class=\"n\">" + std::to_string(r.outages.size()) + "</td><td class=\"n\">" +
         std::to_string(r.vantage_incidents.size()) + "</td><td class=\"n\">" +
         std::to_string(r.blips) + "</td></tr>";
  }
  o += "</tbody></table>";

  for (std::size_t i = 0; i < doc.checks.size(); ++i) o += section_html(doc.checks[i], i, p);
  o += "<p class=\"note\">Generated by prober report. Times are UTC. Hover the timeline for "
       "details.</p></main></body></html>\n";
  return o;
}

}  // namespace prober::report
