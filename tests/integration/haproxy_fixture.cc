#include "tests/integration/haproxy_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sys/net.h"

namespace berth::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int ConnectLoopback(int port, std::chrono::milliseconds timeout) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads one HTTP/1.1 response (Content-Length bodies only) from `fd`,
// keeping bytes that follow it in *buffer.  An error names what went wrong.
Result<HttpResponse> ReadResponse(int fd, std::string* buffer) {
  char chunk[8192];
  auto fill = [&]() -> Status {
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer->append(chunk, static_cast<size_t>(n));
      return Status::Ok();
    }
    if (n == 0) return Status::Unavailable("connection closed before a complete response");
    if (errno == EINTR) return Status::Ok();
    return Status::Unavailable(std::string("recv: ") + std::strerror(errno));
  };
  size_t head_end;
  while ((head_end = buffer->find("\r\n\r\n")) == std::string::npos) {
    BERTH_RETURN_IF_ERROR(fill());
  }
  HttpResponse r;
  std::istringstream head(buffer->substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (!line.starts_with("HTTP/1.")) return Err(Status::Internal("bad status line: " + line));
  r.status = std::atoi(line.substr(9, 3).c_str());
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[Lower(line.substr(0, colon))] = value;
  }
  size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) {
    length = static_cast<size_t>(std::atoll(it->second.c_str()));
  }
  const size_t body_start = head_end + 4;
  while (buffer->size() < body_start + length) BERTH_RETURN_IF_ERROR(fill());
  r.body = buffer->substr(body_start, length);
  buffer->erase(0, body_start + length);
  return r;
}

}  // namespace

// --- HttpBackend -----------------------------------------------------------

Result<std::unique_ptr<HttpBackend>> HttpBackend::Start(std::string name,
                                                        std::chrono::milliseconds slow_delay) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Err(Status::IoError(std::string("socket: ") + std::strerror(errno)));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(fd, 128) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const Status s = Status::IoError(std::string("bind/listen: ") + std::strerror(errno));
    close(fd);
    return Err(s);
  }
  std::unique_ptr<HttpBackend> b(
      new HttpBackend(std::move(name), fd, ntohs(addr.sin_port), slow_delay));
  if (pipe2(b->wake_, O_CLOEXEC) != 0) {
    return Err(Status::IoError(std::string("pipe: ") + std::strerror(errno)));
  }
  b->acceptor_ = std::thread([p = b.get()] { p->AcceptLoop(); });
  return b;
}

HttpBackend::HttpBackend(std::string name, int fd, int port, std::chrono::milliseconds slow_delay)
    : name_(std::move(name)), listen_fd_(fd), port_(port), slow_delay_(slow_delay) {}

HttpBackend::~HttpBackend() {
  stopping_ = true;
  if (wake_[1] >= 0) {
    const char c = 'x';
    (void)!write(wake_[1], &c, 1);
  }
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [fd, t] : connections_) shutdown(fd, SHUT_RDWR);
  }
  for (auto& [fd, t] : connections_) {
    if (t.joinable()) t.join();
    close(fd);
  }
  close(listen_fd_);
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

void HttpBackend::AcceptLoop() {
  for (;;) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0 && errno != EINTR) return;
    if (stopping_ || (p[1].revents & POLLIN)) return;
    if (!(p[0].revents & POLLIN)) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::lock_guard<std::mutex> lock(mu_);
    connections_.emplace_back(fd, std::thread([this, fd] { Serve(fd); }));
  }
}

void HttpBackend::Serve(int fd) {
  // The descriptor stays open (the destructor closes it) so that its number
  // cannot be reused while the destructor may still shut it down.
  struct Finish {
    int fd;
    ~Finish() { shutdown(fd, SHUT_RDWR); }
  } finish{fd};
  std::string buffer;
  char chunk[8192];
  for (;;) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        return;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    const bool close_after = Lower(head).find("\r\nconnection: close") != std::string::npos;
    if (head.starts_with("GET /slow")) {
      const auto until = Clock::now() + slow_delay_;
      while (!stopping_ && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    ++requests_;
    const std::string body = name_ + "\n";
    const std::string response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Backend: " + name_ +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
        (close_after ? "Connection: close\r\n" : "") + "\r\n" + body;
    if (!SendAll(fd, response) || close_after) return;
  }
}

Result<HttpResponse> HttpGet(int port, const std::string& path, std::chrono::milliseconds timeout) {
  const int fd = ConnectLoopback(port, timeout);
  if (fd < 0) return Err(Status::Unavailable(std::string("connect: ") + std::strerror(errno)));
  const std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
  std::string buffer;
  Result<HttpResponse> r = SendAll(fd, request)
                               ? ReadResponse(fd, &buffer)
                               : Result<HttpResponse>(Err(Status::Unavailable("send failed")));
  close(fd);
  return r;
}

// --- KeepAliveLoad ---------------------------------------------------------

KeepAliveLoad::KeepAliveLoad(int port, int connections, std::chrono::milliseconds gap)
    : port_(port), gap_(gap) {
  for (int i = 0; i < connections; ++i) threads_.emplace_back([this] { Run(); });
}

KeepAliveLoad::~KeepAliveLoad() { (void)Stop(); }

LoadStats KeepAliveLoad::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

LoadStats KeepAliveLoad::Stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  return Snapshot();
}

void KeepAliveLoad::Count(bool ok, bool closed, const std::string& body, const std::string& error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ok) {
    ++stats_.ok;
    stats_.connection_close += closed;
    std::string name = body;
    if (!name.empty() && name.back() == '\n') name.pop_back();
    ++stats_.by_backend[name];
  } else {
    ++stats_.errors;
    if (stats_.error_samples.size() < 10) stats_.error_samples.push_back(error);
  }
}

void KeepAliveLoad::Run() {
  int fd = -1;
  std::string buffer;
  const std::string request = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
  while (!stopping_) {
    if (fd < 0) {
      fd = ConnectLoopback(port_, std::chrono::milliseconds(5000));
      buffer.clear();
      if (fd < 0) {
        Count(false, false, "", std::string("connect: ") + std::strerror(errno));
        std::this_thread::sleep_for(gap_);
        continue;
      }
    }
    Result<HttpResponse> r =
        SendAll(fd, request)
            ? ReadResponse(fd, &buffer)
            : Result<HttpResponse>(
                  Err(Status::Unavailable(std::string("send: ") + std::strerror(errno))));
    bool reconnect = true;
    if (!r) {
      Count(false, false, "", r.error().message());
    } else if (r->status != 200) {
      Count(false, false, "", "status " + std::to_string(r->status));
    } else {
      const auto c = r->headers.find("connection");
      const bool closed = c != r->headers.end() && Lower(c->second) == "close";
      Count(true, closed, r->body, "");
      reconnect = closed;
    }
    if (reconnect) {
      close(fd);
      fd = -1;
    }
    std::this_thread::sleep_for(gap_);
  }
  if (fd >= 0) close(fd);
}

// --- HaproxyInstance -------------------------------------------------------

std::string HaproxyInstance::Binary() {
  const std::string b = Env("BERTH_HAPROXY");
  return b.empty() ? "/usr/sbin/haproxy" : b;
}

bool HaproxyInstance::Available() { return access(Binary().c_str(), X_OK) == 0; }

Result<std::unique_ptr<HaproxyInstance>> HaproxyInstance::Create() {
  if (!Available()) return Err(Status::NotFound("HAProxy is not installed at " + Binary()));
  std::unique_ptr<HaproxyInstance> h(new HaproxyInstance());
  // /tmp keeps socket paths well under the 108 bytes of sun_path.
  std::string tmpl = "/tmp/berth-haproxy-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Err(Status::IoError("mkdtemp: " + std::string(std::strerror(errno))));
  }
  h->dir_ = tmpl;
  auto ports = sys::FreeLoopbackPorts(1);
  if (!ports) return Err(ports.error());
  h->port_ = (*ports)[0];
  return h;
}

HaproxyInstance::~HaproxyInstance() {
  process_.reset();  // kills and reaps HAProxy
  if (!dir_.empty() && Env("BERTH_KEEP_HAPROXY_DIR").empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string HaproxyInstance::Config(const std::vector<TestServer>& servers,
                                    const HaproxyConfigOptions& o) const {
  std::string c;
  c += "global\n";
  c += "    stats socket " + stats_socket() + " mode 600 level admin\n";
  c += "    stats timeout 30s\n";
  if (!o.hard_stop_after.empty()) c += "    hard-stop-after " + o.hard_stop_after + "\n";
  for (const auto& l : o.global_lines) c += "    " + l + "\n";
  c += "defaults\n";
  c += "    mode http\n";
  if (o.idle_close_on_response) c += "    option idle-close-on-response\n";
  c += "    timeout connect 2s\n";
  c += "    timeout client 30s\n";
  c += "    timeout server 30s\n";
  c += "    timeout http-keep-alive 30s\n";
  c += "frontend fe\n";
  c += "    bind 127.0.0.1:" + std::to_string(port_) + "\n";
  for (const auto& l : o.frontend_lines) c += "    " + l + "\n";
  c += "    default_backend be\n";
  c += "backend be\n";
  c += "    balance " + o.balance + "\n";
  for (const auto& l : o.backend_lines) c += "    " + l + "\n";
  for (const auto& s : servers) {
    c += "    server " + s.name + " " + s.address;
    if (!o.server_options.empty()) c += " " + o.server_options;
    c += "\n";
  }
  return c;
}

void HaproxyInstance::WriteConfig(const std::string& text) const {
  const std::string tmp = config_path() + ".tmp";
  std::ofstream(tmp, std::ios::binary | std::ios::trunc) << text;
  std::filesystem::rename(tmp, config_path());
}

std::string HaproxyInstance::ReadConfig() const {
  std::ifstream in(config_path(), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status HaproxyInstance::Start() {
  haproxy::HaproxyOptions o;
  o.binary = Binary();
  o.config_file = config_path();
  o.master_socket = master_socket();
  o.pid_file = dir_ + "/haproxy.pid";
  o.log_file = log_path();
  o.die_with_parent = true;
  auto p = haproxy::HaproxyProcess::Start(o);
  if (!p) return p.error();
  process_ = std::move(*p);
  return Status::Ok();
}

std::string HaproxyInstance::LogTail() const {
  return process_ ? process_->LogTail() : std::string();
}

void HaproxyTest::SetUp() {
  if (HaproxyInstance::Available()) return;
  const std::string why = "HAProxy is not installed at " + HaproxyInstance::Binary();
  if (Env("CI") == "true") {
    FAIL() << why << "; CI=true requires it";
  }
  GTEST_SKIP() << why;
}

}  // namespace berth::testing
