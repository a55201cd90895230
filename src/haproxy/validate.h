// Validation of everything berth puts into a HAProxy CLI command.
//
// HAProxy's CLI reads a line, splits it on spaces and treats `;` as a
// command separator, so a server address such as
// "10.0.0.1:80; shutdown frontend fe" taken from etcd would run a second
// command.  Nothing reaches a command unless it passed these checks:
//
//   names      backend and server names: [A-Za-z0-9_.:-]+, at most 255 chars
//              (the characters HAProxy itself accepts in proxy/server names)
//   addresses  IPv4 or IPv6 literals only (inet_pton), no host names, no
//              zone ids; ports 1-65535 written as plain decimal digits
//   options    server keywords from kDynamicServerKeywords (a subset of those
//              HAProxy 2.6 accepts on `add server`), each with a value of the
//              kind the table names: an integer in range, a duration
//              (HAProxy's "500", "2s", "1m" ...) or one of a few fixed words
//
// A DynamicServer is the validated, structured form of a server that can be
// created over the Runtime API.  Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace berth::haproxy {

// kInvalidArgument unless `name` is a valid backend or server name.  `what`
// ("backend", "server") starts the message.
Status ValidateName(std::string_view what, std::string_view name);

// Whether `ip` is an IPv4 (dotted quad) or IPv6 literal, without brackets.
bool IsIpLiteral(std::string_view ip);
bool IsIpv6Literal(std::string_view ip);

// kInvalidArgument unless 1 <= port <= 65535.
Status ValidatePort(int port);

// An IP literal and a port, as in a server line's "ip:port" or "[ip6]:port".
struct IpPort {
  std::string ip;
  int port = 0;
  // "10.0.0.1:80" or "[::1]:80", the form `add server` takes.
  std::string ToString() const;
  bool operator==(const IpPort&) const = default;
};

// Parses a server line's address ("10.0.0.1:80", "[::1]:80", "::1:80",
// "ipv4@10.0.0.1:80", "ipv6@::1:80").
//   kInvalidArgument    it contains a character no address has (space, `;`,
//                       a quote, `#`, a control character ...): refuse it
//   kFailedPrecondition a valid HAProxy address berth cannot send over the
//                       Runtime API (a host name, an environment variable,
//                       no port, a port offset "+1", a unix socket): reload
Result<IpPort> ParseServerAddress(std::string_view address);

// One server keyword with its value ("" for a flag such as "check").
struct ServerOption {
  std::string keyword;
  std::string value;
  bool operator==(const ServerOption&) const = default;
};

// The kind of value a keyword takes.
enum class ValueKind { kFlag, kInteger, kDuration, kWord };

struct KeywordSpec {
  std::string_view keyword = {};
  ValueKind kind = ValueKind::kFlag;
  int64_t min = 0;  // kInteger: the accepted range
  int64_t max = 0;
  std::span<const std::string_view> words = {};  // kWord: the accepted values
};

// The server keywords berth sends on `add server`: those of HAProxy 2.6's
// list for dynamic servers (management guide, "add server") whose values are
// numbers, durations or fixed words.  Keywords taking file names, host names
// or free text (crt, ca-file, sni, source, agent-send, track, ...) are left
// out on purpose: a server line using them is applied by a reload.
std::span<const KeywordSpec> DynamicServerKeywords();

// The entry for `keyword`, or nullptr.
const KeywordSpec* FindDynamicServerKeyword(std::string_view keyword);

// Whether `value` is an HAProxy duration: decimal digits with an optional
// unit (us, ms, s, m, h, d).
bool IsDuration(std::string_view value);

// kInvalidArgument unless `option` names a keyword of the table with a value
// of its kind.
Status ValidateServerOption(const ServerOption& option);

// Splits the words after a server line's address into options.
//   kInvalidArgument    a known keyword with a bad or missing value, or a
//                       word with a control character or `;`: refuse
//   kFailedPrecondition a keyword outside the table: reload
Result<std::vector<ServerOption>> ParseServerOptions(std::span<const std::string> words);

// A server that `add server` can create: validated name, address and options.
struct DynamicServer {
  std::string name;
  IpPort address;
  std::vector<ServerOption> options;  // in the order of the server line

  bool HasFlag(std::string_view keyword) const;
  // The value of `keyword`, or "" when absent.
  std::string Value(std::string_view keyword) const;
  bool operator==(const DynamicServer&) const = default;
};

// Validates every part of `server` (see above).
Status ValidateDynamicServer(const DynamicServer& server);

}  // namespace berth::haproxy
