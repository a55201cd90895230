// ZookeeperBackend: confd's `-backend zookeeper`, over the C client
// (libzookeeper-mt).
//
// Keys are znode paths.  For each requested key k (with every "/*" removed,
// as confd does) the tree below the znode k is walked, and every leaf (a
// znode without children) yields one entry: its path and its data.  A znode
// with children contributes no value of its own; k itself is an entry when
// it is a leaf.  Children of "/" are named "/child", of any other znode
// "parent/child".  Where confd fails the whole read because k does not exist
// (or a znode vanishes during the walk), berth returns no entries for it
// (docs/compat.md).  Each level of the tree is read with pipelined
// asynchronous requests.
//
// Nodes: every -node is "host" or "host:port" (port 2181 by default, as the
// Go client confd uses does); the client connects to any of them and moves
// to another when its server goes away.  One session serves the backend; when
// it expires a new one is made.
//
// Watch: a data watch and a child watch on every znode under the prefix
// (an exists watch when the prefix is missing), so creating, deleting or
// changing any znode fires.  ZooKeeper watches fire once: any event is a
// resync batch, after which the caller opens a new watch (arming the
// watches again) and then reads, so nothing that happens after the arming is
// missed.  A session expiry drops every watch: the watches then report a
// resync, and the next WatchPrefix arms them on the new session.
//
// Thread-safety: GetValues/Read/WatchPrefix may run on several threads at
// once; a Watch is used by one thread, except Close().
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/backend.h"

namespace berth::backend::zookeeper {

struct ZookeeperOptions {
  std::vector<std::string> nodes;  // -node: host[:port]
  // The session timeout asked for (the server clamps it to 2..20 ticks).
  std::chrono::milliseconds session_timeout{10000};
  // How long a read waits for a connection before it gives up.
  std::chrono::milliseconds connect_timeout{5000};
};

// The connection string for the C client ("h1:2181,h2:2182"), or
// kInvalidArgument naming a bad node.
Result<std::string> ZookeeperHosts(const std::vector<std::string>& nodes);

class Session;

class ZookeeperBackend : public Backend {
 public:
  // Use NewZookeeperBackend.
  ZookeeperBackend(ZookeeperOptions options, std::string hosts);
  ~ZookeeperBackend() override;

  std::string_view name() const override { return "zookeeper"; }
  Result<std::vector<kv::Entry>> GetValues(const std::vector<std::string>& prefixes) override;
  bool CanWatch() const override { return true; }
  Result<WatchPtr> WatchPrefix(const std::string& prefix, int64_t revision) override;
  void Interrupt() override;

  // The current session's id and password, for tests that expire it from
  // another client; kUnavailable when there is no session.
  Result<std::pair<int64_t, std::string>> SessionForTest();

 private:
  const std::shared_ptr<Session> session_;
};

// Checks the nodes (a clear error for a bad one); connects lazily.
Result<std::unique_ptr<ZookeeperBackend>> NewZookeeperBackend(ZookeeperOptions options);

}  // namespace berth::backend::zookeeper
