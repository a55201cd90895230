#include "up/process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sys/file.h"

extern char** environ;

namespace berth::up {

namespace {

using Clock = std::chrono::steady_clock;

// argv and envp as execve wants them, built before fork (the child of a
// multi-threaded process may only make async-signal-safe calls).
struct ExecArgs {
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ExecArgs MakeExecArgs(const SpawnOptions& o) {
  ExecArgs a;
  a.argv_storage = o.argv;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry = *e;
    const std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& extra : o.env) {
      if (std::string_view(extra).substr(0, extra.find('=')) == name) replaced = true;
    }
    if (!replaced) a.env_storage.emplace_back(entry);
  }
  a.env_storage.insert(a.env_storage.end(), o.env.begin(), o.env.end());
  for (auto& s : a.argv_storage) a.argv.push_back(s.data());
  a.argv.push_back(nullptr);
  for (auto& s : a.env_storage) a.envp.push_back(s.data());
  a.envp.push_back(nullptr);
  return a;
}

// In a forked child, before exec: default signal dispositions (an ignored
// SIGPIPE would survive exec), nothing blocked, stdin /dev/null, stdout and
// stderr to the log, every other descriptor closed at exec.
void PrepareChild(int null_fd, int log_fd) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int s = 1; s < NSIG; ++s) {
    if (s != SIGKILL && s != SIGSTOP) sigaction(s, &dfl, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  dup2(null_fd, 0);
  dup2(log_fd, 1);
  dup2(log_fd, 2);
  syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
}

bool ReadAll(int fd, void* buf, size_t n) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    const ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

// Reads the errno a failed exec reports; 0 when the pipe closed without one
// (exec succeeded).
int ExecError(int fd) {
  int err = 0;
  return ReadAll(fd, &err, sizeof(err)) ? err : 0;
}

Status CheckSpawnOptions(const SpawnOptions& o) {
  if (o.argv.empty() || o.argv[0].empty() || o.argv[0][0] != '/') {
    return Status::InvalidArgument("start: the program must be an absolute path, got \"" +
                                   (o.argv.empty() ? std::string() : o.argv[0]) + "\"");
  }
  if (access(o.argv[0].c_str(), X_OK) != 0) {
    return Status::NotFound("start " + o.argv[0] + ": " + std::strerror(errno));
  }
  if (o.log_file.empty()) return Status::InvalidArgument("start " + o.argv[0] + ": no log file");
  return Status::Ok();
}

// The descriptors a spawn needs; closed by the destructor.
struct SpawnFds {
  int null_fd = -1;
  int log_fd = -1;
  int report[2] = {-1, -1};
  int go[2] = {-1, -1};
  ~SpawnFds() {
    for (int fd : {null_fd, log_fd, report[0], report[1], go[0], go[1]}) {
      if (fd >= 0) close(fd);
    }
  }
  static void Close(int* fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
};

Status OpenSpawnFds(const SpawnOptions& o, bool with_go, SpawnFds* f) {
  f->log_fd = open(o.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (f->log_fd < 0) return sys::ErrnoStatus("open", o.log_file, errno);
  f->null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (f->null_fd < 0) return sys::ErrnoStatus("open", "/dev/null", errno);
  if (pipe2(f->report, O_CLOEXEC) != 0) return sys::ErrnoStatus("pipe", "", errno);
  if (with_go && pipe2(f->go, O_CLOEXEC) != 0) return sys::ErrnoStatus("pipe", "", errno);
  return Status::Ok();
}

}  // namespace

Result<ProcStat> ParseProcStat(std::string_view line) {
  // "pid (comm) S ppid ...": comm may hold anything, so look for the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string_view::npos) {
    return Err(Status::InvalidArgument("not a /proc/<pid>/stat line"));
  }
  std::istringstream in{std::string(line.substr(close + 1))};
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(std::move(f));
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  if (fields.size() < 20 || fields[0].size() != 1) {
    return Err(Status::InvalidArgument("a /proc/<pid>/stat line with " +
                                       std::to_string(fields.size() + 2) + " fields"));
  }
  ProcStat s;
  s.state = fields[0][0];
  char* end = nullptr;
  errno = 0;
  s.start_time = std::strtoull(fields[19].c_str(), &end, 10);
  if (errno != 0 || end == fields[19].c_str() || *end != '\0') {
    return Err(Status::InvalidArgument("start time \"" + fields[19] + "\" is not a number"));
  }
  return s;
}

Result<uint64_t> ProcessStartTime(pid_t pid) {
  if (pid <= 0) return Err(Status::NotFound("no process " + std::to_string(pid)));
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return Err(Status::NotFound("no process " + std::to_string(pid)));
  }
  auto stat = ParseProcStat(line);
  if (!stat) return Err(stat.error().Wrap(path));
  if (stat->state == 'Z' || stat->state == 'X') {
    return Err(Status::NotFound("process " + std::to_string(pid) + " has exited"));
  }
  return stat->start_time;
}

bool IsAlive(const ProcessRecord& r) {
  auto t = ProcessStartTime(r.pid);
  return t && *t == r.start_time;
}

Result<ProcessRecord> SpawnDetached(std::string name, const SpawnOptions& o) {
  BERTH_RETURN_IF_ERROR(CheckSpawnOptions(o));
  SpawnFds f;
  BERTH_RETURN_IF_ERROR(OpenSpawnFds(o, /*with_go=*/true, &f));
  ExecArgs a = MakeExecArgs(o);

  const pid_t middle = fork();
  if (middle == 0) {
    setsid();
    const pid_t daemon = fork();
    if (daemon == 0) {
      // Lead a group of its own: the group of the session (the middle
      // process's pid) is not the daemon's pid, and StopProcess only
      // SIGKILLs a group whose id is the recorded pid.
      setpgid(0, 0);
      close(f.report[0]);
      close(f.go[1]);
      // Wait until the parent has read our start time: until then we are
      // certainly alive and nobody else's.
      char go = 0;
      if (!ReadAll(f.go[0], &go, 1)) _exit(127);
      PrepareChild(f.null_fd, f.log_fd);
      execve(a.argv[0], a.argv.data(), a.envp.data());
      const int err = errno;
      (void)!write(f.report[1], &err, sizeof(err));
      _exit(127);
    }
    const int32_t reported = daemon > 0 ? daemon : -errno;
    (void)!write(f.report[1], &reported, sizeof(reported));
    _exit(0);
  }
  if (middle < 0) return Err(sys::ErrnoStatus("fork", o.argv[0], errno));
  SpawnFds::Close(&f.report[1]);
  SpawnFds::Close(&f.go[0]);
  int wstatus = 0;
  while (waitpid(middle, &wstatus, 0) < 0 && errno == EINTR) {
  }
  int32_t reported = 0;
  if (!ReadAll(f.report[0], &reported, sizeof(reported)) || reported <= 0) {
    return Err(sys::ErrnoStatus("fork", o.argv[0], reported < 0 ? -reported : EAGAIN));
  }
  ProcessRecord r;
  r.name = std::move(name);
  r.pid = reported;
  r.argv = o.argv;
  r.log = o.log_file;
  auto start = ProcessStartTime(r.pid);
  if (!start) {
    return Err(Status::Internal("start " + o.argv[0] + ": the new process " +
                                std::to_string(r.pid) + " vanished before exec"));
  }
  r.start_time = *start;
  const char go = 'x';
  if (write(f.go[1], &go, 1) != 1) return Err(sys::ErrnoStatus("start", o.argv[0], errno));
  SpawnFds::Close(&f.go[1]);
  if (const int err = ExecError(f.report[0]); err != 0) {
    return Err(sys::ErrnoStatus("exec", o.argv[0], err));
  }
  return r;
}

Result<StopOutcome> StopProcess(const ProcessRecord& r, int signo,
                                std::chrono::milliseconds timeout) {
  if (!IsAlive(r)) return StopOutcome::kNotRunning;
  const std::string who = r.name + " (pid " + std::to_string(r.pid) + ")";
  if (kill(r.pid, signo) != 0 && errno != ESRCH) {
    return Err(Status::IoError("signal " + who + ": " + std::strerror(errno)));
  }
  auto deadline = Clock::now() + timeout;
  while (IsAlive(r)) {
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!IsAlive(r)) return StopOutcome::kStopped;
  // It had its chance: the whole group (HAProxy's workers, say) goes.
  if (getpgid(r.pid) == r.pid) {
    kill(-r.pid, SIGKILL);
  } else {
    kill(r.pid, SIGKILL);
  }
  deadline = Clock::now() + std::chrono::seconds(5);
  while (IsAlive(r)) {
    if (Clock::now() >= deadline) {
      return Err(Status::Timeout(who + " still runs after SIGKILL"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return StopOutcome::kKilled;
}

Result<ChildProcess> ChildProcess::Start(const SpawnOptions& o) {
  BERTH_RETURN_IF_ERROR(CheckSpawnOptions(o));
  SpawnFds f;
  BERTH_RETURN_IF_ERROR(OpenSpawnFds(o, /*with_go=*/false, &f));
  ExecArgs a = MakeExecArgs(o);
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    close(f.report[0]);
    PrepareChild(f.null_fd, f.log_fd);
    execve(a.argv[0], a.argv.data(), a.envp.data());
    const int err = errno;
    (void)!write(f.report[1], &err, sizeof(err));
    _exit(127);
  }
  if (pid < 0) return Err(sys::ErrnoStatus("fork", o.argv[0], errno));
  setpgid(pid, pid);  // also here, so the group exists whoever runs first
  SpawnFds::Close(&f.report[1]);
  ChildProcess child(pid);
  if (const int err = ExecError(f.report[0]); err != 0) {
    child.Kill();
    return Err(sys::ErrnoStatus("exec", o.argv[0], err));
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    Kill();
    pid_ = other.pid_;
    exit_code_ = other.exit_code_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { Kill(); }

std::optional<int> ChildProcess::Poll() {
  if (pid_ > 0) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      // What it started in its group goes with it.
      kill(-pid_, SIGKILL);
      pid_ = -1;
    }
  }
  if (pid_ > 0) return std::nullopt;
  return exit_code_;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = 128 + SIGKILL;
  pid_ = -1;
}

Result<std::string> FindProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    if (access(program.c_str(), X_OK) != 0) {
      return Err(Status::NotFound(program + ": " + std::strerror(errno)));
    }
    if (program[0] == '/') return program;
    char cwd[4096];
    if (getcwd(cwd, sizeof(cwd)) == nullptr) return Err(sys::ErrnoStatus("getcwd", "", errno));
    return std::string(cwd) + "/" + program;
  }
  std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  path += ":/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin";
  std::string_view rest = path;
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (dir.empty() || dir[0] != '/') continue;
    const std::string candidate = dir + "/" + program;
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return Err(
      Status::NotFound(program + " is not installed (not found in $PATH, /usr/sbin, /sbin)"));
}

Result<std::string> SelfPath() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return Err(sys::ErrnoStatus("readlink", "/proc/self/exe", errno));
  std::string path(buf, static_cast<size_t>(n));
  // The binary was replaced (rebuilt) while we run: its new version is
  // what the name holds now.
  constexpr std::string_view kDeleted = " (deleted)";
  if (path.ends_with(kDeleted)) path.resize(path.size() - kDeleted.size());
  return path;
}

std::string FileTail(const std::string& path, size_t bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  const std::streamoff size = in.tellg();
  const std::streamoff from =
      size > static_cast<std::streamoff>(bytes) ? size - static_cast<std::streamoff>(bytes) : 0;
  in.seekg(from);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (from > 0) {
    // Start at a line.
    if (const size_t nl = out.find('\n'); nl != std::string::npos) out.erase(0, nl + 1);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace berth::up
