#include "confd/render.h"

#include <sys/stat.h>

#include <algorithm>

#include "base/gopath.h"
#include "base/log.h"
#include "confd/funcs.h"
#include "sys/file.h"

namespace berth::confd {

Result<std::shared_ptr<const tmpl::Template>> TemplateCache::Get(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    entries_.erase(path);
    return Err(Status::NotFound("Missing template: " + path));
  }
  auto it = entries_.find(path);
  if (it != entries_.end() && it->second.size == st.st_size && it->second.inode == st.st_ino &&
      it->second.mtime.tv_sec == st.st_mtim.tv_sec &&
      it->second.mtime.tv_nsec == st.st_mtim.tv_nsec) {
    return it->second.tmpl;
  }
  auto text = sys::ReadFile(path);
  if (!text) return Err(text.error());
  auto parsed =
      tmpl::Template::Parse(std::string(gopath::Base(path)), std::move(*text), FuncNames());
  if (!parsed) {
    if (keep_last_good_ && it != entries_.end()) {
      log::Error(parsed.error().message() + " (still using the last good version of " + path + ")");
      // Remember this version of the file, so the error is reported once.
      it->second.mtime = st.st_mtim;
      it->second.size = st.st_size;
      it->second.inode = st.st_ino;
      return it->second.tmpl;
    }
    entries_.erase(path);
    return Err(parsed.error());
  }
  entries_[path] = Entry{st.st_mtim, st.st_size, st.st_ino, *parsed};
  return *parsed;
}

Result<std::string> Render(const tmpl::Template& t, const kv::SnapshotPtr& snapshot,
                           size_t size_hint) {
  // Reserve generously: pages never written cost no memory, while growing a
  // large string by doubling keeps the old and the new copy alive at once.
  if (size_hint == 0) {
    size_hint = 4096;
    for (const kv::Entry& e : snapshot->entries()) size_hint += e.key.size() + e.value.size();
    size_hint *= 2;
  }
  std::string out;
  out.reserve(size_hint);
  Status s = t.Execute(&out, tmpl::Value(), MakeFuncMap(snapshot));
  if (!s.ok()) return Err(s);
  return out;
}

namespace {
bool Wanted(const std::vector<std::string>& prefixes, const std::string& key) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return key.starts_with(p); });
}
}  // namespace

kv::SnapshotPtr ResourceSnapshot(const TemplateResource& r, std::span<const kv::Entry> entries) {
  const std::vector<std::string> prefixes = r.PrefixedKeys();
  std::vector<kv::Entry> mine;
  for (const auto& e : entries) {
    if (Wanted(prefixes, e.key)) mine.push_back({r.StoreKey(e.key), e.value});
  }
  return kv::Snapshot::Create(std::move(mine));
}

kv::SnapshotPtr ResourceSnapshot(const TemplateResource& r, std::vector<kv::Entry>&& entries) {
  const std::vector<std::string> prefixes = r.PrefixedKeys();
  size_t kept = 0;
  for (auto& e : entries) {
    if (!Wanted(prefixes, e.key)) continue;
    std::string key = r.StoreKey(e.key);
    if (key != e.key) e.key = std::move(key);
    if (&entries[kept] != &e) entries[kept] = std::move(e);
    ++kept;
  }
  entries.resize(kept);
  std::vector<kv::Entry> mine = std::move(entries);
  return kv::Snapshot::Create(std::move(mine));
}

}  // namespace berth::confd
