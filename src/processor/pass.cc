#include "processor/pass.h"

#include <algorithm>

#include "base/log.h"
#include "confd/apply.h"

namespace berth::processor {

PassOutcome RunPass(std::span<const PassItem> items, confd::TemplateCache* cache,
                    const confd::SyncOptions& options) {
  PassOutcome out;
  // The reloads to run, each once, with the resources that need it.
  std::vector<std::pair<confd::ReloadAction, std::vector<const confd::TemplateResource*>>> reloads;
  for (const PassItem& item : items) {
    const confd::TemplateResource& r = *item.resource;
    auto outcome = confd::ApplyResource(r, item.snapshot, cache, options, /*run_reload=*/false);
    ++out.rendered;
    if (!outcome) {
      log::Error(outcome.error().message());
      out.ok = false;
      continue;
    }
    if (*outcome == confd::ApplyOutcome::kInSync) continue;
    ++out.updated;
    if (*outcome == confd::ApplyOutcome::kAppliedLive) {
      ++out.applied_live;
      continue;
    }
    const confd::ReloadAction action = confd::ReloadAction::Of(r);
    if (action.empty() || options.sync_only || options.noop) continue;
    auto it = std::find_if(reloads.begin(), reloads.end(),
                           [&](const auto& e) { return e.first == action; });
    if (it == reloads.end()) {
      reloads.push_back({action, {&r}});
    } else {
      it->second.push_back(&r);
    }
  }
  for (const auto& [action, resources] : reloads) {
    out.reloads_run.push_back(action);
    Status s = confd::RunReload(action, options);
    if (!s.ok()) {
      for (const confd::TemplateResource* r : resources) {
        log::Error(r->dest + ": " + s.message());
      }
      out.reloads_failed.push_back(action);
      out.ok = false;
    }
  }
  return out;
}

}  // namespace berth::processor
