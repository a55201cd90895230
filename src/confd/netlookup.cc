#include "confd/netlookup.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "base/gosort.h"

namespace berth::confd {
namespace {

constexpr uint8_t kV4InV6Prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// Go's parseIPv4: four decimal fields 0-255 without leading zeros.
std::optional<IpAddress> ParseIpv4(std::string_view s) {
  IpAddress ip{};
  std::memcpy(ip.bytes, kV4InV6Prefix, 12);
  ip.is_v4 = true;
  for (int i = 0; i < 4; ++i) {
    if (s.empty()) return std::nullopt;
    if (i > 0) {
      if (s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
    int n = 0;
    size_t c = 0;
    while (c < s.size() && s[c] >= '0' && s[c] <= '9') {
      n = n * 10 + (s[c] - '0');
      if (n > 255) return std::nullopt;
      ++c;
    }
    if (c == 0 || (c > 1 && s[0] == '0')) return std::nullopt;
    ip.bytes[12 + i] = static_cast<uint8_t>(n);
    s.remove_prefix(c);
  }
  if (!s.empty()) return std::nullopt;
  return ip;
}

std::string Hex16(unsigned v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned d = (v >> shift) & 0xF;
    if (d != 0 || started || shift == 0) {
      out += kHex[d];
      started = true;
    }
  }
  return out;
}

}  // namespace

std::optional<IpAddress> ParseIp(std::string_view s) {
  for (char c : s) {
    if (c == '.') return ParseIpv4(s);
    if (c == ':') {
      if (s.find('%') != std::string_view::npos) return std::nullopt;  // zones are not IPs
      std::string z(s);
      IpAddress ip{};
      if (inet_pton(AF_INET6, z.c_str(), ip.bytes) != 1) return std::nullopt;
      ip.is_v4 = std::memcmp(ip.bytes, kV4InV6Prefix, 12) == 0;
      return ip;
    }
  }
  return std::nullopt;
}

std::string FormatIp(const IpAddress& ip) {
  if (std::memcmp(ip.bytes, kV4InV6Prefix, 12) == 0) {
    return std::to_string(ip.bytes[12]) + "." + std::to_string(ip.bytes[13]) + "." +
           std::to_string(ip.bytes[14]) + "." + std::to_string(ip.bytes[15]);
  }
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = (ip.bytes[2 * i] << 8) | ip.bytes[2 * i + 1];
  // The longest run of zero groups (at least two) becomes "::".
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i >= 2 && j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (i > 0 && !(best >= 0 && i == best + best_len)) out += ':';
    out += Hex16(groups[i]);
  }
  return out;
}

std::vector<std::string> LookupIp(std::string_view host) {
  std::vector<std::string> out;
  if (auto ip = ParseIp(host)) {
    out.push_back(FormatIp(*ip));
    return out;
  }
  if (host.empty()) return out;
  // Go's LookupIP also answers a zoned IPv6 literal ("fe80::1%eth0") itself,
  // whatever the zone names, and prints it without the zone.
  if (const size_t colon = host.find_first_of(".:");
      colon != std::string_view::npos && host[colon] == ':') {
    const size_t pct = host.rfind('%');
    if (pct != std::string_view::npos && pct > 0) {
      if (auto ip = ParseIp(host.substr(0, pct))) {
        out.push_back(FormatIp(*ip));
        return out;
      }
    }
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string name(host);
  if (getaddrinfo(name.c_str(), nullptr, &hints, &res) != 0) return out;
  for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
    IpAddress ip{};
    if (p->ai_family == AF_INET) {
      std::memcpy(ip.bytes, kV4InV6Prefix, 12);
      std::memcpy(ip.bytes + 12, &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, 4);
    } else if (p->ai_family == AF_INET6) {
      std::memcpy(ip.bytes, &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    out.push_back(FormatIp(ip));
  }
  freeaddrinfo(res);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<SrvRecord> LookupSrv(std::string_view service, std::string_view proto,
                                 std::string_view name) {
  std::vector<SrvRecord> out;
  std::string target;
  if (service.empty() && proto.empty()) {
    target = name;
  } else {
    target = "_" + std::string(service) + "._" + std::string(proto) + "." + std::string(name);
  }
  unsigned char answer[NS_MAXMSG];
  struct __res_state state {};
  if (res_ninit(&state) != 0) return out;
  const int len = res_nquery(&state, target.c_str(), ns_c_in, ns_t_srv, answer, sizeof(answer));
  res_nclose(&state);
  if (len < 0) return out;
  ns_msg msg;
  if (ns_initparse(answer, len, &msg) != 0) return out;
  const int count = ns_msg_count(msg, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_srv) continue;
    const unsigned char* rd = ns_rr_rdata(rr);
    if (ns_rr_rdlen(rr) < 7) continue;
    SrvRecord srv;
    srv.priority = ns_get16(rd);
    srv.weight = ns_get16(rd + 2);
    srv.port = ns_get16(rd + 4);
    char host[NS_MAXDNAME];
    if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, host, sizeof(host)) < 0) continue;
    srv.target = std::string(host) + ".";
    out.push_back(std::move(srv));
  }
  // confd orders records by Target, Port, Priority and Weight printed one
  // after the other, with Go's sort.Sort.
  std::vector<std::string> keys;
  for (const auto& s : out) {
    keys.push_back(s.target + std::to_string(s.port) + std::to_string(s.priority) +
                   std::to_string(s.weight));
  }
  gosort::Sort(
      static_cast<int64_t>(out.size()), [&](int64_t a, int64_t b) { return keys[a] < keys[b]; },
      [&](int64_t a, int64_t b) {
        std::swap(out[a], out[b]);
        std::swap(keys[a], keys[b]);
      });
  return out;
}

}  // namespace berth::confd
