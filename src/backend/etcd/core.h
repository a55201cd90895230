// Internal to backend/etcd: Client::Core, the state a Client shares with its
// watch streams: the parsed endpoints, one gRPC channel (and stubs) per
// endpoint, the endpoint that answered last, the auth token, and the retry
// loop every unary call goes through.  This is the only header that shows
// gRPC and the generated etcd types; nothing outside backend/etcd includes it.
//
// Thread-safety: every method may be called from any thread; mutable state
// is guarded by mu_ (auth_mu_ serialises authentication).
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "backend/etcd/client.h"
#include "backend/etcd/endpoint.h"
#include "backend/etcd/proto/rpc.grpc.pb.h"

namespace berth::etcd {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

namespace internal {

// A channel to one endpoint and the stubs over it.  Created lazily, then
// kept (and shared with watch streams) for the life of the Core.  Stubs are
// thread-safe.
struct Conn {
  Endpoint endpoint;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<etcdserverpb::KV::Stub> kv;
  std::unique_ptr<etcdserverpb::Watch::Stub> watch;
  std::unique_ptr<etcdserverpb::Lease::Stub> lease;
  std::unique_ptr<etcdserverpb::Cluster::Stub> cluster;
  std::unique_ptr<etcdserverpb::Maintenance::Stub> maintenance;
  std::unique_ptr<etcdserverpb::Auth::Stub> auth;
};

// gRPC's deadline type from ours.
std::chrono::system_clock::time_point ToSystemTime(Deadline deadline);

// "UNAVAILABLE: connection refused": a gRPC status for messages.
std::string DescribeGrpc(const grpc::Status& status);

// The berth code for a gRPC code (UNAVAILABLE -> kUnavailable, ...).
Code CodeFromGrpc(grpc::StatusCode code);

// What to do about a failed call.  Decided on gRPC codes, plus the few etcd
// errors whose code alone is ambiguous; etcd identifies those by their
// description, which is part of its API (its own client compares them too).
enum class Verdict {
  kRetryElsewhere,  // the endpoint or its member cannot serve now
  kReauthenticate,  // the token is no longer valid
  kFail,            // the answer stands
};
Verdict Classify(const grpc::Status& status);
// Same, for the cancel_reason of a watch that etcd refused.
bool IsAuthTokenRejection(std::string_view cancel_reason);

}  // namespace internal

class Client::Core {
 public:
  // One attempt at a call on one endpoint: `ctx` already carries the
  // deadline and metadata.
  using Attempt = std::function<grpc::Status(internal::Conn& conn, grpc::ClientContext& ctx)>;

  static Result<std::shared_ptr<Core>> Create(ClientOptions options);

  const ClientOptions& options() const { return options_; }
  size_t size() const { return endpoints_.size(); }
  const std::vector<std::string>& endpoint_names() const { return endpoint_names_; }
  bool has_auth() const { return !options_.username.empty(); }

  // The channel to configured endpoint `i`, created on first use.
  internal::Conn& Connection(size_t i);
  // A channel to an endpoint that may not be configured (GetStatus).
  std::shared_ptr<internal::Conn> ConnectionTo(const internal::Endpoint& endpoint);

  size_t preferred() const;
  void set_preferred(size_t i);

  // Waits until the channel is READY, at most until `deadline` (polling
  // it, which is what lets gRPC's reconnection attempts complete).  True
  // when READY, or still failing at the deadline (a call then fails at once
  // with gRPC's reason); false (with `why`) when still connecting then, or
  // when `interrupted` (if given) becomes true meanwhile.
  static bool Dial(grpc::Channel& channel, Deadline deadline, std::string* why,
                   const std::atomic<bool>* interrupted = nullptr);

  // Client::Interrupt: calls in progress end soon and later ones at once
  // with kCancelled; registered watch streams are closed.  Irreversible.
  void Interrupt();
  bool interrupted() const { return interrupted_.load(); }
  // Watch streams register while they exist, so that Interrupt can close
  // them; one registered after Interrupt is closed at once.
  void AddStream(WatchStream* stream);
  void RemoveStream(WatchStream* stream);

  // The current token; authenticates on endpoint `i` when there is none.
  // Empty without auth.  A failure is returned as gRPC's status so the
  // caller can classify it.
  grpc::Status Token(size_t i, Deadline deadline, std::string* token);
  // Forgets `stale` (if it is still the current token) so the next call
  // authenticates again.
  void InvalidateToken(const std::string& stale);
  uint64_t authentications() const { return authentications_.load(); }

  // Runs `attempt` on the endpoints, starting with the preferred one, until
  // it succeeds, fails for good, or `deadline` passes; see client.h for the
  // policy.  `what` names the operation in messages ("put /app/x").  On
  // failure `*last_code` (if given) is the last gRPC code seen.
  // Each attempt is limited to attempt_timeout unless `whole_deadline`.
  Status Call(std::string_view what, Deadline deadline, const Attempt& attempt,
              grpc::StatusCode* last_code = nullptr, bool whole_deadline = false);

  Deadline RequestDeadline() const { return Clock::now() + options_.request_timeout; }

 private:
  Core() = default;
  std::shared_ptr<internal::Conn> MakeConn(const internal::Endpoint& endpoint) const;
  grpc::Status Authenticate(internal::Conn& conn, Deadline deadline, std::string* token);

  // Constant after Create.
  ClientOptions options_;
  std::vector<internal::Endpoint> endpoints_;
  std::vector<std::string> endpoint_names_;
  std::shared_ptr<grpc::ChannelCredentials> tls_credentials_;  // null without TLS files

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<internal::Conn>> conns_;  // guarded by mu_; null until used
  size_t preferred_ = 0;                                // guarded by mu_
  std::string token_;                                   // guarded by mu_

  std::mutex auth_mu_;  // held while authenticating
  std::atomic<uint64_t> authentications_{0};

  std::atomic<bool> interrupted_{false};          // set (under mu_) by Interrupt
  std::condition_variable interrupt_cv_;          // with mu_: wakes Call's backoff
  std::vector<grpc::ClientContext*> live_calls_;  // guarded by mu_
  std::vector<WatchStream*> streams_;             // guarded by mu_
};

// Client over gRPC (the implementation libberth-etcd.so provides).
class GrpcClient final : public Client {
 public:
  static Result<std::unique_ptr<Client>> Create(ClientOptions options);
  explicit GrpcClient(std::shared_ptr<Core> core);

  Result<std::optional<KeyValue>> Get(std::string_view key) override;
  Result<RangeResult> GetPrefix(std::string_view prefix, int64_t revision) override;
  Result<int64_t> Put(std::string_view key, std::string_view value, int64_t lease) override;
  Result<int64_t> PutMany(const std::vector<std::pair<std::string, std::string>>& kvs,
                          int64_t lease) override;
  Result<DeleteResult> Delete(std::string_view key) override;
  Result<DeleteResult> DeletePrefix(std::string_view prefix) override;
  Status Compact(int64_t revision) override;
  Result<int64_t> GrantLease(int64_t ttl_seconds) override;
  Status RevokeLease(int64_t lease) override;
  Result<int64_t> KeepAliveOnce(int64_t lease) override;
  Result<int64_t> LeaseTimeToLive(int64_t lease) override;
  Result<std::vector<Member>> MemberList() override;
  Result<EndpointStatus> GetStatus(std::string_view endpoint) override;
  Result<WatchStreamPtr> Watch(std::string_view prefix, int64_t start_revision) override;
  std::string CurrentEndpoint() const override;
  const std::vector<std::string>& endpoints() const override;
  uint64_t authentications() const override;
  void Interrupt() override;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace berth::etcd
