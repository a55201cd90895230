// What `berth status` shows, built from what it read: the containers of the
// service (Docker), the registrations under the prefix (etcd), HAProxy's
// `show stat`, and the state file.  Pure functions over parsed inputs, so
// the table is tested without any server; status.h does the reading.
//
//   INSTANCE  ADDRESS           DOCKER   ETCD  HAPROXY  SESSIONS  SERVED
//   app-1     10.0.0.5:32768    running  yes   UP       0         41
//   app-2     10.0.0.5:32769    running  yes   DRAIN    2         40
//   old-1     10.0.0.5:32770    -        yes   DOWN     0         3
//
// One row per name found in any source; "-" where a source does not know
// the instance, "?" where the source could not be read.  Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/etcd/client.h"
#include "docker/client.h"

namespace berth::up {

struct InstanceRow {
  std::string name;
  std::string address;   // the registration, else HAProxy's, else "-"
  std::string docker;    // "running", "exited", ...; "-" when no container; "?" unknown
  std::string etcd;      // "yes", "no", "?"
  std::string haproxy;   // "UP", "DOWN", "DRAIN", "MAINT", "absent", "?"
  std::string sessions;  // scur, "-" or "?"
  std::string served;    // stot, "-" or "?"

  friend bool operator==(const InstanceRow&, const InstanceRow&) = default;
};

// The inputs; a source that could not be read is nullopt.
struct StatusSources {
  std::optional<std::vector<docker::ContainerSummary>> containers;  // of the service
  std::optional<std::vector<etcd::KeyValue>> registrations;         // under prefix + "/"
  std::optional<std::vector<std::map<std::string, std::string>>> haproxy_stat;  // show stat
  std::string prefix;                                                           // "/app/servers"
};

// HAProxy's `show stat` status ("UP", "UP 1/2", "DOWN 1/2", "no check",
// "MAINT (via b/s)", "DRAIN", "NOLB", ...) as one of UP, DOWN, DRAIN, MAINT.
std::string HaproxyStateOf(std::string_view stat_status);

// Rows sorted by name, numbers in names compared by value (app-2 < app-10).
std::vector<InstanceRow> BuildRows(const StatusSources& sources);

// The table, columns padded to their widest cell, two spaces apart, no
// trailing spaces.
std::string FormatTable(const std::vector<InstanceRow>& rows);

// "a < b" comparing runs of digits by value.
bool NaturalLess(std::string_view a, std::string_view b);

// "2026-11-25 12:00:03 UTC (5s ago)" for a Unix time, given now.
std::string FormatTimeAgo(double unix_seconds, double now_unix_seconds);

}  // namespace berth::up
