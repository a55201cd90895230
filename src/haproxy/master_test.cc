#include "haproxy/master.h"

#include <gtest/gtest.h>

#include <string>

namespace berth::haproxy {
namespace {

TEST(ParseShowProcTest, Haproxy26) {
  // Recorded from HAProxy 2.6.12 during a reload.
  auto r = ParseShowProc(
      "#<PID>          <type>          <reloads>       <uptime>        <version>      \n"
      "22316           master          12 [failed: 0]  0d00h01m43s     2.6.12-1+deb12u4\n"
      "# workers\n"
      "26903           worker          0               0d00h00m04s     2.6.12-1+deb12u4\n"
      "# old workers\n"
      "26296           worker          1               0d00h01m57s     2.6.12-1+deb12u4\n"
      "# programs\n"
      "\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->master.pid, 22316);
  EXPECT_EQ(r->master.type, "master");
  EXPECT_EQ(r->master.reloads, 12);
  EXPECT_EQ(r->master.uptime, "0d00h01m43s");
  EXPECT_EQ(r->master.version, "2.6.12-1+deb12u4");
  EXPECT_EQ(r->failed_reloads, 0);
  ASSERT_EQ(r->workers.size(), 1u);
  EXPECT_EQ(r->workers[0].pid, 26903);
  EXPECT_EQ(r->workers[0].reloads, 0);
  ASSERT_EQ(r->old_workers.size(), 1u);
  EXPECT_EQ(r->old_workers[0].pid, 26296);
  EXPECT_EQ(r->old_workers[0].reloads, 1);
  EXPECT_TRUE(r->programs.empty());
}

TEST(ParseShowProcTest, FailedReloadAndPrograms) {
  auto r = ParseShowProc(
      "#<PID>          <type>          <reloads>       <uptime>        <version>      \n"
      "1162            master          5 [failed: 2]   0d00h02m07s     2.5-dev13\n"
      "# workers\n"
      "1271            worker          1               0d00h00m00s     2.5-dev13\n"
      "# old workers\n"
      "# programs\n"
      "1244            foo             0               0d00h00m00s     -\n"
      "1255            bar             0               0d00h00m00s     -\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->master.reloads, 5);
  EXPECT_EQ(r->failed_reloads, 2);
  ASSERT_EQ(r->workers.size(), 1u);
  EXPECT_TRUE(r->old_workers.empty());
  ASSERT_EQ(r->programs.size(), 2u);
  EXPECT_EQ(r->programs[1].type, "bar");
  EXPECT_EQ(r->programs[1].version, "-");
}

TEST(ParseShowProcTest, Haproxy20RelativePids) {
  auto r = ParseShowProc(
      "#<PID>          <type>          <relative PID>  <reloads>       <uptime>        <version>\n"
      "17528           master          0               2               0d00h30m24s     2.0.29\n"
      "# workers\n"
      "17646           worker          1               0               0d00h04m06s     2.0.29\n"
      "17647           worker          2               0               0d00h04m06s     2.0.29\n"
      "# old workers\n"
      "17570           worker          [was: 1]        1               0d00h21m15s     2.0.29\n"
      "# programs\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->master.reloads, 2);
  ASSERT_EQ(r->workers.size(), 2u);
  EXPECT_EQ(r->workers[1].pid, 17647);
  ASSERT_EQ(r->old_workers.size(), 1u);
  EXPECT_EQ(r->old_workers[0].reloads, 1);
  EXPECT_EQ(r->old_workers[0].uptime, "0d00h21m15s");
}

TEST(ParseShowProcTest, Errors) {
  const std::string cases[] = {
      "",
      "Unknown command.\n",
      "#<PID> <type> <reloads> <uptime> <version>\nabc master 1 0d 2.6\n",
      "#<PID> <type> <reloads> <uptime> <version>\n# workers\n12 worker 0 0d 2.6\n",
      "#<PID> <type> <reloads> <uptime> <version>\n12 worker 0 0d 2.6\n",
  };
  for (const auto& c : cases) EXPECT_FALSE(ParseShowProc(c).has_value()) << c;
}

TEST(MasterCliTest, CommandsAreSingle) {
  const MasterCli cli("/nonexistent/berth-master.sock", std::chrono::milliseconds(100));
  EXPECT_EQ(cli.Command("show proc; reload").error().code(), Code::kInvalidArgument);
  EXPECT_EQ(cli.Command("show proc\nreload").error().code(), Code::kInvalidArgument);
  EXPECT_EQ(cli.Command("").error().code(), Code::kInvalidArgument);
  EXPECT_EQ(cli.ShowProc().error().code(), Code::kUnavailable);
  EXPECT_FALSE(MasterCli::Attach("/nonexistent/berth-master.sock").has_value());
  EXPECT_TRUE(cli.Runtime().through_master());
}

TEST(HaproxyProcessTest, StartRefusesBadOptions) {
  HaproxyOptions o;
  o.binary = "/nonexistent/haproxy";
  EXPECT_EQ(HaproxyProcess::Start(o).error().code(), Code::kNotFound);
  o.binary = "/bin/true";
  o.config_file = "/nonexistent.cfg";
  EXPECT_EQ(HaproxyProcess::Start(o).error().code(), Code::kInvalidArgument);
  o.config_file = "/dev/null";
  o.master_socket = "/tmp/x.sock,level,user";
  o.log_file = "/dev/null";
  EXPECT_EQ(HaproxyProcess::Start(o).error().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace berth::haproxy
