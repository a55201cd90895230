#include "sys/command.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "sys/file.h"
#include "sys/testing/temp_dir.h"

namespace berth::sys {
namespace {

using berth::testing::TempDir;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(RunShellTest, ExitCodesAndOutput) {
  struct Case {
    const char* command;
    int exit_code;
    int signal;
    const char* output;
    const char* describe;
  };
  constexpr Case kCases[] = {
      {"true", 0, 0, "", "exit status 0"},
      {"exit 3", 3, 0, "", "exit status 3"},
      {"false", 1, 0, "", "exit status 1"},
      // A shell that exits with 130 by itself was not killed by a signal.
      {"exit 130", 130, 0, "", "exit status 130"},
      {"echo out; echo err >&2; echo out2", 0, 0, "out\nerr\nout2\n", "exit status 0"},
      {"printf 'no newline'", 0, 0, "no newline", "exit status 0"},
      {"echo failing >&2; exit 7", 7, 0, "failing\n", "exit status 7"},
      // /bin/sh -c: shell syntax works.
      {"for i in 1 2 3; do printf $i; done | tr 1 x", 0, 0, "x23", "exit status 0"},
      {"exit 300", 44, 0, "", "exit status 44"},  // 300 & 0xff
      // stdin is /dev/null: reading ends at once.
      {"cat; echo end", 0, 0, "end\n", "exit status 0"},
      {"read x; echo \"read=$?\"", 0, 0, "read=1\n", "exit status 0"},
      {"readlink /proc/$$/fd/0", 0, 0, "/dev/null\n", "exit status 0"},
      {"kill -KILL $$", 137, SIGKILL, "", "signal: killed"},
      {"kill -TERM $$", 143, SIGTERM, "", "signal: terminated"},
      {"kill -INT $$", 130, SIGINT, "", "signal: interrupt"},
      {"kill -HUP $$", 129, SIGHUP, "", "signal: hangup"},
  };
  for (const Case& c : kCases) {
    auto r = RunShell(c.command, milliseconds(20'000));
    ASSERT_TRUE(r.has_value()) << c.command << ": " << r.error().message();
    EXPECT_EQ(r->exit_code, c.exit_code) << c.command;
    EXPECT_EQ(r->signal, c.signal) << c.command;
    EXPECT_FALSE(r->timed_out) << c.command;
    EXPECT_EQ(r->ok(), c.exit_code == 0) << c.command;
    EXPECT_EQ(r->output, c.output) << c.command;
    EXPECT_EQ(r->Describe(), c.describe) << c.command;
  }
}

TEST(RunShellTest, OwnProcessGroup) {
  // The shell leads a process group of its own (field 5 of /proc/PID/stat),
  // so that a timeout can kill everything it started.
  auto r = RunShell("echo $$ $(cut -d' ' -f5 /proc/$$/stat)", milliseconds(0));
  ASSERT_TRUE(r.has_value());
  const std::string out = r->output;
  const size_t space = out.find(' ');
  ASSERT_NE(space, std::string::npos) << out;
  EXPECT_EQ(out.substr(0, space) + "\n", out.substr(space + 1));
  EXPECT_NE(out.substr(0, space), std::to_string(getpgrp()));
}

TEST(RunShellTest, OutputIsTruncatedNotBlocked) {
  // 1 MB of output: the child is never blocked on a full pipe, and 64 KiB
  // are kept.
  auto r = RunShell("head -c 1000000 /dev/zero | tr '\\0' x; echo done >&2", milliseconds(20'000));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->ok()) << r->Describe();
  EXPECT_EQ(r->output.size(), 64u * 1024);
  EXPECT_EQ(r->output.find_first_not_of('x'), std::string::npos);
}

TEST(CommandResultTest, Describe) {
  struct Case {
    int exit_code;
    int signal;
    bool timed_out;
    const char* want;
  };
  constexpr Case kCases[] = {
      {0, 0, false, "exit status 0"},
      {2, 0, false, "exit status 2"},
      {255, 0, false, "exit status 255"},
      {137, 0, false, "exit status 137"},
      {137, 9, false, "signal: killed"},
      {129, 1, false, "signal: hangup"},
      {134, 6, false, "signal: aborted"},
      {141, 13, false, "signal: broken pipe"},
      {152, 24, false, "signal: CPU time limit exceeded"},
      {162, 34, false, "signal: signal 34"},
      {137, 9, true, "timed out"},
  };
  for (const Case& c : kCases) {
    CommandResult r;
    r.exit_code = c.exit_code;
    r.signal = c.signal;
    r.timed_out = c.timed_out;
    EXPECT_EQ(r.Describe(), c.want) << c.want;
    EXPECT_EQ(r.ok(), c.exit_code == 0 && !c.timed_out) << c.want;
  }
}

// The state letter of /proc/PID/stat ('Z' for a zombie), or 0 when the
// process is gone.
char ProcState(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return 0;
  return stat[paren + 2];
}

// Waits until `pid` is gone (or a zombie nobody reaped: it no longer runs).
bool WaitGone(pid_t pid, milliseconds limit) {
  const auto deadline = steady_clock::now() + limit;
  for (;;) {
    const char state = ProcState(pid);
    if (state == 0 || state == 'Z' || state == 'X') return true;
    if (steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

// Reads the pid a command wrote to `path`, waiting for it to appear.
pid_t ReadPid(const std::string& path, milliseconds limit) {
  const auto deadline = steady_clock::now() + limit;
  for (;;) {
    auto text = ReadFile(path);
    if (text && !text->empty() && text->back() == '\n') return std::stoi(*text);
    if (steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

TEST(RunShellTest, TimeoutKillsTheProcessGroup) {
  TempDir dir;
  const std::string pid_file = dir.Path("pid");
  // The grandchild holds the pipe open too: the timeout must not wait for it.
  const std::string cmd = "sleep 300 & echo $! > " + pid_file + "; echo started; wait; echo never";
  const auto start = steady_clock::now();
  auto r = RunShell(cmd, milliseconds(1'000));
  const auto took = steady_clock::now() - start;
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->Describe(), "timed out");
  EXPECT_EQ(r->output, "started\n");
  EXPECT_GE(took, milliseconds(1'000));
  EXPECT_LT(took, milliseconds(10'000));
  const pid_t grandchild = ReadPid(pid_file, milliseconds(5'000));
  ASSERT_GT(grandchild, 0);
  const bool gone = WaitGone(grandchild, milliseconds(10'000));
  if (!gone) ::kill(grandchild, SIGKILL);
  EXPECT_TRUE(gone) << "sleep " << grandchild << " survived the timeout";
}

TEST(RunShellTest, BackgroundProcessDoesNotBlock) {
  TempDir dir;
  const std::string pid_file = dir.Path("pid");
  // A reload command that starts a daemon which keeps stdout open: RunShell
  // returns when the shell exits, with what was printed so far.
  const std::string cmd = "sleep 300 & echo $! > " + pid_file + "; echo reloaded";
  const auto start = steady_clock::now();
  auto r = RunShell(cmd, milliseconds(0));
  const auto took = steady_clock::now() - start;
  const pid_t daemon = ReadPid(pid_file, milliseconds(5'000));
  if (daemon > 0) ::kill(daemon, SIGKILL);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_TRUE(r->ok()) << r->Describe();
  EXPECT_EQ(r->output, "reloaded\n");
  EXPECT_LT(took, milliseconds(10'000));
}

TEST(RunShellTest, NoTimeoutMeansNone) {
  // A zero timeout lets a command run as long as it needs.
  auto r = RunShell("sleep 0.3; echo slept", milliseconds(0));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->ok());
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->output, "slept\n");
}

}  // namespace
}  // namespace berth::sys
