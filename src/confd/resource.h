// Template resources: the `[template]` tables of conf.d/**/*toml, read the way
// confd reads them (BurntSushi/toml semantics: keys matched case-insensitively,
// unknown keys ignored, a value of the wrong type is an error).
//
// LoadResources walks conf.d recursively in lexical order and keeps every
// file whose name ends in "toml"; one unreadable or invalid file, or one
// without `src`, fails the whole load, as in confd.  Errors name the file
// and, where TOML knows it, the line and column.  Plain data; thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "confd/wait_spec.h"

namespace berth::confd {

struct TemplateResource {
  std::string toml_path;  // the resource file
  std::string src;        // the template file: templates dir + src as written
  std::string dest;
  std::vector<std::string> keys;
  std::string prefix;  // effective prefix, always starting with "/"
  std::string mode;    // as written; "" keeps dest's mode (0644 for a new file)
  uid_t uid;           // the resource's uid, or the effective uid
  gid_t gid;
  std::string check_cmd;  // a Go template; {{.src}} is the staged file
  std::string reload_cmd;
  std::optional<WaitSpec> wait;  // berth's `wait = "MIN:MAX"`; unset: the global -wait

  // berth's HAProxy keys (docs/haproxy.md).  haproxy_socket: the Runtime API
  // (a stats socket at level admin); server-only changes are applied through
  // it instead of a reload.  haproxy_master_socket: the master CLI of
  // master-worker mode; reloads go through it instead of reload_cmd, and
  // without haproxy_socket the Runtime API is reached through it too.
  std::string haproxy_socket;
  std::string haproxy_master_socket;
  // How long removed servers may keep sessions before they are deleted.
  std::chrono::milliseconds haproxy_drain_timeout{10'000};

  bool ManagesHaproxy() const { return !haproxy_socket.empty() || !haproxy_master_socket.empty(); }

  // The keys as the backend is asked for them: path.Join(prefix, key).
  std::vector<std::string> PrefixedKeys() const;
  // The store key a backend key becomes: path.Join("/", TrimPrefix(key, prefix)).
  std::string StoreKey(std::string_view backend_key) const;
};

struct LoadOptions {
  std::string confdir;        // holds conf.d/ and templates/
  std::string global_prefix;  // -prefix: replaces every resource's prefix when set
};

// Every resource of confdir/conf.d, in confd's order.
Result<std::vector<TemplateResource>> LoadResources(const LoadOptions& options);

// One resource file.
Result<TemplateResource> LoadResource(const std::string& toml_path, const LoadOptions& options);
// The same from the file's text (`toml_path` names it in errors).
Result<TemplateResource> ParseResource(std::string_view text, const std::string& toml_path,
                                       const LoadOptions& options);

// confd's `mode`: strconv.ParseUint(mode, 0, 32) (so "0644" is octal and
// "420" decimal) reduced to the permission bits os.Chmod applies.
Result<mode_t> ParseMode(std::string_view mode);

}  // namespace berth::confd
