// FileBackend: confd's `-backend file`.  Each `-file` path is a YAML/JSON file
// or a directory; directories are walked recursively in lexical order and
// their regular files whose base name matches the `-filter` glob (path.Match,
// default "*") are read.  Every file is flattened with FlattenYaml and merged
// in order (a later file overwrites a key), then only keys that start with
// one of the requested prefixes are kept.
//
// As in confd, a -file path and the walked entries are resolved through
// symlinks (a symlink to a file is read; a symlinked subdirectory is not
// walked), a directory that cannot be listed is skipped, and any other error
// (missing path, unreadable file, YAML error, bad filter) fails the whole
// GetValues.  The files are read afresh on every call.  In watch mode
// inotify reports changes to them (file_watch.h).
//
// Thread-safety: no mutable state; GetValues may run concurrently.
#pragma once

#include <string>
#include <vector>

#include "backend/backend.h"

namespace berth::backend::file {

struct FileBackendOptions {
  std::vector<std::string> paths;  // -file (repeatable)
  std::string filter = "*";        // -filter
};

class FileBackend : public Backend {
 public:
  explicit FileBackend(FileBackendOptions options) : options_(std::move(options)) {}

  std::string_view name() const override { return "file"; }
  Result<std::vector<kv::Entry>> GetValues(const std::vector<std::string>& prefixes) override;
  // Watches the data files with inotify; any change is a resync (file_watch.h).
  bool CanWatch() const override { return true; }
  Result<WatchPtr> WatchPrefix(const std::string& prefix, int64_t revision) override;

  // The files GetValues would read, in reading order.
  Result<std::vector<std::string>> ListFiles() const;

  // All keys of all files, before the prefix filter: sorted, unique.
  Result<std::vector<kv::Entry>> ReadAll() const;

 private:
  const FileBackendOptions options_;
};

BackendPtr NewFileBackend(FileBackendOptions options);

}  // namespace berth::backend::file
