// Applying the server changes of a ConfigDiff to a running HAProxy over its
// Runtime API, so that a scale event needs no reload.
//
// The caller's sequence (berth confd): diff the old and new haproxy.cfg; if
// only server lines changed, install the new file and call
// ApplyServerChanges; on kNeedsReload or kFailed, reload HAProxy with the new
// file (it is the truth: dynamic servers not in it vanish on the next reload
// anyway); on kRefused, log the reason and leave HAProxy and the file alone.
//
// What is sent, per backend:
//   added     `add server B/S ip:port [options]`, then `enable health B/S`
//             when the line has `check` (dynamic servers start with checks
//             off), then `set server B/S state ready` unless the line says
//             `disabled` (dynamic servers start in maintenance)
//   modified  only the address or port changed: `set server B/S addr IP port
//             P`; only the weight: `set server B/S weight W`; anything else:
//             removed, then added again
//   removed   `set server B/S state drain` for all of them, then a wait
//             (bounded by ApplyOptions::drain_timeout) until `show stat`
//             shows no current session on any, then per server `set server
//             B/S state maint`, `disable health B/S`, `shutdown sessions
//             server B/S` and `del server B/S` (docs/haproxy.md: nothing may
//             still use a server HAProxy 2.6 deletes)
// Additions go first, so capacity never dips during a scale event.
//
// Nothing is sent when a change cannot be applied:
//   kRefused      a backend or server name, an address or an option value
//                 is invalid (see haproxy/validate.h): an injection attempt
//                 or a broken registration; HAProxy is left untouched
//   kNeedsReload  a change is valid for HAProxy but not at run time: an
//                 option dynamic servers do not take (cookie, track, ...), a
//                 host name instead of an IP, a backend with a static
//                 algorithm or default-server lines, or HAProxy's running
//                 servers do not match the old file
//
// Synchronous (drains poll with sleeps); thread-compatible: do not apply two
// diffs to one HAProxy at once.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "haproxy/config_diff.h"
#include "haproxy/runtime_api.h"

namespace berth::haproxy {

struct ApplyOptions {
  // How long removed servers may keep sessions after `state drain`.
  std::chrono::milliseconds drain_timeout{10000};
  // When the drain timeout passes with sessions left: cut them (`shutdown
  // sessions server`) and delete the servers anyway (true), or stop with
  // kFailed (false).
  bool cut_sessions_after_drain_timeout = true;
  // How often `show stat` is polled while draining.
  std::chrono::milliseconds poll_interval{100};
  // Before sending anything, check with `show backend` and `show servers
  // state` that HAProxy runs what the old file says (removed and modified
  // servers exist, added ones do not); a mismatch gives kNeedsReload.
  bool verify_running_state = true;
};

// What happened to one server.
struct ServerChangeReport {
  enum class Action {
    kAdded,
    kRemoved,
    kAddressChanged,
    kWeightChanged,
    kReplaced,   // removed and added again (options other than the weight changed)
    kUnchanged,  // the line changed in ways that change nothing (option order)
  };
  std::string backend;
  std::string server;
  Action action = Action::kUnchanged;
  std::string detail;  // e.g. "10.0.0.1:80 -> 10.0.0.2:80", "drained in 120 ms"
};

struct ApplyResult {
  enum class Outcome { kApplied, kNeedsReload, kRefused, kFailed };
  Outcome outcome = Outcome::kApplied;
  std::string reason;  // why, for every outcome but kApplied
  // kApplied: every change; kFailed: the changes completed before the failure.
  std::vector<ServerChangeReport> changes;

  bool applied() const { return outcome == Outcome::kApplied; }
};

std::string_view OutcomeName(ApplyResult::Outcome outcome);
std::string_view ActionName(ServerChangeReport::Action action);

// Whether ApplyServerChanges could apply `diff`, judged from the diff alone
// (HAProxy is not asked): kApplied when it could try, kRefused or
// kNeedsReload with the reason when it would refuse or need a reload.  Lets
// a caller refuse a bad diff before it installs the new file.
ApplyResult CheckServerChanges(const ConfigDiff& diff);

// Applies the server changes of `diff` (kind kServersOnly; kIdentical does
// nothing; kNeedsReload returns kNeedsReload with its reason).
ApplyResult ApplyServerChanges(const RuntimeApi& api, const ConfigDiff& diff,
                               const ApplyOptions& options = {});

}  // namespace berth::haproxy
