#include <algorithm>
#include <cstddef>

#include "prober/report/causes.hpp"
#include "prober/report/render.hpp"
#include "prober/report/text.hpp"

namespace prober::report {
namespace {

using text::human_duration;
using text::human_time;
using text::md_code;
using text::md_text;
using text::number;

constexpr std::size_t kMaxTimelineCauses = 10;
constexpr std::size_t kMaxListedCauses = 20;
constexpr std::size_t kMaxIncidents = 50;

std::string pct(double v) {
  return number(v) + "%";
}

// "ap-south (25% of users)" when the weights say so.
std::string vantage_share(const analysis::CheckReport& r, const std::string& vantage) {
  const double total = total_weight(r);
  std::string s = md_text(vantage);
  if (total > 0) s += " (" + pct(100.0 * weight_of(r, vantage) / total) + " of users)";
  return s;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string relative(TimePoint at, TimePoint start) {
  if (at == start) return "at the start";
  return human_duration(at < start ? start - at : at - start) +
         (at < start ? " before the start" : " after the start");
}

std::string cause_text(const CauseGroup& g) {
  std::vector<std::string> seen;
  for (const auto& v : g.vantages) seen.push_back(md_text(v));
  return text::kind_text(g.kind) + " change on " + md_text(g.check) + " (seen from " +
         join(seen, ", ") + "): " + md_code(g.what);
}

void summary_table(const Document& doc, std::string& out) {
  out +=
      "| Check | Availability | User-weighted | Coverage | SLO | Budget used | Budget remaining "
      "| Outages | Vantage incidents | Blips |\n"
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& s : doc.checks) {
    const analysis::CheckReport& r = s.report;
    out += "| " + md_text(r.check) + (s.configured ? "" : " (not in the config)");
    out += " | " + pct(r.availability_pct);
    out += " | " + pct(r.user_weighted_availability_pct);
    out += " | " + pct(r.coverage_pct);
    if (r.slo) {
      out += " | " + pct(r.slo->objective_pct);
      out += " | " + number(r.slo->used_s) + " s of " + number(r.slo->budget_s) + " s";
      out += " | " + pct(r.slo->remaining_pct);
    } else {
      out += " | – | – | –";
    }
    out += " | " + std::to_string(r.outages.size());
    out += " | " + std::to_string(r.vantage_incidents.size());
    out += " | " + std::to_string(r.blips) + " |\n";
  }
}

struct Entry {
  TimePoint at;
  int order;  // among equal instants: causes, start, confirmations, detection, end
  std::string text;
};

void postmortem(const CheckSection& s, std::size_t index, const Document& doc, std::string& out) {
  const analysis::CheckReport& r = s.report;
  const analysis::Outage& o = r.outages[index];
  static const std::vector<VantageConfirmation> kNone;
  const std::vector<VantageConfirmation>& confirmations =
      index < s.confirmations.size() ? s.confirmations[index] : kNone;
  const std::vector<CauseGroup> causes = group_causes(o.suspected_causes);

  out += "\n## Postmortem (draft): outage of " + md_text(r.check) + ", " + human_time(o.start) +
         "\n\n### Issue Summary\n\n";

  // Duration.
  out += "- **Duration:** ";
  if (o.end) {
    out += "from " + human_time(o.start) + " to " + human_time(*o.end) + ", lasting " +
           human_duration(o.duration) + " (" + text::seconds_text(o.duration) + " s).";
  } else {
    out += "from " + human_time(o.start) + ", still ongoing at the end of the period (" +
           human_time(doc.period.to) + "): " + human_duration(o.duration) + " (" +
           text::seconds_text(o.duration) + " s) so far.";
  }
  if (o.began_before_period) {
    out += " It was already in progress when the period began; its real start is earlier.";
  }
  out += "\n";

  // Impact.
  std::vector<std::string> regions;
  for (const auto& v : o.vantages) regions.push_back(vantage_share(r, v));
  out += "- **Impact:** up to " + pct(o.peak_impact_pct) + " of users (by region weight), " +
         pct(o.avg_impact_pct) +
         " on average over the outage. Vantages down: " + join(regions, ", ") + ".";
  if (o.in_maintenance) out += " The outage lies wholly inside a maintenance window.";
  out += "\n";

  // Detection.
  out += "- **Detection:** ";
  if (o.detected_at) {
    out += "detected at " + human_time(*o.detected_at) + ", when " +
           std::to_string(s.min_vantages) + " vantage" + (s.min_vantages == 1 ? " had" : "s had") +
           " confirmed the failure";
    if (o.ttd) {
      out +=
          "; time to detect " + human_duration(*o.ttd) + " (" + text::seconds_text(*o.ttd) + " s).";
    } else {
      out += "; no time to detect is given, the outage began before the period.";
    }
  } else {
    out += "not confirmed by " + std::to_string(s.min_vantages) + " vantages in the data.";
  }
  out += "\n";

  // Suspected cause.
  out += "- **Suspected cause:** ";
  if (causes.empty()) {
    out += "no change event recorded between 1 hour before the start and the end.\n";
  } else {
    out += cause_text(causes.front()) + ", at " + human_time(causes.front().at) + ", " +
           relative(causes.front().at, o.start) + ".\n";
  }

  // Timeline.
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < causes.size() && i < kMaxTimelineCauses; ++i) {
    entries.push_back(
        {causes[i].at, 0,
         cause_text(causes[i]) + " _(suspected cause " + std::to_string(i + 1) + ")_"});
  }
  {
    std::vector<std::string> already;
    for (const auto& c : confirmations) {
      if (c.down_since <= o.start) already.push_back(md_text(c.vantage));
    }
    std::string t =
        o.began_before_period ? "start of the period, outage already in progress" : "outage begins";
    t += ": " + std::to_string(s.min_vantages) + " or more vantages down at once";
    if (!already.empty()) t += " (" + join(already, ", ") + ")";
    entries.push_back({o.start, 1, t + "."});
  }
  for (const auto& c : confirmations) {
    std::string t = vantage_share(r, c.vantage) + " confirmed down (failing since " +
                    human_time(c.down_since) + ").";
    entries.push_back({c.confirmed_at, 2, t});
  }
  if (o.detected_at) {
    std::string t = "**detected**: " + std::to_string(s.min_vantages) + " vantage" +
                    (s.min_vantages == 1 ? "" : "s") + " confirmed down";
    if (o.ttd) t += ", time to detect " + human_duration(*o.ttd);
    entries.push_back({*o.detected_at, 3, t + "."});
  }
  if (o.end) {
    entries.push_back({*o.end, 4,
                       "recovered: fewer than " + std::to_string(s.min_vantages) +
                           " vantages down; outage over after " + human_duration(o.duration) +
                           "."});
  } else {
    entries.push_back({doc.period.to, 4, "end of the period: the outage is still ongoing."});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  out += "\n### Timeline\n\nAll times UTC.\n\n";
  for (const auto& e : entries) out += "- " + human_time(e.at) + ": " + e.text + "\n";

  // Suspected causes.
  out += "\n### Suspected causes\n\n";
  if (causes.empty()) {
    out += "None: no change event was recorded between 1 hour before the start and the end.\n";
  } else {
    out +=
        "Change events of any check from 1 hour before the start to the end, nearest to the "
        "start first. Candidates to check, not a diagnosis.\n\n";
    for (std::size_t i = 0; i < causes.size() && i < kMaxListedCauses; ++i) {
      out += std::to_string(i + 1) + ". " + human_time(causes[i].at) + " (" +
             relative(causes[i].at, o.start) + "): " + cause_text(causes[i]) + "\n";
    }
    if (causes.size() > kMaxListedCauses) {
      out += "\n_…and " + std::to_string(causes.size() - kMaxListedCauses) +
             " more distinct changes (all are in the JSON report)._\n";
    }
  }

  out +=
      "\n### Root Cause and Resolution\n\n"
      "- Root cause: _To be written: what failed and why, confirmed (the suspected causes above "
      "are candidates from recorded changes)._\n"
      "- Resolution: _To be written: what restored the service, and when._\n"
      "\n### Corrective and Preventative Measures\n\n"
      "- Improvements/fixes: _To be written._\n"
      "- Tasks to address the issue: _To be written (each with an owner)._\n";
}

}  // namespace

std::string render_markdown(const Document& doc) {
  std::string out = "# Availability report\n\n";
  out += "Period: " + human_time(doc.period.from) + " to " + human_time(doc.period.to) + " (" +
         human_duration(doc.period.to - doc.period.from) + ").\n\n";
  summary_table(doc, out);

  std::size_t outages = 0;
  for (const auto& s : doc.checks) outages += s.report.outages.size();
  if (outages == 0) {
    out += "\nNo outages in the period.\n";
  }

  std::vector<std::string> incidents;
  for (const auto& s : doc.checks) {
    for (const auto& i : s.report.vantage_incidents) {
      std::string line = "- " + md_text(s.report.check) + ", " + md_text(i.vantage) + ": " +
                         human_time(i.start) + " to ";
      line += i.end ? human_time(*i.end) + " (" + human_duration(*i.end - i.start) + ")"
                    : std::string("the end of the period (ongoing)");
      incidents.push_back(line);
    }
  }
  if (!incidents.empty()) {
    out +=
        "\n## Vantage incidents\n\nDown at fewer vantages than the outage quorum (a region or "
        "its network).\n\n";
    for (std::size_t i = 0; i < incidents.size() && i < kMaxIncidents; ++i) {
      out += incidents[i] + "\n";
    }
    if (incidents.size() > kMaxIncidents) {
      out += "- _…and " + std::to_string(incidents.size() - kMaxIncidents) + " more._\n";
    }
  }

  for (const auto& s : doc.checks) {
    for (std::size_t i = 0; i < s.report.outages.size(); ++i) postmortem(s, i, doc, out);
  }
  return out;
}

}  // namespace prober::report
