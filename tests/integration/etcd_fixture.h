// EtcdCluster: real etcd servers (/usr/bin/etcd) for integration tests.
//
// Start() launches one or more members on free loopback ports (client and
// peer), each with a data directory under one temporary directory, and
// returns once every member answers `etcdctl endpoint health` (polled until a
// deadline, never a fixed sleep).  Members can be stopped (SIGTERM, or
// SIGKILL to simulate a crash) and restarted on the same ports and data
// directory.  Options add TLS on the client URLs (a CA, a server certificate
// for 127.0.0.1 and a client certificate, generated with openssl at start)
// and authentication (user "root" with root_password(), auth enabled).
//
// The cluster owns its processes and directory: the destructor kills what
// still runs and removes the directory.  Members are also started with
// PR_SET_PDEATHSIG, so they die with the thread that started them if the test
// crashes; start and restart members from the test's main thread.
//
// Thread-safety: not thread-safe; use from one thread.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "backend/etcd/client.h"
#include "base/status.h"

namespace berth::testing {

struct EtcdClusterOptions {
  int members = 1;
  // Client URLs are https://; clients need tls_files().ca.
  bool tls = false;
  // etcd --client-cert-auth: clients must present tls_files().client_cert.
  bool client_cert_auth = false;
  // Create user root (root_password()) and enable authentication.
  bool auth = false;
  // etcd --auth-token-ttl in seconds; 0 keeps etcd's default (300).
  int auth_token_ttl_seconds = 0;
  // etcd --experimental-watch-progress-notify-interval ("500ms"); empty
  // keeps etcd's default (10m).
  std::string progress_notify_interval;
  // More etcd flags, for every member.
  std::vector<std::string> extra_flags;
  // How long Start/Restart wait for members to answer.
  std::chrono::milliseconds start_timeout{30000};
};

struct TlsFiles {
  std::string ca;  // PEM
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
};

class EtcdCluster {
 public:
  // The etcd and etcdctl binaries: $BERTH_ETCD / $BERTH_ETCDCTL, else
  // /usr/bin/etcd and /usr/bin/etcdctl.
  static std::string EtcdBinary();
  static std::string EtcdctlBinary();
  // Both binaries exist and are executable.
  static bool Available();

  // Starts the cluster and waits until it answers.  kNotFound when etcd is
  // not installed; otherwise a failure carries the tail of the etcd log.
  static Result<std::unique_ptr<EtcdCluster>> Start(EtcdClusterOptions options);

  ~EtcdCluster();
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  int size() const { return static_cast<int>(members_.size()); }
  // "http://127.0.0.1:PORT" (https:// with TLS).
  std::string endpoint(int member) const;
  std::vector<std::string> endpoints() const;
  const TlsFiles& tls_files() const { return tls_; }
  const std::string& root_password() const { return root_password_; }
  const std::string& dir() const { return dir_; }

  // Client options for this cluster: every endpoint, the CA and client
  // certificate when TLS is on, root's credentials when auth is on.
  etcd::ClientOptions ClientOptions() const;

  bool running(int member) const { return members_[member].pid > 0; }
  pid_t pid(int member) const { return members_[member].pid; }

  // Sends `signal` to the member and waits for it to exit (SIGKILL after
  // 10 s).  OK when it is not running.
  Status Stop(int member, int signal = SIGTERM);
  // Freezes (SIGSTOP) / thaws (SIGCONT) a running member: its connections
  // stay open but nothing answers, like a hung host.
  Status Pause(int member);
  Status Resume(int member);
  // Starts a stopped member again with the same ports and data directory
  // and waits until it answers.
  Status Restart(int member);

  // The index of the member that reports itself leader, waiting up to
  // `timeout` for an election to finish.
  Result<int> WaitForLeader(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // The member whose client URL is `endpoint`; -1 when none.
  int MemberOf(std::string_view endpoint) const;

  // Runs etcdctl (API v3) against one member, with the TLS files and root's
  // credentials as needed; returns its output, or an error with it.
  Result<std::string> Etcdctl(int member, const std::vector<std::string>& args,
                              bool as_root = true) const;

  // The last `bytes` of the member's log, for failure messages.
  std::string LogTail(int member, size_t bytes = 4000) const;
  // How often `needle` occurs in the member's log: lets a test wait for
  // something etcd only logs (a token expiring).
  size_t CountInLog(int member, std::string_view needle) const;

 private:
  struct MemberProc {
    std::string name;
    int client_port = 0;
    int peer_port = 0;
    std::string data_dir;
    std::string log_file;
    pid_t pid = -1;
  };

  explicit EtcdCluster(EtcdClusterOptions options) : options_(std::move(options)) {}
  Status Launch(int member);
  Status WaitHealthy(int member, std::chrono::steady_clock::time_point deadline);
  Status MakeCertificates();
  Status EnableAuth();
  std::vector<std::string> MemberArgs(int member) const;

  EtcdClusterOptions options_;
  std::string dir_;
  std::string cluster_token_;
  std::string initial_cluster_;
  std::vector<MemberProc> members_;
  TlsFiles tls_;
  std::string root_password_ = "berth-root-secret";
  bool auth_enabled_ = false;
};

// Base for tests that need etcd: skips them when etcd is not installed,
// unless the environment says CI=true, where a missing etcd is a failure.
class EtcdTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

// Starts a cluster inside a test, failing the test (ASSERT) when it cannot.
#define BERTH_START_ETCD(var, options)                                     \
  auto var##_result = ::berth::testing::EtcdCluster::Start(options);       \
  ASSERT_TRUE(var##_result.has_value()) << var##_result.error().message(); \
  std::unique_ptr<::berth::testing::EtcdCluster> var = std::move(*var##_result)

// Polls `condition` every `step` until it holds or `timeout` passes; true
// when it held.  The wait every test uses instead of a bare sleep.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds timeout,
             std::chrono::milliseconds step = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

}  // namespace berth::testing
