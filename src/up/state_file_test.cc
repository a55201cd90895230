// The state file: JSON round trip, refusals naming the field (and, when
// loaded, the file), defaults for absent fields, SaveState's timestamp and
// atomic write, and UpState's record helpers.
#include "up/state_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>
#include <string>

#include "sys/testing/temp_dir.h"

namespace berth::up {
namespace {

using berth::testing::TempDir;

UpState FullState() {
  UpState s;
  s.phase = UpState::Phase::kUp;
  s.updated = "2026-11-25T12:00:00Z";
  s.settings.port = 18080;
  s.settings.instances = 5;
  s.settings.service = "web";
  s.settings.prefix = "/web/servers";
  s.settings.image = "example/web:1";
  s.settings.etcd = "http://127.0.0.1:12379";
  s.settings.docker = "unix:///run/docker.sock";
  s.settings.confdir = "/s/confd";
  s.settings.haproxy = "/opt/haproxy";
  s.settings.host_ip = "10.0.0.5";
  s.haproxy_files = {"/s/haproxy/haproxy.cfg", "/s/run/haproxy.sock", "/s/run/haproxy-master.sock",
                     "/s/run/haproxy.pid"};
  s.etcd_started = true;
  s.dockerd_started = true;
  s.confd_metrics = "127.0.0.1:40123";
  s.processes = {
      {"etcd",
       4242,
       123456,
       {"/usr/bin/etcd", "--name=berth", "a \"quoted\" arg"},
       "/s/logs/etcd.log"},
      {"haproxy",
       4300,
       18446744073709551615ULL,
       {"/usr/sbin/haproxy", "-W"},
       "/s/logs/haproxy.log"},
  };
  s.instances = {"web-1", "web-2", "web-10"};
  return s;
}

TEST(StateJsonTest, RoundTrip) {
  const UpState state = FullState();
  const std::string json = StateToJson(state);
  auto back = StateFromJson(json);
  ASSERT_TRUE(back.has_value()) << back.error().message() << "\n" << json;
  EXPECT_EQ(*back, state) << json;
  // Stable: the same text again.
  EXPECT_EQ(StateToJson(*back), json);
}

TEST(StateJsonTest, EveryPhaseRoundTrips) {
  for (auto phase : {UpState::Phase::kStarting, UpState::Phase::kUp, UpState::Phase::kDown}) {
    UpState s;
    s.phase = phase;
    auto back = StateFromJson(StateToJson(s));
    ASSERT_TRUE(back.has_value()) << back.error().message();
    EXPECT_EQ(back->phase, phase) << PhaseName(phase);
  }
  EXPECT_EQ(PhaseName(UpState::Phase::kStarting), "starting");
  EXPECT_EQ(PhaseName(UpState::Phase::kUp), "up");
  EXPECT_EQ(PhaseName(UpState::Phase::kDown), "down");
}

TEST(StateJsonTest, AbsentFieldsTakeTheirDefaults) {
  auto s = StateFromJson(R"({"version": 1, "settings": {"port": 9000}, "unknown": [1, 2]})");
  ASSERT_TRUE(s.has_value()) << s.error().message();
  UpState want;
  want.phase = UpState::Phase::kDown;
  want.settings.port = 9000;
  EXPECT_EQ(*s, want);
  // null counts as absent.
  s = StateFromJson(R"({"version": 1, "phase": "up", "instances": null})");
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_EQ(s->phase, UpState::Phase::kUp);
  EXPECT_TRUE(s->instances.empty());
}

TEST(StateJsonTest, RefusalsNameTheField) {
  struct Case {
    std::string text;
    std::string want_in_message;
  };
  const Case kCases[] = {
      {"", "not a JSON object"},
      {"{", "not a JSON object"},
      {"[1]", "not a JSON object"},
      {"\"up\"", "not a JSON object"},
      {"{}", "version 0"},
      {R"({"version": 2})", "version 2"},
      {R"({"version": "1"})", "version"},
      {R"({"version": 1, "phase": "running"})", "phase \"running\""},
      {R"({"version": 1, "phase": 3})", "phase"},
      {R"({"version": 1, "settings": {"port": "80"}})", "settings.port"},
      {R"({"version": 1, "settings": {"instances": "3"}})", "settings.instances"},
      {R"({"version": 1, "settings": {"service": 1}})", "settings"},
      {R"({"version": 1, "haproxy_files": {"socket": 1}})", "haproxy_files"},
      {R"({"version": 1, "etcd_started": "yes"})", "etcd_started"},
      {R"({"version": 1, "confd_metrics": 1})", "confd_metrics"},
      {R"({"version": 1, "processes": [{"name": "etcd"}]})", "without a name or a pid"},
      {R"({"version": 1, "processes": [{"pid": 5}]})", "without a name or a pid"},
      {R"({"version": 1, "processes": [{"name": "etcd", "pid": "5"}]})", "processes"},
      {R"({"version": 1, "processes": [{"name": "x", "pid": 5, "argv": "a"}]})", "processes"},
      {R"({"version": 1, "instances": "app-1"})", "instances"},
  };
  for (const Case& c : kCases) {
    auto s = StateFromJson(c.text);
    ASSERT_FALSE(s.has_value()) << "accepted " << c.text;
    EXPECT_EQ(s.error().code(), Code::kInvalidArgument) << c.text;
    EXPECT_NE(s.error().message().find(c.want_in_message), std::string::npos)
        << c.text << " -> " << s.error().message();
  }
}

TEST(LoadStateTest, MissingFileIsNoState) {
  TempDir tmp;
  auto s = LoadState(tmp.Path("up.json"));
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_FALSE(s->has_value());
}

TEST(LoadStateTest, CorruptFileIsRefusedNamingIt) {
  TempDir tmp;
  for (const std::string text : {"{\"version\": 1, \"phase\": ", "garbage", "{\"version\": 7}"}) {
    const std::string path = tmp.Write("up.json", text);
    auto s = LoadState(path);
    ASSERT_FALSE(s.has_value()) << "accepted " << text;
    EXPECT_EQ(s.error().code(), Code::kInvalidArgument) << text;
    EXPECT_NE(s.error().message().find(path), std::string::npos) << s.error().message();
  }
}

TEST(SaveStateTest, WritesAtomicallyWithTheTimeAndLoadsBack) {
  TempDir tmp;
  const std::string path = tmp.Path("up.json");
  UpState state = FullState();
  state.updated.clear();
  ASSERT_TRUE(SaveState(path, &state).ok());
  EXPECT_TRUE(std::regex_match(state.updated, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << state.updated;
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_EQ(tmp.List(), "up.json") << "a staged file was left behind";
  auto loaded = LoadState(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, state);

  // Saved again: replaced, not appended to.
  state.instances = {"only-1"};
  ASSERT_TRUE(SaveState(path, &state).ok());
  loaded = LoadState(path);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  EXPECT_EQ((*loaded)->instances, std::vector<std::string>{"only-1"});
}

TEST(SaveStateTest, FailsInAMissingDirectory) {
  TempDir tmp;
  UpState state;
  EXPECT_FALSE(SaveState(tmp.Path("missing/up.json"), &state).ok());
}

TEST(UpStateTest, FindPutRemove) {
  UpState s;
  EXPECT_EQ(s.Find("etcd"), nullptr);
  s.Put({"etcd", 10, 1, {"/e"}, "/l/etcd.log"});
  s.Put({"agent", 11, 2, {"/a"}, "/l/agent.log"});
  ASSERT_NE(s.Find("etcd"), nullptr);
  EXPECT_EQ(s.Find("etcd")->pid, 10);
  // Put replaces the record of the same name, in place.
  s.Put({"etcd", 20, 3, {"/e2"}, "/l/etcd.log"});
  ASSERT_EQ(s.processes.size(), 2u);
  EXPECT_EQ(s.processes[0].name, "etcd");
  EXPECT_EQ(s.processes[0].pid, 20);
  EXPECT_EQ(s.processes[1].name, "agent");
  const UpState& cs = s;
  ASSERT_NE(cs.Find("agent"), nullptr);
  EXPECT_EQ(cs.Find("agent")->start_time, 2u);
  s.Remove("etcd");
  EXPECT_EQ(s.Find("etcd"), nullptr);
  ASSERT_EQ(s.processes.size(), 1u);
  s.Remove("nothing");
  EXPECT_EQ(s.processes.size(), 1u);
}

}  // namespace
}  // namespace berth::up
