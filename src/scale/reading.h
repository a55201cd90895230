// What `berth scale` reads each interval, put together: the service's
// instances (running containers, from Docker), which of them are registered
// and which are being killed (etcd), and HAProxy's figures for their
// servers (`show stat` of the backend).
//
//   draining  marked by `berth kill` (agent::DrainingKey): leaving; neither
//             counted nor killed again
//   ready     registered, and its server in the backend is UP (or has no
//             check): carries load, may be killed
//   starting  any other running instance (launched, not yet registered or
//             not yet UP): counted, never killed
//
// The total is the metric summed over the servers of counted instances
// (scur, rate or qcur); for `queue` the backend's own queue (requests no
// server took yet) is added.  Servers of other containers in the backend
// are ignored.
//
// Plain functions; thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "scale/policy.h"

namespace berth::scale {

struct ReadingInputs {
  std::string service;
  std::string backend;
  Metric metric = Metric::kSessions;
  std::vector<std::string> running;  // names of the service's running containers
  std::set<std::string> registered;  // names with a registration
  std::set<std::string> draining;    // names marked draining
  std::vector<std::map<std::string, std::string>> stat;  // `show stat` rows
};

struct Reading {
  std::vector<std::string> ready;     // in kill order (KillOrder)
  std::vector<std::string> starting;  // sorted by name
  double total = 0;
  int current() const { return static_cast<int>(ready.size() + starting.size()); }
};

Reading Read(const ReadingInputs& inputs);

// `names` in the order scale-down kills them: SERVICE-N by N, highest (the
// newest: launch gives the lowest free numbers) first; names of another
// form after those, in reverse name order.
std::vector<std::string> KillOrder(std::vector<std::string> names, const std::string& service);

}  // namespace berth::scale
