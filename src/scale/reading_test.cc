#include "scale/reading.h"

#include <gtest/gtest.h>

namespace berth::scale {
namespace {

using Row = std::map<std::string, std::string>;

Row Server(const std::string& backend, const std::string& name, const std::string& status, int scur,
           int rate, int qcur) {
  return {{"pxname", backend},
          {"svname", name},
          {"status", status},
          {"scur", std::to_string(scur)},
          {"rate", std::to_string(rate)},
          {"qcur", std::to_string(qcur)}};
}

ReadingInputs Inputs(Metric metric) {
  ReadingInputs in;
  in.service = "web";
  in.backend = "be";
  in.metric = metric;
  in.running = {"web-1", "web-2", "web-3", "web-10", "web-4", "other"};
  in.registered = {"web-1", "web-2", "web-10", "web-4", "other"};
  in.draining = {"web-4"};
  in.stat = {
      Server("fe", "FRONTEND", "OPEN", 99, 99, 0),
      Server("be", "web-1", "UP", 5, 50, 1),
      Server("be", "web-2", "UP 1/2", 7, 70, 2),
      Server("be", "web-3", "DOWN", 0, 0, 0),       // not registered yet either
      Server("be", "web-10", "DOWN 1/2", 1, 3, 0),  // registered, not UP yet
      Server("be", "web-4", "DRAIN", 9, 9, 9),      // being killed
      Server("be", "other", "no check", 2, 20, 0),
      Server("be", "stranger", "UP", 100, 100, 100),  // not an instance of ours
      Server("be", "BACKEND", "UP", 124, 252, 4),
      Server("other_be", "web-1", "UP", 1000, 1000, 1000),
  };
  return in;
}

TEST(ReadingTest, ClassifiesInstancesAndSumsTheirServers) {
  const struct {
    Metric metric;
    double total;
  } cases[] = {
      {Metric::kSessions, 5 + 7 + 0 + 1 + 2},
      {Metric::kRate, 50 + 70 + 0 + 3 + 20},
      {Metric::kQueue, 1 + 2 + 0 + 0 + 0 + 4},  // plus the backend's queue
  };
  for (const auto& c : cases) {
    const Reading r = Read(Inputs(c.metric));
    EXPECT_DOUBLE_EQ(r.total, c.total) << MetricName(c.metric);
    EXPECT_EQ(r.ready, (std::vector<std::string>{"web-2", "web-1", "other"}));
    EXPECT_EQ(r.starting, (std::vector<std::string>{"web-10", "web-3"}));
    EXPECT_EQ(r.current(), 5);
  }
}

TEST(ReadingTest, NoHaproxyRowsMeansEverythingIsStarting) {
  ReadingInputs in = Inputs(Metric::kSessions);
  in.stat.clear();
  const Reading r = Read(in);
  EXPECT_TRUE(r.ready.empty());
  EXPECT_EQ(r.current(), 5);
  EXPECT_EQ(r.total, 0);
}

TEST(ReadingTest, KillOrderTakesTheHighestNumberFirst) {
  EXPECT_EQ(
      KillOrder({"app-2", "app-10", "app-1", "zed", "app-x", "alpha", "app-9"}, "app"),
      (std::vector<std::string>{"app-10", "app-9", "app-2", "app-1", "zed", "app-x", "alpha"}));
  EXPECT_EQ(KillOrder({}, "app"), std::vector<std::string>{});
  // Another service's numbering is just a name.
  EXPECT_EQ(KillOrder({"web-3", "app-1"}, "app"), (std::vector<std::string>{"app-1", "web-3"}));
}

}  // namespace
}  // namespace berth::scale
