// RedisServer: a real redis-server (/usr/bin/redis-server) for integration
// tests and benchmarks.
//
// Start() launches it on a free loopback port and a unix socket, with its
// directory under one temporary directory, and returns once it answers PING
// (polled until a deadline, never a fixed sleep).  By default it publishes
// keyspace notifications (notify-keyspace-events KA) and keeps its data
// across Stop/Restart (an RDB snapshot written at shutdown).  Command() talks
// to it over hiredis, so tests load data without a shell.
//
// The server owns its process and directory: the destructor kills what
// still runs and removes the directory.
//
// Thread-safety: not thread-safe; use from one thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "tests/integration/server_process.h"

struct redisContext;

namespace berth::testing {

struct RedisServerOptions {
  // notify-keyspace-events; empty turns notifications off.
  std::string keyspace_events = "KA";
  // requirepass; empty: no password.
  std::string password;
  std::chrono::milliseconds start_timeout{15000};
};

class RedisServer {
 public:
  // $BERTH_REDIS_SERVER, else /usr/bin/redis-server.
  static std::string Binary();
  static bool Available();

  // kNotFound when redis-server is not installed; otherwise a failure
  // carries the tail of its log.
  static Result<std::unique_ptr<RedisServer>> Start(RedisServerOptions options = {});

  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:PORT", what -node takes.
  std::string node() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& unix_socket() const { return socket_; }
  const std::string& dir() const { return dir_; }

  // Runs a command on database `db`.  The reply as text (a status, a bulk
  // string, an integer; nullopt for nil; an array's elements joined by
  // "\n"); an error reply or a lost connection is an error.
  Result<std::optional<std::string>> Command(const std::vector<std::string>& args, int db = 0);
  // SET, asserting success (for test bodies).
  void Set(const std::string& key, const std::string& value, int db = 0);

  bool running() { return process_.Running(); }
  // SIGTERM: redis saves its snapshot and exits.
  Status Stop(int signal = SIGTERM);
  // Starts it again on the same port and directory and waits for PING.
  Status Restart();
  std::string LogTail(size_t bytes = 4000) const { return process_.LogTail(bytes); }

 private:
  explicit RedisServer(RedisServerOptions options) : options_(std::move(options)) {}
  Status Launch();
  Status Connect(int db);
  void Disconnect();

  RedisServerOptions options_;
  std::string dir_;
  std::string socket_;
  int port_ = 0;
  int db_ = -1;
  redisContext* conn_ = nullptr;
  ServerProcess process_;
};

// Base for tests that need redis: skips them when it is not installed,
// unless CI=true, where a missing redis-server is a failure.
class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

#define BERTH_START_REDIS(var, options)                                    \
  auto var##_result = ::berth::testing::RedisServer::Start(options);       \
  ASSERT_TRUE(var##_result.has_value()) << var##_result.error().message(); \
  std::unique_ptr<::berth::testing::RedisServer> var = std::move(*var##_result)

}  // namespace berth::testing
