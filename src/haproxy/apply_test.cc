#include "haproxy/apply.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "haproxy/testing_fake_api.h"

namespace berth::haproxy {
namespace {

// A tiny simulation of HAProxy's CLI for the commands ApplyServerChanges
// sends, with the replies HAProxy 2.6 gives.
class SimulatedHaproxy {
 public:
  struct Server {
    std::string name, ip;
    int port = 0;
    std::string state = "ready";  // ready | drain | maint
    bool check = false, health = false;
    int weight = 1;
    int sessions = 0;
    bool stuck = false;  // sessions never end
  };

  void AddBackend(const std::string& name) { backends_[name]; }
  Server& Add(const std::string& backend, Server s) {
    backends_[backend].push_back(std::move(s));
    return backends_[backend].back();
  }
  Server* Find(const std::string& backend, const std::string& name) {
    auto b = backends_.find(backend);
    if (b == backends_.end()) return nullptr;
    for (auto& s : b->second) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
  // "a b" for the servers of a backend, in order.
  std::string Names(const std::string& backend) {
    std::string out;
    for (const auto& s : backends_[backend]) out += (out.empty() ? "" : " ") + s.name;
    return out;
  }
  void FailNext(std::string prefix, std::string reply) {
    fail_prefix_ = std::move(prefix);
    fail_reply_ = std::move(reply);
  }

  Result<std::string> Handle(std::string_view line) {
    std::istringstream in{std::string(line)};
    std::vector<std::string> w;
    for (std::string x; in >> x;) w.push_back(x);
    if (!fail_prefix_.empty() && line.starts_with(fail_prefix_)) {
      fail_prefix_.clear();
      return fail_reply_;
    }
    if (line == "show backend") {
      std::string out = "# name\n";
      for (const auto& [name, servers] : backends_) out += name + "\n";
      return out + "\n";
    }
    if (line == "show servers state") {
      std::string out =
          "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
          "srv_iweight srv_port\n";
      for (const auto& [name, servers] : backends_) {
        for (const auto& s : servers) {
          const int admin = s.state == "maint" ? 1 : s.state == "drain" ? 8 : 0;
          out += "3 " + name + " 1 " + s.name + " " + s.ip + " 2 " + std::to_string(admin) + " " +
                 std::to_string(s.weight) + " 1 " + std::to_string(s.port) + "\n";
        }
      }
      return out + "\n";
    }
    if (line == "show stat") {
      std::string out = "# pxname,svname,scur,\n";
      for (auto& [name, servers] : backends_) {
        for (auto& s : servers) {
          out += name + "," + s.name + "," + std::to_string(s.sessions) + ",\n";
          if (s.state != "ready" && s.sessions > 0 && !s.stuck) --s.sessions;
        }
      }
      return out + "\n";
    }
    if (w.size() < 3) return std::string("Unknown command.\n");
    const size_t slash = w[2].find('/');
    const std::string backend = w[2].substr(0, slash), name = w[2].substr(slash + 1);
    if (w[0] == "add" && w[1] == "server") {
      if (!backends_.count(backend)) return std::string("No such backend.\n");
      if (Find(backend, name)) {
        return std::string("Already exists a server with the same name in backend.\n\n");
      }
      Server s{name, w[3].substr(0, w[3].rfind(':')), std::stoi(w[3].substr(w[3].rfind(':') + 1))};
      s.state = "maint";
      for (size_t i = 4; i < w.size(); ++i) {
        if (w[i] == "check") s.check = true;
        if (w[i] == "weight") s.weight = std::stoi(w[i + 1]);
      }
      Add(backend, s);
      return std::string("New server registered.\n\n");
    }
    if (w[0] == "enable" || w[0] == "disable") {
      const std::string b = w[2].substr(0, slash), n = w[2].substr(slash + 1);
      Server* s = Find(b, n);
      if (!s) return std::string("No such server.\n\n");
      if (!s->check) {
        return std::string("Health check was not configured on this server, cannot enable.\n\n");
      }
      s->health = w[0] == "enable";
      return std::string("\n");
    }
    if (w[0] == "shutdown") {  // shutdown sessions server b/s
      const std::string target = w[3];
      const size_t sl = target.find('/');
      Server* s = Find(target.substr(0, sl), target.substr(sl + 1));
      if (!s) return std::string("No such server.\n\n");
      s->sessions = 0;
      return std::string("\n");
    }
    Server* s = Find(backend, name);
    if (!s) return std::string("No such server.\n\n");
    if (w[0] == "del") {
      if (s->state != "maint")
        return std::string("Only servers in maintenance mode can be deleted.\n");
      if (s->sessions > 0) {
        return std::string("Server still has connections attached to it, cannot remove it.\n");
      }
      auto& list = backends_[backend];
      list.erase(list.begin() + (s - list.data()));
      return std::string("Server deleted.\n");
    }
    if (w[0] == "set" && w[3] == "state") {
      s->state = w[4];
      return std::string("\n");
    }
    if (w[0] == "set" && w[3] == "weight") {
      s->weight = std::stoi(w[4]);
      return std::string("\n");
    }
    if (w[0] == "set" && w[3] == "addr") {
      const std::string old = s->ip;
      s->ip = w[4];
      s->port = std::stoi(w[6]);
      return "IP changed from '" + old + "' to '" + s->ip + "' by 'stats socket command'\n\n";
    }
    return std::string("Unknown command.\n");
  }

 private:
  std::map<std::string, std::vector<Server>> backends_;
  std::string fail_prefix_, fail_reply_;
};

constexpr std::string_view kOld = R"(frontend fe
    bind :80
    default_backend be
backend be
    balance roundrobin
    server a 10.0.0.1:80 check inter 5000 fall 1 rise 2
    server b 10.0.0.2:80 check inter 5000 fall 1 rise 2
)";

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const size_t at = s.find(from);
  if (at == std::string::npos) ADD_FAILURE() << "no \"" << from << "\"";
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class ApplyTest : public ::testing::Test {
 protected:
  ApplyTest() : api_([this](std::string_view line) { return sim_.Handle(line); }) {
    sim_.AddBackend("be");
    sim_.Add("be", {"a", "10.0.0.1", 80, "ready", true, true});
    sim_.Add("be", {"b", "10.0.0.2", 80, "ready", true, true});
    options_.poll_interval = std::chrono::milliseconds(1);
  }

  ApplyResult Apply(const std::string& new_text, std::string_view old_text = kOld) {
    const ConfigDiff diff = DiffConfigs(old_text, new_text);
    return ApplyServerChanges(api_, diff, options_);
  }

  // The commands sent, without the read-only ones.
  std::vector<std::string> Changes() const {
    std::vector<std::string> out;
    for (const auto& s : api_.sent()) {
      if (!s.starts_with("show ")) out.push_back(s);
    }
    return out;
  }

  SimulatedHaproxy sim_;
  testing::FakeRuntimeApi api_;
  ApplyOptions options_;
};

TEST_F(ApplyTest, AddsServerWithHealthCheckThenReady) {
  const ApplyResult r = Apply(std::string(kOld) + "    server c 10.0.0.3:8080 check inter 2s\n");
  ASSERT_EQ(r.outcome, ApplyResult::Outcome::kApplied) << r.reason;
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "add server be/c 10.0.0.3:8080 check inter 2s",
                           "enable health be/c",
                           "set server be/c state ready",
                       }));
  EXPECT_EQ(api_.sent().front(), "show backend");
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].action, ServerChangeReport::Action::kAdded);
  EXPECT_EQ(r.changes[0].detail, "10.0.0.3:8080");
  EXPECT_EQ(sim_.Find("be", "c")->state, "ready");
  EXPECT_TRUE(sim_.Find("be", "c")->health);
}

TEST_F(ApplyTest, AddsWithoutCheckOrDisabled) {
  const ApplyResult r = Apply(std::string(kOld) + "    server c 10.0.0.3:80\n" +
                              "    server d [::1]:80 weight 3 disabled\n");
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "add server be/c 10.0.0.3:80",
                           "set server be/c state ready",
                           "add server be/d [::1]:80 weight 3 disabled",
                       }));
  EXPECT_EQ(sim_.Find("be", "d")->state, "maint");
}

TEST_F(ApplyTest, RemovesAfterDrain) {
  sim_.Find("be", "b")->sessions = 3;
  const ApplyResult r =
      Apply(Replace(kOld, "    server b 10.0.0.2:80 check inter 5000 fall 1 rise 2\n", ""));
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "set server be/b state drain",
                           "set server be/b state maint",
                           "disable health be/b",
                           "shutdown sessions server be/b",
                           "del server be/b",
                       }));
  int polls = 0;
  for (const auto& s : api_.sent()) polls += s == "show stat";
  EXPECT_GE(polls, 3);
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].action, ServerChangeReport::Action::kRemoved);
  EXPECT_EQ(r.changes[0].detail.rfind("drained in", 0), 0u) << r.changes[0].detail;
  EXPECT_EQ(sim_.Names("be"), "a");
}

TEST_F(ApplyTest, ScaleUpAndDownTogetherAddsFirst) {
  const ApplyResult r =
      Apply(Replace(kOld, "    server a 10.0.0.1:80 check inter 5000 fall 1 rise 2\n", "") +
            "    server c 10.0.0.3:80 check inter 5000 fall 1 rise 2\n");
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "add server be/c 10.0.0.3:80 check inter 5000 fall 1 rise 2",
                           "enable health be/c",
                           "set server be/c state ready",
                           "set server be/a state drain",
                           "set server be/a state maint",
                           "disable health be/a",
                           "shutdown sessions server be/a",
                           "del server be/a",
                       }));
  EXPECT_EQ(sim_.Names("be"), "b c");
}

TEST_F(ApplyTest, AddressWeightAndOtherModifications) {
  std::string new_text = Replace(kOld, "10.0.0.1:80 check", "10.0.0.9:81 check");
  new_text = Replace(new_text, "10.0.0.2:80 check inter 5000 fall 1 rise 2",
                     "10.0.0.2:80 check inter 5000 fall 1 rise 2 weight 20");
  ApplyResult r = Apply(new_text);
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "set server be/a addr 10.0.0.9 port 81",
                           "set server be/b weight 20",
                       }));
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].detail, "10.0.0.1:80 -> 10.0.0.9:81");
  EXPECT_EQ(r.changes[1].detail, "1 -> 20");

  api_.ClearSent();
  r = Apply(Replace(new_text, "10.0.0.2:80 check inter 5000", "10.0.0.2:80 check inter 1000"),
            new_text);
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "set server be/b state drain",
                           "set server be/b state maint",
                           "disable health be/b",
                           "shutdown sessions server be/b",
                           "del server be/b",
                           "add server be/b 10.0.0.2:80 check inter 1000 fall 1 rise 2 weight 20",
                           "enable health be/b",
                           "set server be/b state ready",
                       }));
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].action, ServerChangeReport::Action::kReplaced);

  api_.ClearSent();
  const std::string reordered = Replace(new_text, "check inter 5000 fall 1 rise 2 weight 20",
                                        "rise 2 fall 1 check weight 20 inter 5000");
  r = Apply(reordered, new_text);
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_TRUE(Changes().empty());
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].action, ServerChangeReport::Action::kUnchanged);
}

TEST_F(ApplyTest, RefusesInvalidInputAndSendsNothing) {
  const std::string cases[] = {
      std::string(kOld) + "    server evil 10.0.0.1:80; shutdown frontend fe\n",
      std::string(kOld) + "    server evil 10.0.0.1:80 inter 1s;shutdown\n",
      std::string(kOld) + "    server evil \"10.0.0.1:80 check\"\n",
      std::string(kOld) + "    server \"ev il\" 10.0.0.1:80\n",
      std::string(kOld) + "    server \"evil\\n\" 10.0.0.1:80\n",
      std::string(kOld) + "    server evil 10.0.0.1:80 inter\n",
      std::string(kOld) + "    server evil 10.0.0.1:80 weight 1000\n",
      Replace(kOld, "10.0.0.2:80 check", "10.0.0.2:80;show check"),
      // A refusal anywhere wins over a reload needed elsewhere.
      std::string(kOld) + "    server c 10.0.0.3:80 cookie c\n" +
          "    server evil 10.0.0.1:80; shutdown frontend fe\n",
      std::string(kOld) + "    server evil web.local:80 inter 1s;shutdown\n",
  };
  for (const auto& c : cases) {
    api_.ClearSent();
    const ApplyResult r = Apply(c);
    EXPECT_EQ(r.outcome, ApplyResult::Outcome::kRefused) << c << "\n" << r.reason;
    EXPECT_TRUE(api_.sent().empty()) << c;
  }
  EXPECT_EQ(sim_.Names("be"), "a b");
}

TEST_F(ApplyTest, NeedsReloadWhenRuntimeCannotDoIt) {
  const std::string cases[] = {
      std::string(kOld) + "    server c 10.0.0.3:80 cookie c\n",
      std::string(kOld) + "    server c web3.local:80\n",
      std::string(kOld) + "    server c 10.0.0.3\n",
      std::string(kOld) + "    server c 10.0.0.3:80 track be/a\n",
      Replace(kOld, "roundrobin", "static-rr") + "    server c 10.0.0.3:80\n",
      Replace(kOld, "balance roundrobin", "balance roundrobin\n    default-server check") +
          "    server c 10.0.0.3:80\n",
      Replace(kOld, "frontend fe", "frontend fe2"),
  };
  for (const auto& c : cases) {
    api_.ClearSent();
    const std::string old_text =
        c.find("static-rr") != std::string::npos ? Replace(kOld, "roundrobin", "static-rr")
        : c.find("default-server") != std::string::npos
            ? Replace(kOld, "balance roundrobin", "balance roundrobin\n    default-server check")
            : std::string(kOld);
    const ApplyResult r = Apply(c, old_text);
    EXPECT_EQ(r.outcome, ApplyResult::Outcome::kNeedsReload) << c << "\n" << r.reason;
    EXPECT_FALSE(r.reason.empty());
    EXPECT_TRUE(api_.sent().empty()) << c;
  }
  // A weight change in a static backend.
  api_.ClearSent();
  const std::string st = Replace(kOld, "roundrobin", "static-rr");
  const ApplyResult r =
      Apply(Replace(st, "rise 2\n    server b", "rise 2 weight 5\n    server b"), st);
  EXPECT_EQ(r.outcome, ApplyResult::Outcome::kNeedsReload) << r.reason;
  EXPECT_TRUE(api_.sent().empty());
}

TEST_F(ApplyTest, NeedsReloadWhenHaproxyDiffersFromOldFile) {
  sim_.Add("be", {"c", "10.0.0.3", 80});
  ApplyResult r = Apply(std::string(kOld) + "    server c 10.0.0.3:80\n");
  EXPECT_EQ(r.outcome, ApplyResult::Outcome::kNeedsReload);
  EXPECT_NE(r.reason.find("already runs be/c"), std::string::npos) << r.reason;
  EXPECT_TRUE(Changes().empty());

  api_.ClearSent();
  r = Apply(Replace(kOld, "    server b 10.0.0.2:80 check inter 5000 fall 1 rise 2\n", ""),
            Replace(kOld, "server b", "server z"));
  EXPECT_EQ(r.outcome, ApplyResult::Outcome::kNeedsReload);
  EXPECT_NE(r.reason.find("does not run be/z"), std::string::npos) << r.reason;
  EXPECT_TRUE(Changes().empty());
}

TEST_F(ApplyTest, DrainTimeoutCutsSessionsOrFails) {
  options_.drain_timeout = std::chrono::milliseconds(30);
  sim_.Find("be", "b")->sessions = 2;
  sim_.Find("be", "b")->stuck = true;
  const std::string without_b =
      Replace(kOld, "    server b 10.0.0.2:80 check inter 5000 fall 1 rise 2\n", "");
  options_.cut_sessions_after_drain_timeout = false;
  ApplyResult r = Apply(without_b);
  EXPECT_EQ(r.outcome, ApplyResult::Outcome::kFailed);
  EXPECT_NE(r.reason.find("2 session(s) still open on be/b"), std::string::npos) << r.reason;
  EXPECT_EQ(sim_.Names("be"), "a b");

  api_.ClearSent();
  options_.cut_sessions_after_drain_timeout = true;
  r = Apply(without_b);
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_EQ(Changes(), (std::vector<std::string>{
                           "set server be/b state drain",
                           "set server be/b state maint",
                           "disable health be/b",
                           "shutdown sessions server be/b",
                           "del server be/b",
                       }));
  EXPECT_NE(r.changes[0].detail.find("sessions cut"), std::string::npos) << r.changes[0].detail;
  EXPECT_EQ(sim_.Names("be"), "a");
}

TEST_F(ApplyTest, FailureMidwayReportsWhatWasDone) {
  sim_.FailNext("add server be/d", "Some HAProxy error.\n");
  const ApplyResult r =
      Apply(std::string(kOld) + "    server c 10.0.0.3:80\n" + "    server d 10.0.0.4:80\n");
  EXPECT_EQ(r.outcome, ApplyResult::Outcome::kFailed);
  EXPECT_NE(r.reason.find("Some HAProxy error."), std::string::npos) << r.reason;
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].server, "c");
}

TEST_F(ApplyTest, IdenticalAndReloadDiffsSendNothing) {
  ApplyResult r = Apply(std::string(kOld) + "# a comment\n");
  EXPECT_TRUE(r.applied());
  EXPECT_TRUE(r.changes.empty());
  r = Apply(Replace(kOld, "bind :80", "bind :81"));
  EXPECT_EQ(r.outcome, ApplyResult::Outcome::kNeedsReload);
  EXPECT_NE(r.reason.find("bind :81"), std::string::npos) << r.reason;
  EXPECT_TRUE(api_.sent().empty());
  EXPECT_EQ(OutcomeName(r.outcome), "needs reload");
}

TEST_F(ApplyTest, WithoutVerification) {
  options_.verify_running_state = false;
  const ApplyResult r = Apply(std::string(kOld) + "    server c 10.0.0.3:80\n");
  ASSERT_TRUE(r.applied()) << r.reason;
  EXPECT_EQ(api_.sent(), (std::vector<std::string>{
                             "add server be/c 10.0.0.3:80",
                             "set server be/c state ready",
                         }));
}

}  // namespace
}  // namespace berth::haproxy
