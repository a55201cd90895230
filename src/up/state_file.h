// The state file of `berth up`, <state>/up.json: what up started and how to
// find it again, so that `berth up` (again), `berth down` and `berth status`
// — separate processes, possibly much later — know the system.
//
//   {
//     "version": 1,
//     "phase": "up",                  // "starting", "up" or "down"
//     "updated": "2026-11-25T12:00:00Z",
//     "settings": { "port": 8080, "instances": 3, "service": "app",
//                   "prefix": "/app/servers", "image": "berth/nginx",
//                   "etcd": "http://127.0.0.1:2379", "docker": "unix:///var/run/docker.sock",
//                   "confdir": "/var/lib/berth/confd", "haproxy": "/usr/sbin/haproxy",
//                   "host_ip": "10.0.0.5",
//                   "autoscale_min": 0, "autoscale_max": 0, "autoscale_target": 10 },
//     "haproxy_files": { "config": "/var/lib/berth/haproxy/haproxy.cfg",
//                        "socket": "/var/lib/berth/run/haproxy.sock",
//                        "master_socket": "/var/lib/berth/run/haproxy-master.sock",
//                        "pid_file": "/var/lib/berth/run/haproxy.pid" },
//     "etcd_started": true, "dockerd_started": false,
//     "confd_metrics": "127.0.0.1:40123",
//     "processes": [                  // what up started, in start order
//       { "name": "etcd", "pid": 4242, "start_time": 123456,
//         "argv": ["/usr/bin/etcd", "..."], "log": "/var/lib/berth/logs/etcd.log" },
//       ...
//     ],
//     "instances": ["app-1", "app-2", "app-3"]   // containers up launched
//   }
//
// start_time is field 22 of /proc/<pid>/stat (clock ticks after boot): a pid
// whose start time differs is another process that got the same pid, never
// ours (process.h).  The file is written through a staged file and a
// rename, so a reader sees the old or the new state, never half of one.
// Plain values and functions; thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace berth::up {

// A background process up started.
struct ProcessRecord {
  std::string name;  // "etcd", "dockerd", "haproxy", "agent", "confd", "scale"
  pid_t pid = 0;
  uint64_t start_time = 0;
  std::vector<std::string> argv;  // how to start it again
  std::string log;

  friend bool operator==(const ProcessRecord&, const ProcessRecord&) = default;
};

// The settings a system was started with; a later `berth up` keeps them.
struct Settings {
  int port = 8080;
  int instances = 3;
  std::string service = "app";
  std::string prefix = "/app/servers";
  std::string image = "berth/nginx";
  std::string etcd = "http://127.0.0.1:2379";
  std::string docker;   // "" : $DOCKER_HOST, then the default socket
  std::string confdir;  // the confd dir confd runs with
  std::string haproxy = "/usr/sbin/haproxy";
  std::string host_ip;  // where the frontend and the instances are reached
  // `berth up --autoscale MIN:MAX --target T`: `berth scale` runs with
  // these (sessions per instance); autoscale_max 0: no scaler.
  int autoscale_min = 0;
  int autoscale_max = 0;
  double autoscale_target = 10;

  friend bool operator==(const Settings&, const Settings&) = default;
};

// Where HAProxy's files are: from the confd resource that manages HAProxy
// (its dest, haproxy_socket and haproxy_master_socket), so that an
// operator's --confdir may place them elsewhere.
struct HaproxyFiles {
  std::string config;
  std::string socket;  // the Runtime API; "" when only the master CLI is configured
  std::string master_socket;
  std::string pid_file;

  friend bool operator==(const HaproxyFiles&, const HaproxyFiles&) = default;
};

struct UpState {
  enum class Phase { kStarting, kUp, kDown };
  Phase phase = Phase::kStarting;
  std::string updated;  // RFC 3339, UTC; set by SaveState
  Settings settings;
  HaproxyFiles haproxy_files;
  bool etcd_started = false;
  bool dockerd_started = false;
  std::string confd_metrics;  // HOST:PORT of confd's /metrics, "" when none
  std::vector<ProcessRecord> processes;
  std::vector<std::string> instances;

  // The record named `name`, or null.
  const ProcessRecord* Find(const std::string& name) const;
  ProcessRecord* Find(const std::string& name);
  // Replaces the record of the same name, or appends it.
  void Put(ProcessRecord record);
  void Remove(const std::string& name);

  friend bool operator==(const UpState&, const UpState&) = default;
};

std::string_view PhaseName(UpState::Phase phase);

// JSON text of `state`, and back.  kInvalidArgument naming the field when
// the text is not a state file of this version.
std::string StateToJson(const UpState& state);
Result<UpState> StateFromJson(std::string_view text);

// Reads the state file; nullopt when there is none.  kInvalidArgument (with
// the path) when it cannot be parsed.
Result<std::optional<UpState>> LoadState(const std::string& path);
// Sets state->updated to now and writes the file atomically (mode 0644).
Status SaveState(const std::string& path, UpState* state);

}  // namespace berth::up
