#include "haproxy/runtime_api.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "haproxy/testing_fake_api.h"

namespace berth::haproxy {
namespace {

// Recorded from HAProxy 2.6.12.
constexpr std::string_view kServersState =
    "1\n"
    "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
    "srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health "
    "srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord "
    "srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n"
    "3 be 1 s1 127.0.0.1 0 0 1 1 6 8 2 0 6 0 0 0 - 18081 - 0 0 - - 0\n"
    "3 be 2 s2 127.0.0.1 2 9 7 1 6 1 0 2 0 0 0 0 - 18082 - 0 0 - - 0\n"
    "4 other 1 v6 ::1 2 1 1 1 6 1 0 2 0 0 0 0 - 80 - 0 0 - - 0\n"
    "\n";

TEST(ParseServersStateTest, Version1) {
  auto r = ParseServersState(kServersState);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 3u);
  const ServerState& s1 = (*r)[0];
  EXPECT_EQ(s1.backend_id, 3);
  EXPECT_EQ(s1.backend, "be");
  EXPECT_EQ(s1.server_id, 1);
  EXPECT_EQ(s1.server, "s1");
  EXPECT_EQ(s1.address, "127.0.0.1");
  EXPECT_EQ(s1.port, 18081);
  EXPECT_EQ(s1.op_state, ServerState::Op::kStopped);
  EXPECT_EQ(s1.admin_state, 0u);
  EXPECT_EQ(s1.check_result, 2);
  EXPECT_EQ(s1.check_state, 6u);
  EXPECT_FALSE(s1.in_maintenance());
  EXPECT_FALSE(s1.draining());
  const ServerState& s2 = (*r)[1];
  EXPECT_EQ(s2.op_state, ServerState::Op::kRunning);
  EXPECT_EQ(s2.admin_state, 9u);
  EXPECT_TRUE(s2.in_maintenance());
  EXPECT_TRUE(s2.draining());
  EXPECT_EQ(s2.user_weight, 7);
  EXPECT_EQ(s2.initial_weight, 1);
  EXPECT_EQ((*r)[2].address, "::1");
  EXPECT_EQ((*r)[2].port, 80);
}

TEST(ParseServersStateTest, Errors) {
  struct Case {
    std::string reply;
    Code code;
  };
  const Case cases[] = {
      {"Can't find backend.\n\n", Code::kFailedPrecondition},
      {"Permission denied\n", Code::kFailedPrecondition},
      {"2\n# be_id\n", Code::kInternal},
      {"1\n", Code::kInternal},
      {"1\n# be_id be_name\n3 be\n", Code::kInternal},  // columns missing
      {"1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
       "srv_iweight srv_port\n3 be 1 s1 1.2.3.4 x 0 1 1 80\n",
       Code::kInternal},
      {"1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
       "srv_iweight srv_port\n3 be 1 s1\n",
       Code::kInternal},
  };
  for (const auto& c : cases) {
    auto r = ParseServersState(c.reply);
    ASSERT_FALSE(r.has_value()) << c.reply;
    EXPECT_EQ(r.error().code(), c.code) << c.reply << r.error().message();
  }
  auto empty = ParseServersState(
      "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
      "srv_iweight srv_port\n\n");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseShowStatTest, Rows) {
  auto r = ParseShowStat(
      "# pxname,svname,qcur,qmax,scur,smax,\n"
      "fe,FRONTEND,,,3,5,\n"
      "be,s1,0,0,2,4,\n"
      "be,BACKEND,0,0,2,4,\n\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].at("pxname"), "be");
  EXPECT_EQ((*r)[1].at("svname"), "s1");
  EXPECT_EQ((*r)[1].at("scur"), "2");
  EXPECT_EQ((*r)[0].at("qcur"), "");
  EXPECT_FALSE(ParseShowStat("No such proxy.\n").has_value());
}

TEST(ParseShowBackendTest, Names) {
  auto r = ParseShowBackend("# name\nbe\nTransparentBack_http\n\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (std::vector<std::string>{"be", "TransparentBack_http"}));
  EXPECT_FALSE(ParseShowBackend("Permission denied\n").has_value());
}

TEST(CheckReplyTest, Table) {
  struct Case {
    std::string reply;
    ReplyKind kind;
    Code code;
  };
  // Replies recorded from HAProxy 2.6.12.
  const Case cases[] = {
      {"\n", ReplyKind::kEmpty, Code::kOk},
      {"", ReplyKind::kEmpty, Code::kOk},
      {"No such server.\n\n", ReplyKind::kEmpty, Code::kNotFound},
      {"Absolute weight can only be between 0 and 256 inclusive.\n\n", ReplyKind::kEmpty,
       Code::kFailedPrecondition},
      {"Health check was not configured on this server, cannot enable.\n\n", ReplyKind::kEmpty,
       Code::kFailedPrecondition},
      {"Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n\n",
       ReplyKind::kEmpty, Code::kFailedPrecondition},
      {"Permission denied\n", ReplyKind::kEmpty, Code::kFailedPrecondition},
      {"New server registered.\n\n", ReplyKind::kServerAdded, Code::kOk},
      {"\nNew server registered.\n\n", ReplyKind::kServerAdded, Code::kOk},
      {"Already exists a server with the same name in backend.\n\n", ReplyKind::kServerAdded,
       Code::kFailedPrecondition},
      {"'cookie' option is not accepted for dynamic server\n\n", ReplyKind::kServerAdded,
       Code::kFailedPrecondition},
      {"No such backend.\n", ReplyKind::kServerAdded, Code::kNotFound},
      {"Backend must use a dynamic load balancing to support dynamic servers.\n",
       ReplyKind::kServerAdded, Code::kFailedPrecondition},
      {"", ReplyKind::kServerAdded, Code::kFailedPrecondition},
      {"Server deleted.\n", ReplyKind::kServerDeleted, Code::kOk},
      {"Only servers in maintenance mode can be deleted.\n", ReplyKind::kServerDeleted,
       Code::kFailedPrecondition},
      {"No such server.\n", ReplyKind::kServerDeleted, Code::kNotFound},
      {"IP changed from '::1' to '127.0.0.1', port changed from '80' to '18082' by 'stats "
       "socket command'\n\n",
       ReplyKind::kAddressSet, Code::kOk},
      {"no need to change the addr, port changed from '18082' to '18090' by 'stats socket "
       "command'\n\n",
       ReplyKind::kAddressSet, Code::kOk},
      {"IP changed from '1.2.3.4' to '1.2.3.5' by 'stats socket command'\n", ReplyKind::kAddressSet,
       Code::kOk},
      {"Invalid addr '1.2.3.4.5' by 'stats socket command'\n\n", ReplyKind::kAddressSet,
       Code::kFailedPrecondition},
      {"No such server.\n\n", ReplyKind::kAddressSet, Code::kNotFound},
      {"Can't find the target PID matching the prefix '@1'\n", ReplyKind::kEmpty,
       Code::kFailedPrecondition},
  };
  for (const auto& c : cases) {
    const Status s = CheckReply("cmd", c.reply, c.kind);
    EXPECT_EQ(s.code(), c.code) << c.reply << " -> " << s.message();
    if (!s.ok()) {
      EXPECT_NE(s.message().find("HAProxy refused \"cmd\""), std::string::npos) << s.message();
    }
  }
  EXPECT_NE(
      CheckReply("x", "No such server.\n", ReplyKind::kEmpty).message().find("No such server."),
      std::string::npos);
}

TEST(RuntimeApiTest, TypedCommandsAreWrittenExactly) {
  testing::FakeRuntimeApi api;
  api.Reply("New server registered.\n\n");
  ASSERT_TRUE(
      api.AddServer("be",
                    DynamicServer{"web-1",
                                  {"10.0.0.1", 80},
                                  {{"check", ""}, {"inter", "5000"}, {"fall", "1"}, {"rise", "2"}}})
          .ok());
  api.Reply("New server registered.\n\n");
  ASSERT_TRUE(api.AddServer("be", DynamicServer{"v6", {"::1", 8080}, {}}).ok());
  api.Reply("Server deleted.\n");
  ASSERT_TRUE(api.DelServer("be", "web-1").ok());
  api.Reply("\n");
  ASSERT_TRUE(api.SetServerState("be", "web-1", AdminState::kDrain).ok());
  api.Reply("\n");
  ASSERT_TRUE(api.SetServerState("be", "web-1", AdminState::kMaint).ok());
  api.Reply("\n");
  ASSERT_TRUE(api.SetServerState("be", "web-1", AdminState::kReady).ok());
  api.Reply("IP changed from '10.0.0.1' to '10.0.0.2' by 'stats socket command'\n\n");
  ASSERT_TRUE(api.SetServerAddress("be", "web-1", {"10.0.0.2", 81}).ok());
  api.Reply("\n");
  ASSERT_TRUE(api.SetServerWeight("be", "web-1", 50).ok());
  api.Reply("\n");
  ASSERT_TRUE(api.EnableHealth("be", "web-1").ok());
  api.Reply("\n");
  ASSERT_TRUE(api.DisableHealth("be", "web-1").ok());
  api.Reply("\n");
  ASSERT_TRUE(api.ShutdownSessions("be", "web-1").ok());
  EXPECT_EQ(api.sent(), (std::vector<std::string>{
                            "add server be/web-1 10.0.0.1:80 check inter 5000 fall 1 rise 2",
                            "add server be/v6 [::1]:8080",
                            "del server be/web-1",
                            "set server be/web-1 state drain",
                            "set server be/web-1 state maint",
                            "set server be/web-1 state ready",
                            "set server be/web-1 addr 10.0.0.2 port 81",
                            "set server be/web-1 weight 50",
                            "enable health be/web-1",
                            "disable health be/web-1",
                            "shutdown sessions server be/web-1",
                        }));
}

TEST(RuntimeApiTest, InjectionIsRefusedBeforeSending) {
  testing::FakeRuntimeApi api;
  const DynamicServer good{"web-1", {"10.0.0.1", 80}, {}};
  auto with = [&](auto change) {
    DynamicServer s = good;
    change(s);
    return api.AddServer("be", s);
  };
  std::vector<Status> refused = {
      with([](DynamicServer& s) { s.address.ip = "10.0.0.1:80; shutdown frontend x"; }),
      with([](DynamicServer& s) { s.address.ip = "10.0.0.1\nshutdown frontend x"; }),
      with([](DynamicServer& s) { s.name = "web 1"; }),
      with([](DynamicServer& s) { s.name = "web\n1"; }),
      with([](DynamicServer& s) { s.name = "web;1"; }),
      with([](DynamicServer& s) {
        s.options = {{"inter", "1s; shutdown frontend x"}};
      }),
      with([](DynamicServer& s) {
        s.options = {{"check; shutdown frontend x", ""}};
      }),
      with([](DynamicServer& s) {
        s.options = {{"cookie", "x"}};
      }),
      with([](DynamicServer& s) { s.address.port = 70000; }),
      api.AddServer("be;show info", good),
      api.AddServer("be be", good),
      api.DelServer("be", "x;shutdown frontend fe"),
      api.SetServerState("be\n", "x", AdminState::kMaint),
      api.SetServerAddress("be", "x", {"10.0.0.1; shutdown frontend fe", 80}),
      api.SetServerAddress("be", "x", {"web.local", 80}),
      api.SetServerAddress("be", "x", {"10.0.0.1", 0}),
      api.SetServerWeight("be", "x", 257),
      api.EnableHealth("be", "x y"),
      api.DisableHealth("", "x"),
      api.ShutdownSessions("be", ""),
  };
  for (const auto& s : refused) EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.message();
  auto state = api.ShowServersState("be;show info");
  EXPECT_FALSE(state.has_value());
  EXPECT_FALSE(api.Command("show info; shutdown frontend fe").has_value());
  EXPECT_FALSE(api.Command("show info\nshutdown frontend fe").has_value());
  EXPECT_FALSE(api.Command("").has_value());
  EXPECT_TRUE(api.sent().empty());
}

TEST(RuntimeApiTest, ErrorsCarryHaproxysMessage) {
  testing::FakeRuntimeApi api;
  api.Reply("Already exists a server with the same name in backend.\n\n");
  const Status s = api.AddServer("be", DynamicServer{"web-1", {"10.0.0.1", 80}, {}});
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("Already exists a server"), std::string::npos);
  api.Reply("Can't find backend.\n\n");
  auto state = api.ShowServersState("nobe");
  ASSERT_FALSE(state.has_value());
  EXPECT_EQ(state.error().code(), Code::kNotFound);
  api.Reply(Status::Unavailable("connect: refused"));
  EXPECT_EQ(api.DelServer("be", "web-1").code(), Code::kUnavailable);
}

TEST(RuntimeApiTest, CurrentSessions) {
  testing::FakeRuntimeApi api;
  api.Reply("# pxname,svname,scur,\nbe,a,3,\nbe,BACKEND,3,\n");
  auto n = api.CurrentSessions("be", "a");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 3);
  api.Reply("# pxname,svname,scur,\nbe,a,3,\n");
  EXPECT_EQ(api.CurrentSessions("be", "b").error().code(), Code::kNotFound);
}

TEST(RuntimeApiTest, ThroughMasterFlag) {
  const RuntimeApi direct("/run/haproxy.sock");
  EXPECT_FALSE(direct.through_master());
  const RuntimeApi master = RuntimeApi::ThroughMaster("/run/master.sock");
  EXPECT_TRUE(master.through_master());
  EXPECT_EQ(master.socket(), "/run/master.sock");
}

TEST(RuntimeApiTest, UnreachableSocket) {
  const RuntimeApi api("/nonexistent/berth-haproxy.sock", std::chrono::milliseconds(200));
  auto r = api.Command("show info");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kUnavailable) << r.error().message();
}

}  // namespace
}  // namespace berth::haproxy
