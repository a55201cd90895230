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

Result<ReadResult> EtcdBackend::Read(const std::vector<std::string>& prefixes) {
  auto snap = ReadAt(prefixes);
  if (!snap) return Err(snap.error());
  return ReadResult{std::move(snap->entries), snap->revision};
}

namespace {

// backend::Watch over an etcd watch stream.
class EtcdWatch : public Watch {
 public:
  explicit EtcdWatch(berth::etcd::WatchStreamPtr stream) : stream_(std::move(stream)) {}

  Result<ChangeBatch> Next(std::chrono::milliseconds timeout) override {
    auto batch = stream_->Next(timeout);
    if (!batch) return Err(batch.error());
    ChangeBatch out;
    out.revision = batch->revision;
    switch (batch->kind) {
      case berth::etcd::WatchBatch::Kind::kEvents:
        out.changes.reserve(batch->events.size());
        for (auto& e : batch->events) {
          Change c;
          c.type = e.type == berth::etcd::WatchEvent::Type::kPut ? Change::Type::kPut
                                                                 : Change::Type::kDelete;
          c.key = std::move(e.key);
          c.value = std::move(e.value);
          out.changes.push_back(std::move(c));
        }
        break;
      case berth::etcd::WatchBatch::Kind::kProgress:
        break;  // only the revision moved
      case berth::etcd::WatchBatch::Kind::kCompacted:
        out.resync = true;
        break;
      case berth::etcd::WatchBatch::Kind::kCanceled:
        return Err(Status::Unavailable("etcd canceled the watch: " + batch->cancel_reason));
    }
    return out;
  }

  void Close() override { stream_->Close(); }

 private:
  berth::etcd::WatchStreamPtr stream_;
};

}  // namespace

Result<WatchPtr> EtcdBackend::WatchPrefix(const std::string& prefix, int64_t revision) {
  auto stream = client_->Watch(prefix, revision == 0 ? 0 : revision + 1);
  if (!stream) return Err(stream.error());
  return WatchPtr(std::make_unique<EtcdWatch>(std::move(*stream)));
}

Result<std::unique_ptr<EtcdBackend>> NewEtcdBackend(berth::etcd::ClientOptions options) {
  auto client = berth::etcd::Client::Create(std::move(options));
  if (!client) return Err(client.error());
  return std::make_unique<EtcdBackend>(std::shared_ptr<berth::etcd::Client>(std::move(*client)));
}

}  // namespace berth::backend::etcd
