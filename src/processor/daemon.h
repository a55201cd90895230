// The long-running modes of `berth confd`:
//
//   -watch     renders at start, then follows the store: one change feed per
//              distinct key prefix (shared by the resources under it), events
//              applied to an in-memory copy of the keys, only the resources
//              whose keys changed rendered, after their quiescence window.
//   -interval  re-reads conf.d and the store every N seconds, as confd does.
//
// Both render with RunPass (reload commands shared by several resources run
// once per pass), retry a failed reload command with backoff until it works
// or a newer render supersedes it, re-read confd.toml, conf.d and the
// templates on SIGHUP (watch mode keeps its feeds), and stop on SIGTERM /
// SIGINT once the running command has finished (bounded by its timeout);
// the stop interrupts the backend, so a read or watch waiting on an
// unreachable store does not delay it.
// With a metrics address they serve /metrics and /healthz.
//
// The Run functions own every thread they start and join them before
// returning.  Call BlockDaemonSignals() first (see signals.h).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "backend/backend.h"
#include "confd/resource.h"
#include "confd/sync.h"
#include "confd/wait_spec.h"

namespace berth::processor {

// What a SIGHUP may change.
struct DaemonSettings {
  confd::LoadOptions load;
  confd::SyncOptions sync;
  confd::WaitSpec wait;  // for resources without their own `wait`
};

struct DaemonOptions {
  DaemonSettings settings;
  // Re-reads confd.toml and the command line (SIGHUP); unset: keep settings.
  std::function<Result<DaemonSettings>()> reload_settings;
  std::string metrics_addr;  // HOST:PORT; empty: no metrics server
};

// Exit status: 0 after a requested stop, 1 when conf.d cannot be loaded at
// start.
int RunWatch(backend::Backend& backend, const DaemonOptions& options);
int RunInterval(backend::Backend& backend, const DaemonOptions& options,
                std::chrono::seconds interval);

}  // namespace berth::processor
