// How a changed destination is put into service.  confd runs the resource's
// reload_cmd through /bin/sh -c; a resource that names HAProxy's master CLI
// (`haproxy_master_socket`) is reloaded through that socket instead, and the
// reload counts as done only once HAProxy reports a new worker (a refused
// file is an error, not a silent success).  Thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "confd/resource.h"
#include "confd/sync.h"

namespace berth::confd {

struct ReloadAction {
  std::string command;        // a shell command (reload_cmd)
  std::string master_socket;  // set: reload HAProxy through its master CLI instead

  static ReloadAction Of(const TemplateResource& r);
  bool empty() const { return command.empty() && master_socket.empty(); }
  // For logs: the command, or "haproxy reload through <socket>".
  std::string Describe() const;
  friend bool operator==(const ReloadAction&, const ReloadAction&) = default;
};

// Runs `action` (sync_only and noop make it a no-op).  The master-CLI
// reload waits at most options.command_timeout for the new worker.
Status RunReload(const ReloadAction& action, const SyncOptions& options);
inline Status RunReload(const TemplateResource& r, const SyncOptions& options) {
  return RunReload(ReloadAction::Of(r), options);
}

}  // namespace berth::confd
