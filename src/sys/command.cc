#include "sys/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>

extern char** environ;

namespace berth::sys {
namespace {

constexpr size_t kMaxOutput = 64 * 1024;

// Reads what is available from fd into *out (up to kMaxOutput); false at EOF.
bool Drain(int fd, std::string* out) {
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n > 0) {
      const size_t room = kMaxOutput > out->size() ? kMaxOutput - out->size() : 0;
      out->append(buf, std::min(room, static_cast<size_t>(n)));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

}  // namespace

std::string CommandResult::Describe() const {
  if (timed_out) return "timed out";
  // Go's names (syscall.Signal.String on Linux), not strsignal's capitalised ones.
  static constexpr const char* kGoSignalNames[] = {
      "",
      "hangup",
      "interrupt",
      "quit",
      "illegal instruction",
      "trace/breakpoint trap",
      "aborted",
      "bus error",
      "floating point exception",
      "killed",
      "user defined signal 1",
      "segmentation fault",
      "user defined signal 2",
      "broken pipe",
      "alarm clock",
      "terminated",
      "stack fault",
      "child exited",
      "continued",
      "stopped (signal)",
      "stopped",
      "stopped (tty input)",
      "stopped (tty output)",
      "urgent I/O condition",
      "CPU time limit exceeded",
      "file size limit exceeded",
      "virtual timer expired",
      "profiling timer expired",
      "window changed",
      "I/O possible",
      "power failure",
      "bad system call",
  };
  if (signal > 0) {
    constexpr int kNamed = static_cast<int>(std::size(kGoSignalNames));
    return signal < kNamed ? std::string("signal: ") + kGoSignalNames[signal]
                           : "signal: signal " + std::to_string(signal);
  }
  // A shell that exits with 130 itself was not interrupted: Go says "exit
  // status 130".
  return "exit status " + std::to_string(exit_code);
}

Result<CommandResult> RunShell(std::string_view command, std::chrono::milliseconds timeout) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0)
    return Err(Status::IoError(std::string("pipe: ") + strerror(errno)));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  sigaddset(&default_signals, SIGTERM);
  sigaddset(&default_signals, SIGINT);
  sigaddset(&default_signals, SIGHUP);
  sigaddset(&default_signals, SIGCHLD);
  posix_spawnattr_setsigdefault(&attr, &default_signals);
  sigset_t no_mask;
  sigemptyset(&no_mask);
  posix_spawnattr_setsigmask(&attr, &no_mask);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::string cmd(command);
  char sh[] = "/bin/sh";
  char dash_c[] = "-c";
  char* argv[] = {sh, dash_c, cmd.data(), nullptr};
  pid_t pid;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    return Err(Status::IoError(std::string("start /bin/sh: ") + strerror(rc)));
  }
  fcntl(pipefd[0], F_SETFL, O_NONBLOCK);

  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // A pidfd wakes poll() the moment the shell exits (Linux >= 5.3).
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  bool open = true;
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    int wait_ms = pidfd >= 0 ? 1000 : 10;
    if (timeout.count() > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        // Stop the whole group: the shell and whatever it started.
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        result.timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), wait_ms));
    }
    pollfd fds[2];
    nfds_t n = 0;
    if (open) fds[n++] = {pipefd[0], POLLIN, 0};
    if (pidfd >= 0) fds[n++] = {pidfd, POLLIN, 0};
    poll(fds, n, wait_ms);
    if (open) open = Drain(pipefd[0], &result.output);
  }
  if (pidfd >= 0) close(pidfd);
  // Keep what the command printed, but do not wait for descendants that
  // still hold the pipe (a daemon started by a reload command).
  if (open) Drain(pipefd[0], &result.output);
  close(pipefd[0]);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  }
  return result;
}

}  // namespace berth::sys
