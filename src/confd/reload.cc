#include "confd/reload.h"

#include "base/log.h"
#include "haproxy/master.h"
#include "sys/command.h"

namespace berth::confd {

ReloadAction ReloadAction::Of(const TemplateResource& r) {
  if (!r.haproxy_master_socket.empty()) return {"", r.haproxy_master_socket};
  return {r.reload_cmd, ""};
}

std::string ReloadAction::Describe() const {
  if (!master_socket.empty()) return "haproxy reload through " + master_socket;
  return command;
}

Status RunReload(const ReloadAction& action, const SyncOptions& options) {
  if (options.sync_only || options.noop || action.empty()) return Status::Ok();
  if (action.master_socket.empty())
    return RunCommand("reload command failed:", action.command, options);
  log::Debug("Reloading HAProxy through " + action.master_socket);
  haproxy::MasterCli master(action.master_socket);
  auto reloaded = master.Reload(options.command_timeout);
  if (!reloaded)
    return reloaded.error().Wrap("haproxy reload through " + action.master_socket + " failed");
  log::Info("HAProxy reloaded in " + std::to_string(reloaded->took.count()) + " ms (reload " +
            std::to_string(reloaded->reloads) + ")");
  return Status::Ok();
}

}  // namespace berth::confd
