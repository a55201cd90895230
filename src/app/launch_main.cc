// `berth launch`: the seed's first script, done right.  Creates and starts
// instances with their port published on a free host port and the berth
// labels, waits until each is registered (by the agent; with --register, and
// no agent, it writes the keys itself, without a lease, as the seed does) and
// prints one line per instance: name and address.  The work is
// instances/launch.h's; this file wires flags to it.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "agent/agent.h"
#include "app/commands.h"
#include "app/etcd_flags.h"
#include "docker/client.h"
#include "instances/launch.h"

namespace berth::app {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "berth launch: %s\n", message.c_str());
  return 1;
}

}  // namespace

int LaunchMain(const std::vector<std::string>& args) {
  CLI::App app("berth launch: start instances and have them registered", "berth launch");
  EtcdFlags etcd;
  AddEtcdFlags(&app, &etcd);
  instances::LaunchOptions o;
  std::string docker_host, host_ip, prefix, layout = "flat", timeout = "60s";
  app.add_option("--image", o.image, "image to run (built locally: scripts/build-nginx-image.sh)");
  app.add_option("--port", o.port, "container port to publish and register")
      ->check(CLI::Range(1, 65535));
  app.add_option("--count", o.count, "how many instances")->check(CLI::Range(1, 1000));
  app.add_option("--name", o.name,
                 "container name (NAME-1, NAME-2, ... with --count > 1; default SERVICE-N with the "
                 "lowest free numbers)");
  app.add_option("--service", o.service, "service label (berth.service)");
  app.add_option("--bind", o.binds, "HOST_DIR:CONTAINER_DIR[:ro] to mount (repeatable)");
  app.add_option("--env", o.env, "K=V for the container (repeatable)");
  app.add_option("--docker", docker_host, "dockerd address (default $DOCKER_HOST or the socket)");
  app.add_flag("--register", o.register_keys,
               "write the keys here, without a lease (no agent needed; as the seed's script)");
  app.add_option("--host-ip", host_ip, "address written with --register (default: this host's)");
  app.add_option("--prefix", prefix, "key prefix (default /app/servers)");
  app.add_option("--layout", layout, "flat or service")->check(CLI::IsMember({"flat", "service"}));
  app.add_option("--timeout", timeout, "how long to wait for each registration");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (Status s = instances::CheckLaunchOptions(o, app.count("--name") > 0); !s.ok()) {
    return Fail(s.message());
  }
  auto wait = ParseDurationFlag(timeout);
  if (!wait) return Fail(wait.error().message());
  o.timeout = *wait;
  o.timeout_text = timeout;

  docker::ClientOptions dopts;
  dopts.host = docker_host;
  auto docker = docker::Client::Connect(dopts);
  if (!docker) return Fail(docker.error().message());
  if (Status s = instances::CheckImage(**docker, o.image); !s.ok()) return Fail(s.message());
  auto client = etcd::Client::Create(ToClientOptions(etcd));
  if (!client) return Fail(client.error().message());

  o.registration.layout = layout == "service" ? agent::Layout::kService : agent::Layout::kFlat;
  o.registration.prefix =
      !prefix.empty() ? prefix : (layout == "service" ? "/services" : "/app/servers");
  o.registration.host_ip = host_ip.empty() ? agent::DefaultHostIp() : host_ip;

  auto names = instances::InstanceNames(**docker, o);
  if (!names) return Fail(names.error().message());
  int failures = 0;
  instances::Launch(**docker, **client, o, *names, [&](const instances::LaunchOutcome& out) {
    if (!out.status.ok()) {
      std::fprintf(stderr, "berth launch: %s\n", out.status.message().c_str());
      ++failures;
      return;
    }
    std::printf("%s %s\n", out.name.c_str(), out.address.c_str());
    std::fflush(stdout);
  });
  return failures == 0 ? 0 : 1;
}

}  // namespace berth::app
