#include "prober/report/build.hpp"

#include <algorithm>
#include <limits>
#include <string_view>
#include <utility>

#include "prober/codec/result_json.hpp"

namespace prober::report {
namespace {

using analysis::CheckInput;
using analysis::Interval;
using analysis::Period;
using analysis::Sample;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

analysis::Options analysis_options(const config::Config& config) {
  analysis::Options options;
  if (config.slo) options.slo_objective_pct = config.slo->objective;
  return options;
}

// --from/--to, else the span of the data; the span is only needed when a bound is missing.
Period resolve_period(const BuildOptions& options,
                      const std::optional<std::pair<TimePoint, TimePoint>>& span,
                      Warnings& warnings) {
  Period p;
  if (options.from && options.to) {
    p = {*options.from, *options.to};
  } else if (!span) {
    throw ReportError(
        "no results to report on; give both --from and --to for a report of an empty period");
  } else {
    p = {options.from.value_or(span->first), options.to.value_or(span->second)};
  }
  if (p.to < p.from) {
    warnings.once("empty-period", "the period is empty: " + format_rfc3339_ms(p.to) +
                                      " is before " + format_rfc3339_ms(p.from));
    p.to = p.from;
  }
  return p;
}

// The change events that can matter for `period`: suspected causes lie in [start - 1 h, end)
// of an outage within the period, the HTML timeline shows those within the period.
constexpr Micros kCauseLookback = std::chrono::hours(1);

std::vector<std::string> checks_to_analyse(const config::Config& config,
                                           const std::vector<std::string>& checks_with_results,
                                           Warnings& warnings) {
  std::vector<std::string> names;
  names.reserve(config.checks.size() + checks_with_results.size());
  for (const auto& c : config.checks) names.push_back(c.name);
  for (const auto& name : checks_with_results) {
    if (config.find_check(name) == nullptr) {
      names.push_back(name);
      warnings.once("check:" + name,
                    "results of check '" + name +
                        "', which is not in the config: analysed with the defaults (interval " +
                        format_duration(config.defaults.interval) + ", confirm_failures " +
                        std::to_string(config.defaults.confirm_failures) + ")");
    }
  }
  return names;
}

Micros three(Micros interval) {
  return interval > Micros{0} ? 3 * interval : Micros{0};
}

}  // namespace

void Warnings::once(const std::string& key, const std::string& message) {
  if (seen_.insert(key).second && sink_) sink_(message);
}

bool read_jsonl(std::istream& in, JsonlInput& out,
                const std::function<void(std::size_t, const std::string&)>& on_error) {
  // A line is a result of a few hundred bytes; a longer one than this is not ours, and reading
  // it whole would let one hostile line take any amount of memory.
  constexpr std::size_t kMaxLine = std::size_t{1} << 20;
  std::vector<char> buffer(kMaxLine + 2);
  std::size_t number = 0;
  while (true) {
    in.getline(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize extracted = in.gcount();
    if (extracted == 0 && (in.eof() || in.bad())) break;
    ++number;
    if (in.fail() && !in.bad() && !in.eof()) {
      // The buffer filled before the newline: skip the rest of the line.
      in.clear();
      in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
      ++out.malformed;
      if (on_error) {
        on_error(number, "line longer than " + std::to_string(kMaxLine) + " bytes, skipped");
      }
      continue;
    }
    // Without eof the newline was extracted too (and counted); the line may hold NUL bytes.
    std::string_view line(buffer.data(), static_cast<std::size_t>(extracted) - (in.eof() ? 0 : 1));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    codec::ParsedLine parsed = codec::parse_json_line(line);
    if (auto* r = std::get_if<Result>(&parsed)) {
      out.samples[r->check][r->vantage].push_back({r->ts, r->duration, r->ok});
      ++out.results;
    } else if (auto* e = std::get_if<ChangeEvent>(&parsed)) {
      out.changes.push_back(std::move(*e));
    } else {
      ++out.malformed;
      if (on_error) on_error(number, std::get<codec::ParseError>(parsed).message);
    }
  }
  return !in.bad();
}

analysis::CheckInput check_skeleton(const config::Config& config, const std::string& check,
                                    const std::vector<std::string>& vantages_with_results,
                                    Warnings& warnings) {
  CheckInput in;
  in.check = check;
  const config::Check* c = config.find_check(check);
  in.interval = c ? c->interval : config.defaults.interval;
  in.confirm_failures = c ? c->confirm_failures : config.defaults.confirm_failures;
  in.min_vantages = config.min_vantages;
  for (const auto& w : config.maintenance) {
    if (contains(w.checks, check)) in.maintenance.push_back({w.start, w.end});
  }
  if (c) {
    // Every configured vantage that runs the check, also those without a result (unknown).
    for (const auto& v : config.vantages) {
      if (c->vantages.empty() || contains(c->vantages, v.name)) {
        in.vantages.push_back({v.name, v.weight, {}});
      }
    }
  } else {
    // Nobody is configured to run it: the configured vantages that have results of it.
    for (const auto& v : config.vantages) {
      if (contains(vantages_with_results, v.name)) in.vantages.push_back({v.name, v.weight, {}});
    }
  }
  std::vector<std::string> extra;
  for (const auto& name : vantages_with_results) {
    bool present = std::any_of(in.vantages.begin(), in.vantages.end(),
                               [&](const analysis::VantageInput& v) { return v.name == name; });
    if (!present) extra.push_back(name);
  }
  std::sort(extra.begin(), extra.end());
  for (const auto& name : extra) {
    if (config.find_vantage(name) == nullptr) {
      warnings.once("vantage:" + name, "results from vantage '" + name +
                                           "', which is not in the config: included with weight "
                                           "0 (they count for outages, not for impact)");
    } else {
      warnings.once("vantage:" + check + "/" + name,
                    "results of check '" + check + "' from vantage '" + name +
                        "', which is not configured to run it: included with weight 0");
    }
    in.vantages.push_back({name, 0.0, {}});
  }
  return in;
}

std::vector<std::vector<VantageConfirmation>> outage_confirmations(
    const analysis::CheckInput& input, const analysis::CheckReport& report,
    const analysis::Period& period) {
  struct Down {
    Interval clipped;
    TimePoint first_failure;
    TimePoint confirmed;
  };
  const Micros gap = three(input.interval);
  const std::size_t confirm =
      static_cast<std::size_t>(std::max(1, input.confirm_failures));  // < 1 counts as 1

  std::vector<std::vector<VantageConfirmation>> out(report.outages.size());
  if (report.outages.empty()) return out;
  for (const auto& v : input.vantages) {
    // Rule 1 over this vantage's samples, in ts order (stable, like the analysis).
    std::vector<Sample> sorted;
    const std::vector<Sample>* samples = &v.samples;
    if (!std::is_sorted(v.samples.begin(), v.samples.end(),
                        [](const Sample& a, const Sample& b) { return a.ts < b.ts; })) {
      sorted = v.samples;
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const Sample& a, const Sample& b) { return a.ts < b.ts; });
      samples = &sorted;
    }
    const std::vector<Sample>& s = *samples;
    std::vector<Down> downs;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i].ok) {
        ++i;
        continue;
      }
      std::size_t j = i + 1;  // one past the run's last failure
      while (j < s.size() && !s[j].ok && s[j].ts - s[j - 1].ts <= gap) ++j;
      if (j - i >= confirm) {
        const Sample& last = s[j - 1];
        const bool ended_by_success = j < s.size() && s[j].ok && s[j].ts - last.ts <= gap;
        TimePoint end = ended_by_success ? s[j].ts : last.ts + gap;
        const Sample& nth = s[i + confirm - 1];
        Interval clipped{std::max(s[i].ts, period.from), std::min(end, period.to)};
        if (clipped.start < clipped.end) {
          downs.push_back({clipped, s[i].ts, nth.ts + std::max(nth.duration, Micros{0})});
        }
      }
      i = j;
    }
    for (std::size_t k = 0; k < report.outages.size(); ++k) {
      const analysis::Outage& o = report.outages[k];
      if (!contains(o.vantages, v.name)) continue;
      const TimePoint o_end = o.end.value_or(period.to);
      for (const Down& d : downs) {
        if (d.clipped.start < o_end && o.start < d.clipped.end) {
          out[k].push_back({v.name, d.first_failure, d.confirmed});
          break;  // the earliest overlapping interval has the earliest confirmation
        }
      }
    }
  }
  for (auto& list : out) {
    std::sort(list.begin(), list.end(),
              [](const VantageConfirmation& a, const VantageConfirmation& b) {
                return a.confirmed_at != b.confirmed_at ? a.confirmed_at < b.confirmed_at
                                                        : a.vantage < b.vantage;
              });
  }
  return out;
}

CheckSection analyze_section(const analysis::CheckInput& input,
                             const std::vector<ChangeEvent>& changes,
                             const analysis::Period& period, const analysis::Options& options,
                             bool configured) {
  CheckSection section;
  section.report = analysis::analyze_check(input, changes, period, options);
  section.interval = input.interval;
  section.confirm_failures = input.confirm_failures;
  section.min_vantages = input.min_vantages;
  section.configured = configured;
  section.confirmations = outage_confirmations(input, section.report, period);
  for (const auto& e : changes) {
    if (e.check == input.check && e.ts >= period.from && e.ts < period.to) {
      section.changes.push_back(e);
    }
  }
  std::stable_sort(section.changes.begin(), section.changes.end(),
                   [](const ChangeEvent& a, const ChangeEvent& b) { return a.ts < b.ts; });
  std::vector<Interval> windows;
  for (const auto& w : input.maintenance) {
    Interval c{std::max(w.start, period.from), std::min(w.end, period.to)};
    if (c.start < c.end) windows.push_back(c);
  }
  std::sort(windows.begin(), windows.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  for (const auto& w : windows) {
    if (!section.maintenance.empty() && w.start <= section.maintenance.back().end) {
      section.maintenance.back().end = std::max(section.maintenance.back().end, w.end);
    } else {
      section.maintenance.push_back(w);
    }
  }
  return section;
}

Document build_from_jsonl(const config::Config& config, const JsonlInput& input,
                          const BuildOptions& options) {
  Warnings warnings(options.warn);
  std::optional<std::pair<TimePoint, TimePoint>> span;
  for (const auto& [check, by_vantage] : input.samples) {
    for (const auto& [vantage, samples] : by_vantage) {
      for (const Sample& s : samples) {
        const TimePoint done = s.ts + std::max(s.duration, Micros{0});
        if (!span) {
          span = std::make_pair(s.ts, done);
        } else {
          span->first = std::min(span->first, s.ts);
          span->second = std::max(span->second, done);
        }
      }
    }
  }
  Document doc;
  doc.period = resolve_period(options, span, warnings);

  std::vector<std::string> with_results;
  for (const auto& entry : input.samples) with_results.push_back(entry.first);
  const std::vector<std::string> names = checks_to_analyse(config, with_results, warnings);

  std::vector<ChangeEvent> changes = input.changes;  // in ts order: binary search per outage
  std::stable_sort(changes.begin(), changes.end(),
                   [](const ChangeEvent& a, const ChangeEvent& b) { return a.ts < b.ts; });
  const analysis::Options aopts = analysis_options(config);

  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    auto found = input.samples.find(name);
    std::vector<std::string> vantages;
    if (found != input.samples.end()) {
      for (const auto& entry : found->second) vantages.push_back(entry.first);
    }
    CheckInput in = check_skeleton(config, name, vantages, warnings);
    if (found != input.samples.end()) {
      for (auto& v : in.vantages) {
        auto series = found->second.find(v.name);
        if (series != found->second.end()) v.samples = series->second;
      }
    }
    doc.checks.push_back(
        analyze_section(in, changes, doc.period, aopts, config.find_check(name) != nullptr));
    if (options.progress) options.progress(i + 1, names.size());
  }
  return doc;
}

Document build_from_store(const config::Config& config, const store::Store& store,
                          const BuildOptions& options) {
  Warnings warnings(options.warn);
  const auto all_series = store.series(store::Query{});
  std::map<std::string, std::vector<std::string>> by_check;  // sorted by check, then vantage
  for (const auto& [check, vantage] : all_series) by_check[check].push_back(vantage);

  std::optional<std::pair<TimePoint, TimePoint>> span;
  if (!options.from || !options.to) span = store.span(store::Query{});
  Document doc;
  doc.period = resolve_period(options, span, warnings);
  const Period& p = doc.period;
  const bool bounded = options.from.has_value() || options.to.has_value();

  std::vector<std::string> with_results;
  for (const auto& entry : by_check) with_results.push_back(entry.first);
  const std::vector<std::string> names = checks_to_analyse(config, with_results, warnings);

  std::vector<ChangeEvent> changes;  // few: loaded whole, in ts order
  {
    store::Query q;
    if (bounded) {
      q.from = p.from - kCauseLookback;
      q.to = p.to;
    }
    store.scan_changes(q, [&](const ChangeEvent& e) {
      changes.push_back(e);
      return true;
    });
  }
  const analysis::Options aopts = analysis_options(config);

  std::vector<store::SeriesSample> rows;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    auto found = by_check.find(name);
    const std::vector<std::string> none;
    const std::vector<std::string>& vantages = found != by_check.end() ? found->second : none;
    CheckInput in = check_skeleton(config, name, vantages, warnings);
    const Micros gap = three(in.interval);
    const auto confirm = static_cast<std::int64_t>(std::max(1, in.confirm_failures));
    for (auto& v : in.vantages) {
      if (!contains(vantages, v.name)) continue;
      rows.clear();
      if (!bounded) {
        store.load_series(name, v.name, store::Query{}, rows);
      } else {
        // Only what can change the state within P (docs/report.md "Streaming"): after P, enough
        // to complete a run that starts inside it (confirm_failures samples, each at most
        // 3 x interval after the previous); before P, back to a success or a gap, so that a
        // run already in progress at P's start is seen from its first failure.
        store::Query q;
        q.to = p.to + (confirm + 1) * gap + Micros{1};
        Micros lookback = std::max<Micros>(std::chrono::hours(1), (confirm + 3) * gap) + Micros{1};
        constexpr Micros kMaxLookback = std::chrono::hours(24 * 366 * 50);
        for (;;) {
          q.from = p.from - lookback;
          rows.clear();
          store.load_series(name, v.name, q, rows);
          if (rows.empty() || rows.front().ok) break;
          if (from_unix_micros(rows.front().ts_us) - *q.from > gap) break;  // a gap before it
          if (lookback > kMaxLookback) break;
          lookback *= 2;
        }
      }
      v.samples.reserve(rows.size());
      for (const auto& r : rows) {
        v.samples.push_back({from_unix_micros(r.ts_us), Micros{r.duration_us}, r.ok});
      }
    }
    doc.checks.push_back(
        analyze_section(in, changes, p, aopts, config.find_check(name) != nullptr));
    if (options.progress) options.progress(i + 1, names.size());
  }
  return doc;
}

}  // namespace prober::report
