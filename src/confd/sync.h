// Bringing a destination file in line with a rendered template, as confd
// does and then some: compare content, mode and owner with dest; when they
// differ, stage the new file beside dest (fsynced, chmod-ed, chown-ed), run
// check_cmd on it, rename it over dest atomically; then the caller runs
// reload_cmd (confd/reload.h).  Dest is always either the old or the new complete
// file; a failed check leaves it untouched and removes the stage file.
//
// With `noop` nothing is written and a unified diff of what would change is
// printed instead.  Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "base/status.h"
#include "confd/resource.h"

namespace berth::confd {

struct SyncOptions {
  bool noop = false;
  bool sync_only = false;  // no check_cmd, no reload_cmd
  bool keep_stage_file = false;
  std::chrono::milliseconds command_timeout{60'000};
  std::FILE* diff_out = stdout;  // where -noop prints its diff
};

enum class SyncOutcome {
  kInSync,   // dest already had this content, mode and owner
  kUpdated,  // dest was replaced (or, with noop, would have been)
};

// Compares, stages, checks and swaps.  On error dest is unchanged.
Result<SyncOutcome> SyncDest(const TemplateResource& r, std::string_view content,
                             const SyncOptions& options);

// Runs `cmd` through /bin/sh -c, bounded by options.command_timeout; a
// failure's message starts with `what` and carries the command's output.
Status RunCommand(std::string_view what, const std::string& cmd, const SyncOptions& options);

}  // namespace berth::confd
