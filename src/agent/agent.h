// The registration agent (`berth agent`), one per Docker host.
//
// It turns the host's containers into etcd registrations: an eligible
// container (see registration.h) is registered once its port accepts TCP
// connections — or, when it has a Docker health check, once that reports
// healthy — and deregistered as soon as Docker reports it stopping, dying,
// killed, paused, destroyed or unhealthy.  Every key it writes hangs on one
// lease that it keeps alive: when the agent or its host dies the keys expire
// after the TTL and the servers leave HAProxy; after an etcd outage it grants
// a new lease and registers everything again.  At start, after every
// reconnect to dockerd, after a new lease and after a write to etcd failed
// (retried every second until it works) it reconciles: registers every
// eligible running container and deletes the keys under its prefix that
// carry this host's address but that no registered container backs.  It
// never touches keys with another host's address, so several agents can
// share one etcd.  A container that cannot be registered (no published
// port, a bad name) is reported once.
//
// Containers that `berth kill` is draining are marked in etcd
// (DrainingKey) and not registered again.
//
// Threads: Run() blocks on the calling thread and starts one more, which
// keeps the lease alive; Stop() may be called from any thread and also cuts
// short an etcd call blocked on an unreachable etcd.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "agent/registration.h"
#include "backend/etcd/client.h"
#include "base/status.h"
#include "docker/client.h"

namespace berth::agent {

struct AgentOptions {
  etcd::ClientOptions etcd;
  docker::ClientOptions docker;
  RegistrationOptions registration;
  std::chrono::seconds ttl{10};
  // How long a started container may take to accept connections.
  std::chrono::milliseconds ready_timeout{120'000};
};

// The marker `berth kill` writes while it drains a container.
std::string DrainingKey(std::string_view container_name);

class Agent {
 public:
  explicit Agent(AgentOptions options);
  ~Agent();

  // Runs until Stop(); returns an error only for bad options.
  Status Run();
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The first non-loopback IPv4 address of this host, or 127.0.0.1.
std::string DefaultHostIp();

}  // namespace berth::agent
