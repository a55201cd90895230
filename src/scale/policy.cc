#include "scale/policy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace berth::scale {
namespace {

std::string Figure(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

}  // namespace

std::string_view MetricName(Metric m) {
  switch (m) {
    case Metric::kSessions:
      return "sessions";
    case Metric::kRate:
      return "rate";
    case Metric::kQueue:
      return "queue";
  }
  return "?";
}

Result<Metric> ParseMetric(std::string_view name) {
  for (Metric m : {Metric::kSessions, Metric::kRate, Metric::kQueue}) {
    if (name == MetricName(m)) return m;
  }
  return Err(
      Status::InvalidArgument("--metric " + std::string(name) + ": want sessions, rate or queue"));
}

std::string_view ActionName(Decision::Action a) {
  switch (a) {
    case Decision::Action::kNone:
      return "none";
    case Decision::Action::kUp:
      return "up";
    case Decision::Action::kDown:
      return "down";
  }
  return "?";
}

Status Validate(const PolicyOptions& o) {
  if (o.min < 1) {
    return Status::InvalidArgument("--min " + std::to_string(o.min) +
                                   ": at least 1 (with no instance there is no load to measure)");
  }
  if (o.min > o.max) {
    return Status::InvalidArgument("--min " + std::to_string(o.min) + " is above --max " +
                                   std::to_string(o.max));
  }
  if (!(o.target > 0) || !std::isfinite(o.target)) {
    return Status::InvalidArgument("--target " + Figure(o.target) + ": must be above 0");
  }
  if (!(o.tolerance >= 0 && o.tolerance < 1)) {
    return Status::InvalidArgument("tolerance " + Figure(o.tolerance) + ": must be in [0, 1)");
  }
  if (o.scale_down_delay.count() < 0) {
    return Status::InvalidArgument("--scale-down-delay must not be negative");
  }
  return Status::Ok();
}

Decision Policy::Decide(const Sample& sample, Clock::time_point now) {
  Decision d;
  d.current = sample.current;
  if (!started_) {
    // What runs at start is what the last delay is assumed to have wanted.
    window_.push_back({now, std::clamp(sample.current, o_.min, o_.max)});
    started_ = true;
  }
  if (sample.current <= 0) {
    d.raw = o_.min;
    d.reason = "no instance";
  } else {
    d.observed = sample.total / sample.current;
    const double ratio = d.observed / o_.target;
    if (std::fabs(ratio - 1) <= o_.tolerance + 1e-9) {
      d.raw = sample.current;
      d.reason = "within tolerance";
    } else {
      // A hair below an integer is that integer (3 * (20/20.000001)).
      d.raw = static_cast<int>(std::ceil(sample.current * ratio - 1e-9));
    }
  }
  int bounded = std::clamp(d.raw, o_.min, o_.max);
  if (d.raw > o_.max) d.reason = "capped at max " + std::to_string(o_.max);
  if (d.raw < o_.min) d.reason = "held at min " + std::to_string(o_.min);

  // The window is (now - delay, now].
  while (!window_.empty() && window_.front().at <= now - o_.scale_down_delay) window_.pop_front();
  window_.push_back({now, bounded});

  d.desired = bounded;
  if (bounded < sample.current) {
    int highest = bounded;
    for (const auto& r : window_) highest = std::max(highest, r.count);
    const int allowed = std::min(sample.current, highest);
    if (allowed > bounded) {
      d.reason = "scale-down delay: " + std::to_string(highest) + " wanted within the last " +
                 Figure(o_.scale_down_delay.count() / 1000.0) + "s";
    }
    d.desired = allowed;
  }
  if (sample.current < o_.min) d.reason = "below min " + std::to_string(o_.min);
  if (sample.current > o_.max) d.reason = "above max " + std::to_string(o_.max);
  d.action = d.desired > sample.current   ? Decision::Action::kUp
             : d.desired < sample.current ? Decision::Action::kDown
                                          : Decision::Action::kNone;
  return d;
}

}  // namespace berth::scale
