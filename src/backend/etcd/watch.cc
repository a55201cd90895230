// WatchStream over etcd's bidirectional Watch RPC.
//
// The stream runs on gRPC's asynchronous API with a completion queue of its
// own, so that Next can wait with a deadline on the caller's thread (no
// thread of ours) and Close can wake it by cancelling the call.  One gRPC
// call ("Stream") at a time; when it breaks it is torn down completely and a
// new one is started on the next endpoint, with a create request whose
// start_revision is one past the last revision delivered.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "backend/etcd/client.h"
#include "backend/etcd/core.h"

namespace berth::etcd {

namespace {

using internal::Conn;

enum class Tag : intptr_t { kStart = 1, kWrite, kRead, kFinish };

void* ToTag(Tag t) { return reinterpret_cast<void*>(static_cast<intptr_t>(t)); }
Tag FromTag(void* p) { return static_cast<Tag>(reinterpret_cast<intptr_t>(p)); }

constexpr auto kMinBackoff = std::chrono::milliseconds(50);
constexpr auto kMaxBackoff = std::chrono::milliseconds(1000);
// How long tearing down a call may wait for gRPC to hand back its tags
// after cancelling it (it is prompt; this only guards against a hang).
constexpr auto kDrainLimit = std::chrono::seconds(10);

WatchEvent FromProto(const mvccpb::Event& e) {
  WatchEvent out;
  out.type = e.type() == mvccpb::Event::DELETE ? WatchEvent::Type::kDelete : WatchEvent::Type::kPut;
  out.key = e.kv().key();
  out.value = e.kv().value();
  out.mod_revision = e.kv().mod_revision();
  out.create_revision = e.kv().create_revision();
  out.version = e.kv().version();
  out.lease = e.kv().lease();
  return out;
}

class WatchStreamImpl final : public WatchStream {
 public:
  WatchStreamImpl(std::shared_ptr<Client::Core> core, std::string prefix, int64_t start_revision)
      : core_(std::move(core)),
        prefix_(std::move(prefix)),
        range_(internal::PrefixRange(prefix_)),
        next_revision_(start_revision),
        position_(start_revision > 0 ? start_revision - 1 : 0),
        next_endpoint_(core_->preferred()),
        failures_(core_->size()) {
    core_->AddStream(this);  // Client::Interrupt closes it
  }

  ~WatchStreamImpl() override {
    core_->RemoveStream(this);
    Close();
    if (stream_) Teardown(/*cancel=*/true);
  }

  // Connects before the stream is handed out; see Client::Watch.
  Status Open();

  Result<WatchBatch> Next(std::chrono::milliseconds timeout) override;

  void Close() override {
    std::lock_guard<std::mutex> lock(close_mu_);
    closed_ = true;
    if (live_ctx_) live_ctx_->TryCancel();
    close_cv_.notify_all();
  }

 private:
  enum class Phase { kStarting, kCreating, kWatching };

  // One gRPC Watch call.  Members are destroyed bottom-up: the reader-writer,
  // then the context (which owns the call), then the queue.
  struct Stream {
    size_t endpoint = 0;
    std::string token;
    Phase phase = Phase::kStarting;
    Deadline connect_deadline;
    bool start_pending = false;
    bool write_pending = false;
    bool read_pending = false;
    grpc::Status finish_status;
    etcdserverpb::WatchRequest request;
    etcdserverpb::WatchResponse response;
    grpc::CompletionQueue cq;
    grpc::ClientContext ctx;
    std::unique_ptr<
        grpc::ClientAsyncReaderWriter<etcdserverpb::WatchRequest, etcdserverpb::WatchResponse>>
        rw;
  };

  bool closed() {
    std::lock_guard<std::mutex> lock(close_mu_);
    return closed_;
  }
  std::string What() const { return "etcd watch " + internal::QuoteKey(prefix_); }

  // Drives the stream until it yields a batch, `deadline` passes, or (with
  // until_watching) a watch has been created.  nullopt for the latter two.
  Result<std::optional<WatchBatch>> Run(Deadline deadline, bool until_watching);
  // Starts a call on next_endpoint_.  Returns a kCanceled batch when the
  // credentials are refused.
  std::optional<WatchBatch> StartStream();
  std::optional<WatchBatch> OnEvent(Tag tag, bool ok);
  std::optional<WatchBatch> OnResponse();
  // Ends the current call; notes `reason` against its endpoint and
  // schedules the next attempt.
  void Fail(const std::string& reason, bool cancel);
  // Cancels (if asked) and finishes the current call, waits for all its
  // tags, and destroys it.
  void Teardown(bool cancel);
  WatchBatch Finished(WatchBatch::Kind kind);
  std::string FailureList() const;

  // Constant after construction.
  const std::shared_ptr<Client::Core> core_;
  const std::string prefix_;
  const internal::KeyRange range_;

  // Used only by the thread calling Open/Next (and the destructor).
  int64_t next_revision_;  // where the next create starts; 0 = "now"
  int64_t position_;       // everything up to here has been delivered
  std::unique_ptr<Stream> stream_;
  std::optional<WatchBatch> pending_;  // a batch Open received, for Next
  std::vector<WatchEvent> fragments_;  // events of a fragmented response
  bool finished_ = false;              // kCompacted/kCanceled was reported
  bool reauthenticated_ = false;       // this attempt already renewed the token
  size_t next_endpoint_;
  size_t consecutive_failures_ = 0;
  std::chrono::milliseconds backoff_ = kMinBackoff;
  Deadline retry_at_{};
  std::vector<std::string> failures_;  // latest failure per endpoint
  std::string last_failure_;
  grpc::Status stream_finish_status_;  // how the last call ended

  // Shared with Close.
  std::mutex close_mu_;
  std::condition_variable close_cv_;
  bool closed_ = false;                      // guarded by close_mu_
  grpc::ClientContext* live_ctx_ = nullptr;  // guarded by close_mu_
};

Status WatchStreamImpl::Open() {
  const Deadline deadline = core_->RequestDeadline();
  auto r = Run(deadline, /*until_watching=*/true);
  if (!r) return r.error();
  if (*r) {
    if ((*r)->kind == WatchBatch::Kind::kCanceled) {
      return Status::FailedPrecondition(What() + ": refused: " + (*r)->cancel_reason);
    }
    pending_ = std::move(**r);
    return Status::Ok();
  }
  if (stream_ && stream_->phase == Phase::kWatching) return Status::Ok();
  return Status::Unavailable(What() + ": no endpoint accepted the watch within " +
                             std::to_string(core_->options().request_timeout.count()) +
                             "ms: " + FailureList());
}

Result<WatchBatch> WatchStreamImpl::Next(std::chrono::milliseconds timeout) {
  if (pending_) {
    WatchBatch b = std::move(*pending_);
    pending_.reset();
    return b;
  }
  auto r = Run(Clock::now() + timeout, /*until_watching=*/false);
  if (!r) return Err(r.error());
  if (*r) return std::move(**r);
  if (stream_ && stream_->phase == Phase::kWatching) {
    return Err(
        Status::Timeout(What() + ": nothing within " + std::to_string(timeout.count()) + "ms"));
  }
  return Err(Status::Unavailable(What() + ": reconnecting; last failure: " +
                                 (last_failure_.empty() ? "none yet" : last_failure_)));
}

Result<std::optional<WatchBatch>> WatchStreamImpl::Run(Deadline deadline, bool until_watching) {
  for (;;) {
    if (closed()) {
      if (stream_) Teardown(/*cancel=*/true);
      return Err(Status::Cancelled(What() + ": closed"));
    }
    if (finished_) {
      return Err(Status::FailedPrecondition(What() + ": the watch has ended (compacted or "
                                                     "canceled); open a new one"));
    }
    if (!stream_) {
      Deadline now = Clock::now();
      if (now >= deadline) return std::optional<WatchBatch>();
      if (now < retry_at_) {
        std::unique_lock<std::mutex> lock(close_mu_);
        close_cv_.wait_until(lock, std::min(retry_at_, deadline), [&] { return closed_; });
        continue;
      }
      std::optional<WatchBatch> refused = StartStream();
      if (refused) return refused;
      continue;
    }
    if (until_watching && stream_->phase == Phase::kWatching) return std::optional<WatchBatch>();
    Deadline wait_until = deadline;
    if (stream_->phase != Phase::kWatching) {
      wait_until = std::min(wait_until, stream_->connect_deadline);
    }
    void* tag = nullptr;
    bool ok = false;
    switch (stream_->cq.AsyncNext(&tag, &ok, internal::ToSystemTime(wait_until))) {
      case grpc::CompletionQueue::TIMEOUT:
        if (stream_->phase != Phase::kWatching && Clock::now() >= stream_->connect_deadline) {
          Fail("no watch created within " + std::to_string(core_->options().dial_timeout.count()) +
                   "ms",
               /*cancel=*/true);
          continue;
        }
        if (Clock::now() >= deadline) return std::optional<WatchBatch>();
        continue;
      case grpc::CompletionQueue::SHUTDOWN:
        // We shut a queue down only after taking it out of stream_.
        return Err(Status::Internal(What() + ": completion queue shut down"));
      case grpc::CompletionQueue::GOT_EVENT: {
        std::optional<WatchBatch> batch = OnEvent(FromTag(tag), ok);
        if (batch) return batch;
        continue;
      }
    }
  }
}

std::optional<WatchBatch> WatchStreamImpl::StartStream() {
  const size_t idx = next_endpoint_;
  Conn& conn = core_->Connection(idx);
  auto stream = std::make_unique<Stream>();
  stream->endpoint = idx;
  grpc::Status s = core_->Token(idx, core_->RequestDeadline(), &stream->token);
  if (!s.ok()) {
    std::string why = "authenticating: " + internal::DescribeGrpc(s);
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE &&
        s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      // Wrong credentials: retrying will not help.
      WatchBatch b = Finished(WatchBatch::Kind::kCanceled);
      b.cancel_reason = why;
      return b;
    }
    failures_[idx] = why;
    last_failure_ = core_->endpoint_names()[idx] + ": " + why;
    next_endpoint_ = (idx + 1) % core_->size();
    if (++consecutive_failures_ >= core_->size()) {
      consecutive_failures_ = 0;
      retry_at_ = Clock::now() + backoff_;
      backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    }
    return std::nullopt;
  }
  // A member without a leader ends the stream, so that we move on to one
  // that has one instead of waiting for events that will not come.
  stream->ctx.AddMetadata("hasleader", "true");
  if (!stream->token.empty()) stream->ctx.AddMetadata("token", stream->token);
  // Wait for a connection instead of failing at once while the channel is
  // in TRANSIENT_FAILURE: a call waiting for one is what polls the channel,
  // so it is what lets a connection attempt complete.  A channel nobody
  // polls is only looked at by gRPC's backup poller (every 5 s), slower than
  // its connect deadline: after etcd restarts, the watch would never
  // reconnect.  connect_deadline bounds the wait.
  stream->ctx.set_wait_for_ready(true);
  stream->connect_deadline = Clock::now() + core_->options().dial_timeout;
  {
    std::lock_guard<std::mutex> lock(close_mu_);
    live_ctx_ = &stream->ctx;
    if (closed_) stream->ctx.TryCancel();
  }
  stream->rw = conn.watch->PrepareAsyncWatch(&stream->ctx, &stream->cq);
  stream->rw->StartCall(ToTag(Tag::kStart));
  stream->start_pending = true;
  stream_ = std::move(stream);
  return std::nullopt;
}

std::optional<WatchBatch> WatchStreamImpl::OnEvent(Tag tag, bool ok) {
  Stream& s = *stream_;
  switch (tag) {
    case Tag::kStart: {
      s.start_pending = false;
      if (!ok) {
        Fail("could not open the stream", /*cancel=*/false);
        return std::nullopt;
      }
      s.phase = Phase::kCreating;
      etcdserverpb::WatchCreateRequest* create = s.request.mutable_create_request();
      create->set_key(range_.key);
      create->set_range_end(range_.range_end);
      create->set_start_revision(next_revision_);
      create->set_progress_notify(true);
      create->set_fragment(true);
      s.rw->Write(s.request, ToTag(Tag::kWrite));
      s.write_pending = true;
      s.rw->Read(&s.response, ToTag(Tag::kRead));
      s.read_pending = true;
      return std::nullopt;
    }
    case Tag::kWrite:
      s.write_pending = false;
      if (!ok) Fail("could not send the watch request", /*cancel=*/true);
      return std::nullopt;
    case Tag::kRead: {
      s.read_pending = false;
      if (!ok) {
        Fail(s.phase == Phase::kWatching ? "the stream broke"
                                         : "the stream ended before the "
                                           "watch was created",
             /*cancel=*/false);
        return std::nullopt;
      }
      std::optional<WatchBatch> batch = OnResponse();
      if (stream_ && !finished_) {
        stream_->rw->Read(&stream_->response, ToTag(Tag::kRead));
        stream_->read_pending = true;
      }
      return batch;
    }
    case Tag::kFinish:
      break;
  }
  return std::nullopt;
}

std::optional<WatchBatch> WatchStreamImpl::OnResponse() {
  Stream& s = *stream_;
  const etcdserverpb::WatchResponse& r = s.response;
  if (s.phase == Phase::kCreating) {
    if (!r.created()) {
      Fail("etcd answered before creating the watch", /*cancel=*/true);
      return std::nullopt;
    }
    if (r.canceled()) {
      const int64_t header_revision = r.header().revision();
      const std::string reason = r.cancel_reason();
      if (core_->has_auth() && internal::IsAuthTokenRejection(reason) && !reauthenticated_) {
        // The token expired: get a new one and try again at once.
        reauthenticated_ = true;
        core_->InvalidateToken(s.token);
        const size_t idx = s.endpoint;
        Teardown(/*cancel=*/true);
        next_endpoint_ = idx;
        return std::nullopt;
      }
      WatchBatch b = Finished(WatchBatch::Kind::kCanceled);  // destroys `r`
      b.header_revision = header_revision;
      b.cancel_reason = reason.empty() ? "canceled by etcd" : reason;
      return b;
    }
    s.phase = Phase::kWatching;
    reauthenticated_ = false;
    consecutive_failures_ = 0;
    backoff_ = kMinBackoff;
    if (next_revision_ == 0) {
      // A watch "from now" starts after the revision etcd created it at.
      position_ = r.header().revision();
      next_revision_ = position_ + 1;
    }
    return std::nullopt;
  }

  if (r.compact_revision() != 0 || r.canceled()) {
    const int64_t compact_revision = r.compact_revision();
    const int64_t header_revision = r.header().revision();
    const std::string reason = r.cancel_reason();
    // Finished destroys the call and with it `r`.
    WatchBatch b = Finished(compact_revision != 0 ? WatchBatch::Kind::kCompacted
                                                  : WatchBatch::Kind::kCanceled);
    b.header_revision = header_revision;
    if (compact_revision != 0) {
      b.compact_revision = compact_revision;
    } else {
      b.cancel_reason = reason.empty() ? "canceled by etcd" : reason;
    }
    return b;
  }
  for (const mvccpb::Event& e : r.events()) {
    // Never hand out a revision twice (etcd does not resend; this is a guard).
    if (e.kv().mod_revision() < next_revision_) continue;
    fragments_.push_back(FromProto(e));
  }
  if (r.fragment()) return std::nullopt;  // the rest follows
  WatchBatch b;
  b.header_revision = r.header().revision();
  if (!fragments_.empty()) {
    b.kind = WatchBatch::Kind::kEvents;
    b.events = std::move(fragments_);
    fragments_.clear();
    position_ = b.events.back().mod_revision;
    next_revision_ = position_ + 1;
    b.revision = position_;
    return b;
  }
  if (r.events_size() > 0) return std::nullopt;  // only events we had already delivered
  // A progress notification: etcd sends these only to a watcher that has
  // caught up, so everything up to the header revision has been delivered.
  b.kind = WatchBatch::Kind::kProgress;
  if (r.header().revision() > position_) {
    position_ = r.header().revision();
    next_revision_ = std::max(next_revision_, position_ + 1);
  }
  b.revision = position_;
  return b;
}

WatchBatch WatchStreamImpl::Finished(WatchBatch::Kind kind) {
  finished_ = true;
  if (stream_) Teardown(/*cancel=*/true);
  WatchBatch b;
  b.kind = kind;
  b.revision = position_;
  return b;
}

void WatchStreamImpl::Fail(const std::string& reason, bool cancel) {
  const size_t idx = stream_->endpoint;
  const bool was_watching = stream_->phase == Phase::kWatching;
  Teardown(cancel);
  std::string why = reason;
  if (!stream_finish_status_.ok()) why += ": " + internal::DescribeGrpc(stream_finish_status_);
  failures_[idx] = why;
  last_failure_ = core_->endpoint_names()[idx] + ": " + why;
  fragments_.clear();
  next_endpoint_ = (idx + 1) % core_->size();
  if (was_watching) {
    // A stream that worked: reconnect at once.
    consecutive_failures_ = 0;
    retry_at_ = Clock::now();
  } else if (++consecutive_failures_ >= core_->size()) {
    consecutive_failures_ = 0;
    retry_at_ = Clock::now() + backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  }
}

void WatchStreamImpl::Teardown(bool cancel) {
  Stream& s = *stream_;
  auto drain = [&](bool* pending_flag_for_finish) {
    const Deadline limit = Clock::now() + kDrainLimit;
    while (s.start_pending || s.write_pending || s.read_pending ||
           (pending_flag_for_finish && *pending_flag_for_finish)) {
      void* tag = nullptr;
      bool ok = false;
      auto st = s.cq.AsyncNext(&tag, &ok, internal::ToSystemTime(limit));
      if (st == grpc::CompletionQueue::TIMEOUT) {
        s.ctx.TryCancel();
        continue;
      }
      if (st == grpc::CompletionQueue::SHUTDOWN) break;
      switch (FromTag(tag)) {
        case Tag::kStart:
          s.start_pending = false;
          break;
        case Tag::kWrite:
          s.write_pending = false;
          break;
        case Tag::kRead:
          s.read_pending = false;
          break;
        case Tag::kFinish:
          if (pending_flag_for_finish) *pending_flag_for_finish = false;
          break;
      }
    }
  };
  // Without a cancel, a pending start or read would wait for the server.
  if (cancel || s.start_pending || s.read_pending) s.ctx.TryCancel();
  drain(nullptr);
  bool finish_pending = true;
  s.rw->Finish(&s.finish_status, ToTag(Tag::kFinish));
  drain(&finish_pending);
  stream_finish_status_ = cancel ? grpc::Status::OK : s.finish_status;
  {
    std::lock_guard<std::mutex> lock(close_mu_);
    live_ctx_ = nullptr;
  }
  s.cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (s.cq.Next(&tag, &ok)) {
  }
  stream_.reset();
}

std::string WatchStreamImpl::FailureList() const {
  std::string m;
  for (size_t i = 0; i < failures_.size(); ++i) {
    if (failures_[i].empty()) continue;
    if (!m.empty()) m += "; ";
    m += core_->endpoint_names()[i] + ": " + failures_[i];
  }
  return m.empty() ? "no attempt finished" : m;
}

}  // namespace

Result<WatchStreamPtr> GrpcClient::Watch(std::string_view prefix, int64_t start_revision) {
  if (start_revision < 0) {
    return Err(Status::InvalidArgument("etcd watch " + internal::QuoteKey(prefix) +
                                       ": negative start revision"));
  }
  auto stream = std::make_unique<WatchStreamImpl>(core_, std::string(prefix), start_revision);
  BERTH_RETURN_IF_ERROR(stream->Open());
  return WatchStreamPtr(std::move(stream));
}

}  // namespace berth::etcd
