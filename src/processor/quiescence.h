// Quiescence: when to render after a burst of changes.  A burst starts with
// its first change; the render is due when no change has arrived for
// `wait.min`, or at the latest `wait.max` after the first change — so a
// steady stream of updates still renders every `max`, and a burst of 1,000
// puts renders a handful of times instead of 1,000.  A zero wait renders at
// once.
//
// Plain logic on time points the caller passes in; not thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>

#include "confd/wait_spec.h"

namespace berth::processor {

class Quiescence {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Quiescence(confd::WaitSpec spec = {}) : spec_(spec) {}
  void set_spec(confd::WaitSpec spec) { spec_ = spec; }

  // A change arrived at `now`.
  void OnChange(Clock::time_point now) {
    if (!first_) first_ = now;
    last_ = now;
  }
  bool pending() const { return first_.has_value(); }
  // When the pending burst is due (meaningful only when pending()).
  Clock::time_point due() const { return std::min(last_ + spec_.min, *first_ + spec_.max); }
  // The render for the pending burst happened.
  void Clear() { first_.reset(); }

 private:
  confd::WaitSpec spec_;
  std::optional<Clock::time_point> first_;
  Clock::time_point last_{};
};

}  // namespace berth::processor
