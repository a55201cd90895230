// `berth agent`: flags, then the registration agent until SIGTERM / SIGINT.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "agent/agent.h"
#include "agent/registration.h"
#include "app/commands.h"
#include "app/etcd_flags.h"
#include "base/log.h"
#include "processor/signals.h"

namespace berth::app {

int AgentMain(const std::vector<std::string>& args) {
  CLI::App app("berth agent: registers this host's containers in etcd, under a lease",
               "berth agent");
  EtcdFlags etcd;
  AddEtcdFlags(&app, &etcd);
  std::string host_ip, prefix, layout = "flat", ttl = "10s", docker_host, log_level, service;
  app.add_option("--host-ip", host_ip,
                 "the address HAProxy reaches this host at (default: the first non-loopback "
                 "IPv4 address, else 127.0.0.1)");
  app.add_option("--prefix", prefix,
                 "key prefix (default /app/servers; /services with --layout service)");
  app.add_option("--layout", layout, "flat: PREFIX/NAME; service: PREFIX/SERVICE/NAME")
      ->check(CLI::IsMember({"flat", "service"}));
  app.add_option("--service", service,
                 "register only the containers of this service (default: every service)");
  app.add_option("--ttl", ttl, "lease TTL: registrations vanish this long after the agent dies");
  app.add_option("--docker", docker_host,
                 "dockerd address: unix:///path or tcp://host:port (default $DOCKER_HOST, then "
                 "unix:///var/run/docker.sock)");
  app.add_option("--log-level", log_level, "debug, info, warning or error");
  std::vector<std::string> argv = args;
  std::reverse(argv.begin(), argv.end());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!log_level.empty() && !log::SetLevel(log_level)) {
    std::fprintf(stderr, "berth agent: not a valid level: %s\n", log_level.c_str());
    return 2;
  }
  auto ttl_ms = ParseDurationFlag(ttl);
  if (!ttl_ms || ttl_ms->count() < 1000) {
    std::fprintf(stderr, "berth agent: --ttl must be a duration of at least 1s\n");
    return 2;
  }
  if (!service.empty() && !agent::ValidName(service)) {
    std::fprintf(stderr, "berth agent: --service must match [A-Za-z0-9_.-]+\n");
    return 2;
  }
  agent::AgentOptions o;
  o.etcd = ToClientOptions(etcd);
  o.docker.host = docker_host;
  o.registration.layout = layout == "service" ? agent::Layout::kService : agent::Layout::kFlat;
  o.registration.prefix =
      !prefix.empty() ? prefix : (layout == "service" ? "/services" : "/app/servers");
  o.registration.host_ip = host_ip;
  o.registration.service = service;
  o.ttl = std::chrono::duration_cast<std::chrono::seconds>(*ttl_ms);

  // Before any thread starts, so that only the watcher sees the signals.
  processor::BlockDaemonSignals();
  agent::Agent a(std::move(o));
  processor::SignalWatcher signals([&a](int signo) {
    if (signo != SIGHUP) a.Stop();
  });
  Status s = a.Run();
  if (!s.ok()) {
    log::Error("agent: " + s.message());
    return 1;
  }
  return 0;
}

}  // namespace berth::app
