// `berth kill NAME...`: the seed's second script, in the right order.  For
// each instance: mark it as draining (so the agent does not register it
// again), delete its registration, wait until HAProxy has taken it out of
// the rotation and has no sessions left on it (with --haproxy-socket) or the
// drain timeout passed, then stop it (SIGTERM, then SIGKILL after
// --stop-timeout) and remove it.  The work is instances/kill.h's; this file
// wires flags to it.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "agent/registration.h"
#include "app/commands.h"
#include "app/etcd_flags.h"
#include "docker/client.h"
#include "instances/kill.h"

namespace berth::app {
namespace {

void Say(const std::string& m) { std::fprintf(stderr, "berth kill: %s\n", m.c_str()); }

}  // namespace

int KillMain(const std::vector<std::string>& args) {
  CLI::App app("berth kill: deregister, drain, then stop and remove instances", "berth kill");
  EtcdFlags etcd;
  AddEtcdFlags(&app, &etcd);
  std::vector<std::string> names;
  instances::KillOptions o;
  std::string docker_host, prefix, layout = "flat", drain_timeout = "10s", stop_timeout = "10s";
  app.add_option("names", names, "container names")->required();
  app.add_option("--docker", docker_host, "dockerd address (default $DOCKER_HOST or the socket)");
  app.add_option("--prefix", prefix, "key prefix (default /app/servers)");
  app.add_option("--layout", layout, "flat or service")->check(CLI::IsMember({"flat", "service"}));
  app.add_option("--haproxy-socket", o.haproxy_socket,
                 "HAProxy Runtime API socket: wait until the server has no sessions");
  app.add_option("--backend", o.backend, "HAProxy backend of the servers (default: any)");
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
  o.drain_timeout = *drain;
  o.stop_timeout = *stop;

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
  o.registration.layout = layout == "service" ? agent::Layout::kService : agent::Layout::kFlat;
  o.registration.prefix =
      !prefix.empty() ? prefix : (layout == "service" ? "/services" : "/app/servers");

  int failures = 0;
  for (const std::string& name : names) {
    auto killed = instances::Kill(**docker, **client, name, o, Say);
    if (!killed) {
      Say(killed.error().message());
      ++failures;
      continue;
    }
    std::printf("%s stopped and removed\n", killed->c_str());
    std::fflush(stdout);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace berth::app
