// `berth confd -backend zookeeper` against a real ZooKeeper
// (zookeeper_fixture.h): conformance cases loaded as znodes render exactly
// what confd rendered from the file backend; confd's mapping (leaves carry
// the values); -watch following puts, deletes, a server restart and a burst
// of writes; and the backend's watch surviving a session expiry.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/zookeeper/zookeeper_backend.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/store_cases.h"
#include "tests/integration/zookeeper_fixture.h"

namespace berth {
namespace {

using namespace std::chrono_literals;
using testing::BerthProcess;
using testing::ReadWholeFile;
using testing::WaitUntil;
using testing::ZookeeperServer;
using testing::ZookeeperServerOptions;

constexpr std::string_view kServersTemplate =
    "{{range gets \"/app/servers/*\"}}{{base .Key}}={{.Value}}\n{{end}}";

class ZookeeperBackendTest : public testing::ZookeeperTest {
 protected:
  void TearDown() override {
    if (HasFailure() && berth_) {
      std::fprintf(stderr, "---- berth log (tail) ----\n%s\n", berth_->LogTail(6000).c_str());
    }
    berth_.reset();
  }

  static void Put(ZookeeperServer& zk, const std::string& path, const std::string& value) {
    Status s = zk.Put(path, value);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  static void Delete(ZookeeperServer& zk, const std::string& path) {
    Status s = zk.Delete(path);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  std::pair<int, std::string> RunCase(const std::string& name, const ZookeeperServer& zk) {
    testing::TempDir work;
    auto confdir = testing::PrepareCase(name, work.path());
    if (!confdir) return {-1, confdir.error().message()};
    auto p = BerthProcess::Start(
        BerthProcess::Binary(),
        {"confd", "-onetime", "-backend", "zookeeper", "-node", zk.node(), "-confdir", *confdir,
         "-config-file", work.Path("none.toml"), "-log-level", "error"},
        work.Path("berth.log"));
    if (!p) return {-1, p.error().message()};
    auto status = (*p)->WaitExit(20s);
    if (!status) return {-1, "berth did not exit"};
    const int code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128;
    std::string diff = testing::CompareCaseOutput(name, work.path());
    if (code != 0) diff += "exit " + std::to_string(code) + ": " + (*p)->LogTail();
    return {code, diff};
  }

  struct Onetime {
    int exit = -1;
    std::optional<std::string> output;
    std::string log;
  };
  Onetime RunServers(const std::vector<std::string>& nodes) {
    testing::TempDir work;
    WriteServersResource(work);
    std::vector<std::string> args = {"confd", "-onetime", "-backend", "zookeeper"};
    for (const auto& n : nodes) args.insert(args.end(), {"-node", n});
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

  void WriteServersResource(const testing::TempDir& dir) {
    dir.MkDir("out");
    dir.Write("conf.d/servers.toml", "[template]\nsrc = \"servers.tmpl\"\ndest = \"" +
                                         dir.Path("out/servers") +
                                         "\"\nkeys = [\"/app/servers\"]\n");
    dir.Write("templates/servers.tmpl", kServersTemplate);
  }

  void StartWatching(const testing::TempDir& dir, const ZookeeperServer& zk) {
    WriteServersResource(dir);
    auto p = BerthProcess::Start(
        BerthProcess::Binary(),
        {"confd", "-watch", "-backend", "zookeeper", "-node", zk.node(), "-confdir", dir.path(),
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

  std::unique_ptr<BerthProcess> berth_;
};

TEST_F(ZookeeperBackendTest, ConformanceCasesRenderAsConfdDoes) {
  BERTH_START_ZOOKEEPER(zk, ZookeeperServerOptions{});
  for (const std::string& name : testing::StoreConformanceCases()) {
    SCOPED_TRACE(name);
    auto data = testing::CaseData(name);
    ASSERT_TRUE(data.has_value()) << data.error().message();
    for (const char* top : {"/app", "/services", "/svc"}) Delete(*zk, top);
    for (const kv::Entry& e : *data) Put(*zk, e.key, e.value);
    auto [code, diff] = RunCase(name, *zk);
    EXPECT_EQ(code, 0);
    EXPECT_EQ(diff, "");
  }
}

// Only leaves carry values: a znode with children contributes none of its
// own data.  A missing prefix reads as empty (confd fails instead).
TEST_F(ZookeeperBackendTest, LeavesCarryTheValues) {
  BERTH_START_ZOOKEEPER(zk, ZookeeperServerOptions{});
  Onetime missing = RunServers({zk->node()});
  EXPECT_EQ(missing.exit, 0) << missing.log;
  EXPECT_EQ(missing.output, "");

  Put(*zk, "/app/servers", "data of a directory");
  Put(*zk, "/app/servers/web1", "10.0.0.1:80");
  Put(*zk, "/app/servers/web2", "");
  Put(*zk, "/app/servers/dir", "ignored: it has children");
  Put(*zk, "/app/servers/dir/x", "deeper");
  Onetime r = RunServers({"127.0.0.1:1", zk->node()});  // a dead node, then the live one
  EXPECT_EQ(r.exit, 0) << r.log;
  EXPECT_EQ(r.output, "web1=10.0.0.1:80\nweb2=\n");
}

TEST_F(ZookeeperBackendTest, BadNodeAndUnreachableServerAreClearErrors) {
  Onetime bad = RunServers({"zk:2181/chroot"});
  EXPECT_NE(bad.exit, 0);
  EXPECT_NE(bad.log.find("bad zookeeper -node \"zk:2181/chroot\""), std::string::npos) << bad.log;
  Onetime down = RunServers({"127.0.0.1:1"});
  EXPECT_NE(down.exit, 0);
  EXPECT_FALSE(down.output.has_value());
  EXPECT_NE(down.log.find("127.0.0.1:1"), std::string::npos) << down.log;
}

TEST_F(ZookeeperBackendTest, WatchFollowsPutsDeletesAndARestart) {
  BERTH_START_ZOOKEEPER(zk, ZookeeperServerOptions{});
  Put(*zk, "/app/servers/web1", "10.0.0.1:80");
  Put(*zk, "/app/servers/web2", "10.0.0.2:80");
  testing::TempDir dir;
  StartWatching(dir, *zk);
  const std::string out = dir.Path("out/servers");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:80\nweb2=10.0.0.2:80\n"));

  Put(*zk, "/app/servers/web3", "10.0.0.3:80");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:80\nweb2=10.0.0.2:80\nweb3=10.0.0.3:80\n"));
  Put(*zk, "/app/servers/web1", "10.0.0.1:8080");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:8080\nweb2=10.0.0.2:80\nweb3=10.0.0.3:80\n"));
  Delete(*zk, "/app/servers/web2");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:8080\nweb3=10.0.0.3:80\n"));
  // A leaf that becomes a directory leaves the list.
  Put(*zk, "/app/servers/web3/child", "x");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:8080\n"));

  ASSERT_TRUE(zk->Stop().ok());
  ASSERT_TRUE(zk->Restart().ok());
  Put(*zk, "/app/servers/web4", "10.0.0.4:80");
  ASSERT_TRUE(FileBecomes(out, "web1=10.0.0.1:8080\nweb4=10.0.0.4:80\n"));
  Delete(*zk, "/app/servers");
  ASSERT_TRUE(FileBecomes(out, ""));
  Put(*zk, "/app/servers/web5", "10.0.0.5:80");
  ASSERT_TRUE(FileBecomes(out, "web5=10.0.0.5:80\n"));
  EXPECT_TRUE(berth_->Running());
}

TEST_F(ZookeeperBackendTest, BurstOfAThousandWritesEndsWithTheRightFile) {
  BERTH_START_ZOOKEEPER(zk, ZookeeperServerOptions{});
  Put(*zk, "/app/servers/s000", "first");
  testing::TempDir dir;
  StartWatching(dir, *zk);
  const std::string out = dir.Path("out/servers");
  ASSERT_TRUE(FileBecomes(out, "s000=first\n"));
  std::map<std::string, std::string> want;
  want["s000"] = "first";
  char name[16];
  for (int i = 0; i < 1000; ++i) {
    std::snprintf(name, sizeof(name), "s%03d", i % 300);
    if (i % 7 == 6) {
      Delete(*zk, std::string("/app/servers/") + name);
      want.erase(name);
    } else {
      const std::string v = "10.0.0.1:" + std::to_string(i);
      Put(*zk, std::string("/app/servers/") + name, v);
      want[name] = v;
    }
  }
  std::string expected;
  for (const auto& [k, v] : want) expected += k + "=" + v + "\n";
  ASSERT_TRUE(FileBecomes(out, expected, 30s));
}

// The backend's watch when the session expires: it reports a resync, the
// next watch is armed on a new session, and a change after that fires.
TEST_F(ZookeeperBackendTest, WatchIsArmedAgainAfterSessionExpiry) {
  BERTH_START_ZOOKEEPER(zk, ZookeeperServerOptions{});
  Put(*zk, "/app/servers/web1", "1");
  backend::zookeeper::ZookeeperOptions options;
  options.nodes = {zk->node()};
  auto backend = backend::zookeeper::NewZookeeperBackend(options);
  ASSERT_TRUE(backend.has_value()) << backend.error().message();
  auto& b = **backend;
  auto watch = b.WatchPrefix("/app/servers", 0);
  ASSERT_TRUE(watch.has_value()) << watch.error().message();
  auto quiet = (*watch)->Next(100ms);
  ASSERT_FALSE(quiet.has_value());
  EXPECT_EQ(quiet.error().code(), Code::kTimeout);

  auto session = b.SessionForTest();
  ASSERT_TRUE(session.has_value()) << session.error().message();
  ASSERT_TRUE(zk->ExpireSession(session->first, session->second).ok());
  // Expiry is a resync (the watches are gone); the next use of the backend
  // makes a new session.  (The old session may first reconnect, which is a
  // resync too, before the server closes it.)
  bool resynced = false;
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto n = (*watch)->Next(100ms);
        if (n && n->resync) resynced = true;
        auto now = b.SessionForTest();
        return resynced && now && now->first != session->first;
      },
      20s, 1ms));
  // As the daemon does: watch again (retrying with a backoff), then read.
  Result<backend::WatchPtr> again = Err(Status::Unavailable("not yet"));
  ASSERT_TRUE(WaitUntil(
      [&] {
        again = b.WatchPrefix("/app/servers", 0);
        return again.has_value();
      },
      20s, 50ms))
      << again.error().message();
  Put(*zk, "/app/servers/web2", "2");
  auto fired = (*again)->Next(10s);
  ASSERT_TRUE(fired.has_value()) << fired.error().message();
  EXPECT_TRUE(fired->resync);
  auto read = b.GetValues({"/app/servers"});
  ASSERT_TRUE(read.has_value()) << read.error().message();
  EXPECT_EQ(*read,
            (std::vector<kv::Entry>{{"/app/servers/web1", "1"}, {"/app/servers/web2", "2"}}));
}

}  // namespace
}  // namespace berth
