// The schedule as a pure function of time: no clock, no timer, no I/O. The Asio driver
// (engine.hpp) asks it what is due at "now" and when to wake next; tests drive it through a
// day of virtual time in milliseconds.
//
// Rules:
// - a job runs every `interval`; its first run is at a fixed phase of the interval derived
//   from its key, so starts spread evenly and deterministically (no thundering herd, the same
//   phase after a restart);
// - no drift: the next due time is the planned time + interval, whenever the run started;
// - a job whose previous run is still in flight at its next due time skips that run (counted),
//   it never piles up;
// - at most `max_in_flight` runs at once; due runs beyond it wait, and a run still waiting
//   when its successor falls due is skipped (counted as overload).
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "prober/core/time.hpp"

namespace prober::engine {

using JobId = std::uint64_t;

struct DueRun {
  JobId job = 0;
  TimePoint planned{};
};

struct JobStats {
  std::uint64_t started = 0;
  std::uint64_t skipped_overrun = 0;   // previous run still in flight
  std::uint64_t skipped_overload = 0;  // max_in_flight reached for a whole interval, or the
                                       // driver woke up later than a whole interval
};

class Planner {
 public:
  explicit Planner(std::size_t max_in_flight = 2000);

  // First run at the first instant >= now whose offset in the interval is the key's phase.
  JobId add(const std::string& key, Micros interval, TimePoint now);
  void remove(JobId job);  // an in-flight run may still call finished()
  bool contains(JobId job) const { return find(job) != nullptr; }

  // Runs to start now, earliest planned first; each is marked in flight.
  std::vector<DueRun> take_due(TimePoint now);
  void finished(JobId job);

  // When take_due() will next have work, if no run finishes before: the next planned time,
  // or, when every slot is taken and runs wait, the time the first waiting run is skipped.
  std::optional<TimePoint> next_wakeup(TimePoint now);

  void set_max_in_flight(std::size_t limit) { max_in_flight_ = limit; }
  std::size_t in_flight() const { return in_flight_; }
  // Every slot taken: due runs may be waiting for one to finish.
  bool full() const { return in_flight_ >= max_in_flight_; }
  std::size_t size() const { return live_jobs_; }
  const JobStats& stats(JobId job) const { return find(job)->stats; }
  JobStats totals() const;
  TimePoint next_planned(JobId job) const { return find(job)->next; }

  // The deterministic phase (offset in [0, interval)) of a key.
  static Micros phase_of(const std::string& key, Micros interval);

 private:
  struct Job {
    Micros interval{};
    TimePoint next{};  // next planned start
    bool running = false;
    JobStats stats;
  };
  struct QueueEntry {
    TimePoint at;
    JobId job;
    bool operator>(const QueueEntry& o) const { return at != o.at ? at > o.at : job > o.job; }
  };

  const Job* find(JobId id) const { return id < jobs_.size() && jobs_[id] ? &*jobs_[id] : nullptr; }
  Job* find(JobId id) { return id < jobs_.size() && jobs_[id] ? &*jobs_[id] : nullptr; }
  // Moves a job to its next slot on the grid; slots before `now` (or at it, with
  // `skip_now`) were missed and are counted in `skipped`, never run late in a burst.
  void advance(Job& job, TimePoint now, bool skip_now, std::uint64_t& skipped);

  // Indexed by JobId (ids are never reused; a removed job leaves an empty slot).
  std::vector<std::optional<Job>> jobs_;
  std::size_t live_jobs_ = 0;
  std::priority_queue<QueueEntry, std::vector<QueueEntry>, std::greater<>> queue_;
  JobId next_id_ = 1;
  std::size_t max_in_flight_;
  std::size_t in_flight_ = 0;
  std::uint64_t removed_stats_started_ = 0;
};

}  // namespace prober::engine
