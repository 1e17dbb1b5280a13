#include <boost/json.hpp>

#include "prober/codec/json_text.hpp"
#include "prober/report/render.hpp"
#include "prober/report/text.hpp"

namespace prober::report {
namespace {

namespace json = boost::json;
using text::round3;
using text::timestamp;

json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(timestamp(*t));
}

json::object outage_json(const analysis::Outage& o) {
  json::object j;
  j["start"] = timestamp(o.start);
  j["end"] = time_or_null(o.end);
  j["duration_s"] = text::seconds(o.duration);
  j["peak_impact_pct"] = round3(o.peak_impact_pct);
  j["avg_impact_pct"] = round3(o.avg_impact_pct);
  j["detected_at"] = time_or_null(o.detected_at);
  if (o.ttd) {
    j["ttd_s"] = text::seconds(*o.ttd);
  } else {
    j["ttd_s"] = nullptr;
  }
  json::array vantages;
  for (const auto& v : o.vantages) vantages.emplace_back(v);
  j["vantages"] = std::move(vantages);
  json::array causes;
  for (const auto& c : o.suspected_causes) {
    json::object cj;
    cj["at"] = timestamp(c.at);
    cj["check"] = c.check;
    cj["vantage"] = c.vantage;
    cj["kind"] = text::kind_text(c.kind);
    cj["what"] = c.what;
    causes.emplace_back(std::move(cj));
  }
  j["suspected_causes"] = std::move(causes);
  if (o.in_maintenance) j["in_maintenance"] = true;
  if (o.began_before_period) j["began_before_period"] = true;
  return j;
}

json::object check_json(const CheckSection& section) {
  const analysis::CheckReport& r = section.report;
  json::object j;
  j["check"] = r.check;
  j["coverage_pct"] = round3(r.coverage_pct);
  j["availability_pct"] = round3(r.availability_pct);
  j["user_weighted_availability_pct"] = round3(r.user_weighted_availability_pct);
  if (r.slo) {
    json::object slo;
    slo["objective_pct"] = round3(r.slo->objective_pct);
    slo["budget_s"] = round3(r.slo->budget_s);
    slo["used_s"] = round3(r.slo->used_s);
    slo["remaining_pct"] = round3(r.slo->remaining_pct);
    j["slo"] = std::move(slo);
  } else {
    j["slo"] = nullptr;
  }
  json::array outages;
  for (const auto& o : r.outages) outages.emplace_back(outage_json(o));
  j["outages"] = std::move(outages);
  json::array incidents;
  for (const auto& i : r.vantage_incidents) {
    json::object ij;
    ij["vantage"] = i.vantage;
    ij["start"] = timestamp(i.start);
    ij["end"] = time_or_null(i.end);
    incidents.emplace_back(std::move(ij));
  }
  j["vantage_incidents"] = std::move(incidents);
  j["blips"] = r.blips;
  return j;
}

}  // namespace

std::string render_json(const Document& doc) {
  json::object root;
  root["from"] = timestamp(doc.period.from);
  root["to"] = timestamp(doc.period.to);
  json::array checks;
  for (const auto& c : doc.checks) checks.emplace_back(check_json(c));
  root["checks"] = std::move(checks);
  std::string out = codec::to_json_text(root);
  out += '\n';
  return out;
}

}  // namespace prober::report
