// A Docker Engine API client: what berth's agent, launch and kill need from
// dockerd, over its unix socket (default /var/run/docker.sock, or DOCKER_HOST
// unix:///path) or TCP (tcp://host:port, as the seed reaches its Docker host),
// with libcurl for HTTP and nlohmann::json for the bodies.  No TLS
// (DOCKER_TLS_VERIFY is not supported).
//
// The API version is negotiated once (GET /version: the daemon's ApiVersion,
// capped at kMaxApiVersion); every call carries a deadline
// (ClientOptions::timeout; Stop adds its grace period).  Errors name the
// daemon's address and say what to check:
//   kUnavailable  dockerd is unreachable: "cannot reach dockerd at
//                 unix:///var/run/docker.sock: connect: No such file or
//                 directory — is dockerd running and is the socket accessible?"
//   kTimeout      dockerd accepted the request but did not answer in time
//   kNotFound     an unknown container or image (HTTP 404)
//   otherwise     dockerd's own "message" (400 kInvalidArgument, 409
//                 kFailedPrecondition, 5xx kInternal)
//
// Thread-safety: a Client may be used from several threads at once (each
// request has its own connection).  An EventStream belongs to one thread;
// Close may be called from any thread while the stream exists.  Neither
// starts threads: the event stream is read only inside Next.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace berth::docker {

// The newest API version berth speaks (Debian 12's dockerd 20.10 speaks it)
// and the oldest it accepts (State.Health appeared in 1.24).
inline constexpr std::string_view kMaxApiVersion = "1.41";
inline constexpr std::string_view kMinApiVersion = "1.24";

struct ClientOptions {
  // "unix:///var/run/docker.sock", "tcp://host:port", or "" for DOCKER_HOST
  // and then the default socket.
  std::string host;
  std::chrono::milliseconds timeout{10'000};  // per request
};

struct PortBinding {
  std::string container_port;  // "80/tcp"
  std::string host_ip;         // "0.0.0.0", "::"
  uint16_t host_port = 0;
};

struct ContainerSummary {
  std::string id;
  std::string name;  // without the leading "/"
  std::string image;
  std::string state;  // "created", "running", "exited", ...
  std::map<std::string, std::string> labels;
  std::vector<PortBinding> ports;  // published ports only
};

struct Container {
  std::string id;
  std::string name;      // without the leading "/"
  std::string image;     // as given at create time ("berth/nginx"), not the digest
  std::string hostname;  // Config.Hostname: by default the id's first 12 characters
  std::string status;    // State.Status: "created", "running", "exited", ...
  bool running = false;
  bool paused = false;
  int exit_code = 0;
  std::string health;  // "" (no health check), "starting", "healthy", "unhealthy"
  std::map<std::string, std::string> labels;
  std::vector<std::string> env;    // "KEY=VALUE"
  std::vector<PortBinding> ports;  // published ports (NetworkSettings.Ports)
  std::string ip_address;          // on the default network ("" when stopped)
};

// A health check run by dockerd inside the container (exec form: the image
// may have no shell).
struct HealthCheck {
  std::vector<std::string> test;  // {"CMD", "/usr/sbin/nginx", "-t"} or {"CMD-SHELL", "..."}
  std::chrono::milliseconds interval{0};      // 0: dockerd's default (30 s)
  std::chrono::milliseconds timeout{0};       // 0: dockerd's default (30 s)
  std::chrono::milliseconds start_period{0};  // 0: none
  int retries = 0;                            // 0: dockerd's default (3)
};

struct CreateOptions {
  std::string name;  // "" lets dockerd choose
  std::string image;
  std::vector<std::string> env;  // "KEY=VALUE"
  std::map<std::string, std::string> labels;
  std::vector<std::string> exposed_ports;   // "80/tcp", besides the image's
  bool publish_all = false;                 // -P: every exposed port on a free host port
  std::vector<std::string> binds;           // "HOST_DIR:CONTAINER_DIR[:ro]"
  std::vector<std::string> cmd;             // empty: the image's
  std::optional<HealthCheck> health_check;  // none: the image's
};

// A container event from GET /events.
struct Event {
  std::string action;  // "create", "start", "die", "stop", "kill", "pause", "unpause",
                       // "destroy", "health_status: healthy", "exec_start: ...", ...
  std::string id;
  std::string name;
  std::string image;                              // as given at create time
  std::map<std::string, std::string> attributes;  // labels, "exitCode", "name", "image", ...
  int64_t time_nano = 0;
};

class EventStream {
 public:
  virtual ~EventStream() = default;
  // The next container event, or kTimeout when none came within `timeout`
  // (zero: only what has already arrived).  kUnavailable when the
  // connection to dockerd broke or dockerd ended the stream: open a new
  // stream (and reconcile, as events may have been missed); every later call
  // says the same.  kCancelled after Close.  Docker sends no heartbeat: a
  // daemon that hangs with the connection open looks like a quiet one (over
  // tcp://, TCP keepalive notices a dead host).
  virtual Result<Event> Next(std::chrono::milliseconds timeout) = 0;
  // Makes a Next blocked in another thread return kCancelled at once, and
  // every later Next too.  The connection is released when the stream is
  // destroyed (by its owning thread).
  virtual void Close() = 0;
};
using EventStreamPtr = std::unique_ptr<EventStream>;

class Client {
 public:
  // Parses the host and negotiates the API version (which needs dockerd).
  // kInvalidArgument for a host berth cannot use (ssh://, a bare path);
  // kFailedPrecondition when dockerd only speaks versions older than
  // kMinApiVersion.
  static Result<std::unique_ptr<Client>> Connect(ClientOptions options);
  virtual ~Client() = default;

  // "unix:///var/run/docker.sock" or "tcp://host:port".
  virtual const std::string& host() const = 0;
  // The negotiated API version ("1.41").
  virtual const std::string& api_version() const = 0;
  // The daemon's own version ("20.10.24+dfsg1").
  virtual const std::string& daemon_version() const = 0;

  // Running containers, or all with `all`, optionally only those with a
  // label ("berth.service" or "berth.service=app").
  virtual Result<std::vector<ContainerSummary>> List(bool all, std::string_view label = "") = 0;
  // By id or name; kNotFound when there is none.
  virtual Result<Container> Inspect(std::string_view id_or_name) = 0;
  // Whether the image exists locally (no pull: no registry is reachable).
  virtual Result<bool> ImageExists(std::string_view image) = 0;
  // Returns the new container's id.  kNotFound when the image is missing
  // (it is never pulled); kFailedPrecondition when the name is taken.
  virtual Result<std::string> Create(const CreateOptions& options) = 0;
  // OK when the container already runs.
  virtual Status Start(std::string_view id) = 0;
  // SIGTERM (or the image's stop signal), then SIGKILL after `timeout`.
  // OK when the container is not running.
  virtual Status Stop(std::string_view id, std::chrono::seconds timeout) = 0;
  // Removes the container (with `force`, even a running one: dockerd kills
  // it first) and its anonymous volumes.
  virtual Status Remove(std::string_view id, bool force) = 0;
  // Container events from now on (type=container).  Returns once dockerd has
  // answered the request; dockerd subscribes the stream just after it sends
  // its headers, so an event from the same instant may be missed: callers
  // reconcile with List after opening a stream.
  virtual Result<EventStreamPtr> Events() = 0;
};
using ClientPtr = std::unique_ptr<Client>;

}  // namespace berth::docker
