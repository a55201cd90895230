// Taking the system apart, shared by `berth down` and by `berth up` when a
// step fails (it stops what that run started, so a retry starts clean).
// Synchronous; thread-compatible.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "backend/etcd/client.h"
#include "base/status.h"
#include "docker/client.h"
#include "up/state_file.h"

namespace berth::up {

// Stops a recorded background process: SIGTERM, then SIGKILL to its
// process group after `timeout` (process.h).  Returns what happened, for a
// progress line: "stopped (pid 123)", "killed after 10s (pid 123)", "not
// running (pid 123)".
Result<std::string> StopRecorded(const ProcessRecord& record, std::chrono::milliseconds timeout);

struct RemovedInstances {
  std::vector<std::string> removed;   // container names
  std::vector<std::string> failures;  // "app-2: <why>"
  int keys_deleted = 0;
};

// Force-removes the containers labelled berth.service=<service> on the
// Docker host (only those in `only` when it is set), then deletes their
// registrations (<prefix>/<name>) when `etcd` is given.  Never touches a
// container without the label.  An error only when the list cannot be read.
Result<RemovedInstances> RemoveInstances(docker::Client& docker, etcd::Client* etcd,
                                         const std::string& service, const std::string& prefix,
                                         const std::optional<std::vector<std::string>>& only);

// Removes HAProxy's sockets and pid file (what a stopped HAProxy leaves).
void RemoveRunFiles(const HaproxyFiles& files);

// An etcd client for one endpoint with short timeouts, for checks and
// clean-up (a stopped etcd must not hold a command for long).
Result<etcd::ClientPtr> QuickEtcdClient(const std::string& endpoint);

}  // namespace berth::up
