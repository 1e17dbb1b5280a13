#include "prober/engine/planner.hpp"

#include <algorithm>

namespace prober::engine {

Planner::Planner(std::size_t max_in_flight)
    : max_in_flight_(std::max<std::size_t>(1, max_in_flight)) {}

Micros Planner::phase_of(const std::string& key, Micros interval) {
  // FNV-1a: stable across runs, platforms and library versions (std::hash is not).
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  auto span = static_cast<std::uint64_t>(std::max<std::int64_t>(1, interval.count()));
  return Micros{static_cast<std::int64_t>(h % span)};
}

JobId Planner::add(const std::string& key, Micros interval, TimePoint now) {
  if (interval.count() <= 0) interval = Micros{1};
  Micros phase = phase_of(key, interval);
  std::int64_t now_us = to_unix_micros(now);
  std::int64_t cycle_start =
      now_us - (((now_us % interval.count()) + interval.count()) % interval.count());
  std::int64_t first = cycle_start + phase.count();
  if (first < now_us) first += interval.count();
  JobId id = next_id_++;
  jobs_.emplace(id, Job{interval, from_unix_micros(first), false, {}});
  queue_.push({from_unix_micros(first), id});
  return id;
}

void Planner::remove(JobId job) {
  auto it = jobs_.find(job);
  if (it == jobs_.end()) return;
  removed_stats_started_ += it->second.stats.started;
  if (it->second.running) --in_flight_;
  jobs_.erase(it);  // its queue entries are dropped lazily
}

std::vector<DueRun> Planner::take_due(TimePoint now) {
  std::vector<DueRun> due;
  while (!queue_.empty() && queue_.top().at <= now) {
    QueueEntry entry = queue_.top();
    auto it = jobs_.find(entry.job);
    if (it == jobs_.end() || it->second.next != entry.at) {
      queue_.pop();  // removed job or stale entry
      continue;
    }
    Job& job = it->second;
    if (job.running) {
      // Still in flight at its next due time: skip this run, keep the grid.
      queue_.pop();
      ++job.stats.skipped_overrun;
      job.next += job.interval;
      queue_.push({job.next, entry.job});
      continue;
    }
    if (in_flight_ >= max_in_flight_) {
      // Waits for a slot; if it waited a whole interval, that run is lost to overload.
      if (now >= entry.at + job.interval) {
        queue_.pop();
        ++job.stats.skipped_overload;
        job.next += job.interval;
        queue_.push({job.next, entry.job});
        continue;
      }
      break;
    }
    queue_.pop();
    job.running = true;
    ++in_flight_;
    ++job.stats.started;
    due.push_back({entry.job, entry.at});
    job.next += job.interval;
    queue_.push({job.next, entry.job});
  }
  return due;
}

void Planner::finished(JobId job) {
  auto it = jobs_.find(job);
  if (it == jobs_.end() || !it->second.running) return;
  it->second.running = false;
  --in_flight_;
}

std::optional<TimePoint> Planner::next_wakeup(TimePoint now) {
  while (!queue_.empty()) {
    const QueueEntry& top = queue_.top();
    auto it = jobs_.find(top.job);
    if (it == jobs_.end() || it->second.next != top.at) {
      queue_.pop();
      continue;
    }
    if (top.at <= now && in_flight_ >= max_in_flight_) return top.at + it->second.interval;
    return top.at;
  }
  return std::nullopt;
}

JobStats Planner::totals() const {
  JobStats total;
  total.started = removed_stats_started_;
  for (const auto& [id, job] : jobs_) {
    total.started += job.stats.started;
    total.skipped_overrun += job.stats.skipped_overrun;
    total.skipped_overload += job.stats.skipped_overload;
  }
  return total;
}

}  // namespace prober::engine
