// EtcdBackend: confd's `-backend etcdv3` (also reachable as "etcd"), over
// etcd's v3 API.
//
// GetValues reads every requested prefix at one etcd revision: the first
// prefix is read at the current revision and that revision pins the others,
// so a render never mixes two states of the store.  ReadAt does the same and
// also says which revision it read, so a watch can start right after it.
//
// The backend owns a shared etcd::Client, which callers may also use
// directly (client()), e.g. to open watches.
//
// Thread-safety: safe to call from several threads at once (the Client is).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "backend/etcd/client.h"

namespace berth::backend::etcd {

// The names confd's -backend flag accepts for this backend.
bool IsEtcdBackendName(std::string_view name);

// Entries of several prefixes and the one revision they were read at.
struct Snapshot {
  std::vector<kv::Entry> entries;  // sorted by key, unique
  int64_t revision = 0;
};

class EtcdBackend : public Backend {
 public:
  explicit EtcdBackend(std::shared_ptr<berth::etcd::Client> client) : client_(std::move(client)) {}

  std::string_view name() const override { return "etcdv3"; }
  Result<std::vector<kv::Entry>> GetValues(const std::vector<std::string>& prefixes) override;
  Result<ReadResult> Read(const std::vector<std::string>& prefixes) override;
  bool CanWatch() const override { return true; }
  // etcd's watch from revision+1: every put and delete in order, resuming
  // across reconnects; a compaction past the watcher is a resync batch.
  Result<WatchPtr> WatchPrefix(const std::string& prefix, int64_t revision) override;
  void Interrupt() override { client_->Interrupt(); }

  // Every key under `prefixes` at `revision` (0: the current revision, which
  // the first prefix's read fixes).  All or nothing.
  Result<Snapshot> ReadAt(const std::vector<std::string>& prefixes, int64_t revision = 0);

  const std::shared_ptr<berth::etcd::Client>& client() const { return client_; }

 private:
  const std::shared_ptr<berth::etcd::Client> client_;
};

// Creates the client from `options` (no connection yet; see
// etcd::Client::Create) and the backend over it.
Result<std::unique_ptr<EtcdBackend>> NewEtcdBackend(berth::etcd::ClientOptions options);

}  // namespace berth::backend::etcd
