// Helpers of the report tests: UTC instants, the seed incident as results, temp dirs, and a
// child-process runner (stdin from a string, stdout/stderr captured, a timeout that kills the
// child's whole process group).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "prober/core/result.hpp"
#include "prober/core/time.hpp"

namespace prober::report::test {

using namespace std::chrono_literals;

TimePoint utc(int year, unsigned month, unsigned day, int hour = 0, int minute = 0, int second = 0,
              int millisecond = 0);

// The seed incident (shared/seed-postmortem.txt): 5 vantages us-east 30, eu-west 25,
// ap-south 25, sa-east 10, af-south 10; check web-home every 60 s from 2024-05-05T12:00Z to
// 2024-05-06T12:00Z (inclusive); us-east, eu-west and ap-south (probes of 150, 250, 400 ms)
// fail from 2024-05-05T15:00Z until 2024-05-06T09:00Z; db-users' search_path change at
// 14:58:03.120Z (seen from eu-west).
std::vector<Result> seed_results();
std::vector<ChangeEvent> seed_changes();
// JSON lines of seed_results() then seed_changes().
std::string seed_jsonl();
// The config of the seed: the 5 vantages, interval 60 s, confirm_failures 2, min_vantages 2,
// slo 99.9, checks web-home (http) and db-users (postgres), store at `store_path`.
std::string seed_config(const std::string& store_path, const std::string& extra = "");

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

std::string read_file(const std::string& path);

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed; -2 when it timed out
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with `stdin_data` on its stdin, in its own process group; on timeout
// the group is killed with SIGKILL.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_data = "",
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// Like run_process, but the child's stderr is a pseudo-terminal (so isatty(2) is true there);
// its output is returned in `err`.
ProcessResult run_with_tty_stderr(const std::vector<std::string>& argv,
                                  std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace prober::report::test
