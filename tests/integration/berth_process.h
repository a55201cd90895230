// BerthProcess: the berth binary run as a child process, as an operator runs
// it, for the integration tests and the watch benchmark.
//
// Start() forks and execs the binary with the given arguments, stdin from
// /dev/null and stdout + stderr appended to a log file, in a process group
// of its own (so a test can signal it alone) and with PR_SET_PDEATHSIG, so it
// dies with the thread that started it if the test crashes: start it from
// the test's main thread.  The destructor kills (SIGKILL) and reaps it if it
// still runs.
//
// Also here: a free loopback port, a plain HTTP GET, and reading one value
// from a Prometheus text page — what a test needs to read berth's -metrics-addr.
//
// Thread-safety: not thread-safe; use from one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace berth::testing {

class BerthProcess {
 public:
  // The berth binary: $BERTH_BINARY, else the path compiled in
  // (BERTH_BINARY_PATH), else "berth".
  static std::string Binary();

  // Runs `binary args...`; `env` entries ("NAME=value") are added to the
  // environment.  The log file is created or appended to.
  static Result<std::unique_ptr<BerthProcess>> Start(const std::string& binary,
                                                     const std::vector<std::string>& args,
                                                     const std::string& log_path,
                                                     const std::vector<std::string>& env = {});

  ~BerthProcess();
  BerthProcess(const BerthProcess&) = delete;
  BerthProcess& operator=(const BerthProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  // Whether the process still runs (reaps it when it has exited).
  bool Running();
  // Sends a signal; false when the process is gone.
  bool Signal(int signo);
  // Waits up to `timeout` for the process to exit; its wait status, or
  // nullopt when it still runs.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // The wait status once it exited (nullopt while it runs).
  std::optional<int> exit_status() const { return exit_status_; }

  // The whole log so far, and how often `needle` occurs in it.
  std::string Log() const;
  size_t CountInLog(std::string_view needle) const;
  std::string LogTail(size_t bytes = 4000) const;

  // utime + stime of the process in clock ticks (/proc/PID/stat), -1 when
  // unreadable.
  long CpuTicks() const;
  // A field of /proc/PID/status in kB ("VmRSS", "VmHWM"), -1 when unreadable.
  long StatusKb(std::string_view field) const;

 private:
  BerthProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}

  pid_t pid_;
  std::string log_path_;
  std::optional<int> exit_status_;
};

// A TCP port on 127.0.0.1 nobody listens on right now.
int FreeLoopbackPort();

// GET http://127.0.0.1:PORT/PATH; the status code and the body.
struct HttpAnswer {
  int status = 0;
  std::string body;
};
Result<HttpAnswer> HttpGet(int port, std::string_view path,
                           std::chrono::milliseconds timeout = std::chrono::seconds(2));

// The value of an unlabelled sample `name` in a Prometheus text page.
std::optional<double> MetricValue(std::string_view page, std::string_view name);
// Scrapes /metrics and returns the sample; nullopt when either fails.
std::optional<double> ScrapeMetric(int port, std::string_view name);

// Reads a whole file; nullopt when it cannot be read (missing).
std::optional<std::string> ReadWholeFile(const std::string& path);
// Writes `content` to `path` through a temporary file and a rename, so a
// reader never sees half of it.
void WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace berth::testing
