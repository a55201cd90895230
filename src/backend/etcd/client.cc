#include "backend/etcd/client.h"

#include <grpc/grpc.h>
#include <grpc/support/log.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "backend/etcd/core.h"
#include "base/log.h"

namespace berth::etcd {

using internal::Conn;
using internal::Endpoint;

namespace internal {

std::chrono::system_clock::time_point ToSystemTime(Deadline deadline) {
  auto left = deadline - Clock::now();
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(left);
}

namespace {

const char* GrpcCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "UNKNOWN_CODE";
  }
}

// etcd's error descriptions that decide something (etcdserver/api/v3rpc/
// rpctypes/error.go and raft's ErrProposalDropped, which etcd passes on as
// UNKNOWN).
constexpr std::string_view kAuthOldRevision = "etcdserver: revision of auth store is old";
constexpr std::string_view kInvalidAuthToken = "etcdserver: invalid auth token";
constexpr std::string_view kTooManyRequests = "etcdserver: too many requests";
constexpr std::string_view kProposalDropped = "raft proposal dropped";

}  // namespace

std::string DescribeGrpc(const grpc::Status& status) {
  std::string s = GrpcCodeName(status.error_code());
  if (!status.error_message().empty()) s += ": " + status.error_message();
  return s;
}

Code CodeFromGrpc(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return Code::kOk;
    case grpc::StatusCode::CANCELLED:
      return Code::kCancelled;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return Code::kInvalidArgument;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Code::kTimeout;
    case grpc::StatusCode::NOT_FOUND:
      return Code::kNotFound;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::ABORTED:
      return Code::kUnavailable;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:  // compacted or future revision
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return Code::kFailedPrecondition;
    default:
      return Code::kInternal;
  }
}

Verdict Classify(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return Verdict::kRetryElsewhere;
    case grpc::StatusCode::UNAUTHENTICATED:
      return Verdict::kReauthenticate;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return status.error_message() == kAuthOldRevision ? Verdict::kReauthenticate : Verdict::kFail;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return status.error_message() == kTooManyRequests ? Verdict::kRetryElsewhere : Verdict::kFail;
    case grpc::StatusCode::UNKNOWN:
      return status.error_message() == kProposalDropped ? Verdict::kRetryElsewhere : Verdict::kFail;
    default:
      return Verdict::kFail;
  }
}

bool IsAuthTokenRejection(std::string_view cancel_reason) {
  // etcd formats the reason as Go prints a gRPC error:
  // "rpc error: code = Unauthenticated desc = etcdserver: invalid auth token".
  constexpr std::string_view kDesc = "desc = ";
  if (size_t at = cancel_reason.find(kDesc); at != std::string_view::npos) {
    cancel_reason.remove_prefix(at + kDesc.size());
  }
  return cancel_reason == kInvalidAuthToken || cancel_reason == kAuthOldRevision;
}

}  // namespace internal

namespace {

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Err(
        Status::IoError("etcd " + std::string(what) + " " + path + ": " + std::strerror(errno)));
  }
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) {
    return Err(Status::IoError("etcd " + std::string(what) + " " + path + ": read failed"));
  }
  return data.str();
}

KeyValue FromProto(const mvccpb::KeyValue& kv) {
  KeyValue out;
  out.key = kv.key();
  out.value = kv.value();
  out.create_revision = kv.create_revision();
  out.mod_revision = kv.mod_revision();
  out.version = kv.version();
  out.lease = kv.lease();
  return out;
}

void GrpcLogToBerth(gpr_log_func_args* args) {
  if (!log::Enabled(log::Level::kDebug)) return;
  std::string line = "grpc: ";
  line += args->file ? args->file : "?";
  line += ":" + std::to_string(args->line) + ": ";
  line += args->message ? args->message : "";
  log::Debug(line);
}

}  // namespace

// ---------------------------------------------------------------------------
// Core

Result<std::shared_ptr<Client::Core>> Client::Core::Create(ClientOptions options) {
  if (options.endpoints.empty()) {
    return Err(Status::InvalidArgument("etcd: no endpoints given"));
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    return Err(Status::InvalidArgument(
        "etcd: a client certificate needs both a certificate and a key file"));
  }
  if (options.username.empty() && !options.password.empty()) {
    return Err(Status::InvalidArgument("etcd: a password without a username"));
  }
  if (options.dial_timeout.count() <= 0 || options.request_timeout.count() <= 0 ||
      options.attempt_timeout.count() < 0 || options.keepalive_time.count() <= 0 ||
      options.keepalive_timeout.count() <= 0) {
    return Err(Status::InvalidArgument("etcd: timeouts must be positive"));
  }
  if (options.page_size <= 0 || options.max_message_bytes <= 0) {
    return Err(Status::InvalidArgument("etcd: page and message sizes must be positive"));
  }
  std::shared_ptr<Core> core(new Core());
  const bool tls_default = options.tls || !options.ca_file.empty() || !options.cert_file.empty();
  bool need_tls = false;
  for (const std::string& text : options.endpoints) {
    auto ep = internal::ParseEndpoint(text);
    if (!ep) return Err(ep.error());
    if (ep->scheme == Endpoint::Scheme::kNone) {
      ep->scheme = tls_default ? Endpoint::Scheme::kHttps : Endpoint::Scheme::kHttp;
    }
    need_tls |= ep->scheme == Endpoint::Scheme::kHttps;
    core->endpoint_names_.push_back(text);
    core->endpoints_.push_back(std::move(*ep));
  }
  if (need_tls || tls_default) {
    grpc::SslCredentialsOptions ssl;
    if (!options.ca_file.empty()) {
      auto ca = ReadFile(options.ca_file, "CA file");
      if (!ca) return Err(ca.error());
      ssl.pem_root_certs = std::move(*ca);
    }
    if (!options.cert_file.empty()) {
      auto cert = ReadFile(options.cert_file, "certificate file");
      if (!cert) return Err(cert.error());
      auto key = ReadFile(options.key_file, "key file");
      if (!key) return Err(key.error());
      ssl.pem_cert_chain = std::move(*cert);
      ssl.pem_private_key = std::move(*key);
    }
    core->tls_credentials_ = grpc::SslCredentials(ssl);
  }
  core->conns_.resize(core->endpoints_.size());
  core->options_ = std::move(options);
  return core;
}

std::shared_ptr<Conn> Client::Core::MakeConn(const Endpoint& endpoint) const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options_.max_message_bytes);
  args.SetMaxSendMessageSize(options_.max_message_bytes);
  // Notice dead peers under open calls and watch streams; etcd refuses
  // pings without calls.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, static_cast<int>(options_.keepalive_time.count()));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, static_cast<int>(options_.keepalive_timeout.count()));
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // Reconnect quickly after a restart (gRPC's default backoff grows to 2 min);
  // a connection attempt itself may take up to the dial timeout.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
              static_cast<int>(std::min<int64_t>(options_.dial_timeout.count(), 20000)));
  // Our own retry loop decides; each client has its own connections.
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);

  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (endpoint.scheme == Endpoint::Scheme::kHttps) {
    creds = tls_credentials_ ? tls_credentials_ : grpc::SslCredentials({});
  } else {
    creds = grpc::InsecureChannelCredentials();
  }
  auto conn = std::make_shared<Conn>();
  conn->endpoint = endpoint;
  conn->channel = grpc::CreateCustomChannel(endpoint.target, creds, args);
  conn->kv = etcdserverpb::KV::NewStub(conn->channel);
  conn->watch = etcdserverpb::Watch::NewStub(conn->channel);
  conn->lease = etcdserverpb::Lease::NewStub(conn->channel);
  conn->cluster = etcdserverpb::Cluster::NewStub(conn->channel);
  conn->maintenance = etcdserverpb::Maintenance::NewStub(conn->channel);
  conn->auth = etcdserverpb::Auth::NewStub(conn->channel);
  return conn;
}

Conn& Client::Core::Connection(size_t i) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!conns_[i]) conns_[i] = MakeConn(endpoints_[i]);
  return *conns_[i];
}

std::shared_ptr<Conn> Client::Core::ConnectionTo(const Endpoint& endpoint) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < endpoints_.size(); ++i) {
      const Endpoint& e = endpoints_[i];
      if (e.target == endpoint.target &&
          (endpoint.scheme == Endpoint::Scheme::kNone || endpoint.scheme == e.scheme)) {
        if (!conns_[i]) conns_[i] = MakeConn(e);
        return conns_[i];
      }
    }
  }
  Endpoint e = endpoint;
  if (e.scheme == Endpoint::Scheme::kNone) {
    e.scheme = tls_credentials_ ? Endpoint::Scheme::kHttps : Endpoint::Scheme::kHttp;
  }
  return MakeConn(e);
}

size_t Client::Core::preferred() const {
  std::lock_guard<std::mutex> lock(mu_);
  return preferred_;
}

void Client::Core::set_preferred(size_t i) {
  std::lock_guard<std::mutex> lock(mu_);
  preferred_ = i;
}

bool Client::Core::Dial(grpc::Channel& channel, Deadline deadline, std::string* why,
                        const std::atomic<bool>* interrupted) {
  // A connection attempt makes progress only while some thread polls the
  // channel (waits for a state change, or runs a call on it); a channel left
  // alone is looked at only by gRPC's backup poller, every 5 s, slower than
  // the attempt's own deadline.  And pick_first keeps reporting
  // TRANSIENT_FAILURE while it tries again.  So a failed channel is waited
  // on too, until it is READY or the deadline passes: otherwise, once an
  // endpoint has been down, calls would fail at once forever.
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    // With `interrupted`, wait in slices so that an interrupt is noticed.
    const Deadline until = interrupted != nullptr
                               ? std::min(deadline, Clock::now() + std::chrono::milliseconds(100))
                               : deadline;
    if (!channel.WaitForStateChange(state, internal::ToSystemTime(until))) {
      if (interrupted != nullptr && interrupted->load()) {
        *why = "interrupted";
        return false;
      }
      if (Clock::now() < deadline) continue;
      // Still failing: the call fails at once, with gRPC's reason.
      if (state == GRPC_CHANNEL_TRANSIENT_FAILURE) return true;
      *why = "not connected within the dial timeout";
      return false;
    }
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return true;
}

void Client::Core::Interrupt() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    interrupted_ = true;
    for (grpc::ClientContext* ctx : live_calls_) ctx->TryCancel();
    // Under mu_: a stream unregisters (under mu_) before it goes away.
    for (WatchStream* stream : streams_) stream->Close();
  }
  interrupt_cv_.notify_all();
}

void Client::Core::AddStream(WatchStream* stream) {
  std::lock_guard<std::mutex> lock(mu_);
  streams_.push_back(stream);
  if (interrupted_) stream->Close();
}

void Client::Core::RemoveStream(WatchStream* stream) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase(streams_, stream);
}

grpc::Status Client::Core::Authenticate(Conn& conn, Deadline deadline, std::string* token) {
  etcdserverpb::AuthenticateRequest req;
  req.set_name(options_.username);
  req.set_password(options_.password);
  etcdserverpb::AuthenticateResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(internal::ToSystemTime(deadline));
  grpc::Status s = conn.auth->Authenticate(&ctx, req, &resp);
  if (s.ok()) {
    *token = resp.token();
    authentications_.fetch_add(1);
  }
  return s;
}

grpc::Status Client::Core::Token(size_t i, Deadline deadline, std::string* token) {
  token->clear();
  if (!has_auth()) return grpc::Status::OK;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!token_.empty()) {
      *token = token_;
      return grpc::Status::OK;
    }
  }
  // One authentication at a time; whoever waited uses the fresh token.
  std::lock_guard<std::mutex> auth_lock(auth_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!token_.empty()) {
      *token = token_;
      return grpc::Status::OK;
    }
  }
  std::string fresh;
  grpc::Status s = Authenticate(Connection(i), deadline, &fresh);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  token_ = fresh;
  *token = std::move(fresh);
  return grpc::Status::OK;
}

void Client::Core::InvalidateToken(const std::string& stale) {
  std::lock_guard<std::mutex> lock(mu_);
  if (token_ == stale) token_.clear();
}

Status Client::Core::Call(std::string_view what, Deadline deadline, const Attempt& attempt,
                          grpc::StatusCode* last_code, bool whole_deadline) {
  const size_t n = endpoints_.size();
  size_t idx = preferred();
  size_t failed_in_round = 0;
  int rounds = 0;  // full rounds of failures so far
  auto backoff = std::chrono::milliseconds(25);
  int reauthentications = 0;
  // The latest failure on each endpoint, for the message.
  std::vector<std::string> failures(n);
  Code failure_code = Code::kTimeout;

  auto describe = [&](std::string_view head) {
    std::string m = "etcd " + std::string(what) + ": " + std::string(head);
    bool first = true;
    for (size_t i = 0; i < n; ++i) {
      if (failures[i].empty()) continue;
      m += first ? ": " : "; ";
      m += endpoints_[i].original + ": " + failures[i];
      first = false;
    }
    return m;
  };
  auto next_endpoint = [&] {
    idx = (idx + 1) % n;
    if (++failed_in_round >= n) {
      failed_in_round = 0;
      ++rounds;
      Deadline wake = std::min(Clock::now() + backoff, deadline);
      std::unique_lock<std::mutex> lock(mu_);
      interrupt_cv_.wait_until(lock, wake, [&] { return interrupted_.load(); });
      backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
    }
  };
  auto interrupted_status = [&] {
    return Status::Cancelled("etcd " + std::string(what) + ": interrupted (stopping)");
  };

  for (;;) {
    if (interrupted()) return interrupted_status();
    if (Clock::now() >= deadline) {
      return Status(
          failure_code,
          describe("no answer within " + std::to_string(options_.request_timeout.count()) + "ms"));
    }
    Conn& conn = Connection(idx);
    std::string why;
    if (!Dial(*conn.channel, std::min(deadline, Clock::now() + options_.dial_timeout), &why,
              &interrupted_)) {
      if (interrupted()) return interrupted_status();
      failures[idx] = why;
      failure_code = Code::kUnavailable;
      if (last_code) *last_code = grpc::StatusCode::UNAVAILABLE;
      next_endpoint();
      continue;
    }
    // Each round allows twice the time of the one before, so that a request
    // that is merely slow still succeeds.
    Deadline attempt_deadline = deadline;
    if (!whole_deadline && options_.attempt_timeout.count() > 0) {
      attempt_deadline =
          std::min(deadline, Clock::now() + options_.attempt_timeout * (1 << std::min(rounds, 8)));
    }
    // Dial may have waited on a failing channel until (nearly) the deadline;
    // such a channel fails the call at once, with gRPC's reason, if the
    // call has a moment left to fail in (else it would read "timed out").
    if (conn.channel->GetState(/*try_to_connect=*/false) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
      attempt_deadline = std::max(attempt_deadline, Clock::now() + std::chrono::milliseconds(50));
    }
    std::string token;
    grpc::Status s = Token(idx, attempt_deadline, &token);
    if (s.ok()) {
      grpc::ClientContext ctx;
      ctx.set_deadline(internal::ToSystemTime(attempt_deadline));
      // A member that has lost its leader answers "no leader" at once
      // instead of queueing the request until etcd's own timeout.
      ctx.AddMetadata("hasleader", "true");
      if (!token.empty()) ctx.AddMetadata("token", token);
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (interrupted_) ctx.TryCancel();  // the call ends as soon as it starts
        live_calls_.push_back(&ctx);
      }
      s = attempt(conn, ctx);
      {
        std::lock_guard<std::mutex> lock(mu_);
        std::erase(live_calls_, &ctx);
      }
      if (s.ok()) {
        set_preferred(idx);
        return Status::Ok();
      }
      if (interrupted()) return interrupted_status();
    } else if (s.error_code() != grpc::StatusCode::UNAVAILABLE &&
               s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      return Status(internal::CodeFromGrpc(s.error_code()),
                    "etcd " + std::string(what) + ": authenticating as " + options_.username +
                        " at " + endpoints_[idx].original + ": " + internal::DescribeGrpc(s));
    }
    if (last_code) *last_code = s.error_code();
    if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && Clock::now() < deadline) {
      // Only this attempt ran out of time: try another endpoint.
      failures[idx] = internal::DescribeGrpc(s);
      failure_code = Code::kTimeout;
      next_endpoint();
      continue;
    }
    switch (internal::Classify(s)) {
      case internal::Verdict::kReauthenticate:
        if (has_auth() && ++reauthentications <= 2) {
          InvalidateToken(token);
          continue;
        }
        break;
      case internal::Verdict::kRetryElsewhere:
        failures[idx] = internal::DescribeGrpc(s);
        failure_code = Code::kUnavailable;
        next_endpoint();
        continue;
      case internal::Verdict::kFail:
        break;
    }
    if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      failures[idx] = internal::DescribeGrpc(s);
      return Status(
          Code::kTimeout,
          describe("no answer within " + std::to_string(options_.request_timeout.count()) + "ms"));
    }
    return Status(internal::CodeFromGrpc(s.error_code()), "etcd " + std::string(what) + ": " +
                                                              endpoints_[idx].original + ": " +
                                                              internal::DescribeGrpc(s));
  }
}

// ---------------------------------------------------------------------------
// Client

void RouteGrpcLogsToBerthLog() { gpr_set_log_function(GrpcLogToBerth); }

GrpcClient::GrpcClient(std::shared_ptr<Core> core) : core_(std::move(core)) {}

Result<std::unique_ptr<Client>> GrpcClient::Create(ClientOptions options) {
  auto core = Core::Create(std::move(options));
  if (!core) return Err(core.error());
  return std::unique_ptr<Client>(new GrpcClient(std::move(*core)));
}

std::string GrpcClient::CurrentEndpoint() const {
  return core_->endpoint_names()[core_->preferred()];
}

const std::vector<std::string>& GrpcClient::endpoints() const { return core_->endpoint_names(); }

uint64_t GrpcClient::authentications() const { return core_->authentications(); }

void GrpcClient::Interrupt() { core_->Interrupt(); }

Result<std::optional<KeyValue>> GrpcClient::Get(std::string_view key) {
  etcdserverpb::RangeRequest req;
  req.set_key(std::string(key));
  etcdserverpb::RangeResponse resp;
  BERTH_RETURN_IF_ERROR(core_->Call(
      "get " + internal::QuoteKey(key), core_->RequestDeadline(),
      [&](Conn& c, grpc::ClientContext& ctx) { return c.kv->Range(&ctx, req, &resp); }));
  if (resp.kvs_size() == 0) return std::optional<KeyValue>();
  return std::optional<KeyValue>(FromProto(resp.kvs(0)));
}

Result<RangeResult> GrpcClient::GetPrefix(std::string_view prefix, int64_t revision) {
  const std::string what = "get prefix " + internal::QuoteKey(prefix);
  // When we pinned the revision ourselves and etcd compacts it between two
  // pages, start over at a newer revision.
  for (int round = 0;; ++round) {
    internal::KeyRange range = internal::PrefixRange(prefix);
    RangeResult result;
    result.revision = revision;
    int64_t limit = core_->options().page_size;
    std::string key = range.key;
    bool first_page = true;
    Status failure;
    grpc::StatusCode code = grpc::StatusCode::OK;
    for (;;) {
      etcdserverpb::RangeRequest req;
      req.set_key(key);
      req.set_range_end(range.range_end);
      req.set_limit(limit);
      req.set_revision(result.revision);
      etcdserverpb::RangeResponse resp;
      Status s = core_->Call(
          what + (result.revision ? " at revision " + std::to_string(result.revision) : ""),
          core_->RequestDeadline(),
          [&](Conn& c, grpc::ClientContext& ctx) { return c.kv->Range(&ctx, req, &resp); }, &code);
      if (!s.ok()) {
        // A page too large for one message: halve the page.
        if (code == grpc::StatusCode::RESOURCE_EXHAUSTED && limit > 1) {
          limit /= 2;
          continue;
        }
        failure = std::move(s);
        break;
      }
      if (first_page && result.revision == 0) result.revision = resp.header().revision();
      first_page = false;
      result.kvs.reserve(result.kvs.size() + resp.kvs_size());
      for (const mvccpb::KeyValue& kv : resp.kvs()) result.kvs.push_back(FromProto(kv));
      if (!resp.more() || resp.kvs_size() == 0) return result;
      key = resp.kvs(resp.kvs_size() - 1).key();
      key.push_back('\0');
    }
    if (revision == 0 && !first_page && code == grpc::StatusCode::OUT_OF_RANGE && round < 3) {
      continue;
    }
    return Err(failure);
  }
}

Result<int64_t> GrpcClient::Put(std::string_view key, std::string_view value, int64_t lease) {
  etcdserverpb::PutRequest req;
  req.set_key(std::string(key));
  req.set_value(std::string(value));
  req.set_lease(lease);
  etcdserverpb::PutResponse resp;
  BERTH_RETURN_IF_ERROR(
      core_->Call("put " + internal::QuoteKey(key), core_->RequestDeadline(),
                  [&](Conn& c, grpc::ClientContext& ctx) { return c.kv->Put(&ctx, req, &resp); }));
  return resp.header().revision();
}

Result<int64_t> GrpcClient::PutMany(const std::vector<std::pair<std::string, std::string>>& kvs,
                                    int64_t lease) {
  etcdserverpb::TxnRequest req;
  for (const auto& [key, value] : kvs) {
    etcdserverpb::PutRequest* put = req.add_success()->mutable_request_put();
    put->set_key(key);
    put->set_value(value);
    put->set_lease(lease);
  }
  etcdserverpb::TxnResponse resp;
  std::string what = "put " + std::to_string(kvs.size()) + " keys";
  if (!kvs.empty()) what += " (" + internal::QuoteKey(kvs.front().first) + " ...)";
  BERTH_RETURN_IF_ERROR(
      core_->Call(what, core_->RequestDeadline(),
                  [&](Conn& c, grpc::ClientContext& ctx) { return c.kv->Txn(&ctx, req, &resp); }));
  return resp.header().revision();
}

namespace {

Result<DeleteResult> DeleteRange(Client::Core& core, std::string what, std::string key,
                                 std::string range_end) {
  etcdserverpb::DeleteRangeRequest req;
  req.set_key(std::move(key));
  req.set_range_end(std::move(range_end));
  etcdserverpb::DeleteRangeResponse resp;
  BERTH_RETURN_IF_ERROR(core.Call(
      what, core.RequestDeadline(),
      [&](Conn& c, grpc::ClientContext& ctx) { return c.kv->DeleteRange(&ctx, req, &resp); }));
  return DeleteResult{resp.deleted(), resp.header().revision()};
}

}  // namespace

Result<DeleteResult> GrpcClient::Delete(std::string_view key) {
  return DeleteRange(*core_, "delete " + internal::QuoteKey(key), std::string(key), "");
}

Result<DeleteResult> GrpcClient::DeletePrefix(std::string_view prefix) {
  internal::KeyRange range = internal::PrefixRange(prefix);
  return DeleteRange(*core_, "delete prefix " + internal::QuoteKey(prefix), std::move(range.key),
                     std::move(range.range_end));
}

Status GrpcClient::Compact(int64_t revision) {
  etcdserverpb::CompactionRequest req;
  req.set_revision(revision);
  req.set_physical(true);
  etcdserverpb::CompactionResponse resp;
  // A physical compaction of a large store may take long: no attempt limit.
  return core_->Call(
      "compact at revision " + std::to_string(revision), core_->RequestDeadline(),
      [&](Conn& c, grpc::ClientContext& ctx) { return c.kv->Compact(&ctx, req, &resp); }, nullptr,
      /*whole_deadline=*/true);
}

Result<int64_t> GrpcClient::GrantLease(int64_t ttl_seconds) {
  etcdserverpb::LeaseGrantRequest req;
  req.set_ttl(ttl_seconds);
  etcdserverpb::LeaseGrantResponse resp;
  const std::string what = "grant lease of " + std::to_string(ttl_seconds) + "s";
  BERTH_RETURN_IF_ERROR(core_->Call(
      what, core_->RequestDeadline(),
      [&](Conn& c, grpc::ClientContext& ctx) { return c.lease->LeaseGrant(&ctx, req, &resp); }));
  if (!resp.error().empty()) {
    return Err(Status::FailedPrecondition("etcd " + what + ": " + resp.error()));
  }
  return resp.id();
}

Status GrpcClient::RevokeLease(int64_t lease) {
  etcdserverpb::LeaseRevokeRequest req;
  req.set_id(lease);
  etcdserverpb::LeaseRevokeResponse resp;
  Status s = core_->Call(
      "revoke lease " + std::to_string(lease), core_->RequestDeadline(),
      [&](Conn& c, grpc::ClientContext& ctx) { return c.lease->LeaseRevoke(&ctx, req, &resp); });
  if (s.code() == Code::kNotFound) return Status::Ok();
  return s;
}

Result<int64_t> GrpcClient::KeepAliveOnce(int64_t lease) {
  etcdserverpb::LeaseKeepAliveRequest req;
  req.set_id(lease);
  etcdserverpb::LeaseKeepAliveResponse resp;
  BERTH_RETURN_IF_ERROR(
      core_->Call("keep lease " + std::to_string(lease) + " alive", core_->RequestDeadline(),
                  [&](Conn& c, grpc::ClientContext& ctx) {
                    resp.Clear();
                    auto stream = c.lease->LeaseKeepAlive(&ctx);
                    bool ok = stream->Write(req) && stream->WritesDone() && stream->Read(&resp);
                    if (!ok) ctx.TryCancel();
                    grpc::Status s = stream->Finish();
                    if (ok) return grpc::Status::OK;
                    if (s.ok())
                      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "keepalive stream ended");
                    return s;
                  }));
  return std::max<int64_t>(resp.ttl(), 0);
}

Result<int64_t> GrpcClient::LeaseTimeToLive(int64_t lease) {
  etcdserverpb::LeaseTimeToLiveRequest req;
  req.set_id(lease);
  etcdserverpb::LeaseTimeToLiveResponse resp;
  Status s = core_->Call("time to live of lease " + std::to_string(lease), core_->RequestDeadline(),
                         [&](Conn& c, grpc::ClientContext& ctx) {
                           return c.lease->LeaseTimeToLive(&ctx, req, &resp);
                         });
  if (s.code() == Code::kNotFound) return -1;
  if (!s.ok()) return Err(s);
  return resp.ttl() < 0 ? -1 : resp.ttl();
}

Result<std::vector<Member>> GrpcClient::MemberList() {
  etcdserverpb::MemberListRequest req;
  etcdserverpb::MemberListResponse resp;
  BERTH_RETURN_IF_ERROR(core_->Call(
      "member list", core_->RequestDeadline(),
      [&](Conn& c, grpc::ClientContext& ctx) { return c.cluster->MemberList(&ctx, req, &resp); }));
  std::vector<Member> members;
  for (const etcdserverpb::Member& m : resp.members()) {
    Member out;
    out.id = m.id();
    out.name = m.name();
    out.peer_urls.assign(m.peerurls().begin(), m.peerurls().end());
    out.client_urls.assign(m.clienturls().begin(), m.clienturls().end());
    out.is_learner = m.islearner();
    members.push_back(std::move(out));
  }
  return members;
}

Result<EndpointStatus> GrpcClient::GetStatus(std::string_view endpoint) {
  auto ep = internal::ParseEndpoint(endpoint);
  if (!ep) return Err(ep.error());
  std::shared_ptr<Conn> conn = core_->ConnectionTo(*ep);
  const std::string what = "etcd status of " + ep->original;
  Deadline deadline = core_->RequestDeadline();
  std::string why;
  if (!Core::Dial(*conn->channel, std::min(deadline, Clock::now() + core_->options().dial_timeout),
                  &why)) {
    return Err(Status::Unavailable(what + ": " + why));
  }
  etcdserverpb::StatusRequest req;
  etcdserverpb::StatusResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(internal::ToSystemTime(deadline));
  grpc::Status s = conn->maintenance->Status(&ctx, req, &resp);
  if (!s.ok()) {
    return Err(
        Status(internal::CodeFromGrpc(s.error_code()), what + ": " + internal::DescribeGrpc(s)));
  }
  EndpointStatus out;
  out.endpoint = ep->original;
  out.version = resp.version();
  out.member_id = resp.header().member_id();
  out.leader = resp.leader();
  out.revision = resp.header().revision();
  out.raft_term = resp.raftterm();
  out.raft_index = resp.raftindex();
  out.db_size = resp.dbsize();
  out.is_learner = resp.islearner();
  out.errors.assign(resp.errors().begin(), resp.errors().end());
  return out;
}

}  // namespace berth::etcd

// The entry point Client::Create (loader.cc) looks up in this library.
extern "C" __attribute__((visibility("default"))) void berth_etcd_create_client(
    berth::etcd::ClientOptions* options, berth::Result<std::unique_ptr<berth::etcd::Client>>* out) {
  static const bool routed = [] {
    berth::etcd::RouteGrpcLogsToBerthLog();
    return true;
  }();
  (void)routed;
  *out = berth::etcd::GrpcClient::Create(std::move(*options));
}
