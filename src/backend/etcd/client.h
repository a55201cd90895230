// etcd::Client: berth's client for etcd's v3 API (gRPC), used by confd's etcd
// backend, the registration agent and the tests.
//
// Every call is synchronous: it blocks the calling thread until etcd answers
// or the call's deadline (ClientOptions::request_timeout) passes, and returns
// a Status / Result.  Within that deadline a call
//   - fails over between endpoints: when an endpoint is unreachable (the
//     connection is refused or is not up within dial_timeout), answers
//     UNAVAILABLE ("etcdserver: leader changed", "no leader", "request timed
//     out", ...) or does not answer within attempt_timeout, the call is
//     retried on the next endpoint; after a full round of failures it backs
//     off (25 ms doubling to 1 s) and goes round again.  The endpoint that
//     last answered is tried first next time.
//   - authenticates: with a username, the client asks etcd for a token
//     (Auth.Authenticate) and sends it with every call; when etcd rejects
//     the token (expired, or the auth store changed) it authenticates again
//     and retries, transparently.
// A failed call's message names the operation, the endpoint(s) and what each
// answered, e.g. "etcd put /app/x: 127.0.0.1:2379: UNAVAILABLE: ...".  Codes:
// kUnavailable when no endpoint could serve before the deadline, kTimeout
// when the deadline passed waiting for an answer, kInvalidArgument for a
// request or credentials etcd refused, kNotFound for a missing lease,
// kFailedPrecondition for a compacted or future revision, a permission
// denied or a full database, kInternal for anything else.
//
// A retried write may be applied twice when a connection breaks after etcd
// applied it but before the answer arrived; for berth's writes (put a value,
// delete a key) that is harmless, and GrantLease may then leave an unused
// lease behind, which expires on its own.
//
// Watches are streams (WatchStream below) that reconnect on their own and
// never lose, repeat or reorder an event.
//
// The header shows no gRPC or protobuf type: the generated code stays inside
// backend/etcd/.
//
// Thread-safety: a Client is safe to use from several threads at once.
// WatchStreams are separate objects (see there).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace berth::etcd {

struct ClientOptions {
  // "http://host:port" (plain), "https://host:port" (TLS) or "host:port"
  // (TLS when `tls` is set or any of the TLS files below is given, plain
  // otherwise), as etcd's own client treats them.  At least one.
  std::vector<std::string> endpoints;

  // TLS.  PEM files; an empty ca_file means the system's roots.  A client
  // certificate needs both cert_file and key_file.
  bool tls = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;

  // etcd authentication; an empty username means none.
  std::string username;
  std::string password;

  // How long to wait for a connection to one endpoint before moving on.
  std::chrono::milliseconds dial_timeout{2000};
  // The deadline of one call, retries and failovers included.  For
  // GetPrefix, the deadline of each page.
  std::chrono::milliseconds request_timeout{10000};
  // How long one attempt on one endpoint may take before the call gives up
  // on that endpoint and moves on (doubling after each full round over the
  // endpoints, so that a request that is merely slow still gets through).
  // A member whose leader has just died holds requests until etcd's own
  // timeout (5 s + 2 election timeouts) while another member, or the same
  // one asked again, could already serve.  Zero: no limit below
  // request_timeout.  Compact is never cut short.
  std::chrono::milliseconds attempt_timeout{2500};
  // HTTP/2 keepalive while calls or watches are open: a ping after this
  // much silence, and the connection counts as dead when the answer takes
  // longer than keepalive_timeout.  This is how a watch notices a member
  // that froze or vanished without closing its connections.  etcd refuses
  // pings more often than its --grpc-keepalive-min-time (5 s by default).
  std::chrono::milliseconds keepalive_time{10000};
  std::chrono::milliseconds keepalive_timeout{5000};
  // Keys per Range request in GetPrefix; pages keep each message well under
  // gRPC's limits however many keys there are.  A page that still exceeds
  // max_message_bytes is split in halves until it fits.  (etcd 3.4 walks
  // its index from a page's first key to the end of the range for every
  // page, so pages much smaller than this make large reads slow.)
  int64_t page_size = 10000;
  // The largest message the client accepts from etcd.
  int max_message_bytes = 64 << 20;
};

// One key as etcd stores it.
struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t version = 0;
  int64_t lease = 0;  // 0 when the key has no lease

  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

struct RangeResult {
  std::vector<KeyValue> kvs;  // sorted by key
  int64_t revision = 0;       // the revision every key was read at
};

struct DeleteResult {
  int64_t deleted = 0;   // number of keys deleted
  int64_t revision = 0;  // the store's revision after the delete
};

struct Member {
  uint64_t id = 0;
  std::string name;
  std::vector<std::string> peer_urls;
  std::vector<std::string> client_urls;
  bool is_learner = false;
};

struct EndpointStatus {
  std::string endpoint;
  std::string version;  // etcd's version, "3.4.23"
  uint64_t member_id = 0;
  uint64_t leader = 0;  // the leader's member id; 0 when there is none
  int64_t revision = 0;
  uint64_t raft_term = 0;
  uint64_t raft_index = 0;
  int64_t db_size = 0;
  bool is_learner = false;
  std::vector<std::string> errors;  // alarms etc., as etcd reports them
  bool is_leader() const { return leader != 0 && leader == member_id; }
};

struct WatchEvent {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  std::string key;
  std::string value;  // empty for kDelete
  int64_t mod_revision = 0;
  int64_t create_revision = 0;
  int64_t version = 0;
  int64_t lease = 0;
};

// What one WatchStream::Next returns.
struct WatchBatch {
  enum class Kind {
    kEvents,     // `events` holds one or more changes, in revision order
    kProgress,   // nothing changed under the prefix up to `revision`
    kCompacted,  // etcd no longer has the history the stream needs: re-read
                 // (GetPrefix) and open a new watch; the stream is finished
    kCanceled,   // etcd ended the watch (`cancel_reason`); the stream is finished
  };
  Kind kind = Kind::kEvents;
  std::vector<WatchEvent> events;
  // Every change under the prefix up to and including `revision` has now
  // been delivered (in this batch or before).  Never decreases.
  int64_t revision = 0;
  // The store's revision when etcd sent the batch; may be ahead of
  // `revision` while a watch catches up.
  int64_t header_revision = 0;
  int64_t compact_revision = 0;  // kCompacted: the oldest revision etcd still has
  std::string cancel_reason;     // kCanceled
};

// A watch on every key under a prefix, from a start revision on.
//
// Next delivers etcd's changes in revision order, each exactly once.  When
// the stream breaks (etcd restarts, the endpoint goes away, the member loses
// its leader) Next reconnects by itself, to any endpoint, and resumes after
// the last revision it delivered; if etcd has compacted that history
// meanwhile, Next reports kCompacted.  The stream asks etcd for progress
// notifications, so an idle watch still reports the store's revision from
// time to time (etcd's --experimental-watch-progress-notify-interval,
// 10 minutes by default).
//
// Thread-safety: one thread calls Next (and destroys the stream); Close may
// be called from any thread at any time, and wakes a blocked Next, which
// then returns kCancelled.  A stream may outlive its Client.
class WatchStream {
 public:
  virtual ~WatchStream() = default;

  // Blocks until etcd sends something or `timeout` passes.  Errors:
  //   kTimeout      the stream is healthy and nothing happened: call again;
  //   kUnavailable  the stream is reconnecting (the message says why it is
  //                 down); call again, it keeps trying;
  //   kCancelled    Close was called;
  //   kFailedPrecondition  the stream already reported kCompacted/kCanceled.
  // While reconnecting, Next may overrun `timeout` by up to the client's
  // dial timeout (or, with auth, the request timeout).
  virtual Result<WatchBatch> Next(std::chrono::milliseconds timeout) = 0;

  // Ends the stream.  Idempotent.
  virtual void Close() = 0;
};

using WatchStreamPtr = std::unique_ptr<WatchStream>;

// The client is an interface: its gRPC implementation lives in
// libberth-etcd.so, which Create() loads on first use, so that commands that
// never talk to etcd (berth confd with the file backend) do not pay for
// loading gRPC (about 6 ms and 10 MiB per process).
class Client {
 public:
  // Checks the options and reads the TLS files; connects lazily, on the
  // first call.  kInvalidArgument for a malformed endpoint or inconsistent
  // options, kIoError for an unreadable TLS file, kUnavailable when
  // libberth-etcd.so cannot be loaded (it is looked for next to the
  // executable, then in $BERTH_LIB_DIR).
  static Result<std::unique_ptr<Client>> Create(ClientOptions options);

  Client() = default;
  virtual ~Client() = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The key's current value; std::nullopt when it does not exist.
  virtual Result<std::optional<KeyValue>> Get(std::string_view key) = 0;

  // Every key that starts with `prefix` (a plain string prefix: "/app" also
  // matches "/apple"; "" matches everything), sorted by key, read at one
  // revision: `revision`, or when 0 the current one.  Read in pages of
  // page_size keys, all pinned to the first page's revision.  When an
  // explicit `revision` has been compacted: kFailedPrecondition.
  virtual Result<RangeResult> GetPrefix(std::string_view prefix, int64_t revision = 0) = 0;

  // Sets key = value, attached to `lease` unless 0.  Returns the revision
  // of the write.
  virtual Result<int64_t> Put(std::string_view key, std::string_view value, int64_t lease = 0) = 0;

  // Sets all `kvs` in one transaction (atomically; etcd limits a
  // transaction to --max-txn-ops operations, 128 by default).  Returns the
  // revision of the write.
  virtual Result<int64_t> PutMany(const std::vector<std::pair<std::string, std::string>>& kvs,
                                  int64_t lease = 0) = 0;

  virtual Result<DeleteResult> Delete(std::string_view key) = 0;
  virtual Result<DeleteResult> DeletePrefix(std::string_view prefix) = 0;

  // Discards the history before `revision`; returns once the compaction has
  // been applied.  kFailedPrecondition when `revision` is already compacted
  // or in the future.
  virtual Status Compact(int64_t revision) = 0;

  // A new lease of `ttl_seconds`; returns its id.
  virtual Result<int64_t> GrantLease(int64_t ttl_seconds) = 0;
  // Ends the lease now; its keys are deleted.  OK when it is already gone.
  virtual Status RevokeLease(int64_t lease) = 0;
  // Renews the lease once; returns its new TTL in seconds, 0 when the lease
  // no longer exists (expired or revoked).
  virtual Result<int64_t> KeepAliveOnce(int64_t lease) = 0;
  // The lease's remaining TTL in seconds, -1 when it no longer exists.
  virtual Result<int64_t> LeaseTimeToLive(int64_t lease) = 0;

  virtual Result<std::vector<Member>> MemberList() = 0;

  // Asks one endpoint (configured or not; same TLS settings) for its status,
  // without failover.
  virtual Result<EndpointStatus> GetStatus(std::string_view endpoint) = 0;

  // Opens a watch on every key under `prefix` from `start_revision` on
  // (0: from the current revision + 1).  Connects before returning, so an
  // error here means no endpoint accepted the watch.
  virtual Result<WatchStreamPtr> Watch(std::string_view prefix, int64_t start_revision) = 0;

  // The endpoint calls go to first (the one that answered last).
  virtual std::string CurrentEndpoint() const = 0;
  virtual const std::vector<std::string>& endpoints() const = 0;
  // How many times the client has authenticated (for tests and logs).
  virtual uint64_t authentications() const = 0;

  // For a process that is stopping: calls in progress return soon (within
  // about 100 ms) and later calls at once, with kCancelled; watch streams
  // end as if closed.  Irreversible.  Callable from any thread.
  virtual void Interrupt() = 0;

  // Implementation, shared with the watch streams (they may outlive the
  // Client).  Declared here only so the implementation can name it.
  class Core;
};

using ClientPtr = std::unique_ptr<Client>;

// Sends gRPC's own log lines (connection failures, TLS handshake errors; the
// client's Status messages already report them) to berth's log at debug
// level instead of stderr, where they would break confd's log format.
// Process-wide; Create() calls it when it loads the implementation.
void RouteGrpcLogsToBerthLog();

}  // namespace berth::etcd
