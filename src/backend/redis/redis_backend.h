// RedisBackend: confd's `-backend redis`, over hiredis.
//
// Keys.  A confd key is turned into a redis key by transform(): with the
// default separator "/" it is used as is; with another separator (-separator
// ":") one leading "/" goes and every "/" becomes the separator
// ("/app/db" -> "app:db").  clean() turns a redis key back: a "/" in front
// when missing, the separator replaced by "/".  For each requested key k
// (with every "/*" removed, as confd does), GetValues asks TYPE transform(k):
//   string  -> the one entry k = GET value
//   hash    -> one entry clean(transform(k) + "/" + field) per field
//   other   -> every key matching transform(k) + separator + "*" (all keys
//              for "/"): each that holds a string, under clean(key); hashes
//              and other types below the prefix are skipped, as in confd.
// The prefix is glob-escaped in the SCAN pattern (confd passes it raw, so a
// "[" or "*" in a key widens its match; docs/compat.md).  Values are read
// with SCAN ... COUNT 1000 and one MGET per batch, not in one transaction.
//
// Nodes.  Each -node is "host:port" or "host:port/db", or the path of a unix
// socket (a path starting with "/" or an existing file, optionally followed
// by "/db").  They are tried in order on every (re)connect; the first that
// answers is used until a command fails on its connection.  A password
// (-password, or -client-key as confd reads it) is sent with AUTH.
//
// Watch.  Keyspace notifications: PSUBSCRIBE
// __keyspace@DB__:transform(prefix)* on a connection of the watch's own;
// every notification is a resync (the caller reads the prefix again).  The
// server must publish them (notify-keyspace-events with K and A, or K with
// g, $ and h); WatchPrefix checks that with CONFIG GET and fails with a
// message naming the fix when not (confd's watch silently never fires).
// When the connection drops the watch reconnects by itself and then asks
// for a resync.
//
// Thread-safety: GetValues/Read/WatchPrefix may run on several threads at
// once (one command connection, guarded by a mutex); a Watch is used by one
// thread, except Close().
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"

struct redisContext;

namespace berth::backend::redis {

// One -node, parsed.
struct RedisNode {
  std::string spec;       // as given, for messages
  std::string host;       // tcp: host name or address
  int port = 0;           // tcp: port
  std::string unix_path;  // unix socket: its path (host and port unused)
  int db = 0;             // SELECT db when not 0

  bool is_unix() const { return !unix_path.empty(); }
};

// Parses one -node: "host:port", "host:port/db", "[v6]:port/db",
// "/path/to/socket" or "/path/to/socket/db" (the last component is a db
// number when it is all digits and the path without it exists, or the whole
// path does not).  kInvalidArgument naming the node otherwise.
Result<RedisNode> ParseRedisNode(std::string_view spec);

struct RedisOptions {
  std::vector<std::string> nodes;  // -node, tried in order
  std::string password;            // AUTH when not empty
  std::string separator = "/";     // -separator; empty means "/"
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{5000};
};

// An open connection (RAII over redisContext), shared by the backend and
// its watches.
class Connection;
struct WatchShared;

class RedisBackend : public Backend {
 public:
  // Use NewRedisBackend.
  RedisBackend(RedisOptions options, std::vector<RedisNode> nodes);
  ~RedisBackend() override;

  std::string_view name() const override { return "redis"; }
  Result<std::vector<kv::Entry>> GetValues(const std::vector<std::string>& prefixes) override;
  bool CanWatch() const override { return true; }
  Result<WatchPtr> WatchPrefix(const std::string& prefix, int64_t revision) override;
  void Interrupt() override;

  const std::string& separator() const { return separator_; }

 private:
  Result<std::vector<kv::Entry>> ReadOnce(Connection& conn,
                                          const std::vector<std::string>& prefixes);

  // Constant after construction.
  const RedisOptions options_;
  const std::vector<RedisNode> nodes_;
  const std::string separator_;
  const std::shared_ptr<WatchShared> watch_shared_;

  std::mutex mu_;
  std::unique_ptr<Connection> conn_;  // guarded by mu_; null until needed or after a failure
  bool interrupted_ = false;          // guarded by mu_
};

// Parses the nodes (a clear error for a bad one); connects lazily.
Result<std::unique_ptr<RedisBackend>> NewRedisBackend(RedisOptions options);

// confd's key mapping, exposed for tests.
std::string RedisTransform(std::string_view key, std::string_view separator);
std::string RedisClean(std::string_view key, std::string_view separator);
// The SCAN pattern for the keys below confd key `key` (already stripped of
// "/*"): transform(key) glob-escaped, then separator + "*"; "*" for "/".
std::string RedisScanPattern(std::string_view key, std::string_view separator);
// Backslash-escapes redis glob characters (* ? [ ] \).
std::string RedisGlobEscape(std::string_view s);
// Whether a notify-keyspace-events value publishes what the watch needs:
// keyspace events (K) for generic, string and hash commands (A, or g $ h).
bool KeyspaceEventsSufficient(std::string_view flags);

}  // namespace berth::backend::redis
