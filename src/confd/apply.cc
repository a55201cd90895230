#include "confd/apply.h"

#include "base/log.h"
#include "confd/haproxy_update.h"
#include "confd/reload.h"

namespace berth::confd {

Result<ApplyOutcome> ApplyResource(const TemplateResource& r, const kv::SnapshotPtr& snapshot,
                                   TemplateCache* cache, const SyncOptions& options,
                                   bool run_reload) {
  // confd checks the mode before anything else.
  if (!r.mode.empty()) {
    auto mode = ParseMode(r.mode);
    if (!mode) return Err(mode.error());
  }
  auto tmpl = cache->Get(r.src);
  if (!tmpl) return Err(tmpl.error());
  auto content = Render(**tmpl, snapshot);
  if (!content) return Err(content.error());
  ApplyOutcome outcome = ApplyOutcome::kInSync;
  if (r.ManagesHaproxy() && !options.noop && !options.sync_only) {
    auto updated = UpdateHaproxy(r, *snapshot, *content, options);
    if (!updated) return Err(updated.error());
    outcome = *updated;
  } else {
    auto synced = SyncDest(r, *content, options);
    if (!synced) return Err(synced.error());
    outcome = *synced == SyncOutcome::kInSync ? ApplyOutcome::kInSync : ApplyOutcome::kUpdated;
  }
  if (outcome == ApplyOutcome::kInSync) return outcome;
  if (run_reload && outcome == ApplyOutcome::kUpdated) {
    BERTH_RETURN_IF_ERROR(RunReload(ReloadAction::Of(r), options));
  }
  if (!options.noop) log::Info("Target config " + r.dest + " has been updated");
  return outcome;
}

}  // namespace berth::confd
