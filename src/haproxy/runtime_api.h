// HAProxy's Runtime API: the CLI of a worker process, reached either through
// a stats socket of haproxy.cfg (`stats socket PATH level admin`, a unix
// socket or TCP) or through the master CLI of master-worker mode, which
// forwards `@1 <command>` to the current worker.  See HAProxy's management
// guide, "9.3. Unix Socket commands" and "9.4. Master CLI".
//
// One command per connection, in the CLI's non-interactive mode: the line is
// sent, the reply read to EOF (through the master, "; quit" ends the
// session).  HAProxy reports errors as text; each typed command knows the
// reply its success produces ("New server registered.", an empty reply ...)
// and returns anything else as a Status carrying HAProxy's message:
// kNotFound for an unknown backend or server, kFailedPrecondition for other
// refusals, kUnavailable / kTimeout when the socket does not answer.
//
// Typed commands validate every name, address and option first (see
// haproxy/validate.h) and send nothing when one is invalid (kInvalidArgument):
// no value ever carries a `;`, a newline or a space into a command line.
//
// Thread-safe: every call opens its own connection; the object is constant
// after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "haproxy/validate.h"

namespace berth::haproxy {

// `set server ... state`.
enum class AdminState { kReady, kDrain, kMaint };
std::string_view AdminStateName(AdminState state);

// One server of `show servers state` (format version 1).
struct ServerState {
  // srv_op_state.
  enum class Op { kStopped = 0, kStarting = 1, kRunning = 2, kStopping = 3 };
  // srv_admin_state bits.
  static constexpr unsigned kForcedMaint = 0x01;     // set server state maint
  static constexpr unsigned kInheritedMaint = 0x02;  // from a tracked server
  static constexpr unsigned kConfigMaint = 0x04;     // `disabled` in the configuration
  static constexpr unsigned kForcedDrain = 0x08;     // set server state drain
  static constexpr unsigned kInheritedDrain = 0x10;
  static constexpr unsigned kResolutionMaint = 0x20;  // address resolution failed

  int backend_id = 0;
  std::string backend;
  int server_id = 0;
  std::string server;
  std::string address;  // srv_addr
  int port = 0;         // srv_port
  Op op_state = Op::kStopped;
  unsigned admin_state = 0;
  int user_weight = 0;     // srv_uweight: the weight now
  int initial_weight = 0;  // srv_iweight: the configured weight
  int check_result = 0;    // srv_check_result
  unsigned check_state = 0;

  bool in_maintenance() const {
    return (admin_state & (kForcedMaint | kInheritedMaint | kConfigMaint | kResolutionMaint)) != 0;
  }
  bool draining() const { return (admin_state & (kForcedDrain | kInheritedDrain)) != 0; }
};

// Parses a `show servers state` reply.  kFailedPrecondition with HAProxy's
// message when the reply is an error ("Can't find backend."), kInternal when
// it is not version 1 or lacks a needed column.
Result<std::vector<ServerState>> ParseServersState(std::string_view reply);

// Parses a `show stat` reply (CSV, header "# pxname,svname,...") into one map
// column -> value per line.  kInternal without a header.
Result<std::vector<std::map<std::string, std::string>>> ParseShowStat(std::string_view reply);

// Parses a `show backend` reply ("# name" then one name per line).
Result<std::vector<std::string>> ParseShowBackend(std::string_view reply);

// What a command's successful reply looks like.
enum class ReplyKind {
  kEmpty,          // set server state/weight, enable/disable health
  kServerAdded,    // "New server registered."
  kServerDeleted,  // "Server deleted."
  kAddressSet,     // "IP changed from ..." / "no need to change the addr ..."
};

// OK when `reply` is the success reply of `kind`; otherwise the error
// HAProxy wrote, as a Status naming `command` (the one place that maps
// HAProxy's messages to codes).
Status CheckReply(std::string_view command, std::string_view reply, ReplyKind kind);

class RuntimeApi {
 public:
  // `socket` is a stats socket of haproxy.cfg: a unix socket path
  // ("/run/berth/haproxy.sock", "unix@/run/...") or "ipv4@host:port" /
  // "host:port" for a TCP one.  `timeout` bounds each call.
  explicit RuntimeApi(std::string socket,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : socket_(std::move(socket)), timeout_(timeout) {}

  // A client whose commands go through the master CLI at `master_socket` to
  // the current worker (`@1`): needs no stats socket in haproxy.cfg, and
  // after a reload always reaches the new worker, never a leaving one.
  static RuntimeApi ThroughMaster(std::string master_socket, std::chrono::milliseconds timeout =
                                                                 std::chrono::milliseconds(5000));

  virtual ~RuntimeApi() = default;
  RuntimeApi(const RuntimeApi&) = default;
  RuntimeApi& operator=(const RuntimeApi&) = default;

  // Sends one command line and returns HAProxy's reply as is.  The command
  // must be a single command: kInvalidArgument when it holds a newline, a
  // `;` or another control character.
  Result<std::string> Command(std::string_view command) const;

  // `show stat`: one map of column -> value per proxy/server line.
  Result<std::vector<std::map<std::string, std::string>>> ShowStat() const;
  // `show servers state [backend]`; every backend when `backend` is empty.
  Result<std::vector<ServerState>> ShowServersState(std::string_view backend = {}) const;
  // `show backend`: the backend names (listen sections included).
  Result<std::vector<std::string>> ShowBackends() const;
  // The current sessions (`show stat` scur) of backend/server; kNotFound
  // when HAProxy has no such server.
  Result<int64_t> CurrentSessions(std::string_view backend, std::string_view server) const;

  // `add server <backend>/<server> <ip:port> [options]`.  HAProxy creates
  // the server in maintenance, with health checks off: see EnableHealth and
  // SetServerState.
  Status AddServer(std::string_view backend, const DynamicServer& server) const;
  // `del server <backend>/<server>`: HAProxy refuses unless the server is in
  // maintenance and has no connection left.
  Status DelServer(std::string_view backend, std::string_view server) const;
  // `set server <backend>/<server> state ready|drain|maint`.
  Status SetServerState(std::string_view backend, std::string_view server, AdminState state) const;
  // `set server <backend>/<server> addr <ip> port <port>`.
  Status SetServerAddress(std::string_view backend, std::string_view server,
                          const IpPort& address) const;
  // `set server <backend>/<server> weight <0-256>`.
  Status SetServerWeight(std::string_view backend, std::string_view server, int weight) const;
  // `enable health` / `disable health <backend>/<server>`.
  Status EnableHealth(std::string_view backend, std::string_view server) const;
  Status DisableHealth(std::string_view backend, std::string_view server) const;
  // `shutdown sessions server <backend>/<server>`: cuts the server's
  // streams (used when a drain timed out).
  Status ShutdownSessions(std::string_view backend, std::string_view server) const;

  const std::string& socket() const { return socket_; }
  bool through_master() const { return through_master_; }

 protected:
  // Sends `line` (no newline) and returns the reply read to EOF.  The one
  // place that talks to the socket; tests replace it.
  virtual Result<std::string> Exchange(std::string_view line) const;

 private:
  // Sends a typed command and checks its reply.
  Status Run(const std::string& command, ReplyKind kind) const;

  std::string socket_;
  std::chrono::milliseconds timeout_;
  bool through_master_ = false;
};

// Connects to a CLI socket (see RuntimeApi), sends `line` plus a newline and
// reads the reply until EOF or `timeout`.  Shared with the master CLI.
Result<std::string> ExchangeOnSocket(const std::string& socket, std::string_view line,
                                     std::chrono::milliseconds timeout);

}  // namespace berth::haproxy
