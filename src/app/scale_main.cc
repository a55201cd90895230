// `berth scale`: flags, then the autoscaler (scale/scaler.h) until SIGTERM /
// SIGINT.  Bad input (min > max, target <= 0, an unknown backend, a missing
// image) is refused with one line and exit status 2 before anything starts.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "agent/agent.h"
#include "app/commands.h"
#include "app/etcd_flags.h"
#include "base/log.h"
#include "docker/client.h"
#include "processor/signals.h"
#include "scale/scaler.h"

namespace berth::app {
namespace {

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "berth scale: %s\n", message.c_str());
  return code;
}

}  // namespace

int ScaleMain(const std::vector<std::string>& args) {
  CLI::App app("berth scale: launch or kill instances as HAProxy's load asks", "berth scale");
  EtcdFlags etcd;
  AddEtcdFlags(&app, &etcd);
  scale::ScalerOptions o;
  std::string metric = "sessions", interval = "1s", delay = "60s", launch_timeout = "60s",
              drain_timeout = "10s", stop_timeout = "10s", docker_host, prefix, layout = "flat",
              log_level;
  app.add_option("--min", o.policy.min, "fewest instances (at least 1)");
  app.add_option("--max", o.policy.max, "most instances");
  app.add_option("--target", o.policy.target, "the metric per instance to aim at (default 10)");
  app.add_option("--metric", metric,
                 "sessions: current sessions per instance; rate: requests per second per "
                 "instance; queue: queued requests per instance");
  app.add_option("--haproxy-socket", o.haproxy_socket,
                 "HAProxy Runtime API socket (stats socket ... level admin)")
      ->required();
  app.add_option("--backend", o.backend, "HAProxy backend of the instances");
  app.add_option("--interval", interval, "how often to read the load and decide");
  app.add_option("--scale-down-delay", delay,
                 "scale down only to the highest count wanted during this long");
  app.add_option("--state-file", o.state_file,
                 "write the last decision here as JSON (berth status reads it)");
  app.add_option("--image", o.launch.image, "image of new instances");
  app.add_option("--port", o.launch.port, "container port to publish and register")
      ->check(CLI::Range(1, 65535));
  app.add_option("--service", o.launch.service, "the service scaled (berth.service label)");
  app.add_option("--docker", docker_host, "dockerd address (default $DOCKER_HOST or the socket)");
  app.add_option("--prefix", prefix, "key prefix (default /app/servers)");
  app.add_option("--layout", layout, "flat or service")->check(CLI::IsMember({"flat", "service"}));
  app.add_option("--launch-timeout", launch_timeout,
                 "how long a new instance may take to be registered");
  app.add_option("--drain-timeout", drain_timeout,
                 "longest wait for a killed instance's sessions to end");
  app.add_option("--stop-timeout", stop_timeout, "SIGTERM, then SIGKILL after this long");
  app.add_option("--log-level", log_level, "debug (every interval), info, warning or error");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  log::SetTag("berth");
  if (!log_level.empty() && !log::SetLevel(log_level)) {
    return Fail(2, "not a valid level: " + log_level);
  }
  auto m = scale::ParseMetric(metric);
  if (!m) return Fail(2, m.error().message());
  o.metric = *m;
  const std::pair<const char*, std::string*> durations[] = {{"--interval", &interval},
                                                            {"--scale-down-delay", &delay},
                                                            {"--launch-timeout", &launch_timeout},
                                                            {"--drain-timeout", &drain_timeout},
                                                            {"--stop-timeout", &stop_timeout}};
  for (const auto& [flag, text] : durations) {
    if (auto d = ParseDurationFlag(*text); !d) {
      return Fail(2, std::string(flag) + ": " + d.error().message());
    }
  }
  o.interval = *ParseDurationFlag(interval);
  o.policy.scale_down_delay = *ParseDurationFlag(delay);
  o.launch.timeout = *ParseDurationFlag(launch_timeout);
  o.launch.timeout_text = launch_timeout;
  o.kill.drain_timeout = *ParseDurationFlag(drain_timeout);
  o.kill.stop_timeout = *ParseDurationFlag(stop_timeout);
  o.launch.registration.layout =
      layout == "service" ? agent::Layout::kService : agent::Layout::kFlat;
  o.launch.registration.prefix =
      !prefix.empty() ? prefix : (layout == "service" ? "/services" : "/app/servers");
  o.launch.registration.host_ip = agent::DefaultHostIp();
  o.kill.registration = o.launch.registration;
  // The checks that need no server, before connecting to any.
  if (Status s = scale::Validate(o.policy); !s.ok()) return Fail(2, s.message());

  // Before any thread starts (gRPC's), so that only the watcher sees the signals.
  processor::BlockDaemonSignals();
  docker::ClientOptions dopts;
  dopts.host = docker_host;
  auto docker = docker::Client::Connect(dopts);
  if (!docker) return Fail(1, docker.error().message());
  auto client = etcd::Client::Create(ToClientOptions(etcd));
  if (!client) return Fail(1, client.error().message());

  scale::Scaler scaler(o, **docker, **client);
  if (Status s = scaler.Check(); !s.ok()) {
    const bool input = s.code() == Code::kInvalidArgument || s.code() == Code::kNotFound;
    return Fail(input ? 2 : 1, s.message());
  }
  processor::SignalWatcher signals([&scaler](int signo) {
    if (signo != SIGHUP) scaler.Stop();
  });
  char target[32];
  std::snprintf(target, sizeof(target), "%g", o.policy.target);
  log::Info("scale: " + o.launch.service + " between " + std::to_string(o.policy.min) + " and " +
            std::to_string(o.policy.max) + " instances, " + metric + " target " + target +
            " per instance, backend " + o.backend + ", every " + interval + ", scale-down delay " +
            delay);
  scaler.Run();
  log::Info("scale: stopped");
  return 0;
}

}  // namespace berth::app
