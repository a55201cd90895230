// The scaler's last decision, as a small JSON file that `berth status`
// reads (berth up points `berth scale --state-file` at <state>/scale.json):
//
//   {"version": 1, "time": "2026-11-25T12:00:00Z", "unix": 1795608000,
//    "service": "app", "backend": "TransparentBack_http",
//    "metric": "sessions", "target": 10, "min": 1, "max": 5,
//    "observed": 46.0, "current": 3, "starting": 0, "desired": 5,
//    "action": "up", "reason": "capped at max 5", "error": ""}
//
// `error` says why the last interval made no decision (HAProxy not
// answering, a launch that failed) — the figures are then the last ones.
// Written through a staged file and a rename: a reader sees a whole file.
// Plain values and functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace berth::scale {

struct ScalerState {
  double unix_time = 0;  // seconds
  std::string service;
  std::string backend;
  std::string metric;
  double target = 0;
  int min = 0;
  int max = 0;
  double observed = 0;
  int current = 0;
  int starting = 0;
  int desired = 0;
  std::string action;  // "none", "up", "down"
  std::string reason;
  std::string error;

  friend bool operator==(const ScalerState&, const ScalerState&) = default;
};

std::string ScalerStateToJson(const ScalerState& state);
// kInvalidArgument when the text is not such a file.
Result<ScalerState> ScalerStateFromJson(std::string_view text);

Status WriteScalerState(const std::string& path, const ScalerState& state);
// nullopt when there is no file.
Result<std::optional<ScalerState>> ReadScalerState(const std::string& path);

// One line for `berth status`, e.g.
//   "3 → 5 (sessions 46/instance, target 10; capped at max 5), 4s ago"
// `now` in Unix seconds.
std::string DescribeScalerState(const ScalerState& state, double now);

}  // namespace berth::scale
