// Name lookups for confd's lookupIP, lookupIPV4, lookupIPV6 and lookupSRV,
// with Go's rules: an IP literal is its own answer (Go's strict ParseIP: no
// leading zeros; for lookups also an IPv6 literal with a "%zone"), names go
// to the system resolver, addresses print as Go's net.IP.String() does
// (IPv4-mapped IPv6 as dotted quad, RFC 5952 otherwise).  Failures give empty results, as confd's
// functions do. Thread-safe (the resolver calls are).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::confd {

// A parsed IP address: 16 bytes, IPv4 stored as IPv4-mapped IPv6.
struct IpAddress {
  uint8_t bytes[16];
  bool is_v4;  // came from a dotted-quad literal or is IPv4-mapped
};

// Go's net.ParseIP.
std::optional<IpAddress> ParseIp(std::string_view s);
// Go's net.IP.String().
std::string FormatIp(const IpAddress& ip);

// net.LookupIP(host) as strings, sorted (confd's LookupIP); empty on failure.
std::vector<std::string> LookupIp(std::string_view host);

struct SrvRecord {
  std::string target;  // with the trailing dot, as Go returns it
  uint16_t port, priority, weight;
};
// net.LookupSRV(service, proto, name) sorted as confd sorts them; empty on
// failure.
std::vector<SrvRecord> LookupSrv(std::string_view service, std::string_view proto,
                                 std::string_view name);

}  // namespace berth::confd
