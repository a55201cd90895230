// ServerProcess: one server binary (redis-server, a JVM running ZooKeeper)
// started by an integration-test fixture: forked and exec'd with stdout and
// stderr appended to a log file, stdin from /dev/null, and PR_SET_PDEATHSIG
// so it dies with the thread that started it if the test crashes (start it
// from the test's main thread).  The destructor kills (SIGKILL) and reaps
// what still runs.
//
// Thread-safety: not thread-safe; use from one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace berth::testing {

// Forks and execs argv[0] with `args` as described above; the pid.
Result<pid_t> SpawnServer(const std::vector<std::string>& args, const std::string& log_file);

class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts argv[0] with `argv`; fails when it runs already.
  Status Start(const std::vector<std::string>& argv, const std::string& log_file);
  // Whether it runs (reaps it when it has exited).
  bool Running();
  // Sends `signal` and waits for the exit (SIGKILL after 10 s).  OK when
  // it is not running.
  Status Stop(int signal = SIGTERM);

  pid_t pid() const { return pid_; }
  // The last `bytes` of the log file.
  std::string LogTail(size_t bytes = 4000) const;

 private:
  pid_t pid_ = -1;
  std::string log_file_;
};

// Polls `condition` every `step` until it holds or `timeout` passes; true
// when it held (etcd_fixture.h's WaitFor, without etcd).
template <typename Condition>
bool WaitUntil(Condition condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

// The environment says CI=true: a missing server is a failure, not a skip.
bool InCi();

}  // namespace berth::testing
