// The processes of `berth up`: background processes that must outlive it
// (etcd, dockerd, HAProxy, the agent, confd), and commands it runs and waits
// for (the first render, `berth launch`, the image build).
//
// A background process is started detached, as a daemon is: forked twice so
// that it is not berth's child (init or a subreaper reaps it), in a session
// and process group of its own (a terminal's signals do not reach it, and
// its whole group can be killed), stdin /dev/null, stdout and stderr
// appended to its log file, every other descriptor closed at exec.  It is
// known by its pid plus its start time (field 22 of /proc/<pid>/stat): a
// process is "alive" when /proc/<pid>/stat exists, is not a zombie and has
// the recorded start time, so a pid that the kernel reused for someone
// else's process is never taken for ours, and never signalled.
//
// Functions are thread-safe.  A ChildProcess belongs to one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "up/state_file.h"

namespace berth::up {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is an absolute path
  std::string log_file;           // created or appended to
  std::vector<std::string> env;   // "NAME=value" added to (or replacing in) the environment
};

// Starts a background process (see above) and returns its record, once it
// has exec'd.  kNotFound when argv[0] cannot be executed; the record's name
// is `name`.
Result<ProcessRecord> SpawnDetached(std::string name, const SpawnOptions& options);

// The start time of `pid` (field 22 of /proc/<pid>/stat, in clock ticks
// after boot).  kNotFound when there is no such process or it is a zombie.
Result<uint64_t> ProcessStartTime(pid_t pid);

// Parses a /proc/<pid>/stat line: the state character and the start time.
// kInvalidArgument when it is not one.  (Separate for the tests: the
// command name in parentheses may hold spaces and parentheses.)
struct ProcStat {
  char state = '?';
  uint64_t start_time = 0;
};
Result<ProcStat> ParseProcStat(std::string_view line);

// Whether the process of the record still runs (pid and start time).
bool IsAlive(const ProcessRecord& record);

enum class StopOutcome {
  kNotRunning,  // it was not alive
  kStopped,     // it left after `signo`
  kKilled,      // it outlived `timeout` and its process group got SIGKILL
};

// Sends `signo` to the recorded process and waits up to `timeout` for it to
// leave; then SIGKILLs its process group and waits up to 5 s more
// (kTimeout when even that did not end it).  Never signals a pid whose
// start time is not the recorded one.
Result<StopOutcome> StopProcess(const ProcessRecord& record, int signo,
                                std::chrono::milliseconds timeout);

// A command up runs and waits for: berth's child, in a process group of its
// own, stdin /dev/null, stdout and stderr appended to a log file.  The
// destructor kills the group (SIGKILL) and reaps the child if it still runs.
class ChildProcess {
 public:
  static Result<ChildProcess> Start(const SpawnOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // The exit code once it has exited (128+N after signal N), else nullopt.
  // Reaps it.
  std::optional<int> Poll();
  // Kills the process group (SIGKILL) and reaps the child.
  void Kill();

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}

  pid_t pid_ = -1;  // -1 once reaped
  int exit_code_ = -1;
};

// The absolute path of `program`: as given when it holds a '/', else found
// in $PATH (then in /usr/sbin and /sbin, which a user's PATH may lack).
// kNotFound naming the program.
Result<std::string> FindProgram(const std::string& program);

// This executable's path (/proc/self/exe).
Result<std::string> SelfPath();

// The last `bytes` of a file (for error messages quoting a log), "" when it
// cannot be read.
std::string FileTail(const std::string& path, size_t bytes = 1500);

}  // namespace berth::up
