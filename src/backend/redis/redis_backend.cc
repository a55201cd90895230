#include "backend/redis/redis_backend.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include "base/log.h"

namespace berth::backend::redis {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

timeval ToTimeval(milliseconds d) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

std::string ReplyText(const redisReply* r) { return std::string(r->str, r->len); }

}  // namespace

// ---- key mapping and nodes ----

std::string RedisTransform(std::string_view key, std::string_view separator) {
  if (separator.empty() || separator == "/") return std::string(key);
  if (key.starts_with('/')) key.remove_prefix(1);
  std::string out;
  for (char c : key) {
    if (c == '/') {
      out.append(separator);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string RedisClean(std::string_view key, std::string_view separator) {
  std::string k;
  if (!key.starts_with('/')) k.push_back('/');
  k.append(key);
  if (separator.empty() || separator == "/") return k;
  std::string out;
  for (size_t i = 0; i < k.size();) {
    if (k.compare(i, separator.size(), separator) == 0) {
      out.push_back('/');
      i += separator.size();
    } else {
      out.push_back(k[i++]);
    }
  }
  return out;
}

std::string RedisGlobEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string RedisScanPattern(std::string_view key, std::string_view separator) {
  if (key == "/") return "*";
  const std::string sep = separator.empty() ? "/" : std::string(separator);
  return RedisGlobEscape(RedisTransform(key, separator)) + RedisGlobEscape(sep) + "*";
}

bool KeyspaceEventsSufficient(std::string_view flags) {
  auto has = [&](char c) { return flags.find(c) != std::string_view::npos; };
  if (!has('K')) return false;
  return has('A') || (has('g') && has('$') && has('h'));
}

Result<RedisNode> ParseRedisNode(std::string_view spec_view) {
  const std::string spec(spec_view);
  RedisNode node;
  node.spec = spec;
  auto bad = [&](std::string_view why) {
    return Err(Status::InvalidArgument("bad redis -node \"" + spec + "\": " + std::string(why) +
                                       " (want host:port, host:port/db, or a unix socket path)"));
  };
  if (spec.empty()) return bad("empty");
  if (spec.front() == '/' || PathExists(spec)) {
    node.unix_path = spec;
    if (!PathExists(spec)) {
      const size_t slash = spec.rfind('/');
      if (slash != std::string::npos && slash > 0 &&
          AllDigits(std::string_view(spec).substr(slash + 1))) {
        node.unix_path = spec.substr(0, slash);
        node.db = std::stoi(spec.substr(slash + 1));
      }
    }
    return node;
  }
  std::string_view hostport = spec;
  const size_t slash = hostport.find('/');
  if (slash != std::string_view::npos) {
    const std::string_view db = hostport.substr(slash + 1);
    if (!AllDigits(db)) return bad("the database after '/' is not a number");
    node.db = std::stoi(std::string(db));
    hostport = hostport.substr(0, slash);
  }
  std::string_view port;
  if (hostport.starts_with('[')) {
    const size_t close = hostport.find(']');
    if (close == std::string_view::npos || close + 1 >= hostport.size() ||
        hostport[close + 1] != ':') {
      return bad("missing port");
    }
    node.host = std::string(hostport.substr(1, close - 1));
    port = hostport.substr(close + 2);
  } else {
    const size_t colon = hostport.rfind(':');
    if (colon == std::string_view::npos) return bad("missing port");
    node.host = std::string(hostport.substr(0, colon));
    port = hostport.substr(colon + 1);
  }
  if (node.host.empty()) return bad("missing host");
  if (!AllDigits(port) || std::stoi(std::string(port)) < 1 ||
      std::stoi(std::string(port)) > 65535) {
    return bad("bad port");
  }
  node.port = std::stoi(std::string(port));
  return node;
}

// ---- one connection ----

class Connection {
 public:
  // Connects to the first node that answers (and accepts AUTH and SELECT).
  // kUnavailable when none is reachable; kFailedPrecondition when one was
  // reachable but refused (a wrong password, a bad database), kCancelled
  // when `interrupted` is set.
  static Result<std::unique_ptr<Connection>> Open(const std::vector<RedisNode>& nodes,
                                                  const RedisOptions& options) {
    std::string failures;
    bool refused = false;
    for (const RedisNode& node : nodes) {
      auto c = OpenOne(node, options);
      if (c) return c;
      refused |= c.error().code() == Code::kFailedPrecondition;
      if (!failures.empty()) failures += "; ";
      failures += c.error().message();
    }
    const std::string message = "redis: no node answers: " + failures;
    return Err(refused ? Status::FailedPrecondition(message) : Status::Unavailable(message));
  }

  ~Connection() { redisFree(ctx_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const RedisNode& node() const { return node_; }
  int fd() const { return ctx_->fd; }

  // Runs one command.  A reply of type error is kFailedPrecondition; a
  // broken connection is kUnavailable (drop this connection).
  Result<Reply> Command(const std::vector<std::string_view>& args) {
    BERTH_RETURN_IF_ERROR(Append(args));
    return GetReply(args.empty() ? "" : args.front());
  }

  Status Append(const std::vector<std::string_view>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (std::string_view a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()) !=
        REDIS_OK) {
      return ConnectionError();
    }
    return Status::Ok();
  }

  Result<Reply> GetReply(std::string_view command) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) return Err(ConnectionError());
    Reply reply(static_cast<redisReply*>(raw));
    if (reply->type == REDIS_REPLY_ERROR) {
      return Err(Status::FailedPrecondition("redis " + node_.spec + ": " + std::string(command) +
                                            ": " + ReplyText(reply.get())));
    }
    return reply;
  }

  // A reply already read from the socket, without blocking; null when none.
  Result<Reply> Buffered() {
    void* raw = nullptr;
    if (redisReaderGetReply(ctx_->reader, &raw) != REDIS_OK) {
      return Err(Status::Unavailable("redis " + node_.spec + ": bad reply from the server"));
    }
    return Reply(static_cast<redisReply*>(raw));
  }

  // Reads what the socket has (call when poll says it is readable).
  Status ReadSocket() {
    if (redisBufferRead(ctx_) != REDIS_OK) return ConnectionError();
    return Status::Ok();
  }

 private:
  Connection(redisContext* ctx, RedisNode node) : ctx_(ctx), node_(std::move(node)) {}

  static Result<std::unique_ptr<Connection>> OpenOne(const RedisNode& node,
                                                     const RedisOptions& options) {
    const timeval connect = ToTimeval(options.connect_timeout);
    redisContext* ctx = node.is_unix()
                            ? redisConnectUnixWithTimeout(node.unix_path.c_str(), connect)
                            : redisConnectWithTimeout(node.host.c_str(), node.port, connect);
    if (ctx == nullptr) return Err(Status::Unavailable(node.spec + ": out of memory"));
    if (ctx->err != 0) {
      Status s = Status::Unavailable(node.spec + ": " + ctx->errstr);
      redisFree(ctx);
      return Err(s);
    }
    std::unique_ptr<Connection> c(new Connection(ctx, node));
    if (redisSetTimeout(ctx, ToTimeval(options.command_timeout)) != REDIS_OK) {
      return Err(c->ConnectionError());
    }
    if (!options.password.empty()) {
      auto r = c->Command({"AUTH", options.password});
      if (!r) return Err(r.error());
    }
    if (node.db != 0) {
      const std::string db = std::to_string(node.db);
      auto r = c->Command({"SELECT", db});
      if (!r) return Err(r.error());
    }
    return c;
  }

  Status ConnectionError() const {
    std::string why = ctx_->errstr[0] != '\0' ? ctx_->errstr : "connection lost";
    return Status::Unavailable("redis " + node_.spec + ": " + why);
  }

  redisContext* const ctx_;
  const RedisNode node_;
};

// ---- the watch ----

// What every watch of one backend shares.
struct WatchShared {
  RedisOptions options;
  std::vector<RedisNode> nodes;
  std::atomic<bool> config_warning_logged{false};
};

namespace {

ChangeBatch Resync() {
  ChangeBatch b;
  b.resync = true;
  return b;
}

class RedisWatch : public Watch {
 public:
  RedisWatch(std::shared_ptr<WatchShared> shared, std::string pattern_suffix, int wake)
      : shared_(std::move(shared)), pattern_suffix_(std::move(pattern_suffix)), wake_(wake) {}
  ~RedisWatch() override { close(wake_); }

  // Connects, checks notify-keyspace-events and subscribes; once this
  // returns OK every later change under the prefix is seen.
  Status Subscribe() {
    conn_.reset();
    auto c = Connection::Open(shared_->nodes, shared_->options);
    if (!c) return c.error();
    BERTH_RETURN_IF_ERROR(CheckNotifications(**c));
    const std::string pattern =
        "__keyspace@" + std::to_string((*c)->node().db) + "__:" + pattern_suffix_;
    auto r = (*c)->Command({"PSUBSCRIBE", pattern});
    if (!r) return r.error();
    conn_ = std::move(*c);
    return Status::Ok();
  }

  Result<ChangeBatch> Next(milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (closed_.load()) return Err(Status::Cancelled("watch closed"));
      if (!conn_) {
        Status s = Subscribe();
        if (s.ok()) {
          log::Info("redis watch: subscribed again on " + conn_->node().spec + "; reading again");
          return Resync();
        }
        if (s.code() != Code::kUnavailable) return Err(s);
        lost_ = s;
        if (Clock::now() >= deadline) return Err(lost_);
        const auto pause = std::min<Clock::duration>(milliseconds(200), deadline - Clock::now());
        if (WaitWake(std::chrono::duration_cast<milliseconds>(pause))) {
          return Err(Status::Cancelled("watch closed"));
        }
        continue;
      }
      bool changed = false;
      for (;;) {
        auto reply = conn_->Buffered();
        if (!reply) {
          Lose(reply.error());
          break;
        }
        if (!*reply) break;
        changed |= IsNotification(reply->get());
      }
      if (!conn_) continue;
      if (changed) return Resync();
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return Err(Status::Timeout("no change"));
      pollfd fds[2] = {{conn_->fd(), POLLIN, 0}, {wake_, POLLIN, 0}};
      const int n = poll(fds, 2, static_cast<int>(left));
      if (n < 0 && errno != EINTR)
        return Err(Status::IoError(std::string("poll: ") + strerror(errno)));
      if (fds[1].revents & POLLIN) return Err(Status::Cancelled("watch closed"));
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        Status s = conn_->ReadSocket();
        if (!s.ok()) Lose(s);
      }
    }
  }

  void Close() override {
    closed_.store(true);
    const uint64_t one = 1;
    (void)!write(wake_, &one, sizeof(one));
  }

 private:
  static bool IsNotification(const redisReply* r) {
    return r->type == REDIS_REPLY_ARRAY && r->elements == 4 &&
           r->element[0]->type == REDIS_REPLY_STRING &&
           std::string_view(r->element[0]->str, r->element[0]->len) == "pmessage";
  }

  void Lose(const Status& why) {
    log::Warning("redis watch: " + why.message() + "; reconnecting");
    conn_.reset();
  }

  // True when woken (closed).
  bool WaitWake(milliseconds d) {
    pollfd fd = {wake_, POLLIN, 0};
    return poll(&fd, 1, static_cast<int>(d.count())) > 0;
  }

  Status CheckNotifications(Connection& c) {
    auto r = c.Command({"CONFIG", "GET", "notify-keyspace-events"});
    std::optional<std::string> flags;
    if (r && (*r)->type == REDIS_REPLY_ARRAY && (*r)->elements == 2 &&
        (*r)->element[1]->type == REDIS_REPLY_STRING) {
      flags = ReplyText((*r)->element[1]);
    }
    if (!flags) {
      if (!r && r.error().code() == Code::kUnavailable) return r.error();
      if (!shared_->config_warning_logged.exchange(true)) {
        log::Warning("redis " + c.node().spec + ": cannot read notify-keyspace-events (" +
                     (r ? std::string("unexpected reply") : r.error().message()) +
                     "); -watch only sees changes when it includes K and A "
                     "(CONFIG SET notify-keyspace-events KA)");
      }
      return Status::Ok();
    }
    if (KeyspaceEventsSufficient(*flags)) return Status::Ok();
    return Status::FailedPrecondition(
        "redis " + c.node().spec +
        ": keyspace notifications are off (notify-keyspace-events is \"" + *flags +
        "\"), so -watch cannot see changes; enable them with `redis-cli CONFIG SET "
        "notify-keyspace-events KA` (or `notify-keyspace-events KA` in redis.conf)");
  }

  const std::shared_ptr<WatchShared> shared_;
  const std::string pattern_suffix_;
  const int wake_;
  std::atomic<bool> closed_{false};
  std::unique_ptr<Connection> conn_;  // null while disconnected
  Status lost_;
};

}  // namespace

// ---- the backend ----

RedisBackend::RedisBackend(RedisOptions options, std::vector<RedisNode> nodes)
    : options_(std::move(options)),
      nodes_(std::move(nodes)),
      separator_(options_.separator.empty() ? "/" : options_.separator),
      watch_shared_(std::make_shared<WatchShared>()) {
  watch_shared_->options = options_;
  watch_shared_->nodes = nodes_;
}

RedisBackend::~RedisBackend() = default;

void RedisBackend::Interrupt() {
  std::lock_guard<std::mutex> lock(mu_);
  interrupted_ = true;
}

Result<std::vector<kv::Entry>> RedisBackend::GetValues(const std::vector<std::string>& prefixes) {
  std::lock_guard<std::mutex> lock(mu_);
  // A connection that broke since the last call is found out by the first
  // command; then one more try on a fresh connection.
  for (int attempt = 0;; ++attempt) {
    if (interrupted_) return Err(Status::Cancelled("interrupted"));
    if (!conn_) {
      auto c = Connection::Open(nodes_, options_);
      if (!c) return Err(c.error());
      conn_ = std::move(*c);
    }
    auto r = ReadOnce(*conn_, prefixes);
    if (r || r.error().code() != Code::kUnavailable) return r;
    conn_.reset();
    if (attempt == 1) return r;
  }
}

Result<std::vector<kv::Entry>> RedisBackend::ReadOnce(Connection& conn,
                                                      const std::vector<std::string>& prefixes) {
  std::vector<kv::Entry> out;
  for (const std::string& requested : prefixes) {
    std::string key = requested;
    for (size_t at = key.find("/*"); at != std::string::npos; at = key.find("/*", at)) {
      key.erase(at, 2);
    }
    const std::string k = RedisTransform(key, separator_);
    auto type = conn.Command({"TYPE", k});
    if (!type) return Err(type.error());
    const std::string t = (*type)->type == REDIS_REPLY_STATUS ? ReplyText(type->get()) : "";
    if (t == "string") {
      auto v = conn.Command({"GET", k});
      if (!v) return Err(v.error());
      if ((*v)->type == REDIS_REPLY_STRING) out.push_back({key, ReplyText(v->get())});
      continue;
    }
    const bool hash = t == "hash";
    const std::string pattern = hash ? "*" : RedisScanPattern(key, separator_);
    std::string cursor = "0";
    do {
      auto page = hash ? conn.Command({"HSCAN", k, cursor, "MATCH", pattern, "COUNT", "1000"})
                       : conn.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
      if (!page) return Err(page.error());
      const redisReply* p = page->get();
      if (p->type != REDIS_REPLY_ARRAY || p->elements != 2 ||
          p->element[0]->type != REDIS_REPLY_STRING || p->element[1]->type != REDIS_REPLY_ARRAY) {
        return Err(Status::Internal("redis " + conn.node().spec + ": unexpected SCAN reply"));
      }
      cursor = ReplyText(p->element[0]);
      const redisReply* items = p->element[1];
      if (hash) {
        for (size_t i = 0; i + 1 < items->elements; i += 2) {
          out.push_back({RedisClean(k + "/" + ReplyText(items->element[i]), separator_),
                         ReplyText(items->element[i + 1])});
        }
        continue;
      }
      if (items->elements == 0) continue;
      std::vector<std::string_view> mget = {"MGET"};
      for (size_t i = 0; i < items->elements; ++i) {
        mget.emplace_back(items->element[i]->str, items->element[i]->len);
      }
      auto values = conn.Command(mget);
      if (!values) return Err(values.error());
      const redisReply* v = values->get();
      if (v->type != REDIS_REPLY_ARRAY || v->elements != items->elements) {
        return Err(Status::Internal("redis " + conn.node().spec + ": unexpected MGET reply"));
      }
      // MGET answers nil for keys that hold no string (hashes, lists) or
      // went away since the SCAN: confd's GET fails for those and skips them.
      for (size_t i = 0; i < v->elements; ++i) {
        if (v->element[i]->type != REDIS_REPLY_STRING) continue;
        out.push_back(
            {RedisClean(ReplyText(items->element[i]), separator_), ReplyText(v->element[i])});
      }
    } while (cursor != "0");
  }
  kv::SortKeepLast(&out);
  return out;
}

Result<WatchPtr> RedisBackend::WatchPrefix(const std::string& prefix, int64_t revision) {
  (void)revision;  // redis has no revisions: the caller reads after this returns
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (interrupted_) return Err(Status::Cancelled("interrupted"));
  }
  const int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) return Err(Status::IoError(std::string("eventfd: ") + strerror(errno)));
  // confd subscribes to transform(prefix)*: every key that starts with it.
  auto watch = std::make_unique<RedisWatch>(
      watch_shared_, RedisGlobEscape(RedisTransform(prefix, separator_)) + "*", wake);
  Status s = watch->Subscribe();
  if (!s.ok()) return Err(s);
  return WatchPtr(std::move(watch));
}

Result<std::unique_ptr<RedisBackend>> NewRedisBackend(RedisOptions options) {
  if (options.nodes.empty()) return Err(Status::InvalidArgument("redis: no -node given"));
  std::vector<RedisNode> nodes;
  for (const std::string& spec : options.nodes) {
    auto n = ParseRedisNode(spec);
    if (!n) return Err(n.error());
    nodes.push_back(std::move(*n));
  }
  return std::make_unique<RedisBackend>(std::move(options), std::move(nodes));
}

}  // namespace berth::backend::redis
