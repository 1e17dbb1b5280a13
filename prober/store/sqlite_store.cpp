#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <variant>

#include "prober/store/store.hpp"

namespace prober::store {
namespace {

// Each entry is one migration step; version N is reached by applying steps [0, N).
// Never edit a released step: add a new one.
const char* const kMigrations[] = {
    // 1: results clustered by series and time, so a report reads each series sequentially
    //    and a re-delivered result (same series, same ts) is ignored, not duplicated.
    R"sql(
    CREATE TABLE series(
      id INTEGER PRIMARY KEY,
      check_name TEXT NOT NULL,
      vantage TEXT NOT NULL,
      UNIQUE(check_name, vantage));
    CREATE TABLE results(
      series_id INTEGER NOT NULL REFERENCES series(id),
      ts_us INTEGER NOT NULL,
      duration_us INTEGER NOT NULL,
      ok INTEGER NOT NULL,
      error TEXT,
      status_code INTEGER,
      detail TEXT,
      dns_ms REAL, connect_ms REAL, tls_ms REAL, ttfb_ms REAL, transfer_ms REAL,
      cert_not_after_us INTEGER,
      PRIMARY KEY(series_id, ts_us)) WITHOUT ROWID;
    CREATE TABLE change_events(
      id INTEGER PRIMARY KEY,
      check_name TEXT NOT NULL,
      vantage TEXT NOT NULL,
      ts_us INTEGER NOT NULL,
      kind TEXT NOT NULL,
      change TEXT NOT NULL);
    CREATE INDEX change_events_ts ON change_events(ts_us);
    )sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_opt(int i, const std::optional<double>& v) {
    if (v)
      sqlite3_bind_double(stmt_, i, *v);
    else
      sqlite3_bind_null(stmt_, i);
  }
  void bind_null(int i) { sqlite3_bind_null(stmt_, i); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw StoreError("sqlite: " + text);
  }
}

sqlite3* open_connection(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw StoreError("cannot open store " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 10000);
  return db;
}

std::optional<std::string> column_text(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
}

std::optional<double> column_double(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(s, i);
}

// " AND <col> >= ?n AND <col> < ?m" for the query's time bounds.
// A store written by a newer prober: its schema may hold what this one would misread.
std::string newer_schema(int version) {
  return "schema version " + std::to_string(version) + ", newer than this prober's " +
         std::to_string(kSchemaVersion);
}

std::string time_clause(const Query& q, const char* column) {
  std::string sql;
  if (q.from) sql += std::string(" AND ") + column + " >= :from";
  if (q.to) sql += std::string(" AND ") + column + " < :to";
  return sql;
}

void bind_query(sqlite3_stmt* s, const Query& q) {
  if (q.from) {
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":from"), to_unix_micros(*q.from));
  }
  if (q.to) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":to"), to_unix_micros(*q.to));
  if (q.check) {
    int index = sqlite3_bind_parameter_index(s, ":check");
    if (index > 0) {
      sqlite3_bind_text(s, index, q.check->data(), static_cast<int>(q.check->size()),
                        SQLITE_TRANSIENT);
    }
  }
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, SqliteOptions options) : path_(std::move(path)), options_(options) {
    if (options_.read_only) {
      try {
        check_readable_store();
      } catch (...) {
        sqlite3_close(reader_db_);
        throw;
      }
      return;
    }
    writer_db_ = open_connection(path_, false);
    try {
      exec(writer_db_, "PRAGMA journal_mode=WAL");
      // NORMAL in WAL mode: a committed batch survives a process crash (kill -9); only an
      // OS crash or power loss can roll back the last batches, never corrupt the file.
      exec(writer_db_, "PRAGMA synchronous=NORMAL");
      exec(writer_db_, "PRAGMA foreign_keys=ON");
      migrate();
    } catch (const StoreError& e) {
      sqlite3_close(writer_db_);
      // Say which file: "sqlite: file is not a database" alone leaves the operator guessing.
      throw StoreError("store " + path_ + ": " + e.what());
    } catch (...) {
      sqlite3_close(writer_db_);
      throw;
    }
    writer_ = std::thread([this] { write_loop(); });
  }

  ~SqliteStore() override {
    if (writer_.joinable()) {
      {
        std::lock_guard lock(mutex_);
        stopping_ = true;
      }
      wake_writer_.notify_all();
      writer_.join();
    }
    if (writer_db_) sqlite3_close(writer_db_);
    if (reader_db_) sqlite3_close(reader_db_);
  }

  void append(const Result& result) override { enqueue(Item{result}); }
  void append(const ChangeEvent& event) override { enqueue(Item{event}); }

  void flush() override {
    if (options_.read_only) return;
    std::unique_lock lock(mutex_);
    std::uint64_t target = enqueued_;
    flush_requested_ = true;
    wake_writer_.notify_all();
    written_cv_.wait(lock, [&] { return committed_ >= target; });
  }

  void scan_results(const Query& query,
                    const std::function<bool(const Result&)>& visit) const override {
    std::lock_guard lock(reader_mutex_);
    std::string sql =
        "SELECT s.check_name, s.vantage, r.ts_us, r.duration_us, r.ok, r.error, r.status_code, "
        "r.detail, r.dns_ms, r.connect_ms, r.tls_ms, r.ttfb_ms, r.transfer_ms, "
        "r.cert_not_after_us FROM series s JOIN results r ON r.series_id = s.id WHERE 1=1";
    if (query.check) sql += " AND s.check_name = :check";
    sql += time_clause(query, "r.ts_us");
    sql += " ORDER BY s.check_name, s.vantage, r.ts_us";
    Statement stmt(reader(), sql.c_str());
    bind_query(stmt.get(), query);
    sqlite3_stmt* s = stmt.get();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      Result r;
      r.check = column_text(s, 0).value_or("");
      r.vantage = column_text(s, 1).value_or("");
      r.ts = from_unix_micros(sqlite3_column_int64(s, 2));
      r.duration = Micros{sqlite3_column_int64(s, 3)};
      r.ok = sqlite3_column_int(s, 4) != 0;
      if (auto e = column_text(s, 5))
        r.error = parse_error_class(*e).value_or(ErrorClass::internal);
      if (sqlite3_column_type(s, 6) != SQLITE_NULL) r.status_code = sqlite3_column_int(s, 6);
      r.detail = column_text(s, 7).value_or("");
      r.phases.dns_ms = column_double(s, 8);
      r.phases.connect_ms = column_double(s, 9);
      r.phases.tls_ms = column_double(s, 10);
      r.phases.ttfb_ms = column_double(s, 11);
      r.phases.transfer_ms = column_double(s, 12);
      if (sqlite3_column_type(s, 13) != SQLITE_NULL) {
        r.cert_not_after = from_unix_micros(sqlite3_column_int64(s, 13));
      }
      if (!visit(r)) return;
    }
    if (rc != SQLITE_DONE)
      throw StoreError(std::string("sqlite read: ") + sqlite3_errmsg(reader()));
  }

  void scan_changes(const Query& query,
                    const std::function<bool(const ChangeEvent&)>& visit) const override {
    std::lock_guard lock(reader_mutex_);
    std::string sql =
        "SELECT check_name, vantage, ts_us, kind, change FROM change_events WHERE 1=1";
    if (query.check) sql += " AND check_name = :check";
    sql += time_clause(query, "ts_us");
    sql += " ORDER BY ts_us, id";
    Statement stmt(reader(), sql.c_str());
    bind_query(stmt.get(), query);
    sqlite3_stmt* s = stmt.get();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      ChangeEvent e;
      e.check = column_text(s, 0).value_or("");
      e.vantage = column_text(s, 1).value_or("");
      e.ts = from_unix_micros(sqlite3_column_int64(s, 2));
      e.kind = parse_change_kind(column_text(s, 3).value_or("")).value_or(ChangeKind::setting);
      e.change = column_text(s, 4).value_or("");
      if (!visit(e)) return;
    }
    if (rc != SQLITE_DONE)
      throw StoreError(std::string("sqlite read: ") + sqlite3_errmsg(reader()));
  }

  std::vector<std::pair<std::string, std::string>> series(const Query& query) const override {
    std::lock_guard lock(reader_mutex_);
    std::string sql = "SELECT check_name, vantage FROM series s WHERE 1=1";
    if (query.check) sql += " AND check_name = :check";
    if (query.from || query.to) {
      sql += " AND EXISTS (SELECT 1 FROM results r WHERE r.series_id = s.id" +
             time_clause(query, "r.ts_us") + ")";
    }
    sql += " ORDER BY check_name, vantage";
    Statement stmt(reader(), sql.c_str());
    bind_query(stmt.get(), query);
    std::vector<std::pair<std::string, std::string>> out;
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
      out.emplace_back(column_text(stmt.get(), 0).value_or(""),
                       column_text(stmt.get(), 1).value_or(""));
    }
    return out;
  }

  void load_series(const std::string& check, const std::string& vantage, const Query& query,
                   std::vector<SeriesSample>& out) const override {
    std::lock_guard lock(reader_mutex_);
    std::string sql =
        "SELECT r.ts_us, r.duration_us, r.ok FROM results r WHERE r.series_id = "
        "(SELECT id FROM series WHERE check_name = :c AND vantage = :v)" +
        time_clause(query, "r.ts_us") + " ORDER BY r.ts_us";
    Statement stmt(reader(), sql.c_str());
    Query bounds = query;
    bounds.check.reset();
    bind_query(stmt.get(), bounds);
    stmt.bind(sqlite3_bind_parameter_index(stmt.get(), ":c"), check);
    stmt.bind(sqlite3_bind_parameter_index(stmt.get(), ":v"), vantage);
    sqlite3_stmt* s = stmt.get();
    while (sqlite3_step(s) == SQLITE_ROW) {
      out.push_back(
          {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int(s, 2) != 0});
    }
  }

  std::optional<std::pair<TimePoint, TimePoint>> span(const Query& query) const override {
    std::lock_guard lock(reader_mutex_);
    // Two primary-key seeks per series instead of a scan of every row (1.5 s at 10 M rows).
    // The latest end is the last run's: runs of one check from one vantage never overlap
    // (a run still in flight when the next is due makes the engine skip that one).
    const std::string window = time_clause(query, "r.ts_us");
    std::string sql =
        "SELECT MIN(first_ts), MAX(last_end) FROM (SELECT "
        "(SELECT r.ts_us FROM results r WHERE r.series_id = s.id" +
        window +
        " ORDER BY r.ts_us LIMIT 1) AS first_ts, "
        "(SELECT r.ts_us + r.duration_us FROM results r WHERE r.series_id = s.id" +
        window + " ORDER BY r.ts_us DESC LIMIT 1) AS last_end FROM series s WHERE 1=1";
    if (query.check) sql += " AND s.check_name = :check";
    sql += ")";
    Statement stmt(reader(), sql.c_str());
    bind_query(stmt.get(), query);
    if (sqlite3_step(stmt.get()) != SQLITE_ROW ||
        sqlite3_column_type(stmt.get(), 0) == SQLITE_NULL) {
      return std::nullopt;
    }
    return std::make_pair(from_unix_micros(sqlite3_column_int64(stmt.get(), 0)),
                          from_unix_micros(sqlite3_column_int64(stmt.get(), 1)));
  }

  StoreStats stats() const override {
    std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  using Item = std::variant<Result, ChangeEvent>;

  void enqueue(Item item) {
    if (options_.read_only) throw StoreError("store opened read-only");
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(item));
      ++enqueued_;
      // The writer waits for a first item, then for a full batch or the flush interval:
      // waking it for any other append only makes it check and sleep again (a futex wake
      // and two context switches per result).
      wake = queue_.size() == 1 || queue_.size() >= options_.max_batch;
    }
    if (wake) wake_writer_.notify_one();
  }

  sqlite3* reader() const {
    if (!reader_db_) reader_db_ = open_connection(path_, true);
    return reader_db_;
  }

  // A read-only open must find an existing prober store this build understands.
  void check_readable_store() {
    sqlite3* db = reader();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &raw,
                           nullptr) != SQLITE_OK) {
      sqlite3_finalize(raw);
      throw StoreError(path_ + " is not a prober store (" + sqlite3_errmsg(db) + ")");
    }
    int version = sqlite3_step(raw) == SQLITE_ROW ? sqlite3_column_int(raw, 0) : 0;
    sqlite3_finalize(raw);
    if (version > kSchemaVersion) throw StoreError("store " + path_ + ": " + newer_schema(version));
  }

  void migrate() {
    exec(writer_db_, "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)");
    // Read the version inside the write transaction: two vantages starting at once against
    // one file must not both run a step.
    exec(writer_db_, "BEGIN IMMEDIATE");
    try {
      int version = 0;
      {
        Statement s(writer_db_, "SELECT value FROM meta WHERE key='schema_version'");
        if (sqlite3_step(s.get()) == SQLITE_ROW) version = sqlite3_column_int(s.get(), 0);
      }
      if (version > kSchemaVersion)
        throw StoreError(newer_schema(version));  // the constructor adds the path
      for (int step = version; step < kSchemaVersion; ++step) {
        exec(writer_db_, kMigrations[step]);
      }
      if (version < kSchemaVersion) {
        std::string set = "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '" +
                          std::to_string(kSchemaVersion) + "')";
        exec(writer_db_, set.c_str());
      }
      exec(writer_db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(writer_db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::int64_t series_id(const std::string& check, const std::string& vantage) {
    auto key = std::make_pair(check, vantage);
    if (auto it = series_ids_.find(key); it != series_ids_.end()) return it->second;
    insert_series_->reset();
    insert_series_->bind(1, check);
    insert_series_->bind(2, vantage);
    int rc = sqlite3_step(insert_series_->get());
    insert_series_->reset();
    if (rc != SQLITE_DONE)
      throw StoreError(std::string("sqlite series: ") + sqlite3_errmsg(writer_db_));
    select_series_->reset();
    select_series_->bind(1, check);
    select_series_->bind(2, vantage);
    if (sqlite3_step(select_series_->get()) != SQLITE_ROW) {
      select_series_->reset();
      throw StoreError(std::string("sqlite series: ") + sqlite3_errmsg(writer_db_));
    }
    std::int64_t id = sqlite3_column_int64(select_series_->get(), 0);
    // Reset at once: a statement left on a row holds a read snapshot, and in WAL mode a
    // stale snapshot makes the next write transaction fail with SQLITE_BUSY_SNAPSHOT as soon
    // as another process (another vantage) has written.
    select_series_->reset();
    series_ids_.emplace(key, id);
    return id;
  }

  void write_one(const Result& r) {
    Statement& s = *insert_result_;
    s.reset();
    s.bind(1, series_id(r.check, r.vantage));
    s.bind(2, to_unix_micros(r.ts));
    s.bind(3, static_cast<std::int64_t>(r.duration.count()));
    s.bind(4, static_cast<std::int64_t>(r.ok ? 1 : 0));
    if (r.error != ErrorClass::none) s.bind(5, to_string(r.error));
    if (r.status_code) s.bind(6, static_cast<std::int64_t>(*r.status_code));
    if (!r.detail.empty()) s.bind(7, r.detail);
    s.bind_opt(8, r.phases.dns_ms);
    s.bind_opt(9, r.phases.connect_ms);
    s.bind_opt(10, r.phases.tls_ms);
    s.bind_opt(11, r.phases.ttfb_ms);
    s.bind_opt(12, r.phases.transfer_ms);
    if (r.cert_not_after) s.bind(13, to_unix_micros(*r.cert_not_after));
    int rc = sqlite3_step(s.get());
    s.reset();
    if (rc != SQLITE_DONE)
      throw StoreError(std::string("sqlite insert: ") + sqlite3_errmsg(writer_db_));
  }

  void write_one(const ChangeEvent& e) {
    Statement& s = *insert_change_;
    s.reset();
    s.bind(1, e.check);
    s.bind(2, e.vantage);
    s.bind(3, to_unix_micros(e.ts));
    s.bind(4, to_string(e.kind));
    s.bind(5, e.change);
    int rc = sqlite3_step(s.get());
    s.reset();
    if (rc != SQLITE_DONE)
      throw StoreError(std::string("sqlite insert: ") + sqlite3_errmsg(writer_db_));
  }

  void apply_retention() {
    if (!options_.retention) return;
    auto now = std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
    std::int64_t cutoff = to_unix_micros(now - *options_.retention);
    exec(writer_db_, "BEGIN IMMEDIATE");
    try {
      Statement ids(writer_db_, "SELECT id FROM series");
      Statement del(writer_db_, "DELETE FROM results WHERE series_id = ?1 AND ts_us < ?2");
      while (sqlite3_step(ids.get()) == SQLITE_ROW) {
        del.reset();
        del.bind(1, sqlite3_column_int64(ids.get(), 0));
        del.bind(2, cutoff);
        sqlite3_step(del.get());
      }
      Statement changes(writer_db_, "DELETE FROM change_events WHERE ts_us < ?1");
      changes.bind(1, cutoff);
      sqlite3_step(changes.get());
      exec(writer_db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(writer_db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void write_loop() {
    insert_series_ = std::make_unique<Statement>(
        writer_db_, "INSERT OR IGNORE INTO series(check_name, vantage) VALUES(?1, ?2)");
    select_series_ = std::make_unique<Statement>(
        writer_db_, "SELECT id FROM series WHERE check_name = ?1 AND vantage = ?2");
    insert_result_ = std::make_unique<Statement>(
        writer_db_,
        "INSERT OR IGNORE INTO results(series_id, ts_us, duration_us, ok, error, status_code, "
        "detail, dns_ms, connect_ms, tls_ms, ttfb_ms, transfer_ms, cert_not_after_us) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    insert_change_ = std::make_unique<Statement>(
        writer_db_,
        "INSERT INTO change_events(check_name, vantage, ts_us, kind, change) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    auto last_retention = std::chrono::steady_clock::now() - std::chrono::hours(2);
    auto retry_delay = std::chrono::milliseconds(50);
    std::deque<Item> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (!stopping_ && !flush_requested_ && queue_.size() < options_.max_batch) {
          // Gather a batch: one commit per interval instead of one per result.
          wake_writer_.wait_for(lock, options_.flush_interval, [&] {
            return stopping_ || flush_requested_ || queue_.size() >= options_.max_batch;
          });
        }
        flush_requested_ = false;
        if (queue_.empty() && stopping_) break;
        std::size_t take = std::min(queue_.size(), options_.max_batch);
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(take)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      }
      std::uint64_t results = 0, changes = 0;
      std::string error;
      try {
        exec(writer_db_, "BEGIN IMMEDIATE");
        for (const Item& item : batch) {
          std::visit([&](const auto& value) { write_one(value); }, item);
          if (std::holds_alternative<Result>(item))
            ++results;
          else
            ++changes;
        }
        exec(writer_db_, "COMMIT");
      } catch (const std::exception& e) {
        sqlite3_exec(writer_db_, "ROLLBACK", nullptr, nullptr, nullptr);
        error = e.what();
      }
      if (!error.empty()) {
        // Keep the batch and try again (a busy file, a full disk that gets space): results
        // are not dropped unless the queue outgrows its bound.
        std::size_t dropped = 0;
        {
          std::lock_guard lock(mutex_);
          ++stats_.failed_batches;
          for (auto it = batch.rbegin(); it != batch.rend(); ++it)
            queue_.push_front(std::move(*it));
          while (queue_.size() > options_.max_queue) {
            queue_.pop_front();
            ++dropped;
          }
          stats_.dropped += dropped;
          committed_ += dropped;
        }
        if (dropped) written_cv_.notify_all();
        if (error != last_error_ || dropped) {
          std::fprintf(stderr, "store: write failed, will retry: %s%s\n", error.c_str(),
                       dropped ? " (queue full: oldest results dropped)" : "");
        }
        last_error_ = error;
        batch.clear();
        retry_delay = std::min(retry_delay * 2, std::chrono::milliseconds(5000));
        std::unique_lock lock(mutex_);
        wake_writer_.wait_for(lock, retry_delay,
                              [&] { return stopping_ && retry_delay.count() > 1000; });
        if (stopping_ && retry_delay.count() > 1000) {
          // Shutting down and the store keeps failing: report what is lost, do not hang.
          stats_.dropped += queue_.size();
          committed_ += queue_.size();
          queue_.clear();
          written_cv_.notify_all();
        }
        continue;
      }
      retry_delay = std::chrono::milliseconds(50);
      last_error_.clear();
      {
        std::lock_guard lock(mutex_);
        committed_ += batch.size();
        ++stats_.batches;
        stats_.results_written += results;
        stats_.changes_written += changes;
      }
      batch.clear();
      written_cv_.notify_all();
      if (std::chrono::steady_clock::now() - last_retention > std::chrono::hours(1)) {
        last_retention = std::chrono::steady_clock::now();
        try {
          apply_retention();
        } catch (const std::exception& e) {
          std::fprintf(stderr, "store: retention failed: %s\n", e.what());
        }
      }
    }
    insert_series_.reset();
    select_series_.reset();
    insert_result_.reset();
    insert_change_.reset();
  }

  std::string path_;
  SqliteOptions options_;
  sqlite3* writer_db_ = nullptr;
  mutable sqlite3* reader_db_ = nullptr;
  mutable std::mutex reader_mutex_;

  mutable std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable written_cv_;
  std::deque<Item> queue_;
  std::uint64_t enqueued_ = 0;
  std::uint64_t committed_ = 0;
  bool stopping_ = false;
  bool flush_requested_ = false;
  StoreStats stats_;
  std::string last_error_;
  std::thread writer_;

  // Writer-thread only.
  std::map<std::pair<std::string, std::string>, std::int64_t> series_ids_;
  std::unique_ptr<Statement> insert_series_, select_series_, insert_result_, insert_change_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, SqliteOptions options) {
  return std::make_unique<SqliteStore>(path, options);
}

int sqlite_schema_version() {
  return kSchemaVersion;
}

}  // namespace prober::store
