// Runs the real `prober` binary (or any program) as a child process for end-to-end tests.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace prober::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

// Runs to completion (killed after `timeout`). `env` entries are "NAME=value", added to ours.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_data = "",
                          const std::vector<std::string>& env = {},
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// A child running in the background; stdout and stderr go to files read on demand.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~Child();  // kills it if still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void signal(int signal_number);
  // Exit code (128 + signal if killed), or -1 if it did not exit in time.
  int wait(std::chrono::milliseconds timeout);
  bool running();
  std::string out() const;
  std::string err() const;
  // Waits until stderr contains `text`; false on timeout.
  bool wait_for_err(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  int pid_ = -1;
  int status_ = -1;
  std::string out_path_, err_path_;
};

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

std::string read_file(const std::string& path);

}  // namespace prober::testing
