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
  if (jobs_.size() <= id) jobs_.resize(id + 1);
  jobs_[id] = Job{interval, from_unix_micros(first), false, {}};
  ++live_jobs_;
  queue_.push({from_unix_micros(first), id});
  return id;
}

void Planner::remove(JobId id) {
  Job* job = find(id);
  if (!job) return;
  removed_stats_started_ += job->stats.started;
  if (job->running) --in_flight_;
  jobs_[id].reset();  // its queue entries are dropped lazily
  --live_jobs_;
}

void Planner::advance(Job& job, TimePoint now, bool skip_now, std::uint64_t& skipped) {
  job.next += job.interval;
  if (job.next < now || (skip_now && job.next == now)) {
    auto missed = (now - job.next) / job.interval +
                  (skip_now || (now - job.next) % job.interval != Micros{0} ? 1 : 0);
    skipped += static_cast<std::uint64_t>(missed);
    job.next += job.interval * missed;
  }
}

std::vector<DueRun> Planner::take_due(TimePoint now) {
  std::vector<DueRun> due;
  while (!queue_.empty() && queue_.top().at <= now) {
    QueueEntry entry = queue_.top();
    Job* job = find(entry.job);
    if (!job || job->next != entry.at) {
      queue_.pop();  // removed job or stale entry
      continue;
    }
    if (job->running) {
      // Still in flight at its next due time: skip this run, keep the grid.
      queue_.pop();
      ++job->stats.skipped_overrun;
      advance(*job, now, false, job->stats.skipped_overrun);
      queue_.push({job->next, entry.job});
      continue;
    }
    if (in_flight_ >= max_in_flight_) {
      // Waits for a slot; if it waited a whole interval, that run is lost to overload.
      if (now >= entry.at + job->interval) {
        queue_.pop();
        ++job->stats.skipped_overload;
        advance(*job, now, false, job->stats.skipped_overload);
        queue_.push({job->next, entry.job});
        continue;
      }
      break;
    }
    queue_.pop();
    job->running = true;
    ++in_flight_;
    ++job->stats.started;
    due.push_back({entry.job, entry.at});
    // Just started: a slot at `now` would be a duplicate, so it counts as missed too.
    advance(*job, now, true, job->stats.skipped_overload);
    queue_.push({job->next, entry.job});
  }
  return due;
}

void Planner::finished(JobId id) {
  Job* job = find(id);
  if (!job || !job->running) return;
  job->running = false;
  --in_flight_;
}

std::optional<TimePoint> Planner::next_wakeup(TimePoint now) {
  while (!queue_.empty()) {
    const QueueEntry& top = queue_.top();
    const Job* job = find(top.job);
    if (!job || job->next != top.at) {
      queue_.pop();
      continue;
    }
    if (top.at <= now && in_flight_ >= max_in_flight_) return top.at + job->interval;
    return top.at;
  }
  return std::nullopt;
}

JobStats Planner::totals() const {
  JobStats total;
  total.started = removed_stats_started_;
  for (const auto& job : jobs_) {
    if (!job) continue;
    total.started += job->stats.started;
    total.skipped_overrun += job->stats.skipped_overrun;
    total.skipped_overload += job->stats.skipped_overload;
  }
  return total;
}

}  // namespace prober::engine
