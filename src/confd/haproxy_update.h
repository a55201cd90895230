// The HAProxy path of a template resource that names HAProxy's sockets
// (`haproxy_socket`, `haproxy_master_socket`; docs/haproxy.md): a new
// haproxy.cfg that differs from dest only in the server lines of backends
// is installed and applied over the Runtime API, without a reload.
//
//   1. Refuse (error, nothing written, HAProxy untouched) a render into
//      which a store value carried a space, `;`, `#`, a quote or a control
//      character: such a value is an injection attempt or a broken
//      registration, never a server address.
//   2. Diff dest and the new text (haproxy::DiffConfigs).
//        identical in HAProxy's eyes   install (comments, spacing), no reload
//        server lines only             check the change can be applied
//                                      (haproxy::CheckServerChanges): refused
//                                      -> error as in 1; else swap (no
//                                      check_cmd: every changed line has been
//                                      validated), apply over the Runtime API;
//                                      if HAProxy could not take it, reload
//        anything else                 check_cmd, swap, reload
//
// Thread-compatible: do not update one HAProxy from two threads at once.
#pragma once

#include <string_view>

#include "base/status.h"
#include "confd/apply.h"
#include "confd/resource.h"
#include "confd/sync.h"
#include "kv/snapshot.h"

namespace berth::confd {

// Brings dest and the running HAProxy in line with `content`.  kUpdated
// means dest changed and a reload is still needed; kAppliedLive that dest
// changed and HAProxy already runs it.  Not for -noop or -sync-only.
Result<ApplyOutcome> UpdateHaproxy(const TemplateResource& r, const kv::Snapshot& snapshot,
                                   std::string_view content, const SyncOptions& options);

// InvalidArgument, naming the key, when a store value of `snapshot` that
// holds a character no server address or name has (space, tab, `;`, `#`, a
// quote, a backslash, a control character) appears in a server line of
// `content`.
Status CheckNoUnsafeValues(const kv::Snapshot& snapshot, std::string_view content);

}  // namespace berth::confd
