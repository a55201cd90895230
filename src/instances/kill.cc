#include "instances/kill.h"

#include <algorithm>
#include <thread>

#include "agent/agent.h"
#include "haproxy/drain.h"
#include "haproxy/runtime_api.h"

namespace berth::instances {
namespace {

using Clock = std::chrono::steady_clock;

// Whether HAProxy may still pick `server` for a new request: it exists (in
// `backend`, or in any backend) and is neither draining nor in maintenance.
Result<bool> StillRouted(const haproxy::RuntimeApi& api, const std::string& backend,
                         const std::string& server) {
  auto states = api.ShowServersState(backend);
  if (!states) return Err(states.error());
  for (const auto& s : *states) {
    if (s.server == server && !s.draining() && !s.in_maintenance()) return true;
  }
  return false;
}

// Step 3 with a socket: until confd has taken the server out of the
// rotation, then until its sessions ended, within `timeout` in all.
Status Drain(const KillOptions& o, const std::string& server) {
  const haproxy::RuntimeApi api(o.haproxy_socket);
  const auto deadline = Clock::now() + o.drain_timeout;
  for (;;) {
    auto routed = StillRouted(api, o.backend, server);
    // An unknown backend, an unreachable socket: the sessions wait says so.
    if (!routed || !*routed) break;
    if (Clock::now() >= deadline) {
      return Status::Timeout("HAProxy still routes to it after the drain timeout");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return haproxy::WaitForNoSessions(o.haproxy_socket, o.backend, server,
                                    std::max(left, std::chrono::milliseconds(0)));
}

}  // namespace

Result<std::string> Kill(docker::Client& docker, etcd::Client& etcd, const std::string& name,
                         const KillOptions& o,
                         const std::function<void(const std::string&)>& warn) {
  auto say = [&warn](const std::string& m) {
    if (warn) warn(m);
  };
  if (!agent::ValidContainerName(name)) {
    return Err(Status::InvalidArgument("\"" + name + "\" is not a container name or id"));
  }
  auto c = docker.Inspect(name);
  if (!c) {
    return Err(c.error().code() == Code::kNotFound ? Status::NotFound("no container named " + name)
                                                   : c.error());
  }
  const std::string service = agent::ServiceOf(*c).value_or("app");
  // 1. Mark it draining for as long as this takes, so no agent registers it again.
  const auto marker_ttl =
      std::chrono::duration_cast<std::chrono::seconds>(o.drain_timeout + o.stop_timeout) +
      std::chrono::seconds(30);
  int64_t lease = 0;
  if (auto l = etcd.GrantLease(marker_ttl.count())) {
    lease = *l;
    (void)etcd.Put(agent::DrainingKey(c->name), "draining", lease);
  }
  // 2. Deregister.
  const std::string key = agent::KeyFor(c->name, service, o.registration);
  if (auto del = etcd.Delete(key); !del) return Err(del.error().Wrap("delete " + key));
  say(c->name + " deregistered; draining");
  // 3. Drain: HAProxy's sessions on it, or the drain timeout.
  if (!o.haproxy_socket.empty()) {
    if (Status s = Drain(o, c->name); !s.ok()) say(c->name + ": " + s.message());
  } else if (o.drain_timeout.count() > 0) {
    std::this_thread::sleep_for(o.drain_timeout);
  }
  // 4. Stop and remove.
  if (Status s =
          docker.Stop(c->id, std::chrono::duration_cast<std::chrono::seconds>(o.stop_timeout));
      !s.ok()) {
    say("stop " + c->name + ": " + s.message());
  }
  if (Status s = docker.Remove(c->id, /*force=*/true); !s.ok()) {
    return Err(s.Wrap("remove " + c->name));
  }
  if (lease != 0) (void)etcd.RevokeLease(lease);
  return c->name;
}

}  // namespace berth::instances
