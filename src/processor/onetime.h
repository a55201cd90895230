// One pass over every template resource (`-onetime`): load conf.d, read the
// backend once for the keys of all resources, then render, check, swap and
// reload each resource in conf.d order.  A failing resource is logged and
// the others still run, as in confd.
#pragma once

#include "backend/backend.h"
#include "confd/resource.h"
#include "confd/sync.h"

namespace berth::processor {

struct OnetimeOptions {
  confd::LoadOptions load;
  confd::SyncOptions sync;
};

// True when every resource succeeded.
bool RunOnce(backend::Backend& backend, const OnetimeOptions& options);

}  // namespace berth::processor
