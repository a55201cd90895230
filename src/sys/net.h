// Small network probes.  Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace berth::sys {

// Whether something accepts a TCP connection at ip:port (IPv4 or IPv6
// literal) within `timeout`.  The connection is closed at once.
bool TcpAccepts(const std::string& ip, uint16_t port, std::chrono::milliseconds timeout);

}  // namespace berth::sys
