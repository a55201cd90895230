#include "confd/haproxy_update.h"

#include "base/gostrconv.h"
#include "base/log.h"
#include "haproxy/apply.h"
#include "haproxy/config_diff.h"
#include "haproxy/runtime_api.h"
#include "sys/file.h"

namespace berth::confd {
namespace {

bool IsUnsafe(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f || c == ' ' || c == ';' || c == '#' || c == '"' || c == '\'' ||
         c == '\\';
}

// Whether offset `at` of `content` lies in a `server` or `default-server`
// line.
bool InServerLine(std::string_view content, size_t at) {
  const size_t newline = at == 0 ? std::string_view::npos : content.rfind('\n', at - 1);
  std::string_view line = content.substr(newline == std::string_view::npos ? 0 : newline + 1);
  line = line.substr(0, line.find('\n'));
  const size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  line.remove_prefix(first);
  return line.starts_with("server ") || line.starts_with("server\t") ||
         line.starts_with("default-server ") || line.starts_with("default-server\t");
}

haproxy::RuntimeApi RuntimeApiOf(const TemplateResource& r) {
  if (!r.haproxy_socket.empty()) return haproxy::RuntimeApi(r.haproxy_socket);
  return haproxy::RuntimeApi::ThroughMaster(r.haproxy_master_socket);
}

void LogChanges(const TemplateResource& r, const haproxy::ApplyResult& result) {
  for (const auto& c : result.changes) {
    std::string line = r.dest + ": " + std::string(haproxy::ActionName(c.action)) + " server " +
                       c.backend + "/" + c.server;
    if (!c.detail.empty()) line += " (" + c.detail + ")";
    log::Info(line);
  }
}

}  // namespace

Status CheckNoUnsafeValues(const kv::Snapshot& snapshot, std::string_view content) {
  for (const kv::Entry& e : snapshot.entries()) {
    const std::string_view v = e.value;
    bool unsafe = false;
    for (char c : v) unsafe = unsafe || IsUnsafe(c);
    if (!unsafe) continue;
    for (size_t at = content.find(v); at != std::string_view::npos; at = content.find(v, at + 1)) {
      if (!InServerLine(content, at)) continue;
      return Status::InvalidArgument(
          "the value of " + e.key + " (" + gostrconv::Quote(v) +
          ") puts a space, ';', '#', a quote, a backslash or a control character into a "
          "server line; refusing the new configuration");
    }
  }
  return Status::Ok();
}

Result<ApplyOutcome> UpdateHaproxy(const TemplateResource& r, const kv::Snapshot& snapshot,
                                   std::string_view content, const SyncOptions& options) {
  if (Status s = CheckNoUnsafeValues(snapshot, content); !s.ok()) {
    return Err(s.Wrap(r.dest));
  }
  auto old = sys::ReadFile(r.dest);
  if (!old) {
    // No dest yet (or unreadable): HAProxy cannot be running it.
    auto synced = SyncDest(r, content, options);
    if (!synced) return Err(synced.error());
    return *synced == SyncOutcome::kInSync ? ApplyOutcome::kInSync : ApplyOutcome::kUpdated;
  }
  const haproxy::ConfigDiff diff = haproxy::DiffConfigs(*old, content);
  const auto install_with = [&](ApplyOutcome if_changed,
                                const SyncOptions& sync) -> Result<ApplyOutcome> {
    auto synced = SyncDest(r, content, sync);
    if (!synced) return Err(synced.error());
    return *synced == SyncOutcome::kInSync ? ApplyOutcome::kInSync : if_changed;
  };
  const auto install = [&](ApplyOutcome if_changed) { return install_with(if_changed, options); };
  using Outcome = haproxy::ApplyResult::Outcome;
  switch (diff.kind) {
    case haproxy::ConfigDiff::Kind::kIdentical:
      // Comments, spacing, quoting, mode or owner: nothing for HAProxy.
      return install(ApplyOutcome::kAppliedLive);
    case haproxy::ConfigDiff::Kind::kNeedsReload:
      log::Info(r.dest + ": needs a reload: " + diff.reason);
      return install(ApplyOutcome::kUpdated);
    case haproxy::ConfigDiff::Kind::kServersOnly:
      break;
  }
  const haproxy::ApplyResult check = haproxy::CheckServerChanges(diff);
  if (check.outcome == Outcome::kRefused) {
    return Err(
        Status::InvalidArgument(r.dest + ": refusing the new configuration: " + check.reason));
  }
  if (check.outcome != Outcome::kApplied) {
    log::Info(r.dest + ": server changes need a reload: " + check.reason);
    return install(ApplyOutcome::kUpdated);
  }
  // Server lines only, each validated (names, IP literals, known keywords
  // with values of their kind): the file HAProxy accepted before stays
  // valid, so check_cmd is skipped and the change reaches HAProxy sooner.
  SyncOptions no_check = options;
  no_check.sync_only = true;
  auto installed = install_with(ApplyOutcome::kAppliedLive, no_check);
  if (!installed || *installed == ApplyOutcome::kInSync) return installed;

  haproxy::ApplyOptions apply_options;
  apply_options.drain_timeout = r.haproxy_drain_timeout;
  const haproxy::ApplyResult result =
      haproxy::ApplyServerChanges(RuntimeApiOf(r), diff, apply_options);
  LogChanges(r, result);
  if (result.applied()) {
    log::Info(r.dest + ": " + std::to_string(result.changes.size()) +
              " server change(s) applied through the Runtime API, no reload");
    return ApplyOutcome::kAppliedLive;
  }
  // The file is in place and checked: a reload makes HAProxy run it.
  log::Warning(r.dest + ": the Runtime API could not apply the change (" +
               std::string(haproxy::OutcomeName(result.outcome)) + ": " + result.reason +
               "); reloading instead");
  return ApplyOutcome::kUpdated;
}

}  // namespace berth::confd
