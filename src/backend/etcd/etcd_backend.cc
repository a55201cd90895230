#include "backend/etcd/etcd_backend.h"

#include <utility>

namespace berth::backend::etcd {

bool IsEtcdBackendName(std::string_view name) { return name == "etcdv3" || name == "etcd"; }

Result<Snapshot> EtcdBackend::ReadAt(const std::vector<std::string>& prefixes, int64_t revision) {
  Snapshot snap;
  snap.revision = revision;
  for (const std::string& prefix : prefixes) {
    auto r = client_->GetPrefix(prefix, snap.revision);
    if (!r) return Err(r.error());
    snap.revision = r->revision;
    snap.entries.reserve(snap.entries.size() + r->kvs.size());
    for (berth::etcd::KeyValue& kv : r->kvs) {
      snap.entries.push_back(kv::Entry{std::move(kv.key), std::move(kv.value)});
    }
  }
  // Overlapping prefixes ("/app", "/app/db") return some keys twice.
  kv::SortKeepLast(&snap.entries);
  return snap;
}

Result<std::vector<kv::Entry>> EtcdBackend::GetValues(const std::vector<std::string>& prefixes) {
  auto snap = ReadAt(prefixes);
  if (!snap) return Err(snap.error());
  return std::move(snap->entries);
}

Result<std::unique_ptr<EtcdBackend>> NewEtcdBackend(berth::etcd::ClientOptions options) {
  auto client = berth::etcd::Client::Create(std::move(options));
  if (!client) return Err(client.error());
  return std::make_unique<EtcdBackend>(std::shared_ptr<berth::etcd::Client>(std::move(*client)));
}

}  // namespace berth::backend::etcd
