// dockerd's side of the wire, without I/O: daemon addresses (DOCKER_HOST
// forms), API version negotiation, and the JSON documents of the Engine API
// read into (and, for create, written from) client.h's structs.  Kept apart
// from the HTTP code so that it can be tested on captured documents.
//
// A document that is not what the API describes gives kInternal naming the
// document ("container inspect: ..."); absent or null optional fields read as
// empty.  Thread-safe: plain functions of their arguments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "docker/client.h"

namespace berth::docker {

// Where dockerd listens.
struct DaemonAddress {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string socket_path;  // kUnix: "/var/run/docker.sock"
  std::string host;         // kTcp: "127.0.0.1", "docker.example", "::1"
  uint16_t port = 0;        // kTcp

  // "unix:///var/run/docker.sock" or "tcp://host:port" ("tcp://[::1]:2375").
  std::string ToString() const;
  // The base of request URLs: "http://localhost" for a socket (the path is
  // given to curl apart), "http://host:port" for TCP.
  std::string BaseUrl() const;
};

inline constexpr std::string_view kDefaultDockerHost = "unix:///var/run/docker.sock";

// Parses `host`: "unix:///path", "tcp://host[:port]" (port 2375 when
// omitted; IPv6 as "[::1]"), or "" for `docker_host_env` ($DOCKER_HOST) and
// then kDefaultDockerHost.  kInvalidArgument, naming the value and where it
// came from, for anything else (ssh://, npipe://, a bare path, a bad port).
Result<DaemonAddress> ParseDaemonAddress(std::string_view host, std::string_view docker_host_env);

// "1.41" < "1.9"?  Compares "MAJOR.MINOR" numerically; false when either
// does not parse.
bool ApiVersionLess(std::string_view a, std::string_view b);

struct VersionInfo {
  std::string api_version;  // negotiated: min(ApiVersion, kMaxApiVersion)
  std::string daemon_version;
};
// Reads GET /version's body and picks the version to speak: the daemon's
// ApiVersion capped at kMaxApiVersion (raised to its MinAPIVersion should a
// future dockerd refuse ours).  kFailedPrecondition below kMinApiVersion.
Result<VersionInfo> NegotiateVersion(std::string_view version_json);

// GET /containers/{id}/json.
Result<Container> ParseContainer(std::string_view json);
// GET /containers/json.
Result<std::vector<ContainerSummary>> ParseContainerList(std::string_view json);
// One line of GET /events.  Events of other types than "container" parse
// too; `*is_container` says which they are.
Result<Event> ParseEvent(std::string_view json, bool* is_container);
// POST /containers/create's answer: the new container's id.
Result<std::string> ParseCreated(std::string_view json);

// POST /containers/create's body.
std::string CreateBody(const CreateOptions& options);
// The `filters` query value: {"label":["k=v"]}, or {"type":["container"]}.
std::string LabelFilter(std::string_view label);
std::string ContainerEventsFilter();

// What dockerd said in an error body: its "message", else the body itself
// (trimmed, at most 512 bytes), else "HTTP <status>".
std::string ErrorMessage(long http_status, std::string_view body);

}  // namespace berth::docker
