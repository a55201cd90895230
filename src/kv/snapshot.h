// kv::Snapshot: an immutable, sorted set of key/value pairs read from a
// backend at one point in time, and the queries confd's template functions
// run on it (get, gets, getv, getvs, ls, lsdir, exists).
//
// Every query returns exactly what confd's store (memkv v0.1.1) returns for
// the same keys, including its quirks (`ls "/"` lists only top-level leaves,
// `lsdir "/"` is empty, `ls "//app"` is ["app"], a malformed `gets` pattern is
// an error only when the store is not empty).  Unlike memkv, queries do not
// scan every key: gets/getvs range-scan the keys that start with the
// pattern's literal prefix and skip subtrees that cannot match; ls/lsdir visit
// one key per child.  Keys that are not clean rooted paths ("a/b", "/a//b",
// "/a/") and path arguments that are not clean in a way that matters
// ("//app", "/app/.") take a slower, literal route with memkv's own rules.
//
// Ownership: a Snapshot owns its entries.  Query results point into the
// snapshot (Entry pointers, string_views of keys and values) and stay valid as
// long as the snapshot does; hold the shared_ptr while using them.
// Thread-safety: immutable after Create(); any number of threads may query
// one snapshot concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "kv/entry.h"

namespace berth::kv {

class Snapshot {
 public:
  // Builds a snapshot from entries in any order.  Keys are sorted bytewise;
  // when a key occurs more than once the later entry wins.
  static std::shared_ptr<const Snapshot> Create(std::vector<Entry> entries);

  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // All entries, sorted by key, keys unique.
  std::span<const Entry> entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // The entry whose key is exactly `key` (no cleaning: "/a/" is not "/a"),
  // or nullptr.
  const Entry* Get(std::string_view key) const;
  bool Exists(std::string_view key) const { return Get(key) != nullptr; }

  // memkv GetAll (`gets`): the entries whose key matches `pattern` under
  // path.Match, sorted by key.  InvalidArgument("syntax error in pattern")
  // for a malformed pattern unless the snapshot is empty.
  Result<std::vector<const Entry*>> GetAll(std::string_view pattern) const;

  // memkv GetAllValues (`getvs`): the values of GetAll(pattern), sorted
  // bytewise by value (duplicates kept).
  Result<std::vector<std::string_view>> GetAllValues(std::string_view pattern) const;

  // memkv List (`ls`): for a key equal to `path`, its base name; for a key
  // whose directory lies under path.Clean(path), the first element of the key
  // after `path`.  Deduplicated, sorted bytewise.
  std::vector<std::string_view> List(std::string_view path) const;

  // memkv ListDir (`lsdir`): the names of the directories directly under
  // path.Clean(path) that contain keys starting with `path`.  Deduplicated,
  // sorted bytewise.
  std::vector<std::string_view> ListDir(std::string_view path) const;

 private:
  explicit Snapshot(std::vector<Entry> sorted_unique);

  // Index of the first entry whose key is >= key.
  size_t LowerBound(std::string_view key) const;
  // Index of the first entry at or after `from` that does not lie under
  // dir + "/" (its key does not start with dir + "/").
  size_t SkipSubtree(size_t from, std::string_view dir) const;

  void ListScan(std::string_view path, bool dirs, bool only_odd,
                std::vector<std::string_view>* out) const;

  // Constant after construction.
  std::vector<Entry> entries_;
  // canonical_[i]: entries_[i].key is a clean rooted path ("/" or "/a/b").
  std::vector<bool> canonical_;
  // Indices of the keys that are not canonical, ascending.
  std::vector<uint32_t> odd_;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace berth::kv
