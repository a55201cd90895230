// Backend: a key/value store confd reads its data from (etcd, the file
// backend, the environment, redis, zookeeper, ...).  One implementation per
// folder under backend/; the app wires one up from confd's flags.
//
// A backend knows nothing of templates: it hands out key/value pairs, which
// the caller freezes into a kv::Snapshot for one render.  (A later addition
// will let a backend block until something under a prefix changes.)
//
// Thread-safety: a Backend may be called from any thread, but not from two
// threads at once unless the implementation says otherwise.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "kv/entry.h"

namespace berth::backend {

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
};

using BackendPtr = std::unique_ptr<Backend>;

}  // namespace berth::backend
