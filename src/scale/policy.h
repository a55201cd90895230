// The scaling policy of `berth scale`: from one sample of the load to the
// number of instances wanted, the way well-known autoscalers (Kubernetes'
// HorizontalPodAutoscaler) compute it:
//
//   observed = total / current            (the metric per instance)
//   ratio    = observed / target
//   raw      = current                    when |ratio - 1| <= tolerance (10 %)
//            = ceil(current * ratio)      otherwise (= ceil(total / target))
//   bounded  = raw clamped to [min, max]
//   desired  = bounded                    when bounded >= current (up: at once)
//            = min(current, highest bounded recommendation of the last
//              scale_down_delay)          when bounded < current
//
// So a rise is followed at once, a fall only once the load stayed low for
// the whole delay: an oscillating load keeps the count at its peaks, and
// the count falls at most once per delay after the last peak.  The window
// starts with the count found at the first sample: a policy that starts
// (a scaler restarted) never scales down before one delay has passed.
//
// With no instance at all (current 0) there is no per-instance figure:
// desired is min.  Instances that are still starting count in `current`
// (they will take their share of the load soon), which keeps one load step
// from launching twice; whether one may be killed is the caller's concern.
//
// Pure computation on the times it is given (a fake clock in tests); a
// Policy belongs to one thread.
#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <string_view>

#include "base/status.h"

namespace berth::scale {

using Clock = std::chrono::steady_clock;

enum class Metric {
  kSessions,  // current sessions (scur) per instance
  kRate,      // sessions (HTTP requests) per second per instance
  kQueue,     // queued requests (qcur) per instance
};
std::string_view MetricName(Metric m);
// "sessions", "rate", "queue"; kInvalidArgument otherwise.
Result<Metric> ParseMetric(std::string_view name);

struct PolicyOptions {
  int min = 1;
  int max = 10;
  double target = 10;  // the metric per instance to aim at
  double tolerance = 0.1;
  std::chrono::milliseconds scale_down_delay{60'000};
};

// kInvalidArgument naming the flag: min < 1, min > max, target <= 0 (or not
// a number), tolerance outside [0, 1), a negative delay.
Status Validate(const PolicyOptions& options);

// One reading of the load.
struct Sample {
  int current = 0;   // instances (starting ones included)
  double total = 0;  // the metric summed over the instances
};

struct Decision {
  enum class Action { kNone, kUp, kDown };
  int current = 0;
  double observed = 0;  // per instance; 0 when current is 0
  int raw = 0;          // before the bounds and the delay
  int desired = 0;
  Action action = Action::kNone;
  // Why desired is what it is, for the log: "within tolerance", "capped at
  // max 5", "scale-down delay: 4 wanted within 60s", "below min 2", ...
  std::string reason;
};
std::string_view ActionName(Decision::Action a);

class Policy {
 public:
  // `options` must have passed Validate.
  explicit Policy(PolicyOptions options) : o_(options) {}

  Decision Decide(const Sample& sample, Clock::time_point now);

  const PolicyOptions& options() const { return o_; }

 private:
  struct Recommendation {
    Clock::time_point at;
    int count;
  };

  const PolicyOptions o_;
  std::deque<Recommendation> window_;  // oldest first, within the delay
  bool started_ = false;
};

}  // namespace berth::scale
