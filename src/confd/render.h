// Rendering a template resource: its template parsed once (and again only
// when the file changes), executed with confd's functions against one
// immutable snapshot, into memory.  Nothing is written here.
//
// TemplateCache is not thread-safe; give each processing thread its own or
// guard it.  Render itself is thread-safe.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <map>
#include <memory>
#include <string>

#include "base/status.h"
#include "confd/resource.h"
#include "kv/snapshot.h"
#include "tmpl/template.h"

namespace berth::confd {

class TemplateCache {
 public:
  // With `keep_last_good` (daemon modes), a template file that changes into
  // something that does not parse keeps its last good parse: the error is
  // logged once and rendering goes on with the old template.
  explicit TemplateCache(bool keep_last_good = false) : keep_last_good_(keep_last_good) {}

  // The parsed template at `path`, named after its base name as confd names
  // it.  A missing file is "Missing template: PATH"; a syntax error reads
  // "template: NAME:LINE:COL: ...".
  Result<std::shared_ptr<const tmpl::Template>> Get(const std::string& path);

  // Forgets every template (SIGHUP).
  void Clear() { entries_.clear(); }

 private:
  struct Entry {
    timespec mtime;
    off_t size;
    ino_t inode;
    std::shared_ptr<const tmpl::Template> tmpl;
  };
  const bool keep_last_good_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// Executes `t` with nil data and confd's functions over `snapshot`.
// `size_hint` is the expected output size (e.g. the last render's); 0 lets
// Render estimate it from the snapshot.
Result<std::string> Render(const tmpl::Template& t, const kv::SnapshotPtr& snapshot,
                           size_t size_hint = 0);

// The snapshot a resource sees: the entries under its prefixed keys (plain
// string prefixes, as confd filters), renamed to store keys.
kv::SnapshotPtr ResourceSnapshot(const TemplateResource& r, std::span<const kv::Entry> entries);
// The same, consuming `entries` (no copy of the keys and values it keeps).
kv::SnapshotPtr ResourceSnapshot(const TemplateResource& r, std::vector<kv::Entry>&& entries);

}  // namespace berth::confd
