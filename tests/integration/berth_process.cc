#include "tests/integration/berth_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sys/net.h"

extern char** environ;

namespace berth::testing {

namespace {

using SteadyClock = std::chrono::steady_clock;

}  // namespace

std::string BerthProcess::Binary() {
  if (const char* b = std::getenv("BERTH_BINARY"); b != nullptr && *b != '\0') return b;
#ifdef BERTH_BINARY_PATH
  return BERTH_BINARY_PATH;
#else
  return "berth";
#endif
}

Result<std::unique_ptr<BerthProcess>> BerthProcess::Start(const std::string& binary,
                                                          const std::vector<std::string>& args,
                                                          const std::string& log_path,
                                                          const std::vector<std::string>& env) {
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls (the test has threads).
  std::vector<std::string> argv_store;
  argv_store.push_back(binary);
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env_store.emplace_back(*e);
  env_store.insert(env_store.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Err(Status::IoError("open " + log_path + ": " + std::strerror(errno)));
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    close(null_fd);
    return Err(Status::IoError(std::string("fork: ") + std::strerror(errno)));
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    // The test may block signals; berth expects the defaults.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(log_fd);
  close(null_fd);
  return std::unique_ptr<BerthProcess>(new BerthProcess(pid, log_path));
}

BerthProcess::~BerthProcess() {
  if (!exit_status_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

bool BerthProcess::Running() {
  if (exit_status_) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_status_ = status;
    return false;
  }
  return true;
}

bool BerthProcess::Signal(int signo) {
  if (!Running()) return false;
  return kill(pid_, signo) == 0;
}

std::optional<int> BerthProcess::WaitExit(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (Running()) {
    if (SteadyClock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_status_;
}

std::string BerthProcess::Log() const { return ReadWholeFile(log_path_).value_or(""); }

size_t BerthProcess::CountInLog(std::string_view needle) const {
  const std::string log = Log();
  size_t count = 0;
  for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

std::string BerthProcess::LogTail(size_t bytes) const {
  const std::string s = Log();
  return s.size() > bytes ? "..." + s.substr(s.size() - bytes) : s;
}

long BerthProcess::CpuTicks() const {
  auto stat = ReadWholeFile("/proc/" + std::to_string(pid_) + "/stat");
  if (!stat) return -1;
  // "PID (comm) S ppid ...": fields after the last ')' start with field 3.
  const size_t paren = stat->rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream in(stat->substr(paren + 2));
  std::string field;
  long utime = -1;
  long stime = -1;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::strtol(field.c_str(), nullptr, 10);
    if (i == 15) stime = std::strtol(field.c_str(), nullptr, 10);
  }
  return utime < 0 || stime < 0 ? -1 : utime + stime;
}

long BerthProcess::StatusKb(std::string_view field) const {
  auto status = ReadWholeFile("/proc/" + std::to_string(pid_) + "/status");
  if (!status) return -1;
  std::istringstream in(*status);
  std::string line;
  const std::string want = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.starts_with(want)) return std::strtol(line.c_str() + want.size(), nullptr, 10);
  }
  return -1;
}

int FreeLoopbackPort() {
  auto ports = sys::FreeLoopbackPorts(1);
  return ports ? ports->front() : -1;
}

Result<HttpAnswer> HttpGet(int port, std::string_view path, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Err(Status::IoError(std::string("socket: ") + std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  auto wait_for = [&](short events) -> bool {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    return poll(&p, 1, static_cast<int>(left.count())) > 0;
  };
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (errno != EINPROGRESS) {
      return Err(Status::Unavailable(std::string("connect: ") + std::strerror(errno)));
    }
    if (!wait_for(POLLOUT)) return Err(Status::Timeout("connect timed out"));
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return Err(Status::Unavailable(std::string("connect: ") + std::strerror(err)));
  }
  const std::string request = "GET " + std::string(path) + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  std::string_view rest = request;
  while (!rest.empty()) {
    if (!wait_for(POLLOUT)) return Err(Status::Timeout("send timed out"));
    const ssize_t n = send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) {
      return Err(Status::IoError(std::string("send: ") + std::strerror(errno)));
    }
    if (n > 0) rest.remove_prefix(static_cast<size_t>(n));
  }
  std::string response;
  char buf[8192];
  for (;;) {
    if (!wait_for(POLLIN)) return Err(Status::Timeout("no complete answer in time"));
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return Err(Status::IoError(std::string("read: ") + std::strerror(errno)));
    }
    response.append(buf, static_cast<size_t>(n));
  }
  // "HTTP/1.1 200 OK\r\n...\r\n\r\nbody"
  const size_t sp = response.find(' ');
  const size_t body = response.find("\r\n\r\n");
  if (sp == std::string::npos || body == std::string::npos) {
    return Err(Status::Internal("malformed HTTP answer: " + response.substr(0, 200)));
  }
  HttpAnswer answer;
  answer.status = std::atoi(response.c_str() + sp + 1);
  answer.body = response.substr(body + 4);
  return answer;
}

std::optional<double> MetricValue(std::string_view page, std::string_view name) {
  size_t at = 0;
  while (at < page.size()) {
    size_t end = page.find('\n', at);
    if (end == std::string_view::npos) end = page.size();
    const std::string_view line = page.substr(at, end - at);
    at = end + 1;
    if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == ' ') {
      return std::strtod(std::string(line.substr(name.size() + 1)).c_str(), nullptr);
    }
  }
  return std::nullopt;
}

std::optional<double> ScrapeMetric(int port, std::string_view name) {
  auto page = HttpGet(port, "/metrics");
  if (!page || page->status != 200) return std::nullopt;
  return MetricValue(page->body, name);
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string tmp = path + ".tmp-write";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
  }
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace berth::testing
