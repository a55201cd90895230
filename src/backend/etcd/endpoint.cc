#include "backend/etcd/endpoint.h"

#include <cctype>

namespace berth::etcd::internal {

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view text) {
  Endpoint ep;
  ep.original = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("http://")) {
    ep.scheme = Endpoint::Scheme::kHttp;
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    ep.scheme = Endpoint::Scheme::kHttps;
    rest.remove_prefix(8);
  } else if (rest.find("://") != std::string_view::npos) {
    return Err(
        Status::InvalidArgument("etcd endpoint " + ep.original +
                                ": unsupported scheme (use http://, https:// or host:port)"));
  }
  if (rest.ends_with('/')) rest.remove_suffix(1);
  auto bad = [&](std::string_view why) {
    return Err(
        Status::InvalidArgument("etcd endpoint \"" + ep.original + "\": " + std::string(why)));
  };
  if (rest.empty()) return bad("no host");
  if (rest.find('/') != std::string_view::npos) return bad("a path is not allowed");
  std::string_view host, port;
  if (rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return bad("unterminated [IPv6 address]");
    host = rest.substr(0, close + 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.starts_with(':')) return bad("missing :port");
    port = after.substr(1);
  } else {
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) return bad("missing :port");
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad("write IPv6 addresses as [addr]:port");
  }
  if (host.empty() || host == "[]") return bad("no host");
  if (!AllDigits(port) || port.size() > 5 || std::stoi(std::string(port)) > 65535 ||
      std::stoi(std::string(port)) == 0) {
    return bad("bad port");
  }
  ep.target = std::string(host) + ":" + std::string(port);
  return ep;
}

KeyRange PrefixRange(std::string_view prefix) {
  KeyRange r;
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (end.empty()) {
    // No key sorts after every key with this prefix: range to the end.
    r.key = prefix.empty() ? std::string(1, '\0') : std::string(prefix);
    r.range_end = std::string(1, '\0');
    return r;
  }
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  r.key = std::string(prefix);
  r.range_end = std::move(end);
  return r;
}

std::string QuoteKey(std::string_view key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f && b != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

}  // namespace berth::etcd::internal
