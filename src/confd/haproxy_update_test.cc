#include "confd/haproxy_update.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "confd/apply.h"
#include "sys/file.h"
#include "sys/testing/temp_dir.h"

namespace berth::confd {
namespace {

using berth::testing::TempDir;

constexpr char kOld[] =
    "global\n"
    "defaults\n"
    "  mode http\n"
    "backend web\n"
    "  server a 10.0.0.1:80 check\n";

kv::SnapshotPtr Servers(std::string a, std::string b = "") {
  std::vector<kv::Entry> entries = {{"/app/servers/a", std::move(a)}};
  if (!b.empty()) entries.push_back({"/app/servers/b", std::move(b)});
  return kv::Snapshot::Create(std::move(entries));
}

std::string Render(const kv::Snapshot& s) {
  std::string out = "global\ndefaults\n  mode http\nbackend web\n";
  for (const auto& e : s.entries()) {
    out += "  server " + e.key.substr(e.key.rfind('/') + 1) + " " + e.value + " check\n";
  }
  return out;
}

class UpdateHaproxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("haproxy.cfg", kOld);
    r_.toml_path = dir_.Path("conf.d/haproxy.toml");
    r_.src = dir_.Path("templates/haproxy.cfg.tmpl");
    r_.dest = dir_.Path("haproxy.cfg");
    r_.prefix = "/";
    r_.uid = geteuid();
    r_.gid = getegid();
    // Nothing listens there: every Runtime API call fails.
    r_.haproxy_socket = dir_.Path("no-haproxy.sock");
    options_.command_timeout = std::chrono::seconds(5);
  }
  std::string Dest() const {
    auto text = sys::ReadFile(r_.dest);
    return text ? *text : "<missing>";
  }

  TempDir dir_;
  TemplateResource r_;
  SyncOptions options_;
};

TEST_F(UpdateHaproxyTest, InjectionThroughAValueIsRefusedAndNothingChanges) {
  const char* kValues[] = {
      "10.0.0.2:80; shutdown frontend x",
      "10.0.0.2:80\nshutdown frontend x",
      "10.0.0.2:80 shutdown frontend x",
      "10.0.0.2:80 backup",
      "10.0.0.2:80\tweight 0",
      "10.0.0.2:80#",
  };
  for (const char* value : kValues) {
    SCOPED_TRACE(value);
    auto snapshot = Servers("10.0.0.1:80", value);
    auto outcome = UpdateHaproxy(r_, *snapshot, Render(*snapshot), options_);
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().code(), Code::kInvalidArgument);
    EXPECT_NE(outcome.error().message().find("/app/servers/b"), std::string::npos)
        << outcome.error().message();
    EXPECT_NE(outcome.error().message().find(r_.dest), std::string::npos);
    EXPECT_EQ(Dest(), kOld);
  }
}

TEST_F(UpdateHaproxyTest, InvalidServerNameIsRefused) {
  auto snapshot = kv::Snapshot::Create(
      {{"/app/servers/a", "10.0.0.1:80"}, {"/app/servers/b;x", "10.0.0.2:80"}});
  auto outcome = UpdateHaproxy(r_, *snapshot, Render(*snapshot), options_);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code(), Code::kInvalidArgument);
  EXPECT_NE(outcome.error().message().find("refusing"), std::string::npos)
      << outcome.error().message();
  EXPECT_EQ(Dest(), kOld);
}

TEST_F(UpdateHaproxyTest, UnsafeValueOutsideServerLinesIsAllowed) {
  auto snapshot = kv::Snapshot::Create(
      {{"/app/servers/a", "10.0.0.1:80"}, {"/app/title", "my shop; main site"}});
  std::string content = std::string(kOld) + "# my shop; main site\n";
  auto outcome = UpdateHaproxy(r_, *snapshot, content, options_);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, ApplyOutcome::kAppliedLive);  // a comment: no reload
  EXPECT_EQ(Dest(), content);
}

TEST_F(UpdateHaproxyTest, SameTextIsInSync) {
  auto snapshot = Servers("10.0.0.1:80");
  auto outcome = UpdateHaproxy(r_, *snapshot, kOld, options_);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, ApplyOutcome::kInSync);
}

TEST_F(UpdateHaproxyTest, OtherChangesNeedAReload) {
  auto snapshot = Servers("10.0.0.1:80");
  std::string content = std::string(kOld) + "frontend fe\n  bind :8080\n  default_backend web\n";
  auto outcome = UpdateHaproxy(r_, *snapshot, content, options_);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, ApplyOutcome::kUpdated);
  EXPECT_EQ(Dest(), content);
}

TEST_F(UpdateHaproxyTest, ServerChangeFallsBackToAReloadWhenTheRuntimeApiFails) {
  auto snapshot = Servers("10.0.0.1:80", "10.0.0.2:80");
  const std::string content = Render(*snapshot);
  auto outcome = UpdateHaproxy(r_, *snapshot, content, options_);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, ApplyOutcome::kUpdated);
  EXPECT_EQ(Dest(), content);  // installed: the reload makes HAProxy run it
}

TEST_F(UpdateHaproxyTest, FailedCheckKeepsDest) {
  r_.check_cmd = "false {{.src}}";
  auto snapshot = Servers("10.0.0.1:80");
  auto outcome = UpdateHaproxy(r_, *snapshot, std::string(kOld) + "frontend fe\n", options_);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(Dest(), kOld);
}

TEST_F(UpdateHaproxyTest, ServerOnlyChangesSkipTheCheck) {
  // Every changed line is validated instead; the Runtime API (absent here)
  // then fails and a reload is asked for.
  r_.check_cmd = "false {{.src}}";
  auto snapshot = Servers("10.0.0.1:80", "10.0.0.2:80");
  auto outcome = UpdateHaproxy(r_, *snapshot, Render(*snapshot), options_);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, ApplyOutcome::kUpdated);
  EXPECT_EQ(Dest(), Render(*snapshot));
}

TEST_F(UpdateHaproxyTest, MissingDestIsWrittenAndReloaded) {
  ASSERT_EQ(::unlink(r_.dest.c_str()), 0);
  auto snapshot = Servers("10.0.0.1:80");
  auto outcome = UpdateHaproxy(r_, *snapshot, kOld, options_);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, ApplyOutcome::kUpdated);
  EXPECT_EQ(Dest(), kOld);
}

TEST(CheckNoUnsafeValuesTest, OnlyValuesInServerLinesCount) {
  auto snapshot = kv::Snapshot::Create({{"/a", "x y"}, {"/b", "1.2.3.4:80"}});
  EXPECT_TRUE(CheckNoUnsafeValues(*snapshot, "server s 1.2.3.4:80\n# x y\n").ok());
  EXPECT_TRUE(CheckNoUnsafeValues(*snapshot, "x y\nserver s 1.2.3.4:80\n").ok());
  EXPECT_FALSE(CheckNoUnsafeValues(*snapshot, "  server s x y\n").ok());
  EXPECT_FALSE(CheckNoUnsafeValues(*snapshot, "default-server x y\n").ok());
  EXPECT_FALSE(CheckNoUnsafeValues(*snapshot, "backend b\n\tserver\tx y").ok());
  EXPECT_TRUE(CheckNoUnsafeValues(*snapshot, "serverx y\n").ok());
}

}  // namespace
}  // namespace berth::confd
