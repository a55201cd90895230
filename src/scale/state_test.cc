#include "scale/state.h"

#include <gtest/gtest.h>

#include "sys/testing/temp_dir.h"

namespace berth::scale {
namespace {

ScalerState Example() {
  ScalerState s;
  s.unix_time = 1795608000.5;
  s.service = "app";
  s.backend = "TransparentBack_http";
  s.metric = "sessions";
  s.target = 10;
  s.min = 1;
  s.max = 5;
  s.observed = 46;
  s.current = 3;
  s.starting = 1;
  s.desired = 5;
  s.action = "up";
  s.reason = "capped at max 5";
  return s;
}

TEST(ScalerStateTest, RoundTripsThroughAFile) {
  berth::testing::TempDir dir;
  const std::string path = dir.Path("scale.json");
  auto none = ReadScalerState(path);
  ASSERT_TRUE(none.has_value()) << none.error().message();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(WriteScalerState(path, Example()).ok());
  auto back = ReadScalerState(path);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, Example());
}

TEST(ScalerStateTest, RefusesOtherFiles) {
  for (const char* text : {"", "[]", "{\"version\": 2}", "{\"version\": 1}", "nonsense"}) {
    auto s = ScalerStateFromJson(text);
    ASSERT_FALSE(s.has_value()) << text;
    EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
  }
}

TEST(ScalerStateTest, DescribesTheDecisionForStatus) {
  ScalerState s = Example();
  EXPECT_EQ(DescribeScalerState(s, s.unix_time + 4),
            "3 → 5 (sessions 46/instance, target 10, min 1, max 5; capped at max 5), 4s ago");
  s.error = "HAProxy at /run/h.sock: connect: No such file or directory";
  s.reason.clear();
  EXPECT_EQ(DescribeScalerState(s, s.unix_time + 300),
            "3 → 5 (sessions 46/instance, target 10, min 1, max 5), 5m ago; last interval: HAProxy "
            "at /run/h.sock: connect: No such file or directory");
}

}  // namespace
}  // namespace berth::scale
