// Which containers the agent registers, under which key and value.
//
// A container is eligible when it carries the label `berth.service=<service>`
// or, as registrator does it, the environment variable SERVICE_NAME, and has
// no SERVICE_IGNORE (label or environment).  The registered port is the
// published host port of the container port named by the `berth.port` label
// (or SERVICE_PORT), else of its only published TCP port, else of its lowest
// published TCP port.  The key is `<prefix>/<container-name>` (the seed's
// layout), or `<prefix>/<service>/<container-name>` with the service layout;
// the value is `<host-ip>:<host-port>`.
//
// Names and addresses are validated before anything reaches etcd: a name
// must match [A-Za-z0-9_.-]+, a service too, an address must be ip:port.
// Plain functions; thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "docker/client.h"

namespace berth::agent {

enum class Layout { kFlat, kService };

struct RegistrationOptions {
  std::string prefix = "/app/servers";  // kFlat; kService default: "/services"
  Layout layout = Layout::kFlat;
  std::string host_ip;  // where HAProxy reaches this host
  // When set, only the containers of this service are eligible (one agent
  // per service on a host shared by several systems, as `berth up` runs it).
  std::string service;
};

struct Registration {
  std::string container_id;
  std::string name;  // container name
  std::string service;
  std::string key;
  std::string value;  // host_ip:host_port
  uint16_t host_port = 0;
};

// The service a container asks for, or nullopt when it is not to be
// registered (no service, or SERVICE_IGNORE).
std::optional<std::string> ServiceOf(const docker::Container& c);

// The registration of an eligible container.  kFailedPrecondition (with a
// message worth one warning) when it is eligible but cannot be registered:
// no published port, an invalid name or service.
Result<Registration> RegistrationFor(const docker::Container& c, const RegistrationOptions& o);

// The key a container of this name (and service) has, for deletion.
std::string KeyFor(std::string_view name, std::string_view service, const RegistrationOptions& o);

bool ValidName(std::string_view s);  // [A-Za-z0-9_.-]+
// What Docker accepts as a container name, [A-Za-z0-9][A-Za-z0-9_.-]+
// (container ids match too).
bool ValidContainerName(std::string_view s);
bool ValidAddress(std::string_view s);  // IPv4 or [IPv6], then :port (1-65535)

// `count` container names "<service>-<n>" with the lowest numbers n >= 1
// that no name in `taken` has: app-1, app-2, ... and the gaps kill left.
std::vector<std::string> FreeInstanceNames(const std::set<std::string>& taken,
                                           const std::string& service, int count);

}  // namespace berth::agent
