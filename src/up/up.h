// `berth up`: the whole system on one host, started step by step, one
// progress line per step:
//
//    1 state    the state directory (paths.h), locked for this run; a
//               system that already runs ends the run here ("already up")
//    2 etcd     reachable at --etcd?  else started (one member, data under
//               <state>/etcd, peer URL on the client port + 1)
//    3 docker   dockerd answers?  else started when we are root
//    4 image    the nginx image, built with scripts/build-nginx-image.sh
//               when missing
//    5 config   the confd files written (confd_files.h), haproxy.cfg
//               rendered once (`berth confd -onetime -sync-only`)
//    6 haproxy  HAProxy in master-worker mode, with a master CLI
//    7 agent    `berth agent`
//    8 confd    `berth confd -watch` with /metrics on a free port
//    9 launch   `berth launch` of the missing instances, in parallel
//   10 routing  until HAProxy shows every instance UP and the frontend
//               answers 200 from each of them
//   11 scale    with --autoscale MIN:MAX only: `berth scale` (its last
//               decision in <state>/scale.json, for `berth status`)
//
// Background processes are detached (process.h) and recorded in the state
// file as soon as they start, so that `berth down` finds them even when up
// is interrupted.  When a step fails (or Ctrl-C arrives), up stops what
// this run started, in reverse order, and fails naming the step, the reason
// and the log to read.
//
// When the state file says the system is up but some recorded process has
// died, up starts again only what is missing (same settings as recorded;
// flags that differ are reported and ignored), launches instances up to the
// recorded count, and waits for routing as above.
//
// Synchronous; one call at a time per process.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "base/status.h"
#include "up/state_file.h"

namespace berth::up {

struct UpOptions {
  std::string state_dir;  // "" : DefaultStateDir()
  // port, instances, service, prefix, image, etcd, docker, haproxy (the
  // binary, looked up in $PATH when it has no '/'); confdir is the
  // operator's own confd dir, "" for the one up writes.
  Settings settings;
  int etcd_peer_port = 0;                           // 0: the client port + 1
  std::chrono::milliseconds wait_timeout{120'000};  // for step 10
  // The flags given on the command line ("--port", ...): on a running
  // system those that differ from its settings are reported.
  std::vector<std::string> given;
};

// Runs the steps, printing to `out`.  OK when the system runs (started now,
// or already).  On failure the status names the step and the log.
Status Up(const UpOptions& options, std::FILE* out);

}  // namespace berth::up
