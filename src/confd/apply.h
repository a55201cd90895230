// One template resource, end to end: the template renders against the
// resource's snapshot, dest is brought in line (SyncDest) and, when dest
// changed, reload_cmd runs.  confd's TemplateResource.process(), in berth's
// words.
#pragma once

#include <span>

#include "base/status.h"
#include "confd/render.h"
#include "confd/resource.h"
#include "confd/sync.h"
#include "kv/entry.h"

namespace berth::confd {

enum class ApplyOutcome {
  kInSync,       // dest was already right
  kUpdated,      // dest replaced; the reload is still to run
  kAppliedLive,  // dest replaced and the running program updated without a reload (HAProxy)
};

// Renders `snapshot` (see ResourceSnapshot) for `r` and brings dest in line.
// When `run_reload` is false the caller runs the reload itself (for
// kUpdated; see confd/reload.h).  A resource naming HAProxy's sockets takes
// the path of confd/haproxy_update.h.
Result<ApplyOutcome> ApplyResource(const TemplateResource& r, const kv::SnapshotPtr& snapshot,
                                   TemplateCache* cache, const SyncOptions& options,
                                   bool run_reload = true);

}  // namespace berth::confd
