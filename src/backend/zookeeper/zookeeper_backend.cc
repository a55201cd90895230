#include "backend/zookeeper/zookeeper_backend.h"

#include <zookeeper/zookeeper.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

#include "base/log.h"

namespace berth::backend::zookeeper {

using Clock = std::chrono::steady_clock;

// ---- session ----

// One zhandle_t.  Closed (zookeeper_close, which joins the client's threads)
// by whoever drops the last reference, never with Session::mu_ held, since
// the client's callbacks take it.
struct Handle {
  Session* session = nullptr;
  zhandle_t* zh = nullptr;
  int state = 0;                // guarded by Session::mu_
  bool expired = false;         // guarded by Session::mu_
  bool ever_connected = false;  // guarded by Session::mu_
  ~Handle() {
    if (zh != nullptr) zookeeper_close(zh);
  }
};

// What the znode watches of one prefix report to; lives as long as the
// session, so that the client can be handed the same (watcher, context)
// pair again and again (it keeps one per znode).
struct Trigger {
  Session* session = nullptr;
  uint64_t events = 0;  // guarded by Session::mu_
};

class Session {
 public:
  Session(ZookeeperOptions options, std::string hosts)
      : options_(std::move(options)), hosts_(std::move(hosts)) {}
  ~Session() {
    std::shared_ptr<Handle> last;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last = std::move(handle_);
    }
  }

  // The handle of a connected session; makes a new session when there is
  // none or it expired, and waits up to connect_timeout for it.
  Result<std::shared_ptr<Handle>> Connected() {
    std::unique_lock<std::mutex> lock(mu_);
    const auto deadline = Clock::now() + options_.connect_timeout;
    for (;;) {
      if (interrupted_) return Err(Status::Cancelled("interrupted"));
      if (!handle_ || handle_->expired) {
        std::shared_ptr<Handle> old = std::move(handle_);
        auto h = std::make_shared<Handle>();
        h->session = this;
        handle_ = h;
        h->zh =
            zookeeper_init(hosts_.c_str(), &Session::SessionWatcher,
                           static_cast<int>(options_.session_timeout.count()), nullptr, h.get(), 0);
        if (h->zh == nullptr) {
          handle_.reset();
          return Err(Status::IoError("zookeeper: cannot start a client for " + hosts_ + ": " +
                                     std::strerror(errno)));
        }
        if (old) {
          lock.unlock();
          old.reset();
          lock.lock();
          continue;
        }
      }
      std::shared_ptr<Handle> h = handle_;
      if (h->state == ZOO_CONNECTED_STATE) return h;
      const bool changed = cv_.wait_until(lock, deadline, [&] {
        return interrupted_ || handle_ != h || h->expired || h->state == ZOO_CONNECTED_STATE;
      });
      if (!changed) {
        return Err(Status::Unavailable("zookeeper: no server answers at " + hosts_ + " within " +
                                       std::to_string(options_.connect_timeout.count()) + "ms"));
      }
    }
  }

  Trigger* TriggerFor(const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& t = triggers_[prefix];
    if (!t) {
      t = std::make_unique<Trigger>();
      t->session = this;
    }
    return t.get();
  }

  void Interrupt() {
    std::lock_guard<std::mutex> lock(mu_);
    interrupted_ = true;
    cv_.notify_all();
  }

  // The client's session events: connected, connecting, expired.
  static void SessionWatcher(zhandle_t*, int type, int state, const char*, void* ctx) {
    if (type != ZOO_SESSION_EVENT) return;
    auto* h = static_cast<Handle*>(ctx);
    Session* s = h->session;
    std::lock_guard<std::mutex> lock(s->mu_);
    const int before = h->state;
    h->state = state;
    if (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE) {
      h->expired = true;
      ++s->generation_;  // every watch is gone: resync
      log::Warning("zookeeper: session expired; starting a new one");
    } else if (state == ZOO_CONNECTED_STATE) {
      // Back after a disconnection: the client sets its watches again, but
      // a resync costs one read and leaves nothing to chance.
      if (h->ever_connected && before != ZOO_CONNECTED_STATE) ++s->generation_;
      h->ever_connected = true;
    }
    s->cv_.notify_all();
  }

  // A znode watch of one prefix fired.
  static void PrefixWatcher(zhandle_t*, int type, int state, const char*, void* ctx) {
    if (type == ZOO_SESSION_EVENT && state != ZOO_EXPIRED_SESSION_STATE) return;
    auto* t = static_cast<Trigger*>(ctx);
    Session* s = t->session;
    std::lock_guard<std::mutex> lock(s->mu_);
    ++t->events;
    s->cv_.notify_all();
  }

  const std::string& hosts() const { return hosts_; }

  // Constant after construction.
  const ZookeeperOptions options_;
  const std::string hosts_;

  std::mutex mu_;
  std::condition_variable cv_;
  // Declared before handle_: the client's callbacks may use them until the
  // last handle is closed.
  std::map<std::string, std::unique_ptr<Trigger>> triggers_;  // guarded by mu_
  uint64_t generation_ = 0;         // guarded by mu_; bumped when watches may be lost
  bool interrupted_ = false;        // guarded by mu_
  std::shared_ptr<Handle> handle_;  // guarded by mu_
};

namespace {

// ---- pipelined requests ----

struct Pending {
  std::mutex mu;
  std::condition_variable cv;
  size_t outstanding = 0;

  void Done() {
    std::lock_guard<std::mutex> lock(mu);
    --outstanding;
    cv.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return outstanding == 0; });
  }
};

struct NodeSlot {
  Pending* pending = nullptr;
  std::string path;
  int rc = ZOK;
  std::string data;
  int32_t num_children = 0;
  std::vector<std::string> children;
};

void DataDone(int rc, const char* value, int value_len, const Stat* stat, const void* data) {
  auto* s = static_cast<NodeSlot*>(const_cast<void*>(data));
  s->rc = rc;
  if (rc == ZOK) {
    if (value != nullptr && value_len > 0) s->data.assign(value, static_cast<size_t>(value_len));
    if (stat != nullptr) s->num_children = stat->numChildren;
  }
  s->pending->Done();
}

void StatDone(int rc, const Stat* stat, const void* data) {
  auto* s = static_cast<NodeSlot*>(const_cast<void*>(data));
  s->rc = rc;
  if (rc == ZOK && stat != nullptr) s->num_children = stat->numChildren;
  s->pending->Done();
}

void ChildrenDone(int rc, const String_vector* strings, const Stat*, const void* data) {
  auto* s = static_cast<NodeSlot*>(const_cast<void*>(data));
  s->rc = rc;
  if (rc == ZOK && strings != nullptr) {
    for (int i = 0; i < strings->count; ++i) s->children.emplace_back(strings->data[i]);
  }
  s->pending->Done();
}

// Submits one request per slot with `submit` (a zoo_a* call returning its
// rc) and waits for every completion.
template <typename Submit>
void RunAll(std::vector<NodeSlot>& slots, Pending& pending, Submit submit) {
  {
    std::lock_guard<std::mutex> lock(pending.mu);
    pending.outstanding = slots.size();
  }
  for (NodeSlot& s : slots) {
    s.pending = &pending;
    s.rc = submit(s);
    if (s.rc != ZOK) pending.Done();  // no completion comes for a refused request
  }
  pending.Wait();
}

Status ZkError(int rc, const std::string& path) {
  const std::string m = "zookeeper: " + path + ": " + zerror(rc);
  switch (rc) {
    case ZCONNECTIONLOSS:
    case ZOPERATIONTIMEOUT:
    case ZSESSIONEXPIRED:
    case ZSESSIONMOVED:
    case ZCLOSING:
    case ZINVALIDSTATE:
      return Status::Unavailable(m);
    case ZBADARGUMENTS:
      return Status::InvalidArgument("zookeeper: bad znode path \"" + path + "\"");
    case ZNOAUTH:
    case ZAUTHFAILED:
      return Status::FailedPrecondition(m);
    default:
      return Status::Internal(m);
  }
}

std::string ChildPath(const std::string& parent, const std::string& child) {
  return parent == "/" ? "/" + child : parent + "/" + child;
}

// confd's walk: leaves below `root` (or root itself) with their data.
// With `watcher`, arms a data (exists) and a child watch on every znode
// instead and collects nothing.
Status Walk(zhandle_t* zh, const std::string& root, Trigger* watcher, std::vector<kv::Entry>* out) {
  std::vector<NodeSlot> level(1);
  level[0].path = root;
  Pending pending;
  while (!level.empty()) {
    // Data (or an exists watch) of every znode of this level.
    if (watcher != nullptr) {
      RunAll(level, pending, [&](NodeSlot& s) {
        return zoo_awexists(zh, s.path.c_str(), &Session::PrefixWatcher, watcher, StatDone, &s);
      });
    } else {
      RunAll(level, pending,
             [&](NodeSlot& s) { return zoo_aget(zh, s.path.c_str(), 0, DataDone, &s); });
    }
    std::vector<NodeSlot> dirs;
    for (NodeSlot& s : level) {
      if (s.rc == ZNONODE) continue;  // missing, or gone since it was listed
      if (s.rc != ZOK) return ZkError(s.rc, s.path);
      if (s.num_children == 0 && watcher == nullptr) {
        out->push_back({s.path, std::move(s.data)});
        continue;
      }
      NodeSlot d;
      d.path = std::move(s.path);
      dirs.push_back(std::move(d));
    }
    if (dirs.empty()) break;
    if (watcher != nullptr) {
      RunAll(dirs, pending, [&](NodeSlot& s) {
        return zoo_awget_children2(zh, s.path.c_str(), &Session::PrefixWatcher, watcher,
                                   ChildrenDone, &s);
      });
    } else {
      RunAll(dirs, pending, [&](NodeSlot& s) {
        return zoo_aget_children2(zh, s.path.c_str(), 0, ChildrenDone, &s);
      });
    }
    std::vector<NodeSlot> next;
    for (NodeSlot& d : dirs) {
      if (d.rc == ZNONODE) continue;
      if (d.rc != ZOK) return ZkError(d.rc, d.path);
      for (const std::string& c : d.children) {
        NodeSlot n;
        n.path = ChildPath(d.path, c);
        next.push_back(std::move(n));
      }
    }
    level = std::move(next);
  }
  return Status::Ok();
}

std::string StripStars(const std::string& key) {
  std::string k = key;
  for (size_t at = k.find("/*"); at != std::string::npos; at = k.find("/*", at)) k.erase(at, 2);
  return k;
}

class ZookeeperWatch : public Watch {
 public:
  ZookeeperWatch(std::shared_ptr<Session> session, Trigger* trigger)
      : session_(std::move(session)), trigger_(trigger) {
    std::lock_guard<std::mutex> lock(session_->mu_);
    seen_ = trigger_->events;
    generation_ = session_->generation_;
  }

  Result<ChangeBatch> Next(std::chrono::milliseconds timeout) override {
    std::unique_lock<std::mutex> lock(session_->mu_);
    const bool woke = session_->cv_.wait_for(lock, timeout, [&] {
      return closed_ || trigger_->events != seen_ || session_->generation_ != generation_;
    });
    if (closed_) return Err(Status::Cancelled("watch closed"));
    if (!woke) {
      const auto& h = session_->handle_;
      if (h && h->state != ZOO_CONNECTED_STATE) {
        return Err(Status::Unavailable("zookeeper: connection to " + session_->hosts() +
                                       " lost; reconnecting"));
      }
      return Err(Status::Timeout("no change"));
    }
    seen_ = trigger_->events;
    generation_ = session_->generation_;
    ChangeBatch batch;
    batch.resync = true;
    return batch;
  }

  void Close() override {
    std::lock_guard<std::mutex> lock(session_->mu_);
    closed_ = true;
    session_->cv_.notify_all();
  }

 private:
  const std::shared_ptr<Session> session_;
  Trigger* const trigger_;
  // Guarded by session_->mu_.
  uint64_t seen_ = 0;
  uint64_t generation_ = 0;
  bool closed_ = false;
};

void QuietClientLog() {
  static std::once_flag once;
  std::call_once(once, [] {
    // The C client logs every reconnect attempt to stderr; berth reports
    // what matters in its own log.  With -log-level debug its errors stay.
    if (log::Enabled(log::Level::kDebug)) {
      zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    } else if (FILE* null = std::fopen("/dev/null", "w")) {
      zoo_set_log_stream(null);
      zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    }
  });
}

}  // namespace

// ---- nodes ----

Result<std::string> ZookeeperHosts(const std::vector<std::string>& nodes) {
  if (nodes.empty()) return Err(Status::InvalidArgument("zookeeper: no -node given"));
  std::string hosts;
  for (const std::string& n : nodes) {
    auto bad = [&](std::string_view why) {
      return Err(Status::InvalidArgument("bad zookeeper -node \"" + n + "\": " + std::string(why) +
                                         " (want host or host:port)"));
    };
    if (n.empty()) return bad("empty");
    if (n.find_first_of(",/ \t") != std::string::npos) return bad("unexpected character");
    std::string host = n;
    std::string port = "2181";
    if (n.front() == '[') {
      const size_t close = n.find(']');
      if (close == std::string::npos) return bad("unclosed [");
      if (close + 1 < n.size()) {
        if (n[close + 1] != ':') return bad("bad port");
        port = n.substr(close + 2);
      }
      host = n.substr(0, close + 1);
    } else if (const size_t colon = n.rfind(':'); colon != std::string::npos) {
      if (n.find(':') != colon) return bad("an IPv6 address needs [brackets]");
      host = n.substr(0, colon);
      port = n.substr(colon + 1);
    }
    if (host.empty() || host == "[]") return bad("missing host");
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
        std::stoi(port) > 65535) {
      return bad("bad port");
    }
    if (!hosts.empty()) hosts += ",";
    hosts += host + ":" + port;
  }
  return hosts;
}

// ---- the backend ----

ZookeeperBackend::ZookeeperBackend(ZookeeperOptions options, std::string hosts)
    : session_(std::make_shared<Session>(std::move(options), std::move(hosts))) {
  QuietClientLog();
}

ZookeeperBackend::~ZookeeperBackend() = default;

void ZookeeperBackend::Interrupt() { session_->Interrupt(); }

Result<std::vector<kv::Entry>> ZookeeperBackend::GetValues(
    const std::vector<std::string>& prefixes) {
  for (int attempt = 0;; ++attempt) {
    auto h = session_->Connected();
    if (!h) return Err(h.error());
    std::vector<kv::Entry> out;
    Status s;
    for (const std::string& p : prefixes) {
      s = Walk((*h)->zh, StripStars(p), nullptr, &out);
      if (!s.ok()) break;
    }
    if (s.ok()) {
      kv::SortKeepLast(&out);
      return out;
    }
    // A session that expired under the read: once more on a new one.
    if (s.code() != Code::kUnavailable || attempt == 1) return Err(s);
  }
}

Result<WatchPtr> ZookeeperBackend::WatchPrefix(const std::string& prefix, int64_t revision) {
  (void)revision;  // no revisions: the caller reads after the watches are armed
  Trigger* trigger = session_->TriggerFor(prefix);
  for (int attempt = 0;; ++attempt) {
    auto h = session_->Connected();
    if (!h) return Err(h.error());
    auto watch = std::make_unique<ZookeeperWatch>(session_, trigger);
    std::vector<kv::Entry> unused;
    Status s = Walk((*h)->zh, StripStars(prefix), trigger, &unused);
    if (s.ok()) return WatchPtr(std::move(watch));
    // A session that expired under the arming: once more on a new one.
    if (s.code() != Code::kUnavailable || attempt == 1) return Err(s);
  }
}

Result<std::pair<int64_t, std::string>> ZookeeperBackend::SessionForTest() {
  auto h = session_->Connected();
  if (!h) return Err(h.error());
  const clientid_t* id = zoo_client_id((*h)->zh);
  return std::make_pair(static_cast<int64_t>(id->client_id),
                        std::string(id->passwd, sizeof(id->passwd)));
}

Result<std::unique_ptr<ZookeeperBackend>> NewZookeeperBackend(ZookeeperOptions options) {
  auto hosts = ZookeeperHosts(options.nodes);
  if (!hosts) return Err(hosts.error());
  return std::make_unique<ZookeeperBackend>(std::move(options), std::move(*hosts));
}

}  // namespace berth::backend::zookeeper
