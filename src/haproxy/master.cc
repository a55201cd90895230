#include "haproxy/master.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include "haproxy/reply_text.h"
#include "sys/command.h"

namespace berth::haproxy {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds Left(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

using internal::Fields;
using internal::ToNumber;

bool UnsafeChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f || c == ';';
}

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ReadFrom(const std::string& path, size_t offset, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(std::max<std::streamoff>(0, in.tellg()));
  size_t from = std::min(offset, size);
  if (size - from > max_bytes) from = size - max_bytes;
  in.seekg(static_cast<std::streamoff>(from));
  std::string out(size - from, '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

size_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
}

// Whether `pid` is gone: no such process, or a zombie waiting for its parent
// to reap it (which may be the caller itself).
bool ProcessGone(pid_t pid) {
  if (kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content;
  if (!std::getline(stat, content)) return false;
  const size_t paren = content.rfind(')');
  return paren != std::string::npos && paren + 2 < content.size() && content[paren + 2] == 'Z';
}

bool Contains(const std::vector<ProcessEntry>& list, pid_t pid) {
  return std::any_of(list.begin(), list.end(), [&](const ProcessEntry& e) { return e.pid == pid; });
}

}  // namespace

Result<ProcessList> ParseShowProc(std::string_view reply) {
  ProcessList out;
  enum { kHeader, kMaster, kWorkers, kOldWorkers, kPrograms } part = kHeader;
  bool relative_pid = false;
  bool have_master = false;
  size_t start = 0;
  while (start < reply.size()) {
    size_t end = reply.find('\n', start);
    if (end == std::string_view::npos) end = reply.size();
    const std::string_view line = reply.substr(start, end - start);
    start = end + 1;
    if (Fields(line).empty()) continue;
    if (line.starts_with("#<PID>")) {
      relative_pid = line.find("<relative PID>") != std::string_view::npos;
      part = kMaster;
      continue;
    }
    if (line.starts_with("#")) {
      const std::string_view title = line.substr(1);
      if (title.find("old workers") != std::string_view::npos) {
        part = kOldWorkers;
      } else if (title.find("workers") != std::string_view::npos) {
        part = kWorkers;
      } else if (title.find("programs") != std::string_view::npos) {
        part = kPrograms;
      }
      continue;
    }
    if (part == kHeader) break;
    const auto f = Fields(line);
    ProcessEntry e;
    size_t i = 0;
    bool ok = f.size() >= 4 && ToNumber(f[i++], &e.pid);
    if (ok) e.type = std::string(f[i++]);
    // 2.0-2.4: "<relative PID>" is "1", or "[was: 1]" for an old worker.
    if (ok && relative_pid && i < f.size()) i += f[i].starts_with("[was:") ? 2 : 1;
    ok = ok && i < f.size() && ToNumber(f[i++], &e.reloads);
    int failed = 0;
    if (ok && i + 1 < f.size() && f[i] == "[failed:") {
      std::string_view n = f[i + 1];
      if (n.ends_with(']')) n.remove_suffix(1);
      ok = ToNumber(n, &failed);
      i += 2;
    }
    if (ok && i < f.size()) e.uptime = std::string(f[i++]);
    for (; ok && i < f.size(); ++i) e.version += (e.version.empty() ? "" : " ") + std::string(f[i]);
    if (!ok) {
      return Err(Status::Internal("show proc: cannot read line \"" + std::string(line) + "\""));
    }
    switch (part) {
      case kMaster:
        out.master = std::move(e);
        out.failed_reloads = failed;
        have_master = true;
        part = kWorkers;  // 2.0 lists workers right after the master
        break;
      case kWorkers:
        out.workers.push_back(std::move(e));
        break;
      case kOldWorkers:
        out.old_workers.push_back(std::move(e));
        break;
      case kPrograms:
        out.programs.push_back(std::move(e));
        break;
      case kHeader:
        break;
    }
  }
  if (!have_master || out.master.type != "master") {
    std::string text(reply.substr(0, 200));
    return Err(Status::Internal("unexpected reply to show proc: " + text));
  }
  return out;
}

Result<MasterCli> MasterCli::Attach(std::string socket, std::chrono::milliseconds timeout) {
  MasterCli cli(std::move(socket), timeout);
  auto procs = cli.ShowProc();
  if (!procs) return Err(procs.error().Wrap("attach to the HAProxy master at " + cli.socket()));
  if (procs->workers.empty()) {
    return Err(Status::Unavailable("the HAProxy master at " + cli.socket() + " has no worker"));
  }
  return cli;
}

Result<std::string> MasterCli::Command(std::string_view command) const {
  if (command.empty() || std::any_of(command.begin(), command.end(), UnsafeChar)) {
    return Err(Status::InvalidArgument(
        "a master CLI command must be one command, without ';' or control characters"));
  }
  // The master keeps a CLI session open after a reply; "quit" ends it.
  return ExchangeOnSocket(socket_, std::string(command) + "; quit", timeout_);
}

Result<ProcessList> MasterCli::ShowProc() const {
  auto reply = Command("show proc");
  if (!reply) return Err(reply.error());
  return ParseShowProc(*reply);
}

bool MasterCli::WorkerAnswers(pid_t pid) const {
  auto reply = Command("@!" + std::to_string(pid) + " show info");
  return reply && reply->find("\nPid: " + std::to_string(pid) + "\n") != std::string::npos;
}

Result<ReloadResult> MasterCli::Reload(std::chrono::milliseconds timeout) const {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  auto before = ShowProc();
  if (!before) return Err(before.error().Wrap("reload"));
  // The reply is empty and the master closes the connection when it
  // re-executes.  Whether the command arrived shows in `show proc`; a send
  // error is only reported if no reload follows.
  auto sent = ExchangeOnSocket(socket_, "reload", std::min(timeout_, Left(deadline)));
  const std::string send_error = sent ? "" : "; sending reload: " + sent.error().message();
  Status last = Status::Timeout("no new worker yet");
  for (;;) {
    if (Clock::now() >= deadline) {
      return Err(Status::Timeout("HAProxy reload through " + socket_ + ": no outcome within " +
                                 std::to_string(timeout.count()) + " ms (" + last.message() + ")" +
                                 send_error));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const MasterCli quick(
        socket_, std::min(timeout_, std::max(Left(deadline), std::chrono::milliseconds(1))));
    auto now = quick.ShowProc();
    if (!now) {
      last = now.error();  // the master is re-executing
      continue;
    }
    if (now->master.pid != before->master.pid) {
      return Err(Status::Internal("HAProxy reload: the master changed from pid " +
                                  std::to_string(before->master.pid) + " to " +
                                  std::to_string(now->master.pid)));
    }
    if (now->master.reloads <= before->master.reloads) {
      last = Status::Timeout("the master has not reloaded yet");
      continue;
    }
    ReloadResult result;
    result.reloads = now->master.reloads;
    for (const auto& w : now->workers) {
      if (!Contains(before->workers, w.pid)) result.new_workers.push_back(w.pid);
    }
    if (result.new_workers.empty()) {
      if (now->failed_reloads > 0) {
        std::string old;
        for (const auto& w : now->workers) old += " " + std::to_string(w.pid);
        return Err(Status::FailedPrecondition(
            "HAProxy refused the new configuration (" + std::to_string(now->failed_reloads) +
            " failed reload(s) in a row); the previous worker(s)" + old + " keep serving"));
      }
      last = Status::Timeout("no new worker yet");
      continue;
    }
    bool answering = true;
    for (pid_t pid : result.new_workers) answering = answering && quick.WorkerAnswers(pid);
    if (!answering) {
      last = Status::Timeout("the new worker does not answer yet");
      continue;
    }
    for (const auto& w : before->workers) {
      if (Contains(now->old_workers, w.pid)) result.old_workers.push_back(w.pid);
    }
    result.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return result;
  }
}

Status StopAttachedMaster(const MasterCli& cli, StopMode mode, std::chrono::milliseconds timeout) {
  auto procs = cli.ShowProc();
  if (!procs) return procs.error().Wrap("stop HAProxy");
  const pid_t pid = procs->master.pid;
  if (pid <= 1) return Status::Internal("show proc gave master pid " + std::to_string(pid));
  if (kill(pid, mode == StopMode::kSoft ? SIGUSR1 : SIGTERM) != 0) {
    return Status::IoError("signal the HAProxy master " + std::to_string(pid) + ": " +
                           std::strerror(errno));
  }
  const auto deadline = Clock::now() + timeout;
  while (!ProcessGone(pid)) {
    if (Clock::now() >= deadline) {
      return Status::Timeout("the HAProxy master " + std::to_string(pid) + " still runs after " +
                             std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Ok();
}

HaproxyProcess::HaproxyProcess(HaproxyOptions options, pid_t pid)
    : options_(std::move(options)), cli_(options_.master_socket), pid_(pid) {}

Result<std::unique_ptr<HaproxyProcess>> HaproxyProcess::Start(HaproxyOptions options) {
  if (access(options.binary.c_str(), X_OK) != 0) {
    return Err(Status::NotFound("HAProxy binary " + options.binary + ": " + std::strerror(errno)));
  }
  if (options.config_file.empty() || access(options.config_file.c_str(), R_OK) != 0) {
    return Err(Status::InvalidArgument("HAProxy configuration \"" + options.config_file +
                                       "\" is not readable"));
  }
  const std::string& sock = options.master_socket;
  if (sock.empty() || std::any_of(sock.begin(), sock.end(),
                                  [](char c) { return UnsafeChar(c) || c == ',' || c == ' '; })) {
    return Err(Status::InvalidArgument("bad master socket \"" + sock +
                                       "\" (no comma, space or control character)"));
  }
  if (options.log_file.empty()) return Err(Status::InvalidArgument("HAProxy needs a log file"));
  const int log_fd =
      open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return Err(Status::IoError("open " + options.log_file + ": " + std::strerror(errno)));
  }

  std::vector<std::string> args = {options.binary,        "-W", "-S",
                                   sock + ",level,admin", "-f", options.config_file};
  if (!options.pid_file.empty()) {
    args.push_back("-p");
    args.push_back(options.pid_file);
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    const Status s = Status::IoError(std::string("open /dev/null: ") + std::strerror(errno));
    close(log_fd);
    return Err(s);
  }
  const pid_t parent = getpid();
  const bool die_with_parent = options.die_with_parent;
  // Between fork and exec the child only makes async-signal-safe calls.
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();
    if (die_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
    }
    for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2}) signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const int fork_errno = errno;
  close(null_fd);
  close(log_fd);
  if (pid < 0) {
    return Err(Status::IoError("start " + options.binary + ": " + std::strerror(fork_errno)));
  }
  std::unique_ptr<HaproxyProcess> p(new HaproxyProcess(std::move(options), pid));

  const auto deadline = Clock::now() + p->options_.start_timeout;
  const MasterCli quick(p->options_.master_socket, std::chrono::milliseconds(1000));
  for (;;) {
    if (p->Reaped()) {
      return Err(Status::Unavailable("HAProxy exited at start (status " +
                                     std::to_string(p->exit_status_) + "): " + p->LogTail(2000)));
    }
    auto procs = quick.ShowProc();
    if (procs && !procs->workers.empty() && quick.WorkerAnswers(procs->workers.front().pid)) {
      return p;
    }
    if (Clock::now() >= deadline) {
      (void)p->Stop(StopMode::kHard, std::chrono::milliseconds(1000));
      return Err(Status::Timeout("HAProxy's master CLI " + p->options_.master_socket +
                                 " did not answer with a worker within " +
                                 std::to_string(p->options_.start_timeout.count()) +
                                 " ms: " + p->LogTail(2000)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

HaproxyProcess::~HaproxyProcess() {
  if (pid_ > 0) (void)Stop(StopMode::kHard, std::chrono::milliseconds(5000));
}

bool HaproxyProcess::Reaped() {
  if (pid_ <= 0) return true;
  // Look without reaping: while the exited master is a zombie its pid (and
  // process group id) cannot be reused, so the group can still be killed.
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
      info.si_pid != pid_) {
    return false;
  }
  kill(-pid_, SIGKILL);  // workers left behind, if any
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  pid_ = -1;
  return true;
}

bool HaproxyProcess::running() { return !Reaped(); }

Status HaproxyProcess::Stop(StopMode mode, std::chrono::milliseconds timeout) {
  if (Reaped()) return Status::Ok();
  kill(pid_, mode == StopMode::kSoft ? SIGUSR1 : SIGTERM);
  const auto deadline = Clock::now() + timeout;
  while (!Reaped()) {
    if (Clock::now() >= deadline) {
      const pid_t pid = pid_;
      kill(-pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
      return Status::Timeout("HAProxy (pid " + std::to_string(pid) + ") did not stop within " +
                             std::to_string(timeout.count()) + " ms; killed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Status::Ok();
}

Result<ReloadResult> HaproxyProcess::Reload(std::chrono::milliseconds timeout) const {
  const size_t log_size = FileSize(options_.log_file);
  auto r = cli_.Reload(timeout);
  if (!r) {
    // Give HAProxy a moment to finish writing its ALERT lines.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::string log = ReadFrom(options_.log_file, log_size, 2000);
    while (!log.empty() && log.back() == '\n') log.pop_back();
    if (!log.empty()) {
      return Err(Status(r.error().code(), r.error().message() + "; HAProxy's log:\n" + log));
    }
  }
  return r;
}

std::string HaproxyProcess::LogTail(size_t bytes) const {
  return ReadFrom(options_.log_file, 0, bytes);
}

Status CheckConfig(const std::string& binary, const std::string& config_file,
                   std::chrono::milliseconds timeout) {
  const std::string command = ShellQuote(binary) + " -c -f " + ShellQuote(config_file);
  auto r = sys::RunShell(command, timeout);
  if (!r) return r.error().Wrap("haproxy -c");
  if (r->ok()) return Status::Ok();
  std::string output = r->output;
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return Status::InvalidArgument("haproxy -c -f " + config_file + ": " + r->Describe() + ": " +
                                 output);
}

}  // namespace berth::haproxy
