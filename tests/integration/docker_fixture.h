// Docker for integration tests: a dockerd that answers, the berth/nginx
// image, and containers that do not outlive the test that made them.
//
// EnsureDocker() runs once per test process (the outcome is cached):
//   1. it connects to dockerd where the docker CLI would (DOCKER_HOST, else
//      unix:///var/run/docker.sock);
//   2. when nothing answers there, the address is the default socket, we are
//      root and dockerd is installed, it starts the machine's dockerd —
//      `systemctl start docker` under systemd, else plain `dockerd` with its
//      default settings, detached (own session, log appended to
//      $TMPDIR/berth-test-dockerd.log) — and waits up to 60 s for the socket
//      to answer.  That dockerd is left running for the rest of the test run
//      and afterwards: it is the machine's Docker, not a test's.  (A private
//      dockerd with its own --data-root would still fight the system one
//      over the default bridge, iptables chains and containerd.)
//   3. it builds berth/nginx with scripts/build-nginx-image.sh when missing;
//   4. it removes containers that earlier test processes left behind (their
//      berth.test.pid names a process that no longer exists).
// DockerTest::SetUp skips the test when any of it fails, or fails it when
// the environment says CI=true.
//
// TestContainers labels what a test creates berth.test=<test id> and
// berth.test.pid=<pid>, and its destructor force-removes every container with
// the test's label, whoever created it.
//
// Thread-safety: EnsureDocker is thread-safe; the rest is for one thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "base/status.h"
#include "docker/client.h"

namespace berth::testing {

inline constexpr char kNginxImage[] = "berth/nginx:latest";
inline constexpr char kTestLabel[] = "berth.test";
inline constexpr char kTestPidLabel[] = "berth.test.pid";

// Makes dockerd and berth/nginx available (see above).  kNotFound when
// Docker is not installed, kUnavailable when dockerd does not answer (and
// could not be started), kInternal when the image could not be built; the
// message says what to do.
Status EnsureDocker();

// Whether a missing prerequisite fails the test (CI=true) or skips it.
bool MissingIsFailure();

// Client options for the daemon EnsureDocker found.
docker::ClientOptions DockerClientOptions();

class TestContainers {
 public:
  // `test_id` names the test ("Suite.Name"); `client` must outlive this.
  TestContainers(docker::Client* client, std::string test_id);
  ~TestContainers();  // RemoveAll(), failures reported with ADD_FAILURE
  TestContainers(const TestContainers&) = delete;
  TestContainers& operator=(const TestContainers&) = delete;

  // "<test id>:<pid>", the value of the berth.test label.
  std::string label_value() const;
  // "berth.test=<test id>:<pid>": what List(true, label()) finds.
  std::string label() const;
  // A container name unique to this process: "berth-test-<pid>-<n>".
  std::string NewName();

  // Creates and starts a container with `options` plus the test's labels
  // (image berth/nginx and a new name when unset) and returns it inspected
  // once running.  The container is removed by RemoveAll even if starting
  // fails.
  Result<docker::Container> Run(docker::CreateOptions options);
  // Force-removes every container carrying the test's label.
  Status RemoveAll();

 private:
  docker::Client* client_;
  std::string test_id_;
  int next_ = 0;
};

// Base of tests that need dockerd: SetUp runs EnsureDocker (skip or fail),
// connects client() and prepares containers() for the current test.
class DockerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  docker::Client& client() { return *client_; }
  TestContainers& containers() { return *containers_; }

 private:
  docker::ClientPtr client_;
  std::unique_ptr<TestContainers> containers_;
};

// A stand-in address for dockerd that forwards every connection to the
// real daemon's unix socket and can be cut: what dockerd going away (and
// coming back) looks like to a client, without touching the machine's
// dockerd.  Its socket lives in a temporary directory removed with it.
// Thread-safe: Cut and Resume may be called from any thread.
class DockerdRelay {
 public:
  // Relays to `target_socket` (the default: the socket EnsureDocker uses).
  // kFailedPrecondition when dockerd is not reached over a unix socket.
  static Result<std::unique_ptr<DockerdRelay>> Start(std::string target_socket = "");
  ~DockerdRelay();
  DockerdRelay(const DockerdRelay&) = delete;
  DockerdRelay& operator=(const DockerdRelay&) = delete;

  // "unix:///tmp/berth-test-XXXXXX/dockerd.sock", for ClientOptions::host.
  std::string host() const { return "unix://" + socket_path_; }
  // Closes every relayed connection and the socket (connects fail) and
  // returns once that is done.
  void Cut();
  // Listens again.
  void Resume();

 private:
  DockerdRelay() = default;
  void Loop();
  Status Listen();

  // Constant after Start.
  std::string dir_;
  std::string socket_path_;
  std::string target_;
  int wake_[2] = {-1, -1};
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool want_cut_ = false;     // guarded by mu_
  bool want_stop_ = false;    // guarded by mu_
  bool want_listen_ = false;  // guarded by mu_
  int generation_ = 0;        // guarded by mu_: bumped when a request is done

  // The relay thread's.
  int listen_fd_ = -1;
  std::vector<std::pair<int, int>> pairs_;  // client fd, daemon fd
};

// Polls `condition` every `step` until it holds or `timeout` passes; true
// when it held.
template <typename Condition>
bool WaitUntil(Condition condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

// GET http://HOST:PORT/PATH with libcurl: the status and the body.
struct HttpReply {
  long status = 0;
  std::string body;
};
Result<HttpReply> HttpGetFrom(std::string_view host, uint16_t port, std::string_view path,
                              std::chrono::milliseconds timeout = std::chrono::seconds(2));

// The host port a container published for `container_port` ("80/tcp") on
// IPv4 (or any address); 0 when none.
uint16_t PublishedPort(const docker::Container& c, std::string_view container_port = "80/tcp");

// A TCP port on 127.0.0.1 that refuses connections right now.
uint16_t RefusingLoopbackPort();

}  // namespace berth::testing
