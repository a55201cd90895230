#include "processor/pass.h"

#include <algorithm>

#include "base/log.h"
#include "confd/apply.h"

namespace berth::processor {

PassOutcome RunPass(std::span<const PassItem> items, confd::TemplateCache* cache,
                    const confd::SyncOptions& options) {
  PassOutcome out;
  // The reload commands to run, each once, with the resources that need it.
  std::vector<std::pair<std::string, std::vector<const confd::TemplateResource*>>> reloads;
  for (const PassItem& item : items) {
    const confd::TemplateResource& r = *item.resource;
    auto outcome = confd::ApplyResource(r, item.snapshot, cache, options, /*run_reload=*/false);
    ++out.rendered;
    if (!outcome) {
      log::Error(outcome.error().message());
      out.ok = false;
      continue;
    }
    if (*outcome != confd::ApplyOutcome::kUpdated) continue;
    ++out.updated;
    if (r.reload_cmd.empty() || options.sync_only || options.noop) continue;
    auto it = std::find_if(reloads.begin(), reloads.end(),
                           [&](const auto& e) { return e.first == r.reload_cmd; });
    if (it == reloads.end()) {
      reloads.push_back({r.reload_cmd, {&r}});
    } else {
      it->second.push_back(&r);
    }
  }
  for (const auto& [cmd, resources] : reloads) {
    out.reloads_run.push_back(cmd);
    Status s = RunReloadCommand(cmd, options);
    if (!s.ok()) {
      for (const confd::TemplateResource* r : resources) {
        log::Error(r->dest + ": " + s.message());
      }
      out.reloads_failed.push_back(cmd);
      out.ok = false;
    }
  }
  return out;
}

Status RunReloadCommand(const std::string& cmd, const confd::SyncOptions& options) {
  confd::TemplateResource r;
  r.reload_cmd = cmd;
  return confd::RunReload(r, options);
}

}  // namespace berth::processor
