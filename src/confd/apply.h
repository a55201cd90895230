// One template resource, end to end, for one backend read: its entries become
// the resource's snapshot, the template renders against it, dest is brought in
// line (SyncDest) and, when dest changed, reload_cmd runs.  confd's
// TemplateResource.process(), in berth's words.
#pragma once

#include <span>

#include "base/status.h"
#include "confd/render.h"
#include "confd/resource.h"
#include "confd/sync.h"
#include "kv/entry.h"

namespace berth::confd {

enum class ApplyOutcome { kInSync, kUpdated };

// `entries` is what the backend returned for (at least) r.PrefixedKeys().
// When `run_reload` is false the caller runs reload_cmd itself.
Result<ApplyOutcome> ApplyResource(const TemplateResource& r, std::span<const kv::Entry> entries,
                                   TemplateCache* cache, const SyncOptions& options,
                                   bool run_reload = true);

}  // namespace berth::confd
