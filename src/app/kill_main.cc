// `berth kill NAME...`: the seed's second script, in the right order.  For
// each instance: mark it as draining (so the agent does not register it
// again), delete its registration, wait until HAProxy has no sessions left on
// it (with --haproxy-socket) or the drain timeout passed, then stop it
// (SIGTERM, then SIGKILL after --stop-timeout) and remove it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "agent/agent.h"
#include "agent/registration.h"
#include "app/commands.h"
#include "app/etcd_flags.h"
#include "docker/client.h"
#include "haproxy/drain.h"

namespace berth::app {
namespace {

using Clock = std::chrono::steady_clock;

void Say(const std::string& m) { std::fprintf(stderr, "berth kill: %s\n", m.c_str()); }

}  // namespace

int KillMain(const std::vector<std::string>& args) {
  CLI::App app("berth kill: deregister, drain, then stop and remove instances", "berth kill");
  EtcdFlags etcd;
  AddEtcdFlags(&app, &etcd);
  std::vector<std::string> names;
  std::string docker_host, prefix, layout = "flat", haproxy_socket, backend, drain_timeout = "10s",
                                   stop_timeout = "10s";
  app.add_option("names", names, "container names")->required();
  app.add_option("--docker", docker_host, "dockerd address (default $DOCKER_HOST or the socket)");
  app.add_option("--prefix", prefix, "key prefix (default /app/servers)");
  app.add_option("--layout", layout, "flat or service")->check(CLI::IsMember({"flat", "service"}));
  app.add_option("--haproxy-socket", haproxy_socket,
                 "HAProxy Runtime API socket: wait until the server has no sessions");
  app.add_option("--backend", backend, "HAProxy backend of the servers (default: any)");
  app.add_option("--drain-timeout", drain_timeout, "longest wait for the sessions to end");
  app.add_option("--stop-timeout", stop_timeout, "SIGTERM, then SIGKILL after this long");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto drain = ParseDurationFlag(drain_timeout);
  auto stop = ParseDurationFlag(stop_timeout);
  if (!drain || !stop) {
    Say("bad duration: " + (!drain ? drain.error() : stop.error()).message());
    return 2;
  }

  docker::ClientOptions dopts;
  dopts.host = docker_host;
  auto docker = docker::Client::Connect(dopts);
  if (!docker) {
    Say(docker.error().message());
    return 1;
  }
  auto client = etcd::Client::Create(ToClientOptions(etcd));
  if (!client) {
    Say(client.error().message());
    return 1;
  }
  agent::RegistrationOptions ropts;
  ropts.layout = layout == "service" ? agent::Layout::kService : agent::Layout::kFlat;
  ropts.prefix = !prefix.empty() ? prefix : (layout == "service" ? "/services" : "/app/servers");

  int failures = 0;
  for (const std::string& name : names) {
    if (!agent::ValidContainerName(name)) {
      Say("\"" + name + "\" is not a container name or id");
      ++failures;
      continue;
    }
    auto c = (*docker)->Inspect(name);
    if (!c) {
      Say(c.error().code() == Code::kNotFound ? "no container named " + name : c.error().message());
      ++failures;
      continue;
    }
    const std::string service = agent::ServiceOf(*c).value_or("app");
    // 1. Mark it draining for as long as this takes, so no agent registers it again.
    const auto marker_ttl =
        std::chrono::duration_cast<std::chrono::seconds>(*drain + *stop) + std::chrono::seconds(30);
    int64_t lease = 0;
    if (auto l = (*client)->GrantLease(marker_ttl.count())) {
      lease = *l;
      (void)(*client)->Put(agent::DrainingKey(c->name), "draining", lease);
    }
    // 2. Deregister.
    const std::string key = agent::KeyFor(c->name, service, ropts);
    if (auto del = (*client)->Delete(key); !del) {
      Say("delete " + key + ": " + del.error().message());
      ++failures;
      continue;
    }
    std::fprintf(stderr, "berth kill: %s deregistered; draining\n", c->name.c_str());
    // 3. Drain: HAProxy's sessions on it, or the drain timeout.
    if (!haproxy_socket.empty()) {
      Status s = haproxy::WaitForNoSessions(haproxy_socket, backend, c->name, *drain);
      if (!s.ok()) Say(c->name + ": " + s.message());
    } else if (drain->count() > 0) {
      std::this_thread::sleep_for(*drain);
    }
    // 4. Stop and remove.
    if (Status s = (*docker)->Stop(c->id, std::chrono::duration_cast<std::chrono::seconds>(*stop));
        !s.ok()) {
      Say("stop " + c->name + ": " + s.message());
    }
    if (Status s = (*docker)->Remove(c->id, /*force=*/true); !s.ok()) {
      Say("remove " + c->name + ": " + s.message());
      ++failures;
      continue;
    }
    if (lease != 0) (void)(*client)->RevokeLease(lease);
    std::printf("%s stopped and removed\n", c->name.c_str());
    std::fflush(stdout);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace berth::app
