// One pass over a set of template resources: each is rendered against its
// snapshot and its destination brought in line (confd::ApplyResource); then
// the reload commands of the resources whose destination changed run — each
// distinct command once, after every resource of the pass has been written,
// in the order the resources came.  Shared by -onetime, -interval and -watch.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "confd/render.h"
#include "confd/resource.h"
#include "confd/sync.h"
#include "kv/snapshot.h"

namespace berth::processor {

struct PassItem {
  const confd::TemplateResource* resource;
  kv::SnapshotPtr snapshot;
};

struct PassOutcome {
  bool ok = true;                           // no resource and no reload failed
  size_t rendered = 0;                      // resources rendered (with or without change)
  size_t updated = 0;                       // destinations replaced (or, with -noop, that would be)
  std::vector<std::string> reloads_run;     // reload commands that ran, in order
  std::vector<std::string> reloads_failed;  // the ones that failed
};

// Logs each failure.  `run_reloads` = false leaves reload commands to the
// caller (they are still listed in reloads_run, not run).
PassOutcome RunPass(std::span<const PassItem> items, confd::TemplateCache* cache,
                    const confd::SyncOptions& options);

// Runs one reload command (sync_only / noop turn it into a no-op).
Status RunReloadCommand(const std::string& cmd, const confd::SyncOptions& options);

}  // namespace berth::processor
