// Processes: /proc/<pid>/stat parsing, start times and the pid-reuse check
// of IsAlive/StopProcess, detached background processes (not our child, own
// session and group, stdin /dev/null, output to the log, no inherited
// descriptor), ChildProcess (exit codes, group killed with it), FindProgram,
// SelfPath and FileTail.
#include "up/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "sys/file.h"
#include "sys/testing/temp_dir.h"

namespace berth::up {
namespace {

using berth::testing::TempDir;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Polls `condition` until it holds or `timeout` passes.
template <typename Condition>
bool WaitFor(Condition condition, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Whether any process (even a zombie) has `pid`.
bool PidExists(pid_t pid) { return access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0; }

// The pid a shell wrote to `path`, once it has.
pid_t ReadPidFile(const std::string& path) {
  pid_t pid = 0;
  WaitFor(
      [&] {
        const std::string text = Slurp(path);
        if (text.empty() || text.back() != '\n') return false;
        pid = static_cast<pid_t>(std::atoi(text.c_str()));
        return pid > 0;
      },
      seconds(10));
  return pid;
}

// Stops a detached process the test started, whatever happened.
struct DetachedGuard {
  std::optional<ProcessRecord> record;
  ~DetachedGuard() {
    if (record) (void)StopProcess(*record, SIGKILL, milliseconds(2000));
  }
};

// ---- ParseProcStat ----

std::string StatLine(std::string_view comm, char state, uint64_t start) {
  // Fields 3..21, then starttime (22), then more.
  std::string line = "1234 (" + std::string(comm) + ") " + std::string(1, state);
  for (int field = 4; field <= 21; ++field) line += " " + std::to_string(field);
  return line + " " + std::to_string(start) + " 23 24 25\n";
}

TEST(ParseProcStatTest, StateAndStartTime) {
  struct Case {
    std::string comm;
    char state;
    uint64_t start;
  };
  const Case kCases[] = {
      {"sleep", 'S', 123456},   {"a b c", 'R', 1},
      {"x) Z 1 2 (y", 'S', 99},  // a name made to look like fields
      {"((", 'Z', 0},           {")", 'D', 18446744073709551615ULL},
  };
  for (const Case& c : kCases) {
    auto s = ParseProcStat(StatLine(c.comm, c.state, c.start));
    ASSERT_TRUE(s.has_value()) << c.comm << ": " << s.error().message();
    EXPECT_EQ(s->state, c.state) << c.comm;
    EXPECT_EQ(s->start_time, c.start) << c.comm;
  }
}

TEST(ParseProcStatTest, Refusals) {
  const std::string kBad[] = {
      "",
      "1234 sleep S 1 2 3",                                // no parentheses
      "1234 (sleep) S 4 5 6",                              // too few fields
      StatLine("sleep", 'S', 5).substr(0, 40),             // cut short
      "1234 (sleep) SS" + StatLine("", 'S', 1).substr(9),  // state is one character
  };
  for (const std::string& line : kBad) {
    auto s = ParseProcStat(line);
    EXPECT_FALSE(s.has_value()) << "accepted \"" << line << "\"";
    if (!s) {
      EXPECT_EQ(s.error().code(), Code::kInvalidArgument) << line;
    }
  }
  std::string not_a_number = StatLine("sleep", 'S', 7);
  not_a_number.replace(not_a_number.find(" 7 23"), 5, " 7x 23");
  auto s = ParseProcStat(not_a_number);
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("7x"), std::string::npos) << s.error().message();
}

// ---- ProcessStartTime / IsAlive ----

TEST(ProcessStartTimeTest, OfThisProcess) {
  auto t = ProcessStartTime(getpid());
  ASSERT_TRUE(t.has_value()) << t.error().message();
  auto parsed = ParseProcStat(Slurp("/proc/self/stat"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*t, parsed->start_time);
  EXPECT_GT(*t, 0u);
}

TEST(ProcessStartTimeTest, NoSuchProcess) {
  for (pid_t pid : {0, -1}) {
    auto t = ProcessStartTime(pid);
    ASSERT_FALSE(t.has_value()) << pid;
    EXPECT_EQ(t.error().code(), Code::kNotFound);
  }
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  auto t = ProcessStartTime(child);
  if (t.has_value()) GTEST_SKIP() << "pid " << child << " was reused at once";
  EXPECT_EQ(t.error().code(), Code::kNotFound);
}

TEST(ProcessStartTimeTest, ZombieIsNotAlive) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  // Unreaped: a zombie until waitpid.
  const bool zombie = WaitFor(
      [&] {
        auto s = ParseProcStat(Slurp("/proc/" + std::to_string(child) + "/stat"));
        return s && s->state == 'Z';
      },
      seconds(10));
  EXPECT_TRUE(zombie);
  auto t = ProcessStartTime(child);
  EXPECT_FALSE(t.has_value()) << "a zombie counted as running";
  if (!t) {
    EXPECT_EQ(t.error().code(), Code::kNotFound);
  }
  ProcessRecord r{"zombie", child, 0, {}, ""};
  EXPECT_FALSE(IsAlive(r));
  waitpid(child, nullptr, 0);
}

TEST(IsAliveTest, NeedsTheRecordedStartTime) {
  auto t = ProcessStartTime(getpid());
  ASSERT_TRUE(t.has_value());
  ProcessRecord self{"self", getpid(), *t, {}, ""};
  EXPECT_TRUE(IsAlive(self));
  // The same pid with another start time: someone else's process.
  ProcessRecord reused = self;
  reused.start_time = *t + 1;
  EXPECT_FALSE(IsAlive(reused));
  reused.start_time = 0;
  EXPECT_FALSE(IsAlive(reused));
  ProcessRecord none{"none", 0, 0, {}, ""};
  EXPECT_FALSE(IsAlive(none));
}

// ---- StopProcess ----

TEST(StopProcessTest, NeverSignalsAReusedPid) {
  TempDir tmp;
  auto child = ChildProcess::Start({{"/bin/sleep", "30"}, tmp.Path("log"), {}});
  ASSERT_TRUE(child.has_value()) << child.error().message();
  auto t = ProcessStartTime(child->pid());
  ASSERT_TRUE(t.has_value());
  // A record of an older process that had this pid.
  ProcessRecord stale{"stale", child->pid(), *t - 1, {}, ""};
  auto outcome = StopProcess(stale, SIGKILL, milliseconds(200));
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, StopOutcome::kNotRunning);
  EXPECT_EQ(child->Poll(), std::nullopt) << "the process with the reused pid was signalled";
  ProcessRecord live{"live", child->pid(), *t, {}, ""};
  EXPECT_TRUE(IsAlive(live));
}

TEST(StopProcessTest, StopsWithTheSignal) {
  TempDir tmp;
  DetachedGuard guard;
  auto r = SpawnDetached("sleeper", {{"/bin/sleep", "60"}, tmp.Path("sleep.log"), {}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  guard.record = *r;
  auto outcome = StopProcess(*r, SIGTERM, seconds(10));
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, StopOutcome::kStopped);
  EXPECT_FALSE(IsAlive(*r));
  // Again: nothing to stop.
  outcome = StopProcess(*r, SIGTERM, seconds(1));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(*outcome, StopOutcome::kNotRunning);
}

TEST(StopProcessTest, KillsTheGroupOfAProcessThatIgnoresTheSignal) {
  TempDir tmp;
  DetachedGuard guard;
  const std::string pid_file = tmp.Path("bg.pid");
  // The shell and its background sleep ignore SIGTERM.
  auto r = SpawnDetached(
      "stubborn", {{"/bin/sh", "-c", "trap '' TERM; sleep 300 & echo $! > " + pid_file + "; wait"},
                   tmp.Path("stubborn.log"),
                   {}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  guard.record = *r;
  const pid_t background = ReadPidFile(pid_file);
  ASSERT_GT(background, 0);
  auto bg_start = ProcessStartTime(background);
  ASSERT_TRUE(bg_start.has_value());
  const ProcessRecord bg{"bg", background, *bg_start, {}, ""};

  const auto began = std::chrono::steady_clock::now();
  auto outcome = StopProcess(*r, SIGTERM, milliseconds(300));
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message();
  EXPECT_EQ(*outcome, StopOutcome::kKilled);
  EXPECT_GE(std::chrono::steady_clock::now() - began, milliseconds(300));
  EXPECT_FALSE(IsAlive(*r));
  EXPECT_TRUE(WaitFor([&] { return !IsAlive(bg); }, seconds(5)))
      << "the process group was not killed: " << background << " still runs";
}

// ---- SpawnDetached ----

TEST(SpawnDetachedTest, DetachedWithItsOwnSessionAndGroup) {
  TempDir tmp;
  DetachedGuard guard;
  const std::string log = tmp.Path("d.log");
  auto r = SpawnDetached("sleeper", {{"/bin/sleep", "60"}, log, {}});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  guard.record = *r;
  EXPECT_EQ(r->name, "sleeper");
  EXPECT_EQ(r->argv, (std::vector<std::string>{"/bin/sleep", "60"}));
  EXPECT_EQ(r->log, log);
  ASSERT_GT(r->pid, 0);
  EXPECT_NE(r->pid, getpid());
  auto t = ProcessStartTime(r->pid);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, r->start_time);
  EXPECT_TRUE(IsAlive(*r));
  // It has exec'd: /proc/<pid>/exe is sleep, not this test.
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(r->pid) + "/exe", ec);
  EXPECT_NE(exe.filename().string().find("sleep"), std::string::npos) << exe;
  // Not our child.
  EXPECT_EQ(waitpid(r->pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_NE(getppid(), r->pid);
  // A session of its own, which it does not lead (it never gets a
  // controlling terminal), and a process group it leads, so that its whole
  // group can be killed by its pid.
  EXPECT_NE(getsid(r->pid), getsid(0));
  EXPECT_NE(getsid(r->pid), r->pid);
  EXPECT_EQ(getpgid(r->pid), r->pid);
}

TEST(SpawnDetachedTest, StdioAndDescriptorsAndEnvironment) {
  TempDir tmp;
  DetachedGuard guard;
  const std::string log = tmp.Write("io.log", "earlier line\n");
  // A descriptor of ours without close-on-exec must not leak into it.
  const int leak = open(tmp.Write("leak", "x").c_str(), O_RDONLY);
  ASSERT_GE(leak, 0);
  setenv("BERTH_TEST_REPLACED", "old", 1);
  auto r = SpawnDetached(
      "sh", {{"/bin/sh", "-c",
              "echo out $BERTH_TEST_ADDED $BERTH_TEST_REPLACED; echo err >&2; exec sleep 60"},
             log,
             {"BERTH_TEST_ADDED=added", "BERTH_TEST_REPLACED=new"}});
  close(leak);
  unsetenv("BERTH_TEST_REPLACED");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  guard.record = *r;
  EXPECT_TRUE(WaitFor([&] { return Slurp(log).find("err\n") != std::string::npos; }, seconds(10)))
      << Slurp(log);
  // Appended to, both streams.
  EXPECT_EQ(Slurp(log), "earlier line\nout added new\nerr\n");
  // Wait until the shell has exec'd sleep, then look at its descriptors.
  const std::string proc = "/proc/" + std::to_string(r->pid);
  ASSERT_TRUE(WaitFor(
      [&] {
        std::error_code ec;
        return std::filesystem::read_symlink(proc + "/exe", ec).filename().string().find("sleep") !=
               std::string::npos;
      },
      seconds(10)));
  std::error_code ec;
  EXPECT_EQ(std::filesystem::read_symlink(proc + "/fd/0", ec).string(), "/dev/null");
  EXPECT_EQ(std::filesystem::read_symlink(proc + "/fd/1", ec).string(), log);
  EXPECT_EQ(std::filesystem::read_symlink(proc + "/fd/2", ec).string(), log);
  std::set<std::string> fds;
  for (const auto& e : std::filesystem::directory_iterator(proc + "/fd", ec)) {
    fds.insert(e.path().filename().string());
  }
  EXPECT_EQ(fds, (std::set<std::string>{"0", "1", "2"}));
}

TEST(SpawnDetachedTest, Refusals) {
  TempDir tmp;
  const std::string log = tmp.Path("x.log");
  struct Case {
    SpawnOptions options;
    Code code;
  };
  const Case kCases[] = {
      {{{}, log, {}}, Code::kInvalidArgument},
      {{{"sleep", "1"}, log, {}}, Code::kInvalidArgument},  // not absolute
      {{{"/nonexistent/berth-test-program"}, log, {}}, Code::kNotFound},
      {{{tmp.Write("not-executable", "#!/bin/sh\n", 0644)}, log, {}}, Code::kNotFound},
      {{{"/bin/sleep", "1"}, "", {}}, Code::kInvalidArgument},  // no log
  };
  for (const Case& c : kCases) {
    auto r = SpawnDetached("x", c.options);
    ASSERT_FALSE(r.has_value()) << (c.options.argv.empty() ? "" : c.options.argv[0]);
    EXPECT_EQ(r.error().code(), c.code) << r.error().message();
  }
  // Executable, but exec fails (no #! line, not a binary): reported, with
  // the program's path.
  const std::string garbage = tmp.Write("garbage", "\x01\x02\x03 not a program", 0755);
  auto r = SpawnDetached("garbage", {{garbage}, log, {}});
  ASSERT_FALSE(r.has_value()) << "pid " << r->pid;
  EXPECT_NE(r.error().message().find(garbage), std::string::npos) << r.error().message();
}

// ---- ChildProcess ----

std::optional<int> PollUntilExit(ChildProcess& child, milliseconds timeout) {
  std::optional<int> code;
  WaitFor([&] { return (code = child.Poll()).has_value(); }, timeout);
  return code;
}

TEST(ChildProcessTest, ExitCodes) {
  TempDir tmp;
  const std::string log = tmp.Path("c.log");
  struct Case {
    std::string script;
    int code;
  };
  const Case kCases[] = {
      {"exit 0", 0},
      {"exit 7", 7},
      {"kill -KILL $$", 128 + SIGKILL},
      {"kill -TERM $$", 128 + SIGTERM},
  };
  for (const Case& c : kCases) {
    auto child = ChildProcess::Start({{"/bin/sh", "-c", c.script}, log, {}});
    ASSERT_TRUE(child.has_value()) << child.error().message();
    EXPECT_EQ(PollUntilExit(*child, seconds(10)), c.code) << c.script;
    // Stays known once reaped.
    EXPECT_EQ(child->Poll(), c.code) << c.script;
  }
}

TEST(ChildProcessTest, OwnGroupAndOutputToTheLog) {
  TempDir tmp;
  const std::string log = tmp.Path("c.log");
  auto child = ChildProcess::Start(
      {{"/bin/sh", "-c", "echo out $BERTH_TEST_CHILD; echo err >&2; read x || echo eof"},
       log,
       {"BERTH_TEST_CHILD=yes"}});
  ASSERT_TRUE(child.has_value()) << child.error().message();
  EXPECT_EQ(getpgid(child->pid()), child->pid());
  // stdin is /dev/null: `read` meets end of file at once.
  EXPECT_EQ(PollUntilExit(*child, seconds(10)), 0);
  EXPECT_EQ(Slurp(log), "out yes\nerr\neof\n");
}

TEST(ChildProcessTest, KillAndDestructorTakeTheWholeGroup) {
  TempDir tmp;
  for (bool by_destructor : {false, true}) {
    const std::string pid_file = tmp.Path(by_destructor ? "d.pid" : "k.pid");
    std::optional<ChildProcess> child;
    {
      auto started = ChildProcess::Start(
          {{"/bin/sh", "-c", "sleep 300 & echo $! > " + pid_file + "; wait"}, tmp.Path("log"), {}});
      ASSERT_TRUE(started.has_value()) << started.error().message();
      child.emplace(std::move(*started));
    }
    const pid_t shell = child->pid();
    const pid_t background = ReadPidFile(pid_file);
    ASSERT_GT(background, 0);
    auto bg_start = ProcessStartTime(background);
    ASSERT_TRUE(bg_start.has_value());
    const ProcessRecord bg{"bg", background, *bg_start, {}, ""};
    if (by_destructor) {
      child.reset();
    } else {
      child->Kill();
      EXPECT_EQ(child->Poll(), 128 + SIGKILL);
    }
    // The shell is reaped (no zombie left), its background job killed.
    EXPECT_FALSE(PidExists(shell) && ProcessStartTime(shell).has_value());
    EXPECT_EQ(waitpid(shell, nullptr, WNOHANG), -1);
    EXPECT_TRUE(WaitFor([&] { return !IsAlive(bg); }, seconds(5)))
        << (by_destructor ? "destructor" : "Kill") << " left " << background << " running";
  }
}

TEST(ChildProcessTest, ExitTakesWhatItLeftInItsGroup) {
  TempDir tmp;
  const std::string pid_file = tmp.Path("bg.pid");
  auto child = ChildProcess::Start(
      {{"/bin/sh", "-c", "sleep 300 & echo $! > " + pid_file + "; exit 3"}, tmp.Path("log"), {}});
  ASSERT_TRUE(child.has_value()) << child.error().message();
  const pid_t background = ReadPidFile(pid_file);
  ASSERT_GT(background, 0);
  auto bg_start = ProcessStartTime(background);
  // It may already be gone if the shell exited and was polled... not here:
  // nobody polled yet, so the group still runs.
  ASSERT_TRUE(bg_start.has_value());
  const ProcessRecord bg{"bg", background, *bg_start, {}, ""};
  EXPECT_EQ(PollUntilExit(*child, seconds(10)), 3);
  EXPECT_TRUE(WaitFor([&] { return !IsAlive(bg); }, seconds(5)))
      << "the background job outlived the command";
}

TEST(ChildProcessTest, MoveKeepsOneOwner) {
  TempDir tmp;
  auto a = ChildProcess::Start({{"/bin/sleep", "30"}, tmp.Path("log"), {}});
  ASSERT_TRUE(a.has_value());
  const pid_t pid = a->pid();
  ChildProcess b(std::move(*a));
  EXPECT_EQ(b.pid(), pid);
  EXPECT_EQ(a->pid(), -1);
  a->Kill();  // the moved-from one owns nothing: no effect
  EXPECT_EQ(b.Poll(), std::nullopt) << "killed through the moved-from object";
  auto c = ChildProcess::Start({{"/bin/sleep", "30"}, tmp.Path("log"), {}});
  ASSERT_TRUE(c.has_value());
  const pid_t other = c->pid();
  // Assigning over b kills and reaps b's process.
  b = std::move(*c);
  EXPECT_EQ(b.pid(), other);
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1) << "the replaced child was not reaped";
}

TEST(ChildProcessTest, Refusals) {
  TempDir tmp;
  auto c = ChildProcess::Start({{"/nonexistent/berth-test-program"}, tmp.Path("log"), {}});
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), Code::kNotFound);
  const std::string garbage = tmp.Write("garbage", "\x01\x02 not a program", 0755);
  c = ChildProcess::Start({{garbage}, tmp.Path("log"), {}});
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find(garbage), std::string::npos) << c.error().message();
}

// ---- FindProgram / SelfPath / FileTail ----

TEST(FindProgramTest, Lookups) {
  auto sh = FindProgram("sh");
  ASSERT_TRUE(sh.has_value()) << sh.error().message();
  EXPECT_EQ((*sh)[0], '/');
  EXPECT_TRUE(sh->ends_with("/sh")) << *sh;
  EXPECT_EQ(access(sh->c_str(), X_OK), 0);

  EXPECT_EQ(FindProgram("/bin/sh").value_or(""), "/bin/sh");

  auto missing = FindProgram("berth-no-such-program");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
  EXPECT_NE(missing.error().message().find("berth-no-such-program"), std::string::npos);

  auto missing_path = FindProgram("/nonexistent/prog");
  ASSERT_FALSE(missing_path.has_value());
  EXPECT_EQ(missing_path.error().code(), Code::kNotFound);
}

TEST(FindProgramTest, RelativeWithSlashIsMadeAbsolute) {
  TempDir tmp;
  tmp.Write("bin/tool", "#!/bin/sh\n", 0755);
  const auto old = std::filesystem::current_path();
  std::filesystem::current_path(tmp.path());
  auto found = FindProgram("bin/tool");
  std::filesystem::current_path(old);
  ASSERT_TRUE(found.has_value()) << found.error().message();
  EXPECT_EQ(std::filesystem::equivalent(*found, tmp.Path("bin/tool")), true) << *found;
  EXPECT_EQ((*found)[0], '/');
}

TEST(FindProgramTest, SearchesTheSystemDirectoriesAfterPath) {
  TempDir tmp;
  tmp.Write("only-here/berth-test-tool", "#!/bin/sh\n", 0755);
  tmp.Write("dir-not-file/berth-test-dir/x", "");
  const char* old = std::getenv("PATH");
  const std::string saved = old != nullptr ? old : "";
  setenv("PATH", ("relative/dir:" + tmp.Path("dir-not-file") + ":" + tmp.Path("only-here")).c_str(),
         1);
  auto tool = FindProgram("berth-test-tool");
  auto dir = FindProgram("berth-test-dir");  // a directory is not a program
  setenv("PATH", "/nonexistent", 1);
  auto sh = FindProgram("sh");  // from /usr/bin or /bin, appended to PATH
  setenv("PATH", saved.c_str(), 1);
  ASSERT_TRUE(tool.has_value()) << tool.error().message();
  EXPECT_EQ(*tool, tmp.Path("only-here/berth-test-tool"));
  EXPECT_FALSE(dir.has_value()) << *dir;
  ASSERT_TRUE(sh.has_value()) << sh.error().message();
  EXPECT_TRUE(sh->ends_with("/sh"));
}

TEST(SelfPathTest, IsThisExecutable) {
  auto self = SelfPath();
  ASSERT_TRUE(self.has_value()) << self.error().message();
  EXPECT_TRUE(std::filesystem::equivalent(*self, "/proc/self/exe")) << *self;
  EXPECT_NE(self->find("up_"), std::string::npos) << *self;
}

TEST(FileTailTest, Table) {
  TempDir tmp;
  struct Case {
    std::string content;
    size_t bytes;
    std::string want;
  };
  const Case kCases[] = {
      {"", 100, ""},
      {"one line\n", 100, "one line"},
      {"a\nb\nc\n\n\n", 100, "a\nb\nc"},
      // Cut inside a line: the tail starts at the next whole line.
      {"first line\nsecond\nthird\n", 10, "third"},
      {"first line\nsecond\nthird\n", 14, "second\nthird"},
      // Cut exactly at a line start: that partial-looking line is dropped
      // too (the start of the tail is never trusted).
      {"0123456789\nabc\n", 4, ""},
  };
  for (const Case& c : kCases) {
    const std::string path = tmp.Write("f", c.content);
    EXPECT_EQ(FileTail(path, c.bytes), c.want) << c.content << " / " << c.bytes;
  }
  EXPECT_EQ(FileTail(tmp.Path("missing")), "");
  // The default keeps about the last 1500 bytes.
  std::string big;
  for (int i = 0; i < 1000; ++i) big += "line " + std::to_string(i) + "\n";
  const std::string tail = FileTail(tmp.Write("big", big));
  EXPECT_LE(tail.size(), 1500u);
  EXPECT_GT(tail.size(), 1400u);
  EXPECT_TRUE(tail.ends_with("line 999")) << tail;
  EXPECT_TRUE(tail.starts_with("line ")) << tail;
}

}  // namespace
}  // namespace berth::up
