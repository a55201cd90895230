// Backend: a key/value store confd reads its data from (etcd, the file
// backend, the environment, redis, zookeeper, ...).  One implementation per
// folder under backend/; the app wires one up from confd's flags.
//
// A backend knows nothing of templates: it hands out key/value pairs, which
// the caller freezes into a kv::Snapshot for one render.  Backends that can
// say when something changed also hand out Watches: blocking change feeds
// for one key prefix, which the caller runs on threads of its own.
//
// Thread-safety: Read, GetValues and WatchPrefix may be called from several
// threads at once; a Watch belongs to one thread, except Close().
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "kv/entry.h"

namespace berth::backend {

// What a read returns: the entries and, for stores with revisions (etcd),
// the revision they were read at (0 otherwise).
struct ReadResult {
  std::vector<kv::Entry> entries;
  int64_t revision = 0;
};

// One change under a watched prefix.
struct Change {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  std::string key;
  std::string value;  // kPut only
};

// A batch of changes in the order the store applied them.  When `resync` is
// set the backend cannot tell what changed (a data file was rewritten, etcd
// compacted past the watcher): the caller re-reads the prefix.
struct ChangeBatch {
  bool resync = false;
  std::vector<Change> changes;
  int64_t revision = 0;  // the store's revision after the batch; 0 when unknown
};

class Watch {
 public:
  virtual ~Watch() = default;
  // Blocks until the next batch or `timeout`.  Errors: kTimeout (nothing
  // happened; call again), kUnavailable (the store is unreachable; the watch
  // keeps trying, call again), kCancelled (closed), anything else (the watch
  // is over: re-read and watch again).
  virtual Result<ChangeBatch> Next(std::chrono::milliseconds timeout) = 0;
  // Makes a blocked or later Next return kCancelled; callable from any thread.
  virtual void Close() = 0;
};
using WatchPtr = std::unique_ptr<Watch>;

class Backend {
 public:
  virtual ~Backend() = default;

  // The name confd's -backend flag uses ("file", "env", "etcdv3", ...).
  virtual std::string_view name() const = 0;

  // Every key that starts (as a plain string, not a path: "/app" also
  // yields "/apple/x") with one of `prefixes`, read at one point in time.
  // Keys are unique; their order is unspecified.  On failure nothing is
  // returned: a read is all or nothing.
  virtual Result<std::vector<kv::Entry>> GetValues(const std::vector<std::string>& prefixes) = 0;

  // GetValues plus the revision of the read, for a watch to start after.
  virtual Result<ReadResult> Read(const std::vector<std::string>& prefixes) {
    auto entries = GetValues(prefixes);
    if (!entries) return Err(entries.error());
    return ReadResult{std::move(*entries), 0};
  }

  // Whether WatchPrefix works (the env backend cannot watch).
  virtual bool CanWatch() const { return false; }

  // A change feed for the keys starting with `prefix`, from just after
  // `revision` (what Read returned; 0: from now).
  virtual Result<WatchPtr> WatchPrefix(const std::string& prefix, int64_t revision) {
    (void)prefix;
    (void)revision;
    return Err(Status::FailedPrecondition("the " + std::string(name()) +
                                          " backend cannot watch for changes"));
  }

  // For a daemon that is stopping: reads and watches in progress on other
  // threads return soon, and later ones at once, with kCancelled.
  // Irreversible; callable from any thread.  Backends whose calls do not
  // block for long need not do anything.
  virtual void Interrupt() {}
};

using BackendPtr = std::unique_ptr<Backend>;

}  // namespace berth::backend
