#include "report/support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "prober/codec/result_json.hpp"

extern char** environ;

namespace prober::report::test {

TimePoint utc(int year, unsigned month, unsigned day, int hour, int minute, int second,
              int millisecond) {
  const std::chrono::sys_days d{std::chrono::year{year} / std::chrono::month{month} /
                                std::chrono::day{day}};
  return TimePoint{d} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second} + std::chrono::milliseconds{millisecond};
}

namespace {
struct Region {
  const char* name;
  Micros duration;
  bool fails;
};
constexpr Region kRegions[] = {
    {"us-east", 150ms, true},  {"eu-west", 250ms, true},   {"ap-south", 400ms, true},
    {"sa-east", 100ms, false}, {"af-south", 120ms, false},
};
}  // namespace

std::vector<Result> seed_results() {
  const TimePoint first = utc(2024, 5, 5, 12), last = utc(2024, 5, 6, 12);
  const TimePoint broke = utc(2024, 5, 5, 15), restored = utc(2024, 5, 6, 9);
  std::vector<Result> out;
  for (const Region& r : kRegions) {
    for (TimePoint t = first; t <= last; t += 60s) {
      Result res;
      res.check = "web-home";
      res.vantage = r.name;
      res.ts = t;
      res.duration = r.duration;
      res.ok = !(r.fails && t >= broke && t < restored);
      if (!res.ok) {
        res.error = ErrorClass::http_status;
        res.status_code = 503;
        res.detail = "expected 200-299";
      }
      out.push_back(res);
    }
  }
  return out;
}

std::vector<ChangeEvent> seed_changes() {
  return {{"db-users", "eu-west", utc(2024, 5, 5, 14, 58, 3, 120), ChangeKind::setting,
           "search_path: \"$user\", public -> nowhere"}};
}

std::string seed_jsonl() {
  std::string out;
  for (const auto& r : seed_results()) out += codec::to_json_line(r) + "\n";
  for (const auto& e : seed_changes()) out += codec::to_json_line(e) + "\n";
  return out;
}

std::string seed_config(const std::string& store_path, const std::string& extra) {
  return "vantages:\n"
         "  - {name: us-east, weight: 30}\n"
         "  - {name: eu-west, weight: 25}\n"
         "  - {name: ap-south, weight: 25}\n"
         "  - {name: sa-east, weight: 10}\n"
         "  - {name: af-south, weight: 10}\n"
         "defaults: {interval: 60s, timeout: 5s, confirm_failures: 2}\n"
         "outage: {min_vantages: 2}\n"
         "store: {url: \"sqlite://" +
         store_path +
         "\"}\n"
         "slo: {objective: 99.9, period: 30d}\n" +
         extra +
         "checks:\n"
         "  - name: web-home\n"
         "    type: http\n"
         "    url: https://www.example.com/\n"
         "  - name: db-users\n"
         "    type: postgres\n"
         "    dsn: \"postgresql://probe@db:5432/app\"\n"
         "    query: \"SELECT id FROM users WHERE id = 1\"\n";
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/prober-report-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::write(const std::string& name, const std::string& content) const {
  std::ofstream out(file(name), std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + file(name));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// Waits for `pid` up to `timeout`, calling `pump` while waiting; kills its group on timeout.
int wait_child(pid_t pid, std::chrono::seconds timeout, const std::function<void()>& pump) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      ::kill(-pid, SIGKILL);  // leftovers of the child's own group (e.g. browser helpers)
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (r < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -2;
    }
    if (pump) pump();
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_data,
                          std::chrono::seconds timeout) {
  TempDir io;
  io.write("stdin", stdin_data);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string in = io.file("stdin"), out = io.file("stdout"), err = io.file("stderr");
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = -1;
  auto args = c_argv(argv);
  const int rc = ::posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ProcessResult result;
  if (rc != 0) {
    result.err = "posix_spawn " + argv[0] + " failed: " + std::to_string(rc);
    return result;
  }
  result.exit_code = wait_child(pid, timeout, nullptr);
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

ProcessResult run_with_tty_stderr(const std::vector<std::string>& argv,
                                  std::chrono::seconds timeout) {
  ProcessResult result;
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    result.err = "no pseudo-terminal available";
    if (master >= 0) ::close(master);
    return result;
  }
  const std::string slave_name = ::ptsname(master);
  const int slave = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY);
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);

  TempDir io;
  const std::string out = io.file("stdout");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, slave, 2);
  posix_spawn_file_actions_addclose(&actions, master);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = -1;
  auto args = c_argv(argv);
  const int rc = ::posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(slave);
  if (rc != 0) {
    ::close(master);
    result.err = "posix_spawn failed";
    return result;
  }
  auto pump = [&] {
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;
      result.err.append(buf, static_cast<std::size_t>(n));
    }
  };
  result.exit_code = wait_child(pid, timeout, pump);
  pump();
  ::close(master);
  result.out = read_file(out);
  return result;
}

}  // namespace prober::report::test
