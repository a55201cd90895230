// The loop of `berth scale`: every interval it reads the service's
// instances and HAProxy's figures (reading.h), asks the policy (policy.h)
// how many instances are wanted, and launches or kills the difference
// through the same code as `berth launch` and `berth kill`
// (instances/launch.h, instances/kill.h: kill deregisters and drains
// first).  It keeps no count of its own: every interval counts again from
// Docker and etcd, so a restarted scaler continues from the real count.
//
//   up    launches desired - current instances (SERVICE-N, the lowest free
//         numbers), one after the other, each waited for until registered
//   down  kills current - desired ready instances, highest N first; never
//         one that is still starting (so a step may kill fewer)
// An action is finished before the next reading: one step at a time.
//
// Faults: when Docker, etcd or HAProxy cannot be read, the interval makes
// no decision (the count stays), logs once per outage and tries again next
// interval.  When a launch fails, further launches wait (back-off doubling
// from max(interval, 1s) up to max_backoff), so a broken image or a full
// host does not make it launch in a loop.
//
// Each decision is logged on one line with its figures
//   scale: rate 52.3/instance (total 52.3, target 20) current=1 starting=0
//     desired=3 action=up (+2)
// — every decision that changes something or differs from the last one
// logged, and every interval at debug level — and written to the state
// file (state.h) when one is given.
//
// Threads: Run blocks on the calling thread; Stop may be called from any
// thread (a signal watcher) and ends Run within one poll of its current
// wait (a launch waiting for a registration is cut short; a kill's drain is
// bounded by its own timeouts).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "backend/etcd/client.h"
#include "base/status.h"
#include "docker/client.h"
#include "haproxy/runtime_api.h"
#include "instances/kill.h"
#include "instances/launch.h"
#include "scale/policy.h"
#include "scale/reading.h"
#include "scale/state.h"

namespace berth::scale {

struct ScalerOptions {
  PolicyOptions policy;
  Metric metric = Metric::kSessions;
  std::string haproxy_socket;
  std::string backend = "TransparentBack_http";
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds max_backoff{300'000};
  // What to launch (image, port, service, registration, timeout) and how to
  // kill (registration, drain and stop timeouts); the scaler fills in the
  // count and names, and the kill's socket and backend from the above.
  instances::LaunchOptions launch;
  instances::KillOptions kill;
  std::string state_file;  // "" : none
};

class Scaler {
 public:
  // The clients must outlive the scaler.
  Scaler(ScalerOptions options, docker::Client& docker, etcd::Client& etcd);

  // Checks everything that can be wrong before anything starts: the
  // policy's bounds and target, the service name, that HAProxy answers on
  // the socket and has the backend, that the image exists.
  // kInvalidArgument / kNotFound / kUnavailable with a message naming the
  // flag or the thing missing.
  Status Check();

  // Reads, decides and acts until Stop().
  void Run();
  void Stop();

  // One interval: read, decide, act.  An error when the reading failed (no
  // decision); a failed action is logged and backed off, not returned.
  Status Step();

 private:
  Result<Reading> ReadNow();
  void Act(const Decision& d, const Reading& r);
  void LaunchSome(int n);
  void KillSome(const Reading& r, int n);
  void Log(const Decision& d, const Reading& r);
  void Save(const Decision& d, const Reading& r, const std::string& error);
  // Waits up to `d` or until Stop; true when stopped.
  bool WaitStopped(std::chrono::milliseconds d);
  bool stopped() const { return stop_.load(); }

  // Constant after construction.
  const ScalerOptions o_;
  docker::Client& docker_;
  etcd::Client& etcd_;
  const haproxy::RuntimeApi haproxy_;

  // The Run thread's.
  Policy policy_;
  std::string last_logged_;
  std::string outage_;  // what failed last interval, "" when reading worked
  int launch_failures_ = 0;
  Clock::time_point launch_blocked_until_{};
  std::optional<Decision> last_decision_;
  std::optional<Reading> last_reading_;

  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;  // signalled by Stop
};

}  // namespace berth::scale
