// Where results and change events live. The SQLite implementation is embedded (one file,
// WAL); writes are queued and committed in batches on a writer thread, so append() never
// blocks the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "prober/core/result.hpp"

namespace prober::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Query {
  std::optional<std::string> check;
  std::optional<TimePoint> from;  // ts >= from
  std::optional<TimePoint> to;    // ts < to
};

// One (check, vantage) series' results, in ts order, reduced to what the analysis reads.
struct SeriesSample {
  std::int64_t ts_us = 0;
  std::int64_t duration_us = 0;
  bool ok = false;
};

struct StoreStats {
  std::uint64_t results_written = 0;
  std::uint64_t changes_written = 0;
  std::uint64_t batches = 0;
  std::uint64_t failed_batches = 0;  // retried
  std::uint64_t dropped = 0;         // lost: the queue outgrew max_queue while writes failed
};

class Store {
 public:
  virtual ~Store() = default;

  // Queue for writing; never blocks on I/O.
  virtual void append(const Result& result) = 0;
  virtual void append(const ChangeEvent& event) = 0;
  // Blocks until everything appended before the call is committed.
  virtual void flush() = 0;

  // Results ordered by check, vantage, ts. The callback returns false to stop.
  virtual void scan_results(const Query& query,
                            const std::function<bool(const Result&)>& visit) const = 0;
  // Change events ordered by ts.
  virtual void scan_changes(const Query& query,
                            const std::function<bool(const ChangeEvent&)>& visit) const = 0;
  // Every (check, vantage) with at least one result matching the query.
  virtual std::vector<std::pair<std::string, std::string>> series(const Query& query) const = 0;
  // One series' samples in ts order (the analysis' hot path: no strings per row).
  virtual void load_series(const std::string& check, const std::string& vantage, const Query& query,
                           std::vector<SeriesSample>& out) const = 0;
  // [earliest ts, latest ts + duration] of the results matching the query.
  virtual std::optional<std::pair<TimePoint, TimePoint>> span(const Query& query) const = 0;

  virtual StoreStats stats() const = 0;
};

struct SqliteOptions {
  std::chrono::milliseconds flush_interval{200};  // the most a kill -9 can lose
  std::size_t max_batch = 5000;
  std::size_t max_queue = 1'000'000;  // results held in memory while the file is unwritable
  std::optional<Micros> retention;    // delete older results (checked hourly)
  bool read_only = false;
};

// Opens (creating and migrating as needed) the SQLite store at `path`. Throws StoreError.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, SqliteOptions options = {});

// The schema version this build writes.
int sqlite_schema_version();

}  // namespace prober::store
