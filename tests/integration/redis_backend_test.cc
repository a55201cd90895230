// `berth confd -backend redis` against a real redis-server
// (redis_fixture.h): conformance cases loaded into redis render exactly
// what confd rendered from the file backend; confd's key mapping
// (-separator, hashes, host:port/db, unix sockets, -client-key as the
// password); and -watch following puts, deletes, a server restart and a
// burst of writes, through keyspace notifications, which berth checks are on.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/redis/redis_backend.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/redis_fixture.h"
#include "tests/integration/store_cases.h"

namespace berth {
namespace {

using namespace std::chrono_literals;
using testing::BerthProcess;
using testing::ReadWholeFile;
using testing::RedisServer;
using testing::RedisServerOptions;
using testing::WaitUntil;

constexpr std::string_view kServersTemplate =
    "{{range gets \"/app/servers/*\"}}{{base .Key}}={{.Value}}\n{{end}}";

class RedisBackendTest : public testing::RedisTest {
 protected:
  void TearDown() override {
    if (HasFailure() && berth_) {
      std::fprintf(stderr, "---- berth log (tail) ----\n%s\n", berth_->LogTail(6000).c_str());
    }
    berth_.reset();
  }

  // Loads a conformance case's keys into `db`, mapped with `separator`.
  void Load(RedisServer& redis, const std::string& name, const std::string& separator, int db) {
    auto data = testing::CaseData(name);
    ASSERT_TRUE(data.has_value()) << data.error().message();
    ASSERT_TRUE(redis.Command({"FLUSHALL"}).has_value());
    for (const kv::Entry& e : *data) {
      redis.Set(backend::redis::RedisTransform(e.key, separator), e.value, db);
    }
  }

  // berth confd -onetime ARGS over the case's confdir; the exit status and
  // what differs from confd's output ("" when nothing).
  std::pair<int, std::string> RunCase(const std::string& name, std::vector<std::string> args) {
    testing::TempDir work;
    auto confdir = testing::PrepareCase(name, work.path());
    if (!confdir) return {-1, confdir.error().message()};
    args.insert(args.begin(), {"confd", "-onetime", "-backend", "redis"});
    args.insert(args.end(), {"-confdir", *confdir, "-config-file", work.Path("none.toml"),
                             "-log-level", "error"});
    auto p = BerthProcess::Start(BerthProcess::Binary(), args, work.Path("berth.log"));
    if (!p) return {-1, p.error().message()};
    auto status = (*p)->WaitExit(20s);
    if (!status) return {-1, "berth did not exit"};
    const int code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128;
    std::string diff = testing::CompareCaseOutput(name, work.path());
    if (code != 0) diff += "exit " + std::to_string(code) + ": " + (*p)->LogTail();
    return {code, diff};
  }

  // berth confd -onetime ARGS with one resource; its exit status, the
  // rendered file (nullopt when none) and the log.
  struct Onetime {
    int exit = -1;
    std::optional<std::string> output;
    std::string log;
  };
  Onetime RunServers(std::vector<std::string> args, const std::string& keys = "/app/servers") {
    testing::TempDir work;
    WriteServersResource(work, keys);
    args.insert(args.begin(), {"confd", "-onetime", "-backend", "redis"});
    args.insert(args.end(), {"-confdir", work.path(), "-config-file", work.Path("none.toml")});
    Onetime r;
    auto p = BerthProcess::Start(BerthProcess::Binary(), args, work.Path("berth.log"));
    if (!p) {
      r.log = p.error().message();
      return r;
    }
    auto status = (*p)->WaitExit(20s);
    if (status) r.exit = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128;
    r.output = ReadWholeFile(work.Path("out/servers"));
    r.log = (*p)->Log();
    return r;
  }

  void WriteServersResource(const testing::TempDir& dir, const std::string& keys) {
    dir.MkDir("out");
    dir.Write("conf.d/servers.toml", "[template]\nsrc = \"servers.tmpl\"\ndest = \"" +
                                         dir.Path("out/servers") + "\"\nkeys = [\"" + keys +
                                         "\"]\n");
    dir.Write("templates/servers.tmpl", kServersTemplate);
  }

  void StartWatching(const testing::TempDir& dir, const RedisServer& redis) {
    WriteServersResource(dir, "/app/servers");
    auto p = BerthProcess::Start(
        BerthProcess::Binary(),
        {"confd", "-watch", "-backend", "redis", "-node", redis.node(), "-confdir", dir.path(),
         "-config-file", dir.Path("none.toml"), "-log-level", "info"},
        dir.Path("berth.log"));
    ASSERT_TRUE(p.has_value()) << p.error().message();
    berth_ = std::move(*p);
  }

  ::testing::AssertionResult FileBecomes(const std::string& path, const std::string& expected,
                                         std::chrono::milliseconds timeout = 20s) {
    if (WaitUntil([&] { return ReadWholeFile(path) == expected; }, timeout, 5ms)) {
      return ::testing::AssertionSuccess();
    }
    auto actual = ReadWholeFile(path);
    return ::testing::AssertionFailure()
           << path << " is\n"
           << (actual ? actual->substr(0, 2000) : "(missing)") << "\nnot\n"
           << expected.substr(0, 2000);
  }

  // What kServersTemplate renders for redis's state now.
  static std::string ServersRender(RedisServer& redis) {
    auto keys = redis.Command({"KEYS", "/app/servers/*"});
    EXPECT_TRUE(keys.has_value());
    std::map<std::string, std::string> kvs;
    if (keys && *keys && !(*keys)->empty()) {
      std::string all = **keys;
      for (size_t start = 0; start <= all.size();) {
        size_t end = all.find('\n', start);
        if (end == std::string::npos) end = all.size();
        const std::string k = all.substr(start, end - start);
        auto v = redis.Command({"GET", k});
        const std::string base = k.substr(std::string("/app/servers/").size());
        if (v && *v && base.find('/') == std::string::npos) kvs[base] = **v;
        start = end + 1;
      }
    }
    std::string out;
    for (const auto& [k, v] : kvs) out += k + "=" + v + "\n";
    return out;
  }

  std::unique_ptr<BerthProcess> berth_;
};

TEST_F(RedisBackendTest, ConformanceCasesRenderAsConfdDoes) {
  BERTH_START_REDIS(redis, RedisServerOptions{});
  for (const std::string& name : testing::StoreConformanceCases()) {
    SCOPED_TRACE(name);
    Load(*redis, name, "/", 0);
    auto [code, diff] = RunCase(name, {"-node", redis->node()});
    EXPECT_EQ(code, 0);
    EXPECT_EQ(diff, "");
  }
}

// -separator ":", a database chosen with host:port/db, the password from
// -client-key (confd's spelling) or -password, a unix socket node, and a
// dead node before the live one.
TEST_F(RedisBackendTest, SeparatorDatabasePasswordAndUnixSocket) {
  RedisServerOptions options;
  options.password = "s3cret";
  BERTH_START_REDIS(redis, options);
  const std::string name = "range--ls-lsdir";
  Load(*redis, name, ":", 2);
  auto [code, diff] = RunCase(name, {"-node", "127.0.0.1:1", "-node", redis->node() + "/2",
                                     "-separator", ":", "-client-key", "s3cret"});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(diff, "");
  auto [code2, diff2] = RunCase(
      name, {"-node", redis->unix_socket() + "/2", "-separator", ":", "-password", "s3cret"});
  EXPECT_EQ(code2, 0);
  EXPECT_EQ(diff2, "");

  // A wrong password is an error that says so; nothing is rendered.
  Onetime wrong = RunServers({"-node", redis->node(), "-password", "nope"});
  EXPECT_NE(wrong.exit, 0);
  EXPECT_FALSE(wrong.output.has_value());
  EXPECT_NE(wrong.log.find("AUTH"), std::string::npos) << wrong.log;
}

// A hash at the requested key gives one key per field; strings below the
// prefix are found with SCAN; other types below it are skipped (as in
// confd).
TEST_F(RedisBackendTest, HashesStringsAndOtherTypes) {
  BERTH_START_REDIS(redis, RedisServerOptions{});
  ASSERT_TRUE(redis->Command({"HSET", "/app/servers", "web1", "10.0.0.1:80", "web2", "10.0.0.2:80"})
                  .has_value());
  Onetime hash = RunServers({"-node", redis->node()});
  EXPECT_EQ(hash.exit, 0) << hash.log;
  EXPECT_EQ(hash.output, "web1=10.0.0.1:80\nweb2=10.0.0.2:80\n");

  ASSERT_TRUE(redis->Command({"DEL", "/app/servers"}).has_value());
  redis->Set("/app/servers/a", "1");
  redis->Set("/app/servers/b", "2");
  ASSERT_TRUE(redis->Command({"RPUSH", "/app/servers/list", "x"}).has_value());
  ASSERT_TRUE(redis->Command({"HSET", "/app/servers/h", "f", "v"}).has_value());
  redis->Set("/app/serversX", "not below the prefix");
  Onetime strings = RunServers({"-node", redis->node()});
  EXPECT_EQ(strings.exit, 0) << strings.log;
  EXPECT_EQ(strings.output, "a=1\nb=2\n");
}

TEST_F(RedisBackendTest, BadNodeAndUnreachableServerAreClearErrors) {
  Onetime bad = RunServers({"-node", "localhost"});
  EXPECT_NE(bad.exit, 0);
  EXPECT_NE(bad.log.find("bad redis -node \"localhost\""), std::string::npos) << bad.log;
  Onetime down = RunServers({"-node", "127.0.0.1:1"});
  EXPECT_NE(down.exit, 0);
  EXPECT_FALSE(down.output.has_value());
  EXPECT_NE(down.log.find("127.0.0.1:1"), std::string::npos) << down.log;
}

TEST_F(RedisBackendTest, WatchFollowsPutsDeletesAndARestart) {
  BERTH_START_REDIS(redis, RedisServerOptions{});
  redis->Set("/app/servers/web1", "10.0.0.1:80");
  redis->Set("/app/servers/web2", "10.0.0.2:80");
  testing::TempDir dir;
  StartWatching(dir, *redis);
  const std::string out = dir.Path("out/servers");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:80\nweb2=10.0.0.2:80\n"));

  redis->Set("/app/servers/web3", "10.0.0.3:80");
  ASSERT_TRUE(FileBecomes(out, ServersRender(*redis)));
  redis->Set("/app/servers/web1", "10.0.0.1:8080");
  ASSERT_TRUE(FileBecomes(out, ServersRender(*redis)));
  ASSERT_TRUE(redis->Command({"DEL", "/app/servers/web2"}).has_value());
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:8080\nweb3=10.0.0.3:80\n"));
  ASSERT_TRUE(redis->Command({"HSET", "/app/servers/ignored", "f", "v"}).has_value());

  // The server goes away and comes back (with its data): the watch
  // reconnects, reads again and follows the next change.
  ASSERT_TRUE(redis->Stop().ok());
  ASSERT_TRUE(redis->Restart().ok());
  redis->Set("/app/servers/web4", "10.0.0.4:80");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:8080\nweb3=10.0.0.3:80\nweb4=10.0.0.4:80\n"));
  ASSERT_TRUE(redis->Command({"DEL", "/app/servers/web1", "/app/servers/web3"}).has_value());
  ASSERT_TRUE(FileBecomes(out, "web4=10.0.0.4:80\n"));
  EXPECT_TRUE(berth_->Running());
}

TEST_F(RedisBackendTest, BurstOfAThousandWritesEndsWithTheRightFile) {
  BERTH_START_REDIS(redis, RedisServerOptions{});
  testing::TempDir dir;
  StartWatching(dir, *redis);
  const std::string out = dir.Path("out/servers");
  ASSERT_TRUE(FileBecomes(out, ""));
  char key[64];
  for (int i = 0; i < 1000; ++i) {
    std::snprintf(key, sizeof(key), "/app/servers/s%03d", i % 400);
    if (i % 7 == 6) {
      ASSERT_TRUE(redis->Command({"DEL", key}).has_value());
    } else {
      redis->Set(key, "10.0.0.1:" + std::to_string(i));
    }
  }
  const std::string expected = ServersRender(*redis);
  EXPECT_GT(expected.size(), 1000u);
  ASSERT_TRUE(FileBecomes(out, expected, 30s));
}

// Without keyspace notifications confd's watch never fires; berth says so,
// naming the fix, keeps the first render, and follows once they are on.
TEST_F(RedisBackendTest, NotificationsOffNamesTheFix) {
  RedisServerOptions options;
  options.keyspace_events = "";
  BERTH_START_REDIS(redis, options);
  redis->Set("/app/servers/web1", "10.0.0.1:80");
  testing::TempDir dir;
  StartWatching(dir, *redis);
  const std::string out = dir.Path("out/servers");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:80\n"));
  ASSERT_TRUE(WaitUntil(
      [&] { return berth_->CountInLog("CONFIG SET notify-keyspace-events KA") > 0; }, 10s));
  EXPECT_GT(berth_->CountInLog("keyspace notifications are off"), 0u) << berth_->Log();

  ASSERT_TRUE(redis->Command({"CONFIG", "SET", "notify-keyspace-events", "KA"}).has_value());
  // The watch is retried with a backoff of at most 5 s; each put below may
  // come before it is in place, the read after it then finds the key.
  redis->Set("/app/servers/web2", "10.0.0.2:80");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:80\nweb2=10.0.0.2:80\n", 15s));
  redis->Set("/app/servers/web3", "10.0.0.3:80");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:80\nweb2=10.0.0.2:80\nweb3=10.0.0.3:80\n"));
}

}  // namespace
}  // namespace berth
