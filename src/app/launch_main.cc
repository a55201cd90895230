// `berth launch`: the seed's first script, done right.  Creates and starts
// instances with their port published on a free host port and the berth
// labels, waits until each is registered (by the agent; with --register, and
// no agent, it writes the keys itself, without a lease, as the seed does) and
// prints one line per instance: name and address.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <set>
#include <thread>

#include "agent/agent.h"
#include "agent/registration.h"
#include "app/commands.h"
#include "app/etcd_flags.h"
#include "base/log.h"
#include "docker/client.h"
#include "sys/net.h"

namespace berth::app {
namespace {

using Clock = std::chrono::steady_clock;

int Fail(const std::string& message) {
  std::fprintf(stderr, "berth launch: %s\n", message.c_str());
  return 1;
}

}  // namespace

int LaunchMain(const std::vector<std::string>& args) {
  CLI::App app("berth launch: start instances and have them registered", "berth launch");
  EtcdFlags etcd;
  AddEtcdFlags(&app, &etcd);
  std::string image = "berth/nginx", name, service = "app", docker_host, host_ip, prefix,
              layout = "flat", timeout = "60s";
  int port = 80, count = 1;
  std::vector<std::string> binds, env;
  bool register_keys = false;
  app.add_option("--image", image, "image to run (built locally: scripts/build-nginx-image.sh)");
  app.add_option("--port", port, "container port to publish and register")
      ->check(CLI::Range(1, 65535));
  app.add_option("--count", count, "how many instances")->check(CLI::Range(1, 1000));
  app.add_option("--name", name,
                 "container name (NAME-1, NAME-2, ... with --count > 1; default SERVICE-N with the "
                 "lowest free numbers)");
  app.add_option("--service", service, "service label (berth.service)");
  app.add_option("--bind", binds, "HOST_DIR:CONTAINER_DIR[:ro] to mount (repeatable)");
  app.add_option("--env", env, "K=V for the container (repeatable)");
  app.add_option("--docker", docker_host, "dockerd address (default $DOCKER_HOST or the socket)");
  app.add_flag("--register", register_keys,
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
  if (!agent::ValidName(service)) return Fail("--service must match [A-Za-z0-9_.-]+");
  // An explicit --name "" would let dockerd pick names: refuse it too.
  if (app.count("--name") > 0 && !agent::ValidContainerName(count == 1 ? name : name + "-1")) {
    return Fail("--name \"" + name + "\" is not a container name: [A-Za-z0-9][A-Za-z0-9_.-]+");
  }
  for (const auto& e : env) {
    if (e.find('=') == std::string::npos) return Fail("--env wants K=V, got " + e);
  }
  auto wait = ParseDurationFlag(timeout);
  if (!wait) return Fail(wait.error().message());

  docker::ClientOptions dopts;
  dopts.host = docker_host;
  auto docker = docker::Client::Connect(dopts);
  if (!docker) return Fail(docker.error().message());
  auto exists = (*docker)->ImageExists(image);
  if (!exists) return Fail(exists.error().message());
  if (!*exists) {
    return Fail("image " + image + " is not on this Docker host and no registry is reachable; " +
                (image.starts_with("berth/nginx") ? "build it with scripts/build-nginx-image.sh"
                                                  : "build or load it first"));
  }
  auto client = etcd::Client::Create(ToClientOptions(etcd));
  if (!client) return Fail(client.error().message());

  agent::RegistrationOptions ropts;
  ropts.layout = layout == "service" ? agent::Layout::kService : agent::Layout::kFlat;
  ropts.prefix = !prefix.empty() ? prefix : (layout == "service" ? "/services" : "/app/servers");
  ropts.host_ip = host_ip.empty() ? agent::DefaultHostIp() : host_ip;

  // Names: --name, else <service>-<n> as `berth up` names its instances.
  std::vector<std::string> names;
  if (!name.empty()) {
    for (int i = 1; i <= count; ++i) {
      names.push_back(count == 1 ? name : name + "-" + std::to_string(i));
    }
  } else {
    auto all = (*docker)->List(/*all=*/true);
    if (!all) return Fail("list containers: " + all.error().message());
    std::set<std::string> taken;
    for (const auto& c : *all) taken.insert(c.name);
    names = agent::FreeInstanceNames(taken, service, count);
  }

  int failures = 0;
  for (const auto& instance_name : names) {
    docker::CreateOptions c;
    c.image = image;
    c.name = instance_name;
    c.env = env;
    c.binds = binds;
    c.labels = {{"berth.service", service}, {"berth.port", std::to_string(port) + "/tcp"}};
    c.exposed_ports = {std::to_string(port) + "/tcp"};
    c.publish_all = true;
    auto id = (*docker)->Create(c);
    if (!id) {
      std::fprintf(stderr, "berth launch: create: %s\n", id.error().message().c_str());
      ++failures;
      continue;
    }
    if (Status s = (*docker)->Start(*id); !s.ok()) {
      std::fprintf(stderr, "berth launch: start: %s\n", s.message().c_str());
      (void)(*docker)->Remove(*id, true);
      ++failures;
      continue;
    }
    auto inspected = (*docker)->Inspect(*id);
    if (!inspected) {
      std::fprintf(stderr, "berth launch: %s\n", inspected.error().message().c_str());
      ++failures;
      continue;
    }
    auto reg = agent::RegistrationFor(*inspected, ropts);
    if (!reg) {
      std::fprintf(stderr, "berth launch: %s\n", reg.error().message().c_str());
      ++failures;
      continue;
    }
    const auto deadline = Clock::now() + *wait;
    // What was registered: with --register our own value; otherwise the
    // agent's, whose --host-ip may differ from ours, so any value with this
    // instance's port counts.
    std::optional<std::string> registered;
    const std::string port_suffix = ":" + std::to_string(reg->host_port);
    while (Clock::now() < deadline) {
      if (register_keys) {
        // Like the agent: register once the service accepts connections.
        const bool ready =
            inspected->ip_address.empty()
                ? sys::TcpAccepts(ropts.host_ip, reg->host_port, std::chrono::milliseconds(100))
                : sys::TcpAccepts(inspected->ip_address, static_cast<uint16_t>(port),
                                  std::chrono::milliseconds(100));
        if (ready && (*client)->Put(reg->key, reg->value)) {
          registered = reg->value;
          break;
        }
      } else {
        auto kv = (*client)->Get(reg->key);
        if (kv && kv->has_value() && (*kv)->value.ends_with(port_suffix)) {
          registered = (*kv)->value;
          break;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!registered) {
      std::fprintf(stderr, "berth launch: %s started but not registered within %s%s\n",
                   reg->name.c_str(), timeout.c_str(),
                   register_keys ? "" : " (is `berth agent` running on this host?)");
      ++failures;
      continue;
    }
    std::printf("%s %s\n", reg->name.c_str(), registered->c_str());
    std::fflush(stdout);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace berth::app
