// What the agent's integration tests and its benchmark observe: etcd key
// changes and Docker container events, each recorded with the moment this
// process received it, so that a test can ask "was the key gone before the
// container was stopped?" or "how long after `docker stop` did the key
// vanish?" without polling.
//
// KeyWatcher and DockerEventLog each own one reader thread, started by
// Start() and joined by the destructor; their queries are thread-safe.
// RunBerth runs a one-shot berth command (launch, kill) to completion.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "backend/etcd/client.h"
#include "base/status.h"
#include "docker/client.h"

namespace berth::testing {

using WallClock = std::chrono::system_clock;

// Every change under a prefix, from the moment Start returns.
class KeyWatcher {
 public:
  struct Change {
    WallClock::time_point at;  // when this process received it
    bool deleted = false;
    std::string key;
    std::string value;  // "" for a deletion
    int64_t lease = 0;
  };

  static Result<std::unique_ptr<KeyWatcher>> Start(const etcd::ClientOptions& options,
                                                   std::string prefix);
  ~KeyWatcher();
  KeyWatcher(const KeyWatcher&) = delete;
  KeyWatcher& operator=(const KeyWatcher&) = delete;

  std::vector<Change> Changes() const;
  // The first change to `key` that is a deletion (or a put), at index
  // `from` or later of Changes(); waits up to `timeout` for it.
  std::optional<Change> WaitFor(std::string_view key, bool deleted,
                                std::chrono::milliseconds timeout, size_t from = 0) const;
  // How many changes have been recorded (an index for WaitFor's `from`).
  size_t size() const;

 private:
  KeyWatcher() = default;
  void Loop();

  etcd::ClientPtr client_;
  etcd::WatchStreamPtr stream_;
  std::thread thread_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Change> changes_;  // guarded by mu_
};

// Every container event dockerd reports, from the moment Start returns.
class DockerEventLog {
 public:
  struct Entry {
    WallClock::time_point at;  // when this process received it
    docker::Event event;       // event.time_nano: dockerd's own time
  };

  static Result<std::unique_ptr<DockerEventLog>> Start(const docker::ClientOptions& options);
  ~DockerEventLog();
  DockerEventLog(const DockerEventLog&) = delete;
  DockerEventLog& operator=(const DockerEventLog&) = delete;

  // The first event of container `id` whose action is `action`, waiting up
  // to `timeout` for it.
  std::optional<Entry> WaitFor(std::string_view id, std::string_view action,
                               std::chrono::milliseconds timeout) const;

 private:
  DockerEventLog() = default;
  void Loop();

  docker::ClientPtr client_;
  docker::EventStreamPtr stream_;
  std::thread thread_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Entry> entries_;  // guarded by mu_
  bool done_ = false;           // guarded by mu_
};

// dockerd's time of an event.
WallClock::time_point EventTime(const docker::Event& e);

// A one-shot berth command, run to completion.
struct BerthOutcome {
  int exit_code = -1;  // -1: it did not exit in time (and was killed)
  std::string output;  // stdout and stderr together
};
BerthOutcome RunBerth(const std::vector<std::string>& args, const std::string& log_path,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The non-empty lines of `text`.
std::vector<std::string> Lines(std::string_view text);

}  // namespace berth::testing
