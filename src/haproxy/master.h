// HAProxy in master-worker mode: the master CLI client (MasterCli), the
// process berth starts and owns (HaproxyProcess), and the configuration
// check (`haproxy -c`).
//
// In master-worker mode (`haproxy -W -S <socket>`) a master process reads
// the configuration and forks a worker that serves traffic.  A reload
// (`reload` on the master CLI, or SIGUSR2) makes the master re-execute
// itself, parse the file again and fork a new worker; the listening sockets
// pass from the old worker to the new one through the master (no
// `expose-fd listeners` needed), and the old worker soft-stops: it stops
// accepting, finishes its connections and leaves.  See HAProxy's management
// guide, "4. Stopping and restarting HAProxy" and "9.4. Master CLI", and
// docs/haproxy.md for the global settings that make this invisible to
// keep-alive clients.
//
// Settings that make a reload invisible to keep-alive clients (measured in
// tests/integration/haproxy_test.cc; reasons in docs/haproxy.md):
//
//   global
//       stats socket /run/berth/haproxy.sock mode 600 level admin  # or use
//                                 # the master CLI's "@1" (RuntimeApi::ThroughMaster)
//       hard-stop-after 30s       # an old worker leaves after 30 s at most
//   defaults
//       mode http
//       option idle-close-on-response  # an old worker does not close idle
//                                 # keep-alive connections; it answers their
//                                 # next request with "Connection: close"
//       timeout http-keep-alive 10s    # shorter than hard-stop-after
//
// and HAProxy started as `haproxy -W -S <master socket>,level,admin -f ...`
// (HaproxyProcess::Start).  Without idle-close-on-response, 16 keep-alive
// clients lost 46-48 requests over 3 reloads; with it, none.
//
// In HAProxy 2.6 `reload` answers nothing and works asynchronously; the
// master even closes the CLI connection.  MasterCli::Reload therefore
// compares `show proc` before and after: the master's reload counter goes
// up, and either a new worker appears (and answers its CLI through
// `@!<pid>`) or the master's "failed" counter says the new file was refused
// and the old worker still serves.
//
// MasterCli is constant after construction and thread-safe (one connection
// per call).  HaproxyProcess is thread-compatible: Stop and the destructor
// must not race with other calls.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "haproxy/runtime_api.h"

namespace berth::haproxy {

// One line of `show proc`.
struct ProcessEntry {
  pid_t pid = 0;
  std::string type;  // "master", "worker", or a program's name
  int reloads = 0;   // for the master: reloads so far; for a worker: reloads it survived
  std::string uptime;
  std::string version;
};

// A parsed `show proc`.
struct ProcessList {
  ProcessEntry master;
  int failed_reloads = 0;             // the master's "[failed: N]": failures since the last success
  std::vector<ProcessEntry> workers;  // current workers
  std::vector<ProcessEntry> old_workers;  // leaving after a reload
  std::vector<ProcessEntry> programs;
};

// Parses the master CLI's `show proc` reply (HAProxy 2.0 to 2.6 formats).
// kInternal when it is not one.
Result<ProcessList> ParseShowProc(std::string_view reply);

// What a reload did.
struct ReloadResult {
  int reloads = 0;                 // the master's reload counter afterwards
  std::vector<pid_t> new_workers;  // up and answering
  std::vector<pid_t> old_workers;  // the previous workers still finishing connections
  std::chrono::milliseconds took{0};
};

class MasterCli {
 public:
  // `socket` is the master CLI socket given to `haproxy -S` (a unix socket
  // path, or "ipv4@host:port").  `timeout` bounds each command.
  explicit MasterCli(std::string socket,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : socket_(std::move(socket)), timeout_(timeout) {}

  // Attaches to an already running master (one berth does not own, as in
  // `berth confd`): kUnavailable unless it answers `show proc` with a
  // worker.
  static Result<MasterCli> Attach(
      std::string socket, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  // Sends one master CLI command (no `;`, newline or control character:
  // kInvalidArgument) and returns the reply.  "@1 show info" reaches the
  // current worker, "@!<pid> ..." a given one.
  Result<std::string> Command(std::string_view command) const;

  Result<ProcessList> ShowProc() const;

  // Reloads and waits, at most `timeout`, for the outcome (see above).
  // kFailedPrecondition when HAProxy refused the new configuration (the old
  // worker keeps serving), kTimeout when no outcome was seen in time.
  Result<ReloadResult> Reload(std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  // Whether worker `pid` answers a command through the master.
  bool WorkerAnswers(pid_t pid) const;

  // A Runtime API client for the current worker, through this master.
  RuntimeApi Runtime() const { return RuntimeApi::ThroughMaster(socket_, timeout_); }

  const std::string& socket() const { return socket_; }

 private:
  std::string socket_;
  std::chrono::milliseconds timeout_;
};

enum class StopMode {
  kSoft,  // SIGUSR1: stop listening, finish connections (bounded by hard-stop-after)
  kHard,  // SIGTERM: close everything now
};

// Stops a master berth does not own: signals the pid `show proc` reports and
// waits until it is gone.  kTimeout when it outlives `timeout`.
Status StopAttachedMaster(const MasterCli& cli, StopMode mode, std::chrono::milliseconds timeout);

struct HaproxyOptions {
  std::string binary = "/usr/sbin/haproxy";
  std::string config_file;    // -f
  std::string master_socket;  // -S <socket>,level,admin (no comma or space in it)
  std::string pid_file;       // -p, optional
  std::string log_file;       // stdout and stderr of master and workers (appended)
  std::vector<std::string> extra_args;
  // How long Start waits for the master socket to answer with a worker.
  std::chrono::milliseconds start_timeout{10000};
  // Kill the master (SIGKILL, PR_SET_PDEATHSIG) when the thread that started
  // it exits: for tests, so a crashed test leaves no HAProxy behind.
  bool die_with_parent = false;
};

// An HAProxy master process berth started: a child of berth, in a session
// (and process group) of its own, so a terminal's signals do not reach it;
// stdin is /dev/null, stdout and stderr go to the log file.
// The destructor stops it (kHard) and reaps it if it still runs.
class HaproxyProcess {
 public:
  // Starts `binary -W -S <socket>,level,admin -f <config> [-p <pid file>]`
  // and waits until the master CLI answers and a worker answers through it.
  // On failure nothing is left running and the status carries the end of
  // the log.
  static Result<std::unique_ptr<HaproxyProcess>> Start(HaproxyOptions options);

  ~HaproxyProcess();
  HaproxyProcess(const HaproxyProcess&) = delete;
  HaproxyProcess& operator=(const HaproxyProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  const MasterCli& master() const { return cli_; }
  const HaproxyOptions& options() const { return options_; }

  // MasterCli::Reload, with the log lines HAProxy wrote during a failed
  // reload added to the error.
  Result<ReloadResult> Reload(std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  // Signals the master (SIGUSR1 or SIGTERM) and waits for it to exit; when
  // `timeout` passes, kills the whole process group (SIGKILL) and returns
  // kTimeout.  Always reaps.  OK when it is not running.
  Status Stop(StopMode mode, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // The last `bytes` of the log file.
  std::string LogTail(size_t bytes = 4000) const;

 private:
  HaproxyProcess(HaproxyOptions options, pid_t pid);
  // Reaps the master if it exited; true when it has.
  bool Reaped();

  HaproxyOptions options_;
  MasterCli cli_;
  pid_t pid_ = -1;  // -1 once reaped
  int exit_status_ = 0;
};

// Runs `binary -c -f config_file`: OK when HAProxy finds the file valid and
// startable, else kInvalidArgument with HAProxy's output (its ALERT lines).
Status CheckConfig(const std::string& binary, const std::string& config_file,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace berth::haproxy
