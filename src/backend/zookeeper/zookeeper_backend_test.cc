#include "backend/zookeeper/zookeeper_backend.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::backend::zookeeper {
namespace {

TEST(ZookeeperNodes, HostsString) {
  struct Case {
    std::vector<std::string> nodes;
    const char* hosts;
  };
  const Case cases[] = {
      {{"127.0.0.1:2181"}, "127.0.0.1:2181"},
      {{"zk1"}, "zk1:2181"},  // the Go client's default port
      {{"zk1:2182", "zk2"}, "zk1:2182,zk2:2181"},
      {{"[::1]:2190", "[::1]"}, "[::1]:2190,[::1]:2181"},
  };
  for (const Case& c : cases) {
    auto h = ZookeeperHosts(c.nodes);
    ASSERT_TRUE(h.has_value()) << h.error().message();
    EXPECT_EQ(*h, c.hosts);
  }
}

TEST(ZookeeperNodes, BadNodesNameTheProblem) {
  for (const char* bad :
       {"", "a,b:1", "zk:2181/chroot", "zk:", "zk:x", ":2181", "zk:99999", "::1:2181", "[::1"}) {
    auto h = ZookeeperHosts({bad});
    ASSERT_FALSE(h.has_value()) << bad;
    EXPECT_EQ(h.error().code(), Code::kInvalidArgument);
    EXPECT_NE(h.error().message().find(std::string("\"") + bad + "\""), std::string::npos)
        << h.error().message();
  }
  EXPECT_FALSE(ZookeeperHosts({}).has_value());
}

TEST(ZookeeperBackend, UnreachableServerIsAClearError) {
  ZookeeperOptions o;
  o.nodes = {"127.0.0.1:1"};
  o.connect_timeout = std::chrono::milliseconds(300);
  auto b = NewZookeeperBackend(o);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)->name(), "zookeeper");
  auto r = (*b)->GetValues({"/app"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kUnavailable);
  EXPECT_NE(r.error().message().find("127.0.0.1:1"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace berth::backend::zookeeper
