#include "processor/onetime.h"

#include <set>

#include "base/log.h"
#include "confd/render.h"
#include "processor/pass.h"

namespace berth::processor {

bool RunOnce(backend::Backend& backend, const OnetimeOptions& options) {
  auto resources = confd::LoadResources(options.load);
  if (!resources) {
    log::Error(resources.error().message());
    return false;
  }
  if (resources->empty()) {
    log::Warning("Found no templates");
    return true;
  }
  // One read of the backend for every resource: all of them see the same
  // state, and a file backend parses its files once.
  std::set<std::string> prefix_set;
  for (const auto& r : *resources) {
    for (auto& k : r.PrefixedKeys()) prefix_set.insert(std::move(k));
  }
  const std::vector<std::string> prefixes(prefix_set.begin(), prefix_set.end());
  auto entries = backend.GetValues(prefixes);
  if (!entries) {
    for (size_t i = 0; i < resources->size(); ++i) log::Error(entries.error().message());
    return false;
  }
  // Each resource gets its snapshot; the last one takes the entries over
  // instead of copying them.
  std::vector<PassItem> items;
  for (size_t i = 0; i < resources->size(); ++i) {
    const confd::TemplateResource& r = (*resources)[i];
    items.push_back({&r, i + 1 == resources->size()
                             ? confd::ResourceSnapshot(r, std::move(*entries))
                             : confd::ResourceSnapshot(r, *entries)});
  }
  confd::TemplateCache cache;
  const bool ok = RunPass(items, &cache, options.sync).ok;
  return ok;
}

}  // namespace berth::processor
