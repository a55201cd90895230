// ZookeeperServer: a real standalone ZooKeeper (Debian's zookeeper package:
// /usr/share/java/zookeeper.jar run by /usr/bin/java) for integration tests
// and benchmarks.
//
// Start() writes a zoo.cfg for a free loopback port and a data directory
// under one temporary directory, launches ZooKeeperServerMain, and returns
// once the server answers "ruok" and a client session is established
// (polled until a deadline, never a fixed sleep).  The tick is short (100 ms
// by default) so that sessions expire within seconds.  Data persists across
// Stop/Restart.  Put/Delete/Get go through the C client, so tests load data
// without a shell.
//
// The server owns its process and directory: the destructor kills what
// still runs and removes the directory.
//
// Thread-safety: not thread-safe; use from one thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "tests/integration/server_process.h"

namespace berth::testing {

struct ZookeeperServerOptions {
  int tick_ms = 100;
  std::chrono::milliseconds start_timeout{30000};
};

class ZookeeperClient;

class ZookeeperServer {
 public:
  // $BERTH_JAVA (else /usr/bin/java) and $BERTH_ZOOKEEPER_JAR (else
  // /usr/share/java/zookeeper.jar).
  static std::string Java();
  static std::string Jar();
  static bool Available();

  static Result<std::unique_ptr<ZookeeperServer>> Start(ZookeeperServerOptions options = {});

  ~ZookeeperServer();
  ZookeeperServer(const ZookeeperServer&) = delete;
  ZookeeperServer& operator=(const ZookeeperServer&) = delete;

  int port() const { return port_; }
  std::string node() const { return "127.0.0.1:" + std::to_string(port_); }

  // Creates `path` (and missing parents, with empty data) holding `value`,
  // or sets its value.
  Status Put(const std::string& path, const std::string& value);
  // Deletes `path` and everything below it; OK when missing.
  Status Delete(const std::string& path);
  // The data of `path`; nullopt when missing.
  Result<std::optional<std::string>> Get(const std::string& path);
  // Closes the session (id, password) from another client, as an expired
  // session: its owner is told "expired" when it next talks to the server.
  Status ExpireSession(int64_t id, const std::string& password);

  bool running() { return process_.Running(); }
  Status Stop(int signal = SIGTERM);
  Status Restart();
  std::string LogTail(size_t bytes = 4000) const { return process_.LogTail(bytes); }

 private:
  explicit ZookeeperServer(ZookeeperServerOptions options);
  Status Launch();
  Result<ZookeeperClient*> Client();

  ZookeeperServerOptions options_;
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<ZookeeperClient> client_;
  ServerProcess process_;
};

class ZookeeperTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

#define BERTH_START_ZOOKEEPER(var, options)                                \
  auto var##_result = ::berth::testing::ZookeeperServer::Start(options);   \
  ASSERT_TRUE(var##_result.has_value()) << var##_result.error().message(); \
  std::unique_ptr<::berth::testing::ZookeeperServer> var = std::move(*var##_result)

}  // namespace berth::testing
