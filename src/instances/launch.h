// Starting instances, shared by `berth launch` and `berth scale`.
//
// An instance is a container of `image` with `port` published on a free
// host port and the labels the agent looks for (berth.service,
// berth.port).  Launch creates and starts each one, then waits until it is
// registered: by the agent (any value under the instance's key ending with
// its host port counts, since the agent's --host-ip may differ from ours),
// or, with `register_keys`, by Launch itself once the instance accepts
// connections (a plain key without a lease, as the seed's script writes).
// Instances are handled one after the other; a failure of one does not stop
// the next.
//
// Names: `name` (NAME-1, NAME-2, ... when count > 1), else SERVICE-N with
// the lowest numbers no container on the Docker host has
// (agent::FreeInstanceNames).
//
// Synchronous; thread-compatible (the clients are used from the calling
// thread only).  Waits poll with a deadline.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "agent/registration.h"
#include "backend/etcd/client.h"
#include "base/status.h"
#include "docker/client.h"

namespace berth::instances {

struct LaunchOptions {
  std::string image = "berth/nginx";
  int port = 80;
  int count = 1;
  std::string name;  // "" : SERVICE-N
  std::string service = "app";
  std::vector<std::string> binds;  // HOST_DIR:CONTAINER_DIR[:ro]
  std::vector<std::string> env;    // K=V
  bool register_keys = false;
  // prefix, layout, and host_ip (what register_keys writes).
  agent::RegistrationOptions registration;
  // How long each instance may take to be registered, and how to write it
  // in messages ("60s").
  std::chrono::milliseconds timeout{60'000};
  std::string timeout_text = "60s";
  // Asked while waiting: true ends the wait early (the instance is then
  // reported as not registered).  Empty: never.
  std::function<bool()> cancelled;
};

// What became of one instance.
struct LaunchOutcome {
  std::string name;
  std::string address;  // as registered, when status is OK
  Status status;        // message ready for "berth launch: <message>"
};

// Checks the options: kInvalidArgument for a bad service, name or env
// entry, the message naming the flag ("--service must match ...").
Status CheckLaunchOptions(const LaunchOptions& options, bool name_given);

// Checks that `image` exists on the Docker host: kNotFound saying how to
// get it when it does not; dockerd's error when it cannot be asked.
Status CheckImage(docker::Client& docker, const std::string& image);

// The names Launch would use (see above).  dockerd's error when the names
// must be chosen and the containers cannot be listed.
Result<std::vector<std::string>> InstanceNames(docker::Client& docker,
                                               const LaunchOptions& options);

// Launches `names` one after the other (see above), calling `on_done` after
// each (may be empty), and returns every outcome, in order.  Checks
// nothing first (see CheckLaunchOptions, CheckImage).
std::vector<LaunchOutcome> Launch(docker::Client& docker, etcd::Client& etcd,
                                  const LaunchOptions& options,
                                  const std::vector<std::string>& names,
                                  const std::function<void(const LaunchOutcome&)>& on_done = {});

}  // namespace berth::instances
