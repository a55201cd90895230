#include "tests/integration/docker_fixture.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>

#include "docker/wire.h"
#include "sys/command.h"

namespace berth::testing {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
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

std::string FindExecutable(std::initializer_list<const char*> candidates) {
  for (const char* c : candidates) {
    if (access(c, X_OK) == 0) return c;
  }
  return "";
}

std::string DockerdLogPath() {
  std::string dir = Env("TMPDIR");
  if (dir.empty()) dir = "/tmp";
  return dir + "/berth-test-dockerd.log";
}

Result<docker::ClientPtr> TryConnect(milliseconds timeout) {
  docker::ClientOptions o = DockerClientOptions();
  o.timeout = timeout;
  return docker::Client::Connect(o);
}

// Starts the machine's dockerd in the background, detached from this
// process (it must outlive the test run), and returns at once.
Status LaunchSystemDockerd() {
  if (access("/run/systemd/system", F_OK) == 0) {
    auto r = sys::RunShell("systemctl start docker", seconds(90));
    if (!r) return r.error();
    if (!r->ok()) {
      return Status::Unavailable("`systemctl start docker`: " + r->Describe() + ": " + r->output);
    }
    return Status::Ok();
  }
  const std::string dockerd = FindExecutable({"/usr/sbin/dockerd", "/usr/bin/dockerd"});
  if (dockerd.empty()) return Status::NotFound("dockerd is not installed");
  const std::string log = DockerdLogPath();
  const pid_t child = fork();
  if (child < 0) return Status::IoError(std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    // Async-signal-safe calls only: a session of its own, then a grandchild
    // that init adopts, so nothing here waits for (or kills) it.
    setsid();
    if (fork() != 0) _exit(0);
    int in = open("/dev/null", O_RDONLY);
    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in >= 0) dup2(in, 0);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    execl(dockerd.c_str(), "dockerd", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return Status::Ok();
}

Status StartDockerdAndWait() {
  BERTH_RETURN_IF_ERROR(LaunchSystemDockerd());
  Status last = Status::Unavailable("dockerd did not answer");
  const bool up = WaitUntil(
      [&] {
        auto c = TryConnect(milliseconds(1000));
        last = c ? Status::Ok() : c.error();
        return c.has_value();
      },
      seconds(60), milliseconds(250));
  if (!up) {
    return Status::Unavailable("started dockerd, but it did not answer within 60 s (" +
                               last.message() + "); see " + DockerdLogPath());
  }
  return Status::Ok();
}

Status BuildImage() {
  const std::string script = std::string(BERTH_SOURCE_DIR) + "/scripts/build-nginx-image.sh";
  auto r = sys::RunShell(ShellQuote(script), seconds(300));
  if (!r) return r.error();
  if (!r->ok()) {
    return Status::Internal(script + ": " + r->Describe() + ": " + r->output);
  }
  return Status::Ok();
}

// Removes containers whose creating test process is gone.
void RemoveLeftovers(docker::Client& client) {
  auto list = client.List(true, kTestPidLabel);
  if (!list) return;
  for (const auto& c : *list) {
    auto it = c.labels.find(kTestPidLabel);
    if (it == c.labels.end()) continue;
    const pid_t pid = static_cast<pid_t>(std::atoi(it->second.c_str()));
    if (pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH)) continue;
    (void)client.Remove(c.id, /*force=*/true);
  }
}

Status EnsureDockerOnce() {
  const std::string cli = FindExecutable({"/usr/bin/docker", "/usr/local/bin/docker"});
  auto client = TryConnect(seconds(10));
  if (!client) {
    auto address = docker::ParseDaemonAddress("", Env("DOCKER_HOST"));
    const bool default_socket = address && address->ToString() == docker::kDefaultDockerHost;
    if (client.error().code() != Code::kUnavailable || !default_socket || geteuid() != 0) {
      return client.error();
    }
    if (FindExecutable({"/usr/sbin/dockerd", "/usr/bin/dockerd"}).empty()) {
      return Status::NotFound("Docker is not installed (apt-get install docker.io): " +
                              client.error().message());
    }
    BERTH_RETURN_IF_ERROR(StartDockerdAndWait());
    client = TryConnect(seconds(10));
    if (!client) return client.error();
  }
  RemoveLeftovers(**client);
  auto exists = (*client)->ImageExists(kNginxImage);
  if (!exists) return exists.error();
  if (!*exists) {
    if (cli.empty()) {
      return Status::NotFound(std::string(kNginxImage) +
                              " is missing and the docker CLI that builds it is not installed "
                              "(apt-get install docker.io)");
    }
    BERTH_RETURN_IF_ERROR(BuildImage());
  }
  return Status::Ok();
}

std::string CurrentTestId() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "unknown";
  return std::string(info->test_suite_name()) + "." + info->name();
}

}  // namespace

Status EnsureDocker() {
  static std::once_flag once;
  static Status outcome;
  std::call_once(once, [] { outcome = EnsureDockerOnce(); });
  return outcome;
}

bool MissingIsFailure() { return Env("CI") == "true"; }

docker::ClientOptions DockerClientOptions() {
  docker::ClientOptions o;  // host "": DOCKER_HOST, else the default socket
  o.timeout = seconds(30);
  return o;
}

TestContainers::TestContainers(docker::Client* client, std::string test_id)
    : client_(client), test_id_(std::move(test_id)) {}

TestContainers::~TestContainers() {
  Status s = RemoveAll();
  if (!s.ok()) ADD_FAILURE() << "removing the test's containers: " << s.message();
}

std::string TestContainers::label_value() const {
  return test_id_ + ":" + std::to_string(getpid());
}

std::string TestContainers::label() const { return std::string(kTestLabel) + "=" + label_value(); }

std::string TestContainers::NewName() {
  return "berth-test-" + std::to_string(getpid()) + "-" + std::to_string(next_++);
}

Result<docker::Container> TestContainers::Run(docker::CreateOptions options) {
  if (options.image.empty()) options.image = kNginxImage;
  if (options.name.empty()) options.name = NewName();
  options.labels[kTestLabel] = label_value();
  options.labels[kTestPidLabel] = std::to_string(getpid());
  auto id = client_->Create(options);
  if (!id) return Err(id.error());
  BERTH_RETURN_IF_ERROR(client_->Start(*id));
  return client_->Inspect(*id);
}

Status TestContainers::RemoveAll() {
  auto list = client_->List(true, label());
  if (!list) return list.error();
  Status first;
  for (const auto& c : *list) {
    Status s = client_->Remove(c.id, /*force=*/true);
    if (!s.ok() && s.code() != Code::kNotFound && first.ok()) first = s;
  }
  return first;
}

void DockerTest::SetUp() {
  Status s = EnsureDocker();
  if (!s.ok()) {
    if (MissingIsFailure()) FAIL() << s.message() << " (CI=true requires Docker)";
    GTEST_SKIP() << s.message();
  }
  auto c = docker::Client::Connect(DockerClientOptions());
  ASSERT_TRUE(c.has_value()) << c.error().message();
  client_ = std::move(*c);
  containers_ = std::make_unique<TestContainers>(client_.get(), CurrentTestId());
}

void DockerTest::TearDown() {
  containers_.reset();
  client_.reset();
}

Result<HttpReply> HttpGetFrom(std::string_view host, uint16_t port, std::string_view path,
                              milliseconds timeout) {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) return Err(Status::Internal("curl_global_init failed"));
  std::unique_ptr<CURL, void (*)(CURL*)> easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) return Err(Status::Internal("curl_easy_init failed"));
  const bool v6 = host.find(':') != std::string_view::npos;
  const std::string url = "http://" + (v6 ? "[" + std::string(host) + "]" : std::string(host)) +
                          ":" + std::to_string(port) + std::string(path);
  HttpReply reply;
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(
      h, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
        static_cast<std::string*>(user)->append(data, size * n);
        return size * n;
      });
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    return Err(Status::Unavailable("GET " + url + ": " +
                                   (errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc))));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Result<std::unique_ptr<DockerdRelay>> DockerdRelay::Start(std::string target_socket) {
  if (target_socket.empty()) {
    auto address = docker::ParseDaemonAddress(DockerClientOptions().host, Env("DOCKER_HOST"));
    if (!address) return Err(address.error());
    if (address->kind != docker::DaemonAddress::Kind::kUnix) {
      return Err(Status::FailedPrecondition("the relay forwards to a unix socket; dockerd is at " +
                                            address->ToString()));
    }
    target_socket = address->socket_path;
  }
  std::unique_ptr<DockerdRelay> r(new DockerdRelay());
  r->target_ = std::move(target_socket);
  std::string dir = (std::filesystem::temp_directory_path() / "berth-test-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) {
    return Err(Status::IoError("mkdtemp " + dir + ": " + std::strerror(errno)));
  }
  r->dir_ = dir;
  r->socket_path_ = dir + "/dockerd.sock";
  if (pipe2(r->wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Err(Status::IoError(std::string("pipe2: ") + std::strerror(errno)));
  }
  BERTH_RETURN_IF_ERROR(r->Listen());
  r->thread_ = std::thread([relay = r.get()] { relay->Loop(); });
  return r;
}

DockerdRelay::~DockerdRelay() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mu_);
      want_stop_ = true;
    }
    (void)!write(wake_[1], "x", 1);
    thread_.join();
  }
  for (auto [a, b] : pairs_) {
    close(a);
    close(b);
  }
  if (listen_fd_ >= 0) close(listen_fd_);
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void DockerdRelay::Cut() {
  std::unique_lock lock(mu_);
  want_cut_ = true;
  const int generation = generation_;
  (void)!write(wake_[1], "x", 1);
  cv_.wait(lock, [&] { return generation_ != generation; });
}

void DockerdRelay::Resume() {
  std::unique_lock lock(mu_);
  want_listen_ = true;
  const int generation = generation_;
  (void)!write(wake_[1], "x", 1);
  cv_.wait(lock, [&] { return generation_ != generation; });
}

Status DockerdRelay::Listen() {
  if (listen_fd_ >= 0) return Status::Ok();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof(addr.sun_path)) {
    return Status::InvalidArgument("socket path too long: " + socket_path_);
  }
  std::memcpy(addr.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
  unlink(socket_path_.c_str());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 64) != 0) {
    Status s = Status::IoError("listen on " + socket_path_ + ": " + std::strerror(errno));
    if (fd >= 0) close(fd);
    return s;
  }
  listen_fd_ = fd;
  return Status::Ok();
}

void DockerdRelay::Loop() {
  std::vector<pollfd> fds;
  char buf[64 * 1024];
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (want_stop_) return;
      if (want_cut_ || want_listen_) {
        if (want_cut_) {
          for (auto [a, b] : pairs_) {
            close(a);
            close(b);
          }
          pairs_.clear();
          if (listen_fd_ >= 0) close(listen_fd_);
          listen_fd_ = -1;
          unlink(socket_path_.c_str());
        }
        if (want_listen_) (void)Listen();
        want_cut_ = want_listen_ = false;
        ++generation_;
        cv_.notify_all();
      }
    }
    fds.clear();
    fds.push_back({wake_[0], POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});  // ignored by poll when -1
    for (auto [a, b] : pairs_) {
      fds.push_back({a, POLLIN, 0});
      fds.push_back({b, POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), 1000) <= 0) continue;
    if (fds[0].revents != 0) {
      while (read(wake_[0], buf, sizeof(buf)) > 0) {
      }
    }
    std::vector<bool> dead(pairs_.size(), false);
    for (size_t i = 0; i < pairs_.size(); ++i) {
      for (int side = 0; side < 2 && !dead[i]; ++side) {
        if (fds[2 + 2 * i + side].revents == 0) continue;
        const int from = side == 0 ? pairs_[i].first : pairs_[i].second;
        const int to = side == 0 ? pairs_[i].second : pairs_[i].first;
        const ssize_t n = read(from, buf, sizeof(buf));
        if (n <= 0 || send(to, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) dead[i] = true;
      }
    }
    for (size_t i = pairs_.size(); i-- > 0;) {
      if (!dead[i]) continue;
      close(pairs_[i].first);
      close(pairs_[i].second);
      pairs_.erase(pairs_.begin() + static_cast<ptrdiff_t>(i));
    }
    if (listen_fd_ >= 0 && fds[1].revents != 0) {
      const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::memcpy(addr.sun_path, target_.c_str(),
                  std::min(target_.size() + 1, sizeof(addr.sun_path) - 1));
      const int daemon = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (daemon < 0 || connect(daemon, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        if (daemon >= 0) close(daemon);
        close(client);
        continue;
      }
      pairs_.emplace_back(client, daemon);
    }
  }
}

uint16_t PublishedPort(const docker::Container& c, std::string_view container_port) {
  uint16_t any = 0;
  for (const auto& p : c.ports) {
    if (p.container_port != container_port) continue;
    if (p.host_ip == "0.0.0.0" || p.host_ip.empty()) return p.host_port;
    any = p.host_port;
  }
  return any;
}

uint16_t RefusingLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);  // bound, never listened: closing leaves the port refusing
  return port;
}

}  // namespace berth::testing
