#include "agent/registration.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>

namespace berth::agent {
namespace {

std::optional<std::string> EnvValue(const docker::Container& c, std::string_view name) {
  for (const auto& e : c.env) {
    if (e.size() > name.size() && e.starts_with(name) && e[name.size()] == '=') {
      return e.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Label(const docker::Container& c, const std::string& name) {
  auto it = c.labels.find(name);
  if (it == c.labels.end()) return std::nullopt;
  return it->second;
}

// "80", "80/tcp" -> "80/tcp".
std::string NormalizePort(std::string_view p) {
  std::string s(p);
  if (s.find('/') == std::string::npos) s += "/tcp";
  return s;
}

uint16_t PortNumber(std::string_view container_port) {
  return static_cast<uint16_t>(std::atoi(std::string(container_port).c_str()));
}

}  // namespace

bool ValidName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

bool ValidContainerName(std::string_view s) {
  if (s.size() < 2 || !ValidName(s)) return false;
  const char c = s.front();
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool ValidAddress(std::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string host(s.substr(0, colon));
  const std::string_view port = s.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const long n = std::atol(std::string(port).c_str());
  if (n < 1 || n > 65535) return false;
  unsigned char buf[16];
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    return inet_pton(AF_INET6, host.c_str(), buf) == 1;
  }
  return inet_pton(AF_INET, host.c_str(), buf) == 1;
}

std::optional<std::string> ServiceOf(const docker::Container& c) {
  if (Label(c, "SERVICE_IGNORE") || EnvValue(c, "SERVICE_IGNORE")) return std::nullopt;
  if (auto s = Label(c, "berth.service"); s && !s->empty()) return s;
  if (auto s = EnvValue(c, "SERVICE_NAME"); s && !s->empty()) return s;
  return std::nullopt;
}

std::string KeyFor(std::string_view name, std::string_view service, const RegistrationOptions& o) {
  std::string key = o.prefix;
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  if (o.layout == Layout::kService) {
    key += "/";
    key += service;
  }
  key += "/";
  key += name;
  return key;
}

Result<Registration> RegistrationFor(const docker::Container& c, const RegistrationOptions& o) {
  auto service = ServiceOf(c);
  if (!service) return Err(Status::NotFound(c.name + " is not a berth service"));
  if (!o.service.empty() && *service != o.service) {
    return Err(Status::NotFound(c.name + " is not of service " + o.service));
  }
  if (!ValidName(c.name)) {
    return Err(Status::FailedPrecondition("container name \"" + c.name +
                                          "\" is not [A-Za-z0-9_.-]+; not registered"));
  }
  if (!ValidName(*service)) {
    return Err(Status::FailedPrecondition(c.name + ": service \"" + *service +
                                          "\" is not [A-Za-z0-9_.-]+; not registered"));
  }
  // The published TCP ports.
  std::vector<const docker::PortBinding*> tcp;
  for (const auto& p : c.ports) {
    if (p.host_port != 0 && p.container_port.ends_with("/tcp")) tcp.push_back(&p);
  }
  if (tcp.empty()) {
    return Err(Status::FailedPrecondition(c.name + " publishes no TCP port; not registered (run it "
                                                   "with -P or -p)"));
  }
  const docker::PortBinding* chosen = nullptr;
  auto wanted = Label(c, "berth.port");
  if (!wanted) wanted = EnvValue(c, "SERVICE_PORT");
  if (wanted) {
    const std::string want = NormalizePort(*wanted);
    for (const auto* p : tcp) {
      if (p->container_port == want) chosen = p;
    }
    if (chosen == nullptr) {
      return Err(Status::FailedPrecondition(c.name + ": berth.port " + *wanted +
                                            " is not published; not registered"));
    }
  } else {
    chosen = *std::min_element(tcp.begin(), tcp.end(), [](const auto* a, const auto* b) {
      return PortNumber(a->container_port) < PortNumber(b->container_port);
    });
  }
  // dockerd publishes a port on 0.0.0.0 and on [::], and the two host ports
  // differ when one of them was taken on one family only: take the binding
  // of the family of the address registered.
  const bool v6_host = o.host_ip.find(':') != std::string::npos;
  for (const auto* p : tcp) {
    if (p->container_port == chosen->container_port &&
        (p->host_ip.find(':') != std::string::npos) == v6_host) {
      chosen = p;
      break;
    }
  }
  Registration r;
  r.container_id = c.id;
  r.name = c.name;
  r.service = *service;
  r.host_port = chosen->host_port;
  r.key = KeyFor(c.name, r.service, o);
  const bool v6 = o.host_ip.find(':') != std::string::npos;
  r.value = (v6 ? "[" + o.host_ip + "]" : o.host_ip) + ":" + std::to_string(chosen->host_port);
  if (!ValidAddress(r.value)) {
    return Err(Status::InvalidArgument("address " + r.value + " is not ip:port; not registered"));
  }
  return r;
}

std::vector<std::string> FreeInstanceNames(const std::set<std::string>& taken,
                                           const std::string& service, int count) {
  std::vector<std::string> names;
  for (int n = 1; static_cast<int>(names.size()) < count; ++n) {
    std::string name = service + "-" + std::to_string(n);
    if (!taken.contains(name)) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace berth::agent
