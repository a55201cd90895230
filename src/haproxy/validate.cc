#include "haproxy/validate.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace berth::haproxy {
namespace {

constexpr size_t kMaxNameLength = 255;
constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

constexpr std::string_view kObserveWords[] = {"layer4", "layer7"};
constexpr std::string_view kOnErrorWords[] = {"fastinter", "fail-check", "sudden-death",
                                              "mark-down"};
constexpr std::string_view kOnMarkedDownWords[] = {"shutdown-sessions"};
constexpr std::string_view kOnMarkedUpWords[] = {"shutdown-backup-sessions"};

constexpr KeywordSpec kKeywords[] = {
    // Flags.
    {"backup", ValueKind::kFlag},
    {"check", ValueKind::kFlag},
    {"check-send-proxy", ValueKind::kFlag},
    {"disabled", ValueKind::kFlag},
    {"enabled", ValueKind::kFlag},
    {"send-proxy", ValueKind::kFlag},
    {"send-proxy-v2", ValueKind::kFlag},
    {"tfo", ValueKind::kFlag},
    // Numbers.
    {"error-limit", ValueKind::kInteger, 0, kIntMax},
    {"fall", ValueKind::kInteger, 1, kIntMax},
    {"maxconn", ValueKind::kInteger, 0, kIntMax},
    {"maxqueue", ValueKind::kInteger, 0, kIntMax},
    {"minconn", ValueKind::kInteger, 0, kIntMax},
    {"pool-low-conn", ValueKind::kInteger, 0, kIntMax},
    {"pool-max-conn", ValueKind::kInteger, -1, kIntMax},
    {"port", ValueKind::kInteger, 1, 65535},  // the health check's port
    {"rise", ValueKind::kInteger, 1, kIntMax},
    {"weight", ValueKind::kInteger, 0, 256},
    // Durations.
    {"downinter", ValueKind::kDuration},
    {"fastinter", ValueKind::kDuration},
    {"inter", ValueKind::kDuration},
    {"pool-purge-delay", ValueKind::kDuration},
    {"slowstart", ValueKind::kDuration},
    // Fixed words.
    {"observe", ValueKind::kWord, 0, 0, kObserveWords},
    {"on-error", ValueKind::kWord, 0, 0, kOnErrorWords},
    {"on-marked-down", ValueKind::kWord, 0, 0, kOnMarkedDownWords},
    {"on-marked-up", ValueKind::kWord, 0, 0, kOnMarkedUpWords},
};

bool NameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || c == '-';
}

// Control characters, DEL and `;`: never part of anything berth sends.
bool Forbidden(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f || c == ';';
}

// Characters a valid HAProxy address may hold even when berth cannot send
// it: host names, "${VAR}", "ipv4@", "unix@/path", "[::1]", "+1".
bool AddressChar(char c) {
  return NameChar(c) || c == '[' || c == ']' || c == '@' || c == '$' || c == '{' || c == '}' ||
         c == '+' || c == '/';
}

// Printable text for an error message: control characters as \xNN.
std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 12) return false;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  // Plain decimal: "-1" is allowed, "+1", " 1" and "0x1" are not.
  if (*first == '-') {
    if (s.size() == 1) return false;
  }
  for (const char* p = *first == '-' ? first + 1 : first; p < last; ++p) {
    if (*p < '0' || *p > '9') return false;
  }
  const auto [ptr, ec] = std::from_chars(first, last, *out);
  return ec == std::errc() && ptr == last;
}

}  // namespace

Status ValidateName(std::string_view what, std::string_view name) {
  if (name.empty()) return Status::InvalidArgument(std::string(what) + " name is empty");
  if (name.size() > kMaxNameLength) {
    return Status::InvalidArgument(std::string(what) + " name is longer than " +
                                   std::to_string(kMaxNameLength) + " characters");
  }
  for (char c : name) {
    if (!NameChar(c)) {
      return Status::InvalidArgument(std::string(what) + " name \"" + Printable(name) +
                                     "\" has a character outside [A-Za-z0-9_.:-]");
    }
  }
  return Status::Ok();
}

bool IsIpv6Literal(std::string_view ip) {
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return false;
  const std::string s(ip);
  in6_addr a6;
  return inet_pton(AF_INET6, s.c_str(), &a6) == 1;
}

bool IsIpLiteral(std::string_view ip) {
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return false;
  const std::string s(ip);
  in_addr a4;
  return inet_pton(AF_INET, s.c_str(), &a4) == 1 || IsIpv6Literal(ip);
}

Status ValidatePort(int port) {
  if (port < 1 || port > 65535) {
    return Status::InvalidArgument("port " + std::to_string(port) + " is outside 1-65535");
  }
  return Status::Ok();
}

std::string IpPort::ToString() const {
  if (ip.find(':') != std::string::npos) return "[" + ip + "]:" + std::to_string(port);
  return ip + ":" + std::to_string(port);
}

Result<IpPort> ParseServerAddress(std::string_view address) {
  if (address.empty()) return Err(Status::InvalidArgument("server address is empty"));
  for (char c : address) {
    if (!AddressChar(c)) {
      return Err(Status::InvalidArgument("server address \"" + Printable(address) +
                                         "\" has a character no address has"));
    }
  }
  const std::string quoted = "server address \"" + std::string(address) + "\"";
  std::string_view rest = address;
  bool v4_only = false, v6_only = false;
  if (rest.starts_with("ipv4@")) {
    rest.remove_prefix(5);
    v4_only = true;
  } else if (rest.starts_with("ipv6@")) {
    rest.remove_prefix(5);
    v6_only = true;
  }
  std::string_view host, port;
  if (rest.starts_with('[')) {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return Err(Status::FailedPrecondition(quoted + " has no port"));
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
    v6_only = true;
  } else {
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      return Err(Status::FailedPrecondition(quoted + " has no port"));
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  const bool ip = v6_only   ? IsIpv6Literal(host)
                  : v4_only ? IsIpLiteral(host) && !IsIpv6Literal(host)
                            : IsIpLiteral(host);
  if (!ip) {
    return Err(Status::FailedPrecondition(
        quoted + " is not an IP literal (dynamic servers do not resolve host names)"));
  }
  int64_t p = 0;
  if (port.empty() || port[0] == '-' || !ParseInt(port, &p) || p < 1 || p > 65535) {
    return Err(Status::FailedPrecondition(quoted + " has no port in 1-65535"));
  }
  return IpPort{std::string(host), static_cast<int>(p)};
}

std::span<const KeywordSpec> DynamicServerKeywords() { return kKeywords; }

const KeywordSpec* FindDynamicServerKeyword(std::string_view keyword) {
  for (const auto& k : kKeywords) {
    if (k.keyword == keyword) return &k;
  }
  return nullptr;
}

bool IsDuration(std::string_view value) {
  size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
  if (digits == 0 || digits > 10) return false;
  const std::string_view unit = value.substr(digits);
  return unit.empty() || unit == "us" || unit == "ms" || unit == "s" || unit == "m" ||
         unit == "h" || unit == "d";
}

Status ValidateServerOption(const ServerOption& option) {
  const KeywordSpec* spec = FindDynamicServerKeyword(option.keyword);
  if (spec == nullptr) {
    return Status::InvalidArgument("server keyword \"" + Printable(option.keyword) +
                                   "\" is not one berth sends to HAProxy");
  }
  const std::string bad = "bad value \"" + Printable(option.value) + "\" for server keyword \"" +
                          option.keyword + "\": ";
  switch (spec->kind) {
    case ValueKind::kFlag:
      if (!option.value.empty()) {
        return Status::InvalidArgument("server keyword \"" + option.keyword + "\" takes no value");
      }
      return Status::Ok();
    case ValueKind::kInteger: {
      int64_t v = 0;
      if (!ParseInt(option.value, &v) || v < spec->min || v > spec->max) {
        return Status::InvalidArgument(bad + "want an integer in " + std::to_string(spec->min) +
                                       "-" + std::to_string(spec->max));
      }
      return Status::Ok();
    }
    case ValueKind::kDuration:
      if (!IsDuration(option.value)) {
        return Status::InvalidArgument(bad + "want a duration such as 500, 2s or 1m");
      }
      return Status::Ok();
    case ValueKind::kWord: {
      if (std::find(spec->words.begin(), spec->words.end(), option.value) != spec->words.end()) {
        return Status::Ok();
      }
      std::string words;
      for (auto w : spec->words) words += (words.empty() ? "" : ", ") + std::string(w);
      return Status::InvalidArgument(bad + "want one of " + words);
    }
  }
  return Status::Internal("unknown value kind");
}

Result<std::vector<ServerOption>> ParseServerOptions(std::span<const std::string> words) {
  for (const auto& w : words) {
    if (std::any_of(w.begin(), w.end(), Forbidden)) {
      return Err(Status::InvalidArgument("server option \"" + Printable(w) +
                                         "\" has a control character or ';'"));
    }
  }
  std::vector<ServerOption> options;
  for (size_t i = 0; i < words.size(); ++i) {
    const KeywordSpec* spec = FindDynamicServerKeyword(words[i]);
    if (spec == nullptr) {
      return Err(Status::FailedPrecondition("server keyword \"" + words[i] +
                                            "\" cannot be used on a dynamic server"));
    }
    ServerOption option{words[i], ""};
    if (spec->kind != ValueKind::kFlag) {
      if (i + 1 >= words.size()) {
        return Err(Status::InvalidArgument("server keyword \"" + words[i] + "\" needs a value"));
      }
      option.value = words[++i];
    }
    BERTH_RETURN_IF_ERROR(ValidateServerOption(option));
    options.push_back(std::move(option));
  }
  return options;
}

bool DynamicServer::HasFlag(std::string_view keyword) const {
  return std::any_of(options.begin(), options.end(),
                     [&](const ServerOption& o) { return o.keyword == keyword; });
}

std::string DynamicServer::Value(std::string_view keyword) const {
  for (const auto& o : options) {
    if (o.keyword == keyword) return o.value;
  }
  return "";
}

Status ValidateDynamicServer(const DynamicServer& server) {
  BERTH_RETURN_IF_ERROR(ValidateName("server", server.name));
  if (!IsIpLiteral(server.address.ip)) {
    return Status::InvalidArgument("server address \"" + Printable(server.address.ip) +
                                   "\" is not an IPv4 or IPv6 literal");
  }
  BERTH_RETURN_IF_ERROR(ValidatePort(server.address.port));
  for (const auto& o : server.options) BERTH_RETURN_IF_ERROR(ValidateServerOption(o));
  return Status::Ok();
}

}  // namespace berth::haproxy
