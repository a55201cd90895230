#include "confd/apply.h"

#include "base/log.h"

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
  auto outcome = SyncDest(r, *content, options);
  if (!outcome) return Err(outcome.error());
  if (*outcome == SyncOutcome::kInSync) return ApplyOutcome::kInSync;
  if (run_reload) BERTH_RETURN_IF_ERROR(RunReload(r, options));
  if (!options.noop) log::Info("Target config " + r.dest + " has been updated");
  return ApplyOutcome::kUpdated;
}

}  // namespace berth::confd
