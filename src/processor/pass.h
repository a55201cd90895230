// One pass over a set of template resources: each is rendered against its
// snapshot and its destination brought in line (confd::ApplyResource); then
// the reloads of the resources whose destination changed run — each distinct
// reload (a command, or HAProxy's master socket) once, after every resource
// of the pass has been written, in the order the resources came.  Resources
// applied live (HAProxy's Runtime API) need none.  Shared by -onetime, -interval and -watch.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "confd/reload.h"
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
  bool ok = true;           // no resource and no reload failed
  size_t rendered = 0;      // resources rendered (with or without change)
  size_t updated = 0;       // destinations replaced (or, with -noop, that would be)
  size_t applied_live = 0;  // of those, put into service without a reload (HAProxy Runtime API)
  std::vector<confd::ReloadAction> reloads_run;     // reloads that ran, in order
  std::vector<confd::ReloadAction> reloads_failed;  // the ones that failed
};

// Logs each failure.
PassOutcome RunPass(std::span<const PassItem> items, confd::TemplateCache* cache,
                    const confd::SyncOptions& options);

}  // namespace berth::processor
