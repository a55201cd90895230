// Small network probes.  Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace berth::sys {

// Whether something accepts a TCP connection at ip:port (IPv4 or IPv6
// literal) within `timeout`.  The connection is closed at once.
bool TcpAccepts(const std::string& ip, uint16_t port, std::chrono::milliseconds timeout);

// `count` distinct TCP ports on 127.0.0.1 that nobody listens on right now
// (for a server about to be started on them).  The sockets of one call stay
// open until all are picked, so the ports differ.
Result<std::vector<int>> FreeLoopbackPorts(int count);

}  // namespace berth::sys
