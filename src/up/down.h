// `berth down`: stops everything `berth up` started, in this order, one
// progress line per step —
//
//   1 confd      SIGTERM, SIGKILL after 10 s
//   2 agent      likewise
//   3 instances  the service's containers on the Docker host (label
//                berth.service=<service>, running or not) force-removed,
//                and their registrations deleted from etcd
//   4 haproxy    the master: SIGTERM (it stops its workers), SIGKILL to
//                the group after 10 s
//   5 etcd       only when up started it
//   6 dockerd    only when up started it
//   7 state      HAProxy's sockets and pid file removed, the state file
//                marked down (logs and etcd's data are kept)
//
// — and nothing else: no process it did not record (pid and start time,
// process.h), no container without the service's label.  A system that is
// not up is "nothing to stop", and OK.
//
// Synchronous; one call at a time per process.
#pragma once

#include <cstdio>
#include <string>

#include "base/status.h"

namespace berth::up {

struct DownOptions {
  std::string state_dir;  // "" : DefaultStateDir()
};

// OK when everything is stopped (or nothing ran); otherwise the status
// lists what could not be stopped or removed (the other steps still ran).
Status Down(const DownOptions& options, std::FILE* out);

}  // namespace berth::up
