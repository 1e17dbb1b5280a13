#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "prober/store/store.hpp"

namespace prober::store {
namespace {
using namespace std::chrono_literals;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("prober-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "prober.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Result result(const std::string& check, const std::string& vantage, std::int64_t ts_s,
                       bool ok) {
    Result r;
    r.check = check;
    r.vantage = vantage;
    r.ts = from_unix_micros(ts_s * 1000000 + 123000);
    r.duration = Micros{12345};
    r.ok = ok;
    if (!ok) {
      r.error = ErrorClass::http_status;
      r.status_code = 503;
      r.detail = "status 503, expected 200-299";
    }
    r.phases.dns_ms = 0.1;
    r.phases.connect_ms = 0.4;
    r.phases.ttfb_ms = 7.9;
    r.cert_not_after = from_unix_micros(1800000000LL * 1000000);
    return r;
  }

  std::int64_t count_rows(const char* table) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::string sql = std::string("SELECT COUNT(*) FROM ") + table;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    std::int64_t n = -1;
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
  }

  std::string integrity() {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW)
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, RoundTripsEveryField) {
  {
    auto store = open_sqlite_store(path_);
    store->append(result("web", "eu-west", 1000, false));
    store->append(result("web", "eu-west", 1001, true));
    store->append(ChangeEvent{"db", "eu-west", from_unix_micros(999'500'000), ChangeKind::setting,
                              "search_path: \"$user\", public -> nowhere"});
    store->flush();
    EXPECT_EQ(store->stats().results_written, 2u);
    EXPECT_EQ(store->stats().changes_written, 1u);
  }
  SqliteOptions options;
  options.read_only = true;
  auto store = open_sqlite_store(path_, options);
  std::vector<Result> got;
  store->scan_results({}, [&](const Result& r) {
    got.push_back(r);
    return true;
  });
  ASSERT_EQ(got.size(), 2u);
  Result want = result("web", "eu-west", 1000, false);
  EXPECT_EQ(got[0].check, want.check);
  EXPECT_EQ(got[0].vantage, want.vantage);
  EXPECT_EQ(got[0].ts, want.ts);
  EXPECT_EQ(got[0].duration, want.duration);
  EXPECT_FALSE(got[0].ok);
  EXPECT_EQ(got[0].error, ErrorClass::http_status);
  EXPECT_EQ(got[0].status_code, 503);
  EXPECT_EQ(got[0].detail, want.detail);
  EXPECT_EQ(got[0].phases.dns_ms, 0.1);
  EXPECT_EQ(got[0].phases.ttfb_ms, 7.9);
  EXPECT_FALSE(got[0].phases.tls_ms.has_value());
  EXPECT_EQ(got[0].cert_not_after, want.cert_not_after);
  EXPECT_TRUE(got[1].ok);
  EXPECT_EQ(got[1].error, ErrorClass::none);

  std::vector<ChangeEvent> changes;
  store->scan_changes({}, [&](const ChangeEvent& e) {
    changes.push_back(e);
    return true;
  });
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].change, "search_path: \"$user\", public -> nowhere");
  EXPECT_EQ(changes[0].kind, ChangeKind::setting);
  EXPECT_EQ(changes[0].ts, from_unix_micros(999'500'000));
}

TEST_F(SqliteStoreTest, QueriesFilterByCheckAndTime) {
  auto store = open_sqlite_store(path_);
  for (int i = 0; i < 10; ++i) {
    store->append(result("a", "eu", 100 + i, i % 3 != 0));
    store->append(result("a", "us", 100 + i, true));
    store->append(result("b", "eu", 100 + i, true));
  }
  store->flush();
  Query q;
  q.check = "a";
  q.from = from_unix_micros(103'000'000);
  q.to = from_unix_micros(107'000'000);
  int n = 0;
  store->scan_results(q, [&](const Result& r) {
    EXPECT_EQ(r.check, "a");
    EXPECT_GE(r.ts, *q.from);
    EXPECT_LT(r.ts, *q.to);
    ++n;
    return true;
  });
  EXPECT_EQ(n, 8);  // 4 instants x 2 vantages
  auto series = store->series(q);
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0], std::make_pair(std::string("a"), std::string("eu")));
  std::vector<SeriesSample> samples;
  store->load_series("a", "eu", q, samples);
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].ts_us, 103'123'000);
  EXPECT_FALSE(samples[0].ok);  // i = 3
  EXPECT_TRUE(samples[1].ok);
  EXPECT_TRUE(samples[2].ok);
  EXPECT_FALSE(samples[3].ok);  // i = 6
  auto span = store->span({});
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->first, from_unix_micros(100'123'000));
  EXPECT_EQ(span->second, from_unix_micros(109'123'000 + 12'345));
  // The span inside a window: first start and last end of the results in it, of check a only.
  auto windowed = store->span(q);
  ASSERT_TRUE(windowed.has_value());
  EXPECT_EQ(windowed->first, from_unix_micros(103'123'000));
  EXPECT_EQ(windowed->second, from_unix_micros(106'123'000 + 12'345));
  Query elsewhere;
  elsewhere.check = "nope";
  EXPECT_FALSE(store->span(elsewhere).has_value());
  elsewhere.check.reset();
  elsewhere.from = from_unix_micros(500'000'000);
  EXPECT_FALSE(store->span(elsewhere).has_value());
  // Stopping early.
  int visited = 0;
  store->scan_results({}, [&](const Result&) { return ++visited < 5; });
  EXPECT_EQ(visited, 5);
}

TEST_F(SqliteStoreTest, RedeliveredResultIsNotDuplicated) {
  auto store = open_sqlite_store(path_);
  store->append(result("web", "eu", 1000, true));
  store->append(result("web", "eu", 1000, true));  // e.g. a spool delivering twice
  store->flush();
  EXPECT_EQ(count_rows("results"), 1);
}

TEST_F(SqliteStoreTest, SchemaVersionAndMigrationGuards) {
  { auto store = open_sqlite_store(path_); }
  {
    sqlite3* db = nullptr;
    sqlite3_open(path_.c_str(), &db);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &s, nullptr);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(s, 0), sqlite_schema_version());
    sqlite3_finalize(s);
    sqlite3_exec(db, "UPDATE meta SET value='99' WHERE key='schema_version'", nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
  }
  try {
    open_sqlite_store(path_);
    FAIL() << "a store from a newer prober must be refused";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99, newer than this prober's"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsRefusedByName) {
  {
    std::ofstream garbage(path_, std::ios::binary);
    for (int i = 0; i < 4096; ++i) garbage.put(static_cast<char>((i * 7919) % 251));
  }
  for (bool read_only : {false, true}) {
    SqliteOptions options;
    options.read_only = read_only;
    try {
      open_sqlite_store(path_, options);
      FAIL() << "a file that is not a database must be refused (read_only=" << read_only << ")";
    } catch (const StoreError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(path_), std::string::npos) << what;
      EXPECT_NE(what.find("not a database"), std::string::npos) << what;
    }
  }
}

TEST_F(SqliteStoreTest, ReadOnlyOpenOfMissingStoreFails) {
  SqliteOptions options;
  options.read_only = true;
  EXPECT_THROW(open_sqlite_store((dir_ / "missing.db").string(), options), StoreError);
}

TEST_F(SqliteStoreTest, WritesAreBatched) {
  SqliteOptions options;
  options.flush_interval = 100ms;
  auto store = open_sqlite_store(path_, options);
  for (int i = 0; i < 20000; ++i) store->append(result("web", "eu", 1000 + i, true));
  store->flush();
  EXPECT_EQ(store->stats().results_written, 20000u);
  EXPECT_LT(store->stats().batches, 100u);  // thousands of results per transaction
  EXPECT_EQ(count_rows("results"), 20000);
}

TEST_F(SqliteStoreTest, TwoWritersOnOneFileLoseNothing) {
  // Two vantages writing to one SQLite file (the demo does this): writes interleave, none
  // is lost to SQLITE_BUSY.
  SqliteOptions options;
  options.flush_interval = 5ms;
  options.max_batch = 50;
  auto a = open_sqlite_store(path_, options);
  auto b = open_sqlite_store(path_, options);
  std::thread ta([&] {
    for (int i = 0; i < 3000; ++i) a->append(result("web", "eu", 1000 + i, true));
    a->flush();
  });
  std::thread tb([&] {
    for (int i = 0; i < 3000; ++i) b->append(result("web", "us", 1000 + i, i % 2 == 0));
    b->flush();
  });
  ta.join();
  tb.join();
  EXPECT_EQ(a->stats().dropped + b->stats().dropped, 0u);
  EXPECT_EQ(count_rows("results"), 6000);
  EXPECT_EQ(count_rows("series"), 2);
}

TEST_F(SqliteStoreTest, KillNineDuringWritesLosesOnlyTheUnflushedBatch) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Child: writes as fast as it can and reports each count known to be committed.
    ::close(pipe_fds[0]);
    SqliteOptions options;
    options.flush_interval = 20ms;
    auto store = open_sqlite_store(path_, options);
    std::int64_t n = 0;
    for (;;) {
      for (int i = 0; i < 500; ++i, ++n) store->append(result("web", "eu", 1000 + n, n % 7 != 0));
      store->flush();
      if (::write(pipe_fds[1], &n, sizeof n) != sizeof n) ::_exit(1);
    }
  }
  ::close(pipe_fds[1]);
  std::int64_t committed = 0, value = 0;
  while (committed < 20000 && ::read(pipe_fds[0], &value, sizeof value) == sizeof value) {
    committed = value;
  }
  ::kill(child, SIGKILL);  // in the middle of a later batch
  int status = 0;
  ::waitpid(child, &status, 0);
  while (::read(pipe_fds[0], &value, sizeof value) == sizeof value) committed = value;
  ::close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(integrity(), "ok");
  std::int64_t rows = count_rows("results");
  EXPECT_GE(rows, committed);        // nothing committed was lost
  EXPECT_LE(rows, committed + 500);  // at most the batch in flight
  // The store opens and takes writes again.
  auto store = open_sqlite_store(path_);
  store->append(result("web", "eu", 1, true));
  store->flush();
  EXPECT_EQ(count_rows("results"), rows + 1);
}

}  // namespace
}  // namespace prober::store
