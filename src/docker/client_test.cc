// The Client against a scripted fake dockerd on a unix socket: what goes on
// the wire (paths, API version prefix, query, body), how answers and
// failures map to Status codes, and the event stream's framing, end, timeout
// and Close.  The real daemon is exercised by
// tests/integration/docker_client_test.cc.
#include "docker/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sys/testing/temp_dir.h"

namespace berth::docker {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr char kVersion141[] =
    R"({"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12"})";

struct Request {
  std::string method;
  std::string target;  // path and query, as sent
  std::string body;
};

// One accepted connection, for a handler to answer on.
class Conn {
 public:
  Conn(int fd, const std::atomic<bool>* stopping) : fd_(fd), stopping_(stopping) {}

  void Reply(int status, std::string_view body) {
    Send("HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         "Api-Version: 1.41\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + std::string(body));
  }
  void BeginStream() {
    Send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  }
  void Chunk(std::string_view data) {
    char size[32];
    snprintf(size, sizeof(size), "%zx\r\n", data.size());
    Send(std::string(size) + std::string(data) + "\r\n");
  }
  void EndStream() { Send("0\r\n\r\n"); }
  // Keeps the connection open, saying nothing, until the client hangs up or
  // the fake stops.
  void Hold() {
    while (!stopping_->load()) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) > 0) {
        char c;
        if (recv(fd_, &c, 1, MSG_PEEK) <= 0) return;
      }
    }
  }

 private:
  void Send(const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }

  int fd_;
  const std::atomic<bool>* stopping_;
};

// A dockerd stand-in: accepts on a unix socket in a temporary directory,
// reads each request and hands it to `handler` on a thread of its own.
class FakeDockerd {
 public:
  using Handler = std::function<void(const Request&, Conn&)>;

  explicit FakeDockerd(Handler handler) : handler_(std::move(handler)) {
    path_ = dir_.Path("docker.sock");
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path_.c_str());
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        listen(listen_fd_, 16) != 0) {
      ADD_FAILURE() << "cannot listen on " << path_;
    }
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~FakeDockerd() {
    stopping_ = true;
    accept_thread_.join();
    for (auto& t : conn_threads_) t.join();
    close(listen_fd_);
  }

  std::string host() const { return "unix://" + path_; }
  std::vector<Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      conn_threads_.emplace_back([this, fd] {
        Request r;
        if (ReadRequest(fd, &r)) {
          {
            std::lock_guard lock(mu_);
            requests_.push_back(r);
          }
          Conn conn(fd, &stopping_);
          handler_(r, conn);
        }
        close(fd);
      });
    }
  }

  bool ReadRequest(int fd, Request* r) {
    std::string data;
    char buf[4096];
    size_t header_end;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      data.append(buf, static_cast<size_t>(n));
    }
    const std::string head = data.substr(0, header_end);
    const size_t sp1 = head.find(' ');
    const size_t sp2 = head.find(' ', sp1 + 1);
    r->method = head.substr(0, sp1);
    r->target = head.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t length = 0;
    const size_t cl = head.find("Content-Length: ");
    if (cl != std::string::npos) length = std::stoul(head.substr(cl + 16));
    r->body = data.substr(header_end + 4);
    while (r->body.size() < length) {
      ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      r->body.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  Handler handler_;
  testing::TempDir dir_;
  std::string path_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::vector<std::thread> conn_threads_;  // the accept thread's
  std::mutex mu_;
  std::vector<Request> requests_;  // guarded by mu_
};

// Answers /version with `version` and everything else with `rest`.
FakeDockerd::Handler WithVersion(std::string version, FakeDockerd::Handler rest) {
  return [version = std::move(version), rest = std::move(rest)](const Request& r, Conn& c) {
    if (r.target == "/version") {
      c.Reply(200, version);
    } else {
      rest(r, c);
    }
  };
}

Result<ClientPtr> ConnectTo(const FakeDockerd& fake, milliseconds timeout = milliseconds(5000)) {
  ClientOptions o;
  o.host = fake.host();
  o.timeout = timeout;
  return Client::Connect(o);
}

std::string EventLine(std::string_view action, std::string_view id, std::string_view type) {
  return R"({"status":")" + std::string(action) + R"(","id":")" + std::string(id) +
         R"(","Type":")" + std::string(type) + R"(","Action":")" + std::string(action) +
         R"(","Actor":{"ID":")" + std::string(id) +
         R"(","Attributes":{"name":"web-1","image":"berth/nginx"}},"time":1,"timeNano":1000000001})" +
         "\n";
}

TEST(ClientTest, NegotiatesVersionAndPrefixesPaths) {
  FakeDockerd fake(WithVersion(R"({"Version":"28.2.2","ApiVersion":"1.50","MinAPIVersion":"1.24"})",
                               [](const Request&, Conn& c) { c.Reply(200, "[]"); }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  EXPECT_EQ((*client)->api_version(), "1.41");
  EXPECT_EQ((*client)->daemon_version(), "28.2.2");
  EXPECT_EQ((*client)->host(), fake.host());
  auto list = (*client)->List(true, "berth.service=web");
  ASSERT_TRUE(list.has_value()) << list.error().message();
  auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].target, "/version");
  EXPECT_EQ(reqs[1].method, "GET");
  EXPECT_EQ(
      reqs[1].target,
      "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22berth.service%3Dweb%22%5D%7D");
}

TEST(ClientTest, OlderDaemonKeepsItsVersion) {
  FakeDockerd fake(WithVersion(R"({"Version":"1.13.1","ApiVersion":"1.26"})",
                               [](const Request&, Conn& c) { c.Reply(200, "[]"); }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  EXPECT_EQ((*client)->api_version(), "1.26");
  ASSERT_TRUE((*client)->List(false).has_value());
  EXPECT_EQ(fake.requests().back().target, "/v1.26/containers/json?all=0");
}

TEST(ClientTest, TooOldDaemon) {
  FakeDockerd fake(
      [](const Request&, Conn& c) { c.Reply(200, R"({"Version":"1.11.2","ApiVersion":"1.23"})"); });
  auto client = ConnectTo(fake);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().code(), Code::kFailedPrecondition);
  EXPECT_NE(client.error().message().find("1.24 or newer"), std::string::npos)
      << client.error().message();
}

TEST(ClientTest, RequestsOnTheWire) {
  FakeDockerd fake(WithVersion(kVersion141, [](const Request& r, Conn& c) {
    if (r.target.starts_with("/v1.41/containers/create")) {
      c.Reply(201, R"({"Id":"c0ffee","Warnings":[]})");
    } else if (r.target.starts_with("/v1.41/images/")) {
      c.Reply(r.target == "/v1.41/images/berth/nginx:latest/json" ? 200 : 404,
              R"({"message":"no such image"})");
    } else if (r.target.ends_with("/start")) {
      c.Reply(304, "");
    } else {
      c.Reply(204, "");
    }
  }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  Client& d = **client;

  CreateOptions o;
  o.name = "web 1";
  o.image = "berth/nginx";
  o.publish_all = true;
  auto id = d.Create(o);
  ASSERT_TRUE(id.has_value()) << id.error().message();
  EXPECT_EQ(*id, "c0ffee");
  EXPECT_TRUE(d.Start("c0ffee").ok());  // 304: already running
  EXPECT_TRUE(d.Stop("c0ffee", std::chrono::seconds(3)).ok());
  EXPECT_TRUE(d.Remove("c0ffee", true).ok());
  auto yes = d.ImageExists("berth/nginx:latest");
  ASSERT_TRUE(yes.has_value()) << yes.error().message();
  EXPECT_TRUE(*yes);
  auto no = d.ImageExists("berth/nope");
  ASSERT_TRUE(no.has_value()) << no.error().message();
  EXPECT_FALSE(*no);

  auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 7u);
  EXPECT_EQ(reqs[1].method, "POST");
  EXPECT_EQ(reqs[1].target, "/v1.41/containers/create?name=web%201");
  EXPECT_EQ(reqs[1].body, R"({"HostConfig":{"PublishAllPorts":true},"Image":"berth/nginx"})");
  EXPECT_EQ(reqs[2].method, "POST");
  EXPECT_EQ(reqs[2].target, "/v1.41/containers/c0ffee/start");
  EXPECT_EQ(reqs[3].method, "POST");
  EXPECT_EQ(reqs[3].target, "/v1.41/containers/c0ffee/stop?t=3");
  EXPECT_EQ(reqs[4].method, "DELETE");
  EXPECT_EQ(reqs[4].target, "/v1.41/containers/c0ffee?v=1&force=1");
  EXPECT_EQ(reqs[5].target, "/v1.41/images/berth/nginx:latest/json");
  EXPECT_EQ(reqs[6].target, "/v1.41/images/berth/nope/json");
}

struct HttpErrorCase {
  int status;
  const char* body;
  Code code;
  const char* message;
};

TEST(ClientTest, HttpErrorsMapToCodes) {
  static const HttpErrorCase kCases[] = {
      {404, R"({"message":"No such container: nope"})", Code::kNotFound,
       "GET /containers/nope/json: No such container: nope"},
      {400, R"({"message":"bad parameter"})", Code::kInvalidArgument,
       "GET /containers/nope/json: bad parameter"},
      {409, R"({"message":"name in use"})", Code::kFailedPrecondition,
       "GET /containers/nope/json: name in use"},
      {500, R"({"message":"driver failed"})", Code::kInternal,
       "GET /containers/nope/json: driver failed (HTTP 500)"},
      {502, "", Code::kInternal, "GET /containers/nope/json: HTTP 502"},
  };
  for (const HttpErrorCase& c : kCases) {
    SCOPED_TRACE(c.status);
    FakeDockerd fake(WithVersion(
        kVersion141, [&c](const Request&, Conn& conn) { conn.Reply(c.status, c.body); }));
    auto client = ConnectTo(fake);
    ASSERT_TRUE(client.has_value()) << client.error().message();
    auto got = (*client)->Inspect("nope");
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error().code(), c.code);
    EXPECT_EQ(got.error().message(), c.message);
  }
}

TEST(ClientTest, SilentDaemonTimesOut) {
  FakeDockerd fake(WithVersion(kVersion141, [](const Request&, Conn& c) { c.Hold(); }));
  auto client = ConnectTo(fake, milliseconds(300));
  ASSERT_TRUE(client.has_value()) << client.error().message();
  const auto start = Clock::now();
  auto got = (*client)->Inspect("x");
  const auto took = Clock::now() - start;
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Code::kTimeout);
  EXPECT_EQ(got.error().message(),
            "dockerd at " + fake.host() + " did not answer GET /containers/x/json within 300 ms");
  EXPECT_LT(took, milliseconds(3000));

  auto events = (*client)->Events();
  ASSERT_FALSE(events.has_value());
  EXPECT_EQ(events.error().code(), Code::kTimeout);
}

TEST(ClientTest, MissingSocket) {
  testing::TempDir dir;
  ClientOptions o;
  o.host = "unix://" + dir.Path("nothing.sock");
  auto client = Client::Connect(o);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().code(), Code::kUnavailable);
  EXPECT_EQ(client.error().message(),
            "cannot reach dockerd at " + o.host +
                ": connect: No such file or directory — is dockerd running and is the socket "
                "accessible?");
}

TEST(ClientTest, BadHostIsInvalidArgument) {
  ClientOptions o;
  o.host = "ssh://me@box";
  auto client = Client::Connect(o);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().code(), Code::kInvalidArgument);
}

TEST(EventStreamTest, FramingFilteringAndEnd) {
  FakeDockerd fake(WithVersion(kVersion141, [](const Request& r, Conn& c) {
    if (!r.target.starts_with("/v1.41/events?")) return c.Reply(404, "{}");
    c.BeginStream();
    const std::string start = EventLine("start", "c1", "container");
    // A line split over chunks, a network event to skip, two in one chunk.
    c.Chunk(start.substr(0, 17));
    std::this_thread::sleep_for(milliseconds(30));
    c.Chunk(start.substr(17));
    c.Chunk(EventLine("connect", "n1", "network"));
    c.Chunk(EventLine("die", "c1", "container") + "\n" + EventLine("destroy", "c1", "container"));
    c.EndStream();
  }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  auto stream = (*client)->Events();
  ASSERT_TRUE(stream.has_value()) << stream.error().message();
  EXPECT_EQ(fake.requests().back().target,
            "/v1.41/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D");

  std::vector<std::string> actions;
  for (int i = 0; i < 3; ++i) {
    auto ev = (*stream)->Next(milliseconds(5000));
    ASSERT_TRUE(ev.has_value()) << ev.error().message();
    EXPECT_EQ(ev->id, "c1");
    EXPECT_EQ(ev->name, "web-1");
    EXPECT_EQ(ev->image, "berth/nginx");
    actions.push_back(ev->action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"start", "die", "destroy"}));
  for (int i = 0; i < 2; ++i) {
    auto end = (*stream)->Next(milliseconds(5000));
    ASSERT_FALSE(end.has_value());
    EXPECT_EQ(end.error().code(), Code::kUnavailable) << end.error().message();
    EXPECT_NE(end.error().message().find("ended the event stream"), std::string::npos)
        << end.error().message();
  }
}

TEST(EventStreamTest, BrokenStreamIsUnavailable) {
  FakeDockerd fake(WithVersion(kVersion141, [](const Request&, Conn& c) {
    c.BeginStream();
    c.Chunk(EventLine("start", "c1", "container"));
    // The daemon dies: the connection closes without the final chunk.
  }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  auto stream = (*client)->Events();
  ASSERT_TRUE(stream.has_value()) << stream.error().message();
  auto ev = (*stream)->Next(milliseconds(5000));
  ASSERT_TRUE(ev.has_value()) << ev.error().message();
  EXPECT_EQ(ev->action, "start");
  auto end = (*stream)->Next(milliseconds(5000));
  ASSERT_FALSE(end.has_value());
  EXPECT_EQ(end.error().code(), Code::kUnavailable);
  EXPECT_NE(end.error().message().find("broke"), std::string::npos) << end.error().message();
}

TEST(EventStreamTest, MalformedEventIsUnavailable) {
  FakeDockerd fake(WithVersion(kVersion141, [](const Request&, Conn& c) {
    c.BeginStream();
    c.Chunk("{not json}\n");
    c.Hold();
  }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  auto stream = (*client)->Events();
  ASSERT_TRUE(stream.has_value()) << stream.error().message();
  auto ev = (*stream)->Next(milliseconds(5000));
  ASSERT_FALSE(ev.has_value());
  EXPECT_EQ(ev.error().code(), Code::kUnavailable);
  EXPECT_NE(ev.error().message().find("malformed event"), std::string::npos)
      << ev.error().message();
}

TEST(EventStreamTest, TimeoutThenCloseFromAnotherThread) {
  FakeDockerd fake(WithVersion(kVersion141, [](const Request&, Conn& c) {
    c.BeginStream();
    c.Hold();
  }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  auto stream = (*client)->Events();
  ASSERT_TRUE(stream.has_value()) << stream.error().message();

  auto start = Clock::now();
  auto quiet = (*stream)->Next(milliseconds(150));
  ASSERT_FALSE(quiet.has_value());
  EXPECT_EQ(quiet.error().code(), Code::kTimeout);
  EXPECT_GE(Clock::now() - start, milliseconds(150));
  auto instant = (*stream)->Next(milliseconds(0));
  ASSERT_FALSE(instant.has_value());
  EXPECT_EQ(instant.error().code(), Code::kTimeout);

  EventStream* s = stream->get();
  std::thread closer([s] {
    std::this_thread::sleep_for(milliseconds(200));
    s->Close();
  });
  start = Clock::now();
  auto closed = s->Next(milliseconds(30000));
  const auto took = Clock::now() - start;
  closer.join();
  ASSERT_FALSE(closed.has_value());
  EXPECT_EQ(closed.error().code(), Code::kCancelled);
  EXPECT_LT(took, milliseconds(2000));
  auto again = s->Next(milliseconds(1000));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), Code::kCancelled);
}

TEST(EventStreamTest, ErrorAnswer) {
  FakeDockerd fake(WithVersion(kVersion141, [](const Request&, Conn& c) {
    c.Reply(400, R"({"message":"invalid filter 'type=bogus'"})");
  }));
  auto client = ConnectTo(fake);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  auto stream = (*client)->Events();
  ASSERT_FALSE(stream.has_value());
  EXPECT_EQ(stream.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(stream.error().message(), "GET /events: invalid filter 'type=bogus'");
}

}  // namespace
}  // namespace berth::docker
