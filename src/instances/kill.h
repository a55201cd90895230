// Taking an instance out, shared by `berth kill` and `berth scale`, in the
// order that loses no request:
//   1. mark it draining in etcd (agent::DrainingKey, under a lease that
//      outlives the whole kill), so that no agent registers it again;
//   2. delete its registration; confd then drains its server in HAProxy;
//   3. with a HAProxy socket: wait until HAProxy no longer sends it new
//      requests (its server is in drain or maintenance, or gone) and then
//      until it has no current session — or the drain timeout passed;
//      without one: wait the drain timeout;
//   4. stop it (SIGTERM, then SIGKILL after the stop timeout) and remove it;
//      then revoke the marker's lease.
//
// Synchronous; thread-compatible.  Waits poll with a deadline.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "agent/registration.h"
#include "backend/etcd/client.h"
#include "base/status.h"
#include "docker/client.h"

namespace berth::instances {

struct KillOptions {
  agent::RegistrationOptions registration;  // prefix and layout
  std::string haproxy_socket;               // "" : wait drain_timeout instead
  std::string backend;                      // "" : the server in any backend
  std::chrono::milliseconds drain_timeout{10'000};
  std::chrono::milliseconds stop_timeout{10'000};
};

// Kills the instance `name` (see above).  `warn` receives the problems that
// do not stop the kill (a stop that failed, a drain that timed out) and the
// progress line "NAME deregistered; draining"; may be empty.
// Returns the container's name (`name` may be an id).  kInvalidArgument
// when `name` is not a container name; kNotFound ("no container named
// NAME") when there is none; other errors when it could not be deregistered
// or removed (the message names the step).
Result<std::string> Kill(docker::Client& docker, etcd::Client& etcd, const std::string& name,
                         const KillOptions& options,
                         const std::function<void(const std::string&)>& warn = {});

}  // namespace berth::instances
