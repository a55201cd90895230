// Comparing two versions of a haproxy.cfg: do they differ only in the
// `server` lines of backends, which HAProxy can change at run time, or does
// the new file need a reload?
//
// The files are read the way HAProxy reads them (configuration manual,
// "2.2. Quoting and escaping"): a line is split into words on spaces and
// tabs; `#` outside quotes starts a comment; "double" and 'single' quotes
// group words; a backslash escapes the next character outside single
// quotes.  There is no line continuation.  A section starts at a line whose
// first word is a section keyword (global, defaults, frontend, backend,
// listen, peers, resolvers, ...), and lasts until the next one.
//
// What counts as a difference, and what does not:
//   - comments, blank lines, indentation and the spacing or quoting of
//     words never count;
//   - a `server` line of a backend or listen section counts as a server
//     change: added, removed, or modified (same name, different address or
//     options); every other line, `default-server` included, counts as a
//     change that needs a reload, as do added, removed or renamed sections;
//   - the order of server lines does not count, except in a backend using
//     `balance first`, where the order is the priority: there, a reordering
//     of kept servers, or a new server placed before a kept one, needs a
//     reload (a dynamic server is always appended);
//   - where non-server lines sit between server lines does not count;
//   - two servers of one backend with the same name, or two backends with
//     the same name, need a reload (HAProxy will refuse the file);
//   - a line HAProxy cannot parse (an unterminated quote) needs a reload:
//     `haproxy -c` then reports it.
//
// The result also says, per backend, whether HAProxy can create servers in
// it at run time (see BackendChanges::dynamic_servers).  Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace berth::haproxy {

// Splits one line into HAProxy's words (quotes removed, escapes resolved,
// the comment dropped).  kInvalidArgument on an unterminated quote or a
// malformed escape.
Result<std::vector<std::string>> SplitConfigLine(std::string_view line);

// A `server <name> <address> [options...]` line.
struct ServerLine {
  std::string name;
  std::string address;               // as written, e.g. "10.0.0.1:80"
  std::vector<std::string> options;  // the words after the address
  int line = 0;                      // 1-based line number in its file

  // Same name, address and options (the line number does not count).
  bool SameAs(const ServerLine& other) const {
    return name == other.name && address == other.address && options == other.options;
  }
};

struct ServerModification {
  ServerLine before;
  ServerLine after;
};

// The server changes of one backend (or listen section).
struct BackendChanges {
  std::string backend;
  std::vector<ServerLine> added;    // in the order of the new file
  std::vector<ServerLine> removed;  // in the order of the old file
  std::vector<ServerModification> modified;
  // Whether `add server` works in this backend: HAProxy 2.6 creates dynamic
  // servers only in backends with a dynamic algorithm (roundrobin,
  // leastconn, first, random, or hashing with `hash-type consistent`), and a
  // dynamic server does not get `default-server` settings, so a backend
  // with default-server lines (its own or its defaults section's) cannot
  // take one that matches its server line.  When false, `why_not_dynamic`
  // says why.
  bool dynamic_servers = true;
  std::string why_not_dynamic;
  // The backend uses a static algorithm (static-rr, map-based hashing):
  // HAProxy refuses weight changes there too.
  bool static_algorithm = false;
};

struct ConfigDiff {
  enum class Kind {
    kIdentical,    // nothing that matters changed
    kServersOnly,  // only server lines changed: see `backends`
    kNeedsReload,  // anything else: see `reason`
  };
  Kind kind = Kind::kIdentical;
  // kNeedsReload: the first difference found, e.g.
  // "new line 12: frontend fe changed: \"bind :8080\"".
  std::string reason;
  // kServersOnly: the backends with server changes, in the new file's order.
  std::vector<BackendChanges> backends;
};

// Compares the old and new text of a haproxy.cfg.
ConfigDiff DiffConfigs(std::string_view old_text, std::string_view new_text);

}  // namespace berth::haproxy
