// Test support for the HAProxy integration tests: a real HAProxy in
// master-worker mode (HaproxyInstance), tiny HTTP/1.1 backends written here
// (HttpBackend), a keep-alive client load that counts every failed request
// (KeepAliveLoad), and a one-shot GET.
//
// HaproxyInstance owns a temporary directory under /tmp (configuration, log,
// master and stats sockets), picks a free loopback port for its frontend and
// runs /usr/sbin/haproxy (or $BERTH_HAPROXY) through haproxy::HaproxyProcess
// with die_with_parent set; the destructor kills HAProxy and removes the
// directory (kept when $BERTH_KEEP_HAPROXY_DIR is set).
//
// HttpBackend and KeepAliveLoad own threads; their destructors stop and join
// them.  Everything else is meant for the test's main thread.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "haproxy/master.h"
#include "haproxy/runtime_api.h"

namespace berth::testing {

// An HTTP/1.1 server on 127.0.0.1 answering every request with 200 and the
// body "<name>\n" (header X-Backend: <name>), keeping connections alive.
// "GET /slow" answers after slow_delay.  One thread accepts, one thread
// serves each connection.
class HttpBackend {
 public:
  static Result<std::unique_ptr<HttpBackend>> Start(
      std::string name, std::chrono::milliseconds slow_delay = std::chrono::milliseconds(1000));
  ~HttpBackend();
  HttpBackend(const HttpBackend&) = delete;
  HttpBackend& operator=(const HttpBackend&) = delete;

  const std::string& name() const { return name_; }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int64_t requests() const { return requests_.load(); }

 private:
  HttpBackend(std::string name, int fd, int port, std::chrono::milliseconds slow_delay);
  void AcceptLoop();
  void Serve(int fd);

  const std::string name_;
  const int listen_fd_;
  const int port_;
  const std::chrono::milliseconds slow_delay_;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> requests_{0};
  std::thread acceptor_;
  std::mutex mu_;  // guards connections_
  std::vector<std::pair<int, std::thread>> connections_;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// GET http://127.0.0.1:port/path on a new connection ("Connection: close").
Result<HttpResponse> HttpGet(int port, const std::string& path,
                             std::chrono::milliseconds timeout = std::chrono::seconds(5));

struct LoadStats {
  int64_t ok = 0;
  int64_t errors = 0;
  int64_t connection_close = 0;               // responses that ended their connection
  std::map<std::string, int64_t> by_backend;  // successful responses per body
  std::vector<std::string> error_samples;     // the first few errors
};

// `connections` threads, each keeping one connection to 127.0.0.1:port and
// sending "GET /" on it, then waiting `gap` (so the connection is idle most
// of the time, like a browser's or a proxy's pooled connection).  A
// response with "Connection: close" makes the thread reconnect before its
// next request; everything else that is not a complete 200 response counts
// as an error (the client does not retry: a failed request is what a user
// sees), after which it reconnects.
class KeepAliveLoad {
 public:
  KeepAliveLoad(int port, int connections, std::chrono::milliseconds gap);
  ~KeepAliveLoad();
  KeepAliveLoad(const KeepAliveLoad&) = delete;
  KeepAliveLoad& operator=(const KeepAliveLoad&) = delete;

  LoadStats Snapshot() const;
  // Stops the threads (after their current request) and returns the totals.
  LoadStats Stop();

 private:
  void Run();
  void Count(bool ok, bool closed, const std::string& body, const std::string& error);

  const int port_;
  const std::chrono::milliseconds gap_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;  // guards stats_
  LoadStats stats_;
  std::vector<std::thread> threads_;
};

// The global settings of docs/haproxy.md and their test-friendly values.
struct HaproxyConfigOptions {
  bool idle_close_on_response = true;
  std::string hard_stop_after = "5s";
  // More lines for the global, frontend and backend sections.
  std::vector<std::string> global_lines;
  std::vector<std::string> frontend_lines;
  std::vector<std::string> backend_lines;
  std::string balance = "roundrobin";
  // Appended to each server line.
  std::string server_options = "check inter 1s fall 1 rise 2";
};

struct TestServer {
  std::string name;
  std::string address;  // "127.0.0.1:port"
};

class HaproxyInstance {
 public:
  // $BERTH_HAPROXY, else /usr/sbin/haproxy.
  static std::string Binary();
  static bool Available();

  // Makes the directory and picks the frontend port; HAProxy is not started.
  static Result<std::unique_ptr<HaproxyInstance>> Create();
  ~HaproxyInstance();
  HaproxyInstance(const HaproxyInstance&) = delete;
  HaproxyInstance& operator=(const HaproxyInstance&) = delete;

  // A configuration: a stats socket in the directory, `fe` on the frontend
  // port, backend `be` with `servers`.
  std::string Config(const std::vector<TestServer>& servers,
                     const HaproxyConfigOptions& options = {}) const;
  // Writes the configuration file (write to a temporary name, then rename).
  void WriteConfig(const std::string& text) const;
  std::string ReadConfig() const;

  // Starts HAProxy with the configuration file written last.
  Status Start();
  haproxy::HaproxyProcess& process() { return *process_; }
  const haproxy::MasterCli& master() const { return process_->master(); }
  // The Runtime API on the configuration's stats socket.
  haproxy::RuntimeApi Runtime() const { return haproxy::RuntimeApi(stats_socket()); }

  const std::string& dir() const { return dir_; }
  int port() const { return port_; }
  std::string config_path() const { return dir_ + "/haproxy.cfg"; }
  std::string stats_socket() const { return dir_ + "/admin.sock"; }
  std::string master_socket() const { return dir_ + "/master.sock"; }
  std::string log_path() const { return dir_ + "/haproxy.log"; }
  std::string LogTail() const;

 private:
  HaproxyInstance() = default;

  std::string dir_;
  int port_ = 0;
  std::unique_ptr<haproxy::HaproxyProcess> process_;
};

// Base for tests that need HAProxy: skips them when it is not installed,
// unless the environment says CI=true, where a missing HAProxy is a failure.
class HaproxyTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

// Polls `condition` every `step` until it holds or `timeout` passes.
template <typename Condition>
bool Eventually(Condition condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

}  // namespace berth::testing
