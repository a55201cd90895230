#include "scale/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace berth::scale {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Action = Decision::Action;

PolicyOptions Options(int min, int max, double target, milliseconds delay = seconds(60)) {
  PolicyOptions o;
  o.min = min;
  o.max = max;
  o.target = target;
  o.scale_down_delay = delay;
  return o;
}

// A fake clock: starts at an arbitrary point, moves only when told.
struct FakeClock {
  Clock::time_point now = Clock::time_point() + std::chrono::hours(1000);
  void Advance(milliseconds d) { now += d; }
};

TEST(PolicyTest, ValidateRefusesBadInput) {
  struct Case {
    PolicyOptions options;
    std::string flag;  // "" : valid
  };
  PolicyOptions nan_target = Options(1, 3, 10);
  nan_target.target = std::nan("");
  PolicyOptions bad_tolerance = Options(1, 3, 10);
  bad_tolerance.tolerance = 1;
  const Case cases[] = {
      {Options(1, 3, 10), ""},
      {Options(2, 2, 0.5), ""},
      {Options(3, 2, 10), "--min 3 is above --max 2"},
      {Options(0, 2, 10), "--min 0"},
      {Options(1, 2, 0), "--target"},
      {Options(1, 2, -5), "--target"},
      {nan_target, "--target"},
      {bad_tolerance, "tolerance"},
      {Options(1, 2, 10, milliseconds(-1)), "--scale-down-delay"},
  };
  for (const auto& c : cases) {
    const Status s = Validate(c.options);
    if (c.flag.empty()) {
      EXPECT_TRUE(s.ok()) << s.message();
    } else {
      EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.flag;
      EXPECT_NE(s.message().find(c.flag), std::string::npos) << s.message();
    }
  }
}

TEST(PolicyTest, ParseMetric) {
  EXPECT_EQ(ParseMetric("sessions").value(), Metric::kSessions);
  EXPECT_EQ(ParseMetric("rate").value(), Metric::kRate);
  EXPECT_EQ(ParseMetric("queue").value(), Metric::kQueue);
  auto bad = ParseMetric("cpu");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("--metric cpu"), std::string::npos);
}

// The formula, table-driven: one decision from a fresh policy (the window
// holds only the count at start, so a fall is held by the delay).
TEST(PolicyTest, DesiredCountFromOneSample) {
  struct Case {
    int min, max;
    double target;
    int current;
    double total;
    int raw, desired;
    Action action;
  };
  const Case cases[] = {
      // ceil(current * observed / target)
      {1, 10, 10, 2, 50, 5, 5, Action::kUp},
      {1, 10, 10, 1, 11.5, 2, 2, Action::kUp},
      {1, 10, 10, 3, 30, 3, 3, Action::kNone},
      // within ±10 %: nothing
      {1, 10, 10, 4, 44, 4, 4, Action::kNone},
      {1, 10, 10, 4, 36, 4, 4, Action::kNone},
      {1, 10, 10, 4, 44.1, 5, 5, Action::kUp},
      // bounded by max and min
      {1, 3, 10, 2, 500, 50, 3, Action::kUp},
      {2, 5, 10, 1, 0, 0, 2, Action::kUp},
      {2, 5, 10, 0, 0, 2, 2, Action::kUp},
      // above max: down to max at once, the delay notwithstanding
      {1, 3, 10, 5, 50, 5, 3, Action::kDown},
      // a fall from a fresh start: held by the delay
      {1, 10, 10, 4, 0, 0, 4, Action::kNone},
  };
  for (const auto& c : cases) {
    Policy p(Options(c.min, c.max, c.target));
    const Decision d = p.Decide({c.current, c.total}, Clock::now());
    const std::string what = "min " + std::to_string(c.min) + " max " + std::to_string(c.max) +
                             " current " + std::to_string(c.current) + " total " +
                             std::to_string(c.total);
    EXPECT_EQ(d.raw, c.raw) << what;
    EXPECT_EQ(d.desired, c.desired) << what;
    EXPECT_EQ(d.action, c.action) << what;
    EXPECT_EQ(d.current, c.current);
    if (c.current > 0) {
      EXPECT_DOUBLE_EQ(d.observed, c.total / c.current);
    }
  }
}

TEST(PolicyTest, ReasonsNameTheRule) {
  Policy p(Options(1, 3, 10));
  EXPECT_EQ(p.Decide({2, 21}, Clock::now()).reason, "within tolerance");
  EXPECT_EQ(p.Decide({2, 100}, Clock::now()).reason, "capped at max 3");
  Policy q(Options(2, 3, 10));
  EXPECT_EQ(q.Decide({1, 0}, Clock::now()).reason, "below min 2");
  Policy r(Options(1, 3, 10));
  const Decision held = r.Decide({3, 0}, Clock::now());
  EXPECT_NE(held.reason.find("scale-down delay"), std::string::npos) << held.reason;
}

// A ramp up is followed at once, step by step; when the load stops the
// count falls to min once, exactly one delay after the last high sample.
TEST(PolicyTest, RampUpThenDownAfterTheDelay) {
  FakeClock clock;
  Policy p(Options(1, 5, 10, seconds(10)));
  int current = 1;
  // Load rising 10 -> 50 sessions over 5 s; the instances follow.
  for (int load = 10; load <= 50; load += 10) {
    const Decision d = p.Decide({current, static_cast<double>(load)}, clock.now);
    EXPECT_EQ(d.desired, load / 10) << "load " << load;
    current = d.desired;
    clock.Advance(seconds(1));
  }
  EXPECT_EQ(current, 5);
  // Load stops at t0.
  const Clock::time_point t0 = clock.now;
  Clock::time_point fell{};
  for (int i = 0; i < 200; ++i) {
    const Decision d = p.Decide({current, 0}, clock.now);
    if (d.action == Action::kDown) {
      EXPECT_EQ(d.desired, 1);
      fell = clock.now;
      current = d.desired;
      break;
    }
    EXPECT_EQ(d.desired, 5);
    clock.Advance(milliseconds(100));
  }
  ASSERT_NE(fell, Clock::time_point{}) << "never scaled down";
  // The last sample wanting 5 was at t0 - 1 s.
  EXPECT_GT(fell - t0, seconds(8));
  EXPECT_LE(fell - t0, seconds(10));
  // And it stays down.
  clock.Advance(seconds(1));
  EXPECT_EQ(p.Decide({1, 0}, clock.now).action, Action::kNone);
}

// A load that swings between high and nothing faster than the delay never
// lowers the count: it stays at the peaks' count.
TEST(PolicyTest, OscillatingLoadDoesNotFlap) {
  FakeClock clock;
  Policy p(Options(1, 4, 10, seconds(5)));
  int current = 1, ups = 0, downs = 0;
  for (int i = 0; i < 600; ++i) {  // 60 s in 100 ms steps, period 4 s
    const bool high = (i / 20) % 2 == 0;
    const Decision d = p.Decide({current, high ? 40.0 : 0.0}, clock.now);
    ups += d.action == Action::kUp;
    downs += d.action == Action::kDown;
    current = d.desired;
    clock.Advance(milliseconds(100));
  }
  EXPECT_EQ(current, 4);
  EXPECT_EQ(ups, 1);
  EXPECT_EQ(downs, 0);
}

// A slower oscillation (period longer than the delay) does lower the
// count, but never within one delay of the last sample that wanted more:
// an up is never followed by a down sooner than the delay.
TEST(PolicyTest, DownComesAtLeastOneDelayAfterTheLastHigherWish) {
  FakeClock clock;
  const milliseconds delay = seconds(3);
  Policy p(Options(1, 6, 10, delay));
  int current = 1, downs = 0;
  Clock::time_point last_up{};
  std::vector<std::pair<Clock::time_point, int>> wishes;  // (time, bounded raw)
  for (int i = 0; i < 1200; ++i) {
    const int phase = (i / 50) % 4;  // 5 s each: 60, 20, 0, 30 sessions
    const double load = phase == 0 ? 60 : phase == 1 ? 20 : phase == 2 ? 0 : 30;
    const Decision d = p.Decide({current, load}, clock.now);
    ASSERT_GE(d.desired, 1);
    ASSERT_LE(d.desired, 6);
    if (d.action == Action::kUp) last_up = clock.now;
    if (d.action == Action::kDown) {
      ++downs;
      EXPECT_GE(clock.now - last_up, delay);
      for (const auto& [at, wish] : wishes) {
        if (at > clock.now - delay) {
          EXPECT_LE(wish, d.desired);
        }
      }
    }
    wishes.emplace_back(clock.now, std::clamp(d.raw, 1, 6));
    current = d.desired;
    clock.Advance(milliseconds(100));
  }
  EXPECT_GE(downs, 6);
}

// A policy that starts with instances running (a restarted scaler) does not
// scale down before one delay has passed, and scales up at once.
TEST(PolicyTest, RestartedPolicyWaitsOneDelayBeforeScalingDown) {
  FakeClock clock;
  Policy p(Options(1, 5, 10, seconds(4)));
  EXPECT_EQ(p.Decide({3, 0}, clock.now).desired, 3);
  clock.Advance(seconds(3));
  EXPECT_EQ(p.Decide({3, 0}, clock.now).desired, 3);
  clock.Advance(milliseconds(1001));
  const Decision d = p.Decide({3, 0}, clock.now);
  EXPECT_EQ(d.action, Action::kDown);
  EXPECT_EQ(d.desired, 1);

  Policy q(Options(1, 5, 10, seconds(4)));
  EXPECT_EQ(q.Decide({3, 45}, clock.now).desired, 5);
}

// A fall is to the highest recommendation in the window, not below.
TEST(PolicyTest, ScaleDownGoesToTheHighestRecommendationInTheWindow) {
  FakeClock clock;
  Policy p(Options(1, 10, 10, seconds(5)));
  (void)p.Decide({6, 60}, clock.now);  // 6
  clock.Advance(seconds(2));
  (void)p.Decide({6, 40}, clock.now);  // 4
  clock.Advance(seconds(2));
  (void)p.Decide({6, 20}, clock.now);  // 2
  clock.Advance(milliseconds(1500));   // the 6 left the window
  const Decision d = p.Decide({6, 10}, clock.now);
  EXPECT_EQ(d.action, Action::kDown);
  EXPECT_EQ(d.desired, 4);
}

// Zero delay: scale down at once.
TEST(PolicyTest, ZeroDelayScalesDownAtOnce) {
  Policy p(Options(1, 5, 10, milliseconds(0)));
  const Decision d = p.Decide({4, 10}, Clock::now());
  EXPECT_EQ(d.action, Action::kDown);
  EXPECT_EQ(d.desired, 1);
}

}  // namespace
}  // namespace berth::scale
