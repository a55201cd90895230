// `berth status`: reads the state file, then asks each part of the system
// what it knows — Docker (the service's containers, running or not), etcd
// (the registrations under the prefix and the store's revision), HAProxy
// (`show stat` through the Runtime API), confd (its /metrics: the last
// render) and /proc (the background processes) — and prints the table of
// status_table.h with those facts below it.  A part that cannot be asked
// is reported as such; it never stops the rest.  Needs no root, only read
// access to the state directory (and to the sockets, for their columns).
//
// Synchronous; not thread-safe (one call at a time).
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "up/state_file.h"
#include "up/status_table.h"

namespace berth::up {

struct ProcessLine {
  std::string name;
  pid_t pid = 0;
  bool alive = false;
  std::string log;  // as shown (relative to the state dir)
};

// Everything `berth status` prints.
struct StatusReport {
  std::string state_dir;
  UpState state;
  std::vector<InstanceRow> rows;
  std::optional<int64_t> etcd_revision;
  std::string etcd_error;             // why the revision is missing
  std::string docker_error;           // why the DOCKER column is "?"
  std::string haproxy_error;          // why the HAPROXY column is "?"
  std::optional<double> last_render;  // Unix seconds
  std::string last_render_source;     // "confd", "haproxy.cfg modified"
  double now = 0;                     // Unix seconds
  std::vector<ProcessLine> processes;
  // The scaler's last decision (scale/state.h), "" without --autoscale.
  std::string scaler;

  // Every background process runs, etcd and HAProxy answer, and every
  // running container of the service is registered and UP.
  bool Healthy() const;
};

// The text of the report (the table, then revision, render, processes).
std::string FormatReport(const StatusReport& report);

struct StatusOptions {
  std::string state_dir;  // "" : the default (and, when it has no state,
                          // /var/lib/berth when that one has)
};

// Reads everything.  kNotFound when there is no state file (berth up never
// ran there); other errors only for an unreadable state file.
Result<StatusReport> CollectStatus(const StatusOptions& options);

}  // namespace berth::up
