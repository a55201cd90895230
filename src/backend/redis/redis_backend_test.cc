#include "backend/redis/redis_backend.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace berth::backend::redis {
namespace {

TEST(RedisKeys, TransformAndClean) {
  struct Case {
    const char* key;
    const char* separator;
    const char* transformed;
  };
  const Case cases[] = {
      {"/app/db/host", "/", "/app/db/host"},
      {"/app/db/host", "", "/app/db/host"},
      {"/app/db/host", ":", "app:db:host"},
      {"app/db", ":", "app:db"},
      {"//app", ":", ":app"},  // only one leading '/' goes
      {"/", ":", ""},
      {"/a/b", "::", "a::b"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RedisTransform(c.key, c.separator), c.transformed) << c.key << " " << c.separator;
  }
  EXPECT_EQ(RedisClean("app:db:host", ":"), "/app/db/host");
  EXPECT_EQ(RedisClean("/app/db", "/"), "/app/db");
  EXPECT_EQ(RedisClean("app/db", "/"), "/app/db");
  EXPECT_EQ(RedisClean("a::b:c", "::"), "/a/b:c");
  // A hash field below a transformed key, as confd names it.
  EXPECT_EQ(RedisClean("app:db/host", ":"), "/app/db/host");
}

TEST(RedisKeys, ScanPattern) {
  EXPECT_EQ(RedisScanPattern("/", "/"), "*");
  EXPECT_EQ(RedisScanPattern("/", ":"), "*");
  EXPECT_EQ(RedisScanPattern("/app/servers", "/"), "/app/servers/*");
  EXPECT_EQ(RedisScanPattern("/app/servers", ":"), "app:servers:*");
  EXPECT_EQ(RedisScanPattern("/a[1]*?\\", "/"), "/a\\[1\\]\\*\\?\\\\/*");
  EXPECT_EQ(RedisGlobEscape("plain"), "plain");
}

TEST(RedisKeys, KeyspaceEvents) {
  EXPECT_TRUE(KeyspaceEventsSufficient("KA"));
  EXPECT_TRUE(KeyspaceEventsSufficient("AKE"));
  EXPECT_TRUE(KeyspaceEventsSufficient("Kg$h"));
  EXPECT_FALSE(KeyspaceEventsSufficient(""));
  EXPECT_FALSE(KeyspaceEventsSufficient("EA"));   // keyevent only
  EXPECT_FALSE(KeyspaceEventsSufficient("Kg$"));  // no hash events
  EXPECT_FALSE(KeyspaceEventsSufficient("K"));
}

TEST(RedisNodes, Parse) {
  auto n = ParseRedisNode("127.0.0.1:6379");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->host, "127.0.0.1");
  EXPECT_EQ(n->port, 6379);
  EXPECT_EQ(n->db, 0);
  EXPECT_FALSE(n->is_unix());

  n = ParseRedisNode("redis.example:6380/4");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->host, "redis.example");
  EXPECT_EQ(n->port, 6380);
  EXPECT_EQ(n->db, 4);

  n = ParseRedisNode("[::1]:7000/2");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->host, "::1");
  EXPECT_EQ(n->port, 7000);
  EXPECT_EQ(n->db, 2);

  n = ParseRedisNode("/no/such/dir/redis.sock");
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(n->is_unix());
  EXPECT_EQ(n->unix_path, "/no/such/dir/redis.sock");
  EXPECT_EQ(n->db, 0);

  n = ParseRedisNode("/no/such/dir/redis.sock/3");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->unix_path, "/no/such/dir/redis.sock");
  EXPECT_EQ(n->db, 3);

  // An existing file is a socket path even without a leading '/', and
  // digits at its end are part of the name.
  char path[] = "/tmp/berth-redis-node-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  n = ParseRedisNode(path);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->unix_path, path);
  EXPECT_EQ(n->db, 0);
  unlink(path);
}

TEST(RedisNodes, BadNodesNameTheProblem) {
  for (const char* bad : {"", "localhost", "host:", ":6379", "host:port", "host:70000",
                          "host:6379/x", "host:6379/", "[::1]6379"}) {
    auto n = ParseRedisNode(bad);
    ASSERT_FALSE(n.has_value()) << bad;
    EXPECT_EQ(n.error().code(), Code::kInvalidArgument);
    EXPECT_NE(n.error().message().find(std::string("\"") + bad + "\""), std::string::npos)
        << n.error().message();
  }
  RedisOptions o;
  o.nodes = {"127.0.0.1:6379", "nope"};
  auto b = NewRedisBackend(o);
  ASSERT_FALSE(b.has_value());
  EXPECT_NE(b.error().message().find("\"nope\""), std::string::npos);
  EXPECT_FALSE(NewRedisBackend({}).has_value());
}

TEST(RedisBackend, UnreachableServerIsAClearError) {
  // Port 1 on loopback: nothing listens there.
  RedisOptions o;
  o.nodes = {"127.0.0.1:1", "/no/such/redis.sock"};
  auto b = NewRedisBackend(o);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)->name(), "redis");
  auto r = (*b)->GetValues({"/app"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kUnavailable);
  EXPECT_NE(r.error().message().find("127.0.0.1:1"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("/no/such/redis.sock"), std::string::npos);
}

}  // namespace
}  // namespace berth::backend::redis
