#include "prober/engine/change_tracker.hpp"

namespace prober::engine {
namespace {

constexpr const char* kUnset = "(unset)";

void diff(const std::map<std::string, std::string>& before,
          const std::map<std::string, std::string>& after, ChangeKind kind,
          const std::string& check, const std::string& vantage, TimePoint ts,
          std::vector<ChangeEvent>& out) {
  auto emit = [&](const std::string& name, const std::string& from, const std::string& to) {
    out.push_back({check, vantage, ts, kind, name + ": " + from + " -> " + to});
  };
  for (const auto& [name, value] : after) {
    auto it = before.find(name);
    if (it == before.end())
      emit(name, kUnset, value);
    else if (it->second != value)
      emit(name, it->second, value);
  }
  for (const auto& [name, value] : before) {
    if (!after.count(name)) emit(name, value, kUnset);
  }
}

std::map<std::string, std::string> to_map(const Snapshot& s) {
  return {s.begin(), s.end()};
}

}  // namespace

std::vector<ChangeEvent> ChangeTracker::observe(const std::string& check,
                                                const std::string& vantage, TimePoint ts,
                                                const std::optional<Snapshot>& fingerprint,
                                                const std::optional<Snapshot>& settings,
                                                const std::optional<std::string>& version) {
  std::vector<ChangeEvent> events;
  // A run that observed nothing neither changes nor sets a baseline, and leaves no entry
  // behind (most checks watch nothing: ~220 bytes each at 100,000 checks).
  if (!version && !settings && !fingerprint) return events;
  State& state = states_[check];
  if (version) {
    if (state.version && *state.version != *version) {
      events.push_back({check, vantage, ts, ChangeKind::version,
                        "version: " + *state.version + " -> " + *version});
    }
    state.version = version;
  }
  if (settings) {
    auto now = to_map(*settings);
    if (state.settings) diff(*state.settings, now, ChangeKind::setting, check, vantage, ts, events);
    state.settings = std::move(now);
  }
  if (fingerprint) {
    auto now = to_map(*fingerprint);
    if (state.fingerprint) {
      diff(*state.fingerprint, now, ChangeKind::fingerprint, check, vantage, ts, events);
    }
    state.fingerprint = std::move(now);
  }
  return events;
}

void ChangeTracker::forget(const std::string& check) {
  states_.erase(check);
}

}  // namespace prober::engine
