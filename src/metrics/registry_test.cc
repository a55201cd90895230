#include "metrics/registry.h"

#include <gtest/gtest.h>

namespace berth::metrics {
namespace {

TEST(Registry, RendersEveryDigitOfAGauge) {
  Registry r;
  r.AddGauge("t_seconds", "a Unix time")->Set(1795663864.125);
  r.AddGauge("half", "a fraction")->Set(0.5);
  r.AddCounter("n_total", "a counter")->Inc(3);
  const std::string text = r.Render();
  EXPECT_NE(text.find("t_seconds 1795663864.125\n"), std::string::npos) << text;
  EXPECT_NE(text.find("half 0.5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("n_total 3\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace berth::metrics
