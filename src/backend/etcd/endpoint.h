// Internal to backend/etcd: endpoint strings and key ranges, the pure parts
// of the client, kept apart so they can be tested without a server.
// Plain functions and values; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace berth::etcd::internal {

struct Endpoint {
  enum class Scheme { kNone, kHttp, kHttps };
  std::string original;  // as the user wrote it, for messages
  std::string target;    // "host:port" for gRPC
  Scheme scheme = Scheme::kNone;
};

// Accepts "http://host:port", "https://host:port" and "host:port" (host may
// be a name, an IPv4 address or a bracketed IPv6 address; a trailing "/" is
// ignored).  kInvalidArgument otherwise.
Result<Endpoint> ParseEndpoint(std::string_view text);

// The [key, range_end) pair etcd uses for "every key starting with prefix":
// range_end is prefix with its last byte below 0xff incremented (and the
// 0xff bytes after it dropped).  For the empty prefix, or one made only of
// 0xff bytes, the range is everything from key on: key "\0" / range_end
// "\0" for "", prefix / "\0" otherwise.
struct KeyRange {
  std::string key;
  std::string range_end;
};
KeyRange PrefixRange(std::string_view prefix);

// A key for messages: printable ASCII as is, other bytes (and '\\') as \xNN.
std::string QuoteKey(std::string_view key);

}  // namespace berth::etcd::internal
