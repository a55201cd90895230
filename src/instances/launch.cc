#include "instances/launch.h"

#include <optional>
#include <set>
#include <thread>

#include "sys/net.h"

namespace berth::instances {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until the instance is registered (see launch.h); the registered
// value, or nullopt after the timeout or a cancellation.
std::optional<std::string> WaitRegistered(etcd::Client& etcd, const LaunchOptions& o,
                                          const docker::Container& inspected,
                                          const agent::Registration& reg) {
  const auto deadline = Clock::now() + o.timeout;
  const std::string port_suffix = ":" + std::to_string(reg.host_port);
  while (Clock::now() < deadline) {
    if (o.cancelled && o.cancelled()) return std::nullopt;
    if (o.register_keys) {
      // Like the agent: register once the service accepts connections.
      const bool ready = inspected.ip_address.empty()
                             ? sys::TcpAccepts(o.registration.host_ip, reg.host_port,
                                               std::chrono::milliseconds(100))
                             : sys::TcpAccepts(inspected.ip_address, static_cast<uint16_t>(o.port),
                                               std::chrono::milliseconds(100));
      if (ready && etcd.Put(reg.key, reg.value)) return reg.value;
    } else {
      auto kv = etcd.Get(reg.key);
      if (kv && kv->has_value() && (*kv)->value.ends_with(port_suffix)) return (*kv)->value;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

LaunchOutcome LaunchOne(docker::Client& docker, etcd::Client& etcd, const LaunchOptions& o,
                        const std::string& name) {
  LaunchOutcome out;
  out.name = name;
  docker::CreateOptions c;
  c.image = o.image;
  c.name = name;
  c.env = o.env;
  c.binds = o.binds;
  c.labels = {{"berth.service", o.service}, {"berth.port", std::to_string(o.port) + "/tcp"}};
  c.exposed_ports = {std::to_string(o.port) + "/tcp"};
  c.publish_all = true;
  auto id = docker.Create(c);
  if (!id) {
    out.status = id.error().Wrap("create");
    return out;
  }
  if (Status s = docker.Start(*id); !s.ok()) {
    (void)docker.Remove(*id, true);
    out.status = s.Wrap("start");
    return out;
  }
  auto inspected = docker.Inspect(*id);
  if (!inspected) {
    out.status = inspected.error();
    return out;
  }
  auto reg = agent::RegistrationFor(*inspected, o.registration);
  if (!reg) {
    out.status = reg.error();
    return out;
  }
  out.name = reg->name;
  auto registered = WaitRegistered(etcd, o, *inspected, *reg);
  if (!registered) {
    out.status =
        Status::Timeout(reg->name + " started but not registered within " + o.timeout_text +
                        (o.register_keys ? "" : " (is `berth agent` running on this host?)"));
    return out;
  }
  out.address = *registered;
  return out;
}

}  // namespace

Status CheckLaunchOptions(const LaunchOptions& o, bool name_given) {
  if (!agent::ValidName(o.service)) {
    return Status::InvalidArgument("--service must match [A-Za-z0-9_.-]+");
  }
  // An explicit --name "" would let dockerd pick names: refuse it too.
  if (name_given && !agent::ValidContainerName(o.count == 1 ? o.name : o.name + "-1")) {
    return Status::InvalidArgument("--name \"" + o.name +
                                   "\" is not a container name: [A-Za-z0-9][A-Za-z0-9_.-]+");
  }
  for (const auto& e : o.env) {
    if (e.find('=') == std::string::npos)
      return Status::InvalidArgument("--env wants K=V, got " + e);
  }
  return Status::Ok();
}

Status CheckImage(docker::Client& docker, const std::string& image) {
  auto exists = docker.ImageExists(image);
  if (!exists) return exists.error();
  if (*exists) return Status::Ok();
  return Status::NotFound(
      "image " + image + " is not on this Docker host and no registry is reachable; " +
      (image.starts_with("berth/nginx") ? "build it with scripts/build-nginx-image.sh"
                                        : "build or load it first"));
}

Result<std::vector<std::string>> InstanceNames(docker::Client& docker, const LaunchOptions& o) {
  std::vector<std::string> names;
  if (!o.name.empty()) {
    for (int i = 1; i <= o.count; ++i) {
      names.push_back(o.count == 1 ? o.name : o.name + "-" + std::to_string(i));
    }
    return names;
  }
  auto all = docker.List(/*all=*/true);
  if (!all) return Err(all.error().Wrap("list containers"));
  std::set<std::string> taken;
  for (const auto& c : *all) taken.insert(c.name);
  return agent::FreeInstanceNames(taken, o.service, o.count);
}

std::vector<LaunchOutcome> Launch(docker::Client& docker, etcd::Client& etcd,
                                  const LaunchOptions& options,
                                  const std::vector<std::string>& names,
                                  const std::function<void(const LaunchOutcome&)>& on_done) {
  std::vector<LaunchOutcome> outcomes;
  for (const auto& name : names) {
    outcomes.push_back(LaunchOne(docker, etcd, options, name));
    if (on_done) on_done(outcomes.back());
  }
  return outcomes;
}

}  // namespace berth::instances
