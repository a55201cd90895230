// Waiting for HAProxy to finish with servers before they are stopped or
// deleted: polls `show stat` until their current sessions (scur) reach zero.
// Synchronous, bounded by a timeout; thread-safe (no shared state).
#pragma once

#include <chrono>
#include <span>
#include <string>

#include "base/status.h"
#include "haproxy/runtime_api.h"

namespace berth::haproxy {

// A server of a backend; an empty backend matches the server name in every
// backend.
struct ServerRef {
  std::string backend;
  std::string server;
};

// Waits until every server of `servers` reports no current sessions in
// `show stat` (a server HAProxy does not know counts as done), or `timeout`
// passed: kTimeout naming the sessions left.  Polls every `interval`.
Status WaitForNoSessions(const RuntimeApi& api, std::span<const ServerRef> servers,
                         std::chrono::milliseconds timeout,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(50));

// Waits until the server `server` (of `backend`, or of any backend when
// empty) reports no current sessions in `show stat`, or is gone from
// HAProxy, or `timeout` passed (kTimeout, naming the sessions left).
// `socket` is a stats socket (see RuntimeApi).
Status WaitForNoSessions(const std::string& socket, const std::string& backend,
                         const std::string& server, std::chrono::milliseconds timeout);

}  // namespace berth::haproxy
