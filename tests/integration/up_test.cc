// `berth up`, `berth status`, `berth down` (and the `launch` / `kill` that
// up suggests) as an operator runs them: the berth binary as a child
// process against the real dockerd, HAProxy and etcd.
//
// Each test has its own state directory, a free loopback port for the etcd
// that up starts there (client and peer), a free frontend port and a
// service name of its own, so that tests running side by side (and other
// containers on the host) never touch each other's system.  The agent of
// each system registers every container of the host that carries a
// berth.service label, so HAProxy may also hold other tests' servers: the
// assertions are about this test's instances only.  TearDown runs
// `berth down` whatever happened, then stops any process still naming the
// state directory or the etcd port and removes the service's containers.
//
// Without dockerd, haproxy or etcd the tests skip, unless CI=true.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "backend/etcd/client.h"
#include "haproxy/master.h"
#include "haproxy/runtime_api.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/docker_fixture.h"
#include "tests/integration/etcd_fixture.h"
#include "tests/integration/haproxy_fixture.h"
#include "up/process.h"
#include "up/state_file.h"
#include "up/status_table.h"

namespace berth::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// What a berth command did.
struct CommandRun {
  int code = -1;    // exit code; -1 when it did not finish in time
  std::string out;  // stdout and stderr
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The line of `text` that contains `needle`, "" when none.
std::string LineWith(const std::string& text, std::string_view needle) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return "";
}

// Pids of live processes whose command line contains `needle`.
std::vector<pid_t> ProcessesNaming(const std::string& needle) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::atoi(name.c_str()));
    if (pid == getpid()) continue;
    auto cmdline = ReadWholeFile("/proc/" + name + "/cmdline");
    if (!cmdline || cmdline->find(needle) == std::string::npos) continue;
    if (!up::ProcessStartTime(pid).has_value()) continue;  // gone, or a zombie
    out.push_back(pid);
  }
  return out;
}

std::string Join(const std::vector<pid_t>& pids) {
  std::string out;
  for (pid_t p : pids) out += (out.empty() ? "" : " ") + std::to_string(p);
  return out;
}

// A process of the system (an HAProxy worker, say) known by pid and start
// time, so that a reused pid is never taken for it.
up::ProcessRecord RecordOf(pid_t pid) {
  auto start = up::ProcessStartTime(pid);
  return {"pid", pid, start.value_or(0), {}, ""};
}

class UpTest : public DockerTest {
 protected:
  void SetUp() override {
    DockerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const char* program : {"haproxy", "etcd"}) {
      if (auto found = up::FindProgram(program); !found) {
        if (MissingIsFailure()) FAIL() << found.error().message() << "; CI=true requires it";
        GTEST_SKIP() << found.error().message();
      }
    }
    std::string dir = "/tmp/berth-up-XXXXXX";  // short: HAProxy's sockets live inside
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    dir_ = dir;
    state_dir_ = dir_ + "/state";
    static int next = 0;
    service_ = "bup" + std::to_string(getpid()) + "-" + std::to_string(++next);
    std::set<int> ports;
    while (ports.size() < 3) {
      const int p = FreeLoopbackPort();
      ASSERT_GT(p, 0);
      ports.insert(p);
    }
    auto it = ports.begin();
    etcd_port_ = *it++;
    etcd_peer_port_ = *it++;
    port_ = *it;
    etcd_url_ = "http://127.0.0.1:" + std::to_string(etcd_port_);
  }

  void TearDown() override {
    if (!dir_.empty()) {
      if (access((state_dir_ + "/up.json").c_str(), F_OK) == 0) {
        CommandRun down = Berth({"down", "--state-dir", state_dir_}, seconds(90));
        EXPECT_EQ(down.code, 0) << "berth down in TearDown:\n" << down.out;
      }
      // Whatever down missed: this test's processes name its directory or
      // its etcd port (the agent, `berth launch`).
      for (const std::string& needle : {dir_, "127.0.0.1:" + std::to_string(etcd_port_)}) {
        for (pid_t pid : ProcessesNaming(needle)) {
          ADD_FAILURE() << "pid " << pid << " (naming " << needle << ") outlived berth down";
          kill(pid, SIGKILL);
        }
      }
      if (HasFailure()) PrintLogs();
    }
    if (!service_.empty()) {
      if (auto list = client().List(true, "berth.service=" + service_)) {
        for (const auto& c : *list) (void)client().Remove(c.id, /*force=*/true);
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    DockerTest::TearDown();
  }

  // Runs `berth args...` to its end.
  CommandRun Berth(const std::vector<std::string>& args, milliseconds timeout = seconds(120)) {
    return Run(BerthProcess::Binary(), args, timeout);
  }

  CommandRun Run(const std::string& binary, const std::vector<std::string>& args,
                 milliseconds timeout) {
    const std::string log = dir_ + "/cmd-" + std::to_string(++commands_) + ".log";
    CommandRun run;
    auto p = BerthProcess::Start(binary, args, log);
    if (!p) {
      run.out = p.error().message();
      return run;
    }
    auto status = (*p)->WaitExit(timeout);
    run.out = (*p)->Log();
    if (!status) {
      run.out += "\n(did not finish within " + std::to_string(timeout.count()) + " ms)";
      return run;
    }
    run.code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
    return run;
  }

  std::vector<std::string> UpArgs(int instances) const {
    return {"up",
            "--state-dir",
            state_dir_,
            "--etcd",
            etcd_url_,
            "--etcd-peer-port",
            std::to_string(etcd_peer_port_),
            "--port",
            std::to_string(port_),
            "--service",
            service_,
            "--instances",
            std::to_string(instances),
            "--wait-timeout",
            "60s"};
  }

  CommandRun Status() { return Berth({"status", "--state-dir", state_dir_}, seconds(30)); }

  up::UpState LoadState() {
    auto s = up::LoadState(state_dir_ + "/up.json");
    EXPECT_TRUE(s.has_value() && s->has_value())
        << (s ? std::string("no state file") : s.error().message());
    return s && *s ? **s : up::UpState{};
  }

  // The service's containers: name -> id.
  std::map<std::string, std::string> Containers(bool all = true) {
    std::map<std::string, std::string> out;
    auto list = client().List(all, "berth.service=" + service_);
    EXPECT_TRUE(list.has_value()) << list.error().message();
    if (list) {
      for (const auto& c : *list) out[c.name] = c.id;
    }
    return out;
  }

  // name -> the hostname nginx answers with.
  std::map<std::string, std::string> Hostnames() {
    std::map<std::string, std::string> out;
    for (const auto& [name, id] : Containers(false)) {
      auto c = client().Inspect(id);
      EXPECT_TRUE(c.has_value()) << c.error().message();
      if (c) out[name] = c->hostname;
    }
    return out;
  }

  // GETs the frontend until every hostname of `want` has answered; every
  // answer must be 200.  The hostnames seen.
  std::set<std::string> GetUntilSeen(const std::set<std::string>& want,
                                     milliseconds timeout = seconds(20)) {
    std::set<std::string> seen;
    std::string last;
    const bool all = WaitUntil(
        [&] {
          auto answer = HttpGet(port_, std::string_view("/"));
          if (!answer) {
            last = answer.error().message();
            return false;
          }
          EXPECT_EQ(answer->status, 200) << answer->body;
          seen.insert(Trim(answer->body));
          return std::includes(seen.begin(), seen.end(), want.begin(), want.end());
        },
        timeout, milliseconds(5));
    EXPECT_TRUE(all) << "the frontend did not answer from every instance; last error: " << last;
    return seen;
  }

  // HAProxy's state of each of our servers ("absent" when it has none).
  std::map<std::string, std::string> HaproxyStates(const up::UpState& state,
                                                   const std::vector<std::string>& names) {
    std::map<std::string, std::string> out;
    for (const auto& n : names) out[n] = "?";
    auto stat = haproxy::RuntimeApi(state.haproxy_files.socket, seconds(2)).ShowStat();
    if (!stat) return out;
    std::map<std::string, std::string> have;
    for (const auto& row :
         up::BuildRows({std::nullopt, std::nullopt, *stat, state.settings.prefix})) {
      have[row.name] = row.haproxy;
    }
    for (const auto& n : names) out[n] = have.contains(n) ? have[n] : "absent";
    return out;
  }

  // "up" or "DOWN" from the processes of `berth status`, "" when unlisted.
  static std::string ProcessState(const std::string& status_out, const std::string& name) {
    std::istringstream in(status_out);
    for (std::string line; std::getline(in, line);) {
      auto w = Words(line);
      if (w.size() >= 4 && w[0] == name && w[1] == "pid") return w[3];
    }
    return "";
  }

  // The row of `name` in `berth status`'s table, split into its cells.
  static std::vector<std::string> StatusRow(const std::string& status_out,
                                            const std::string& name) {
    std::istringstream in(status_out);
    for (std::string line; std::getline(in, line);) {
      auto w = Words(line);
      if (!w.empty() && w[0] == name) return w;
    }
    return {};
  }

  // For a failure report: the lines of every log that name this test's
  // service, then the end of each log.
  void PrintLogs() {
    std::error_code ec;
    for (const std::string& d : {dir_, state_dir_ + "/logs"}) {
      for (const auto& e : std::filesystem::directory_iterator(d, ec)) {
        if (e.path().extension() != ".log") continue;
        const std::string log = ReadWholeFile(e.path().string()).value_or("");
        std::string ours;
        std::istringstream in(log);
        for (std::string line; std::getline(in, line);) {
          if (line.find(service_) != std::string::npos) ours += line + "\n";
        }
        if (ours.size() > 8000) ours = "..." + ours.substr(ours.size() - 8000);
        const std::string tail = log.size() > 3000 ? "..." + log.substr(log.size() - 3000) : log;
        std::fprintf(stderr, "---- %s (lines naming %s) ----\n%s---- %s (end) ----\n%s\n",
                     e.path().string().c_str(), service_.c_str(), ours.c_str(),
                     e.path().string().c_str(), tail.c_str());
      }
    }
  }

  std::string dir_;  // the test's temporary directory; the state dir inside
  std::string state_dir_;
  std::string service_;
  int etcd_port_ = 0;
  int etcd_peer_port_ = 0;
  int port_ = 0;
  std::string etcd_url_;
  int commands_ = 0;
};

TEST_F(UpTest, UpRoutesToEveryInstanceStatusShowsThemAndASecondUpIsANoOp) {
  CommandRun up = Berth(UpArgs(3));
  ASSERT_EQ(up.code, 0) << up.out;
  EXPECT_NE(up.out.find("berth is up"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("3 instance(s) of " + service_), std::string::npos) << up.out;

  const auto hostnames = Hostnames();
  ASSERT_EQ(hostnames.size(), 3u);
  const std::vector<std::string> names = {service_ + "-1", service_ + "-2", service_ + "-3"};
  for (const auto& n : names) EXPECT_TRUE(hostnames.contains(n)) << n;

  CommandRun status = Status();
  EXPECT_EQ(status.code, 0) << status.out;
  EXPECT_NE(status.out.find("INSTANCE"), std::string::npos) << status.out;
  for (const auto& n : names) {
    const auto row = StatusRow(status.out, n);
    ASSERT_GE(row.size(), 5u) << n << " is not in\n" << status.out;
    EXPECT_EQ(row[2], "running") << status.out;
    EXPECT_EQ(row[3], "yes") << status.out;
    EXPECT_EQ(row[4], "UP") << status.out;
  }
  for (const char* process : {"etcd", "haproxy", "agent", "confd"}) {
    EXPECT_EQ(ProcessState(status.out, process), "up") << process << ":\n" << status.out;
  }

  std::set<std::string> want;
  for (const auto& [name, host] : hostnames) want.insert(host);
  EXPECT_EQ(want.size(), 3u) << "three instances, three hostnames";
  GetUntilSeen(want);

  // Again: already up, nothing started.
  const up::UpState before = LoadState();
  const auto containers = Containers();
  CommandRun again = Berth(UpArgs(3));
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("already up"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("[2/10]"), std::string::npos) << again.out;
  const up::UpState after = LoadState();
  EXPECT_EQ(after.processes, before.processes);
  EXPECT_EQ(Containers(), containers);
}

TEST_F(UpTest, SuggestedLaunchAndKillChangeWhatHaproxyRoutesToWithoutAReload) {
  CommandRun up = Berth(UpArgs(1));
  ASSERT_EQ(up.code, 0) << up.out;
  const up::UpState state = LoadState();
  const haproxy::MasterCli master(state.haproxy_files.master_socket, seconds(2));
  auto procs = master.ShowProc();
  ASSERT_TRUE(procs.has_value()) << procs.error().message();
  const int reloads = procs->master.reloads;
  const std::string confd_log = state_dir_ + "/logs/confd.log";
  auto runtime_changes = [&] {
    const std::string log = ReadWholeFile(confd_log).value_or("");
    size_t n = 0;
    for (size_t at = log.find("no reload"); at != std::string::npos;
         at = log.find("no reload", at + 1)) {
      ++n;
    }
    return n;
  };
  const size_t changes_before = runtime_changes();

  // The commands of "Try next", as printed.
  const size_t try_next = up.out.find("Try next:");
  ASSERT_NE(try_next, std::string::npos) << up.out;
  auto command = [&](std::string_view what) {
    auto w = Words(LineWith(up.out.substr(try_next), what));
    if (!w.empty() && w[0] == "berth") w[0] = BerthProcess::Binary();
    return w;
  };
  auto launch = command(" launch ");
  auto kill_cmd = command(" kill ");
  ASSERT_GE(launch.size(), 2u) << up.out;
  ASSERT_GE(kill_cmd.size(), 3u) << up.out;
  const std::string killed = kill_cmd[2];
  EXPECT_EQ(killed, service_ + "-1") << up.out;

  CommandRun launched =
      Run(launch[0], std::vector<std::string>(launch.begin() + 1, launch.end()), seconds(90));
  ASSERT_EQ(launched.code, 0) << launched.out;
  const auto hostnames = Hostnames();
  ASSERT_EQ(hostnames.size(), 3u) << launched.out;
  std::vector<std::string> names;
  std::set<std::string> all_hosts;
  for (const auto& [name, host] : hostnames) {
    names.push_back(name);
    all_hosts.insert(host);
  }
  std::map<std::string, std::string> states;
  EXPECT_TRUE(WaitUntil(
      [&] {
        states = HaproxyStates(state, names);
        return std::all_of(states.begin(), states.end(),
                           [](const auto& s) { return s.second == "UP"; });
      },
      seconds(30)))
      << "HAProxy did not show the launched instances UP";
  GetUntilSeen(all_hosts);
  const size_t changes_after_launch = runtime_changes();
  EXPECT_GT(changes_after_launch, changes_before) << ReadWholeFile(confd_log).value_or("");
  for (const auto& n : names) {
    if (n == killed) continue;  // up's own instance
    EXPECT_NE(ReadWholeFile(confd_log).value_or("").find("added server TransparentBack_http/" + n),
              std::string::npos)
        << n;
  }

  CommandRun killed_run =
      Run(kill_cmd[0], std::vector<std::string>(kill_cmd.begin() + 1, kill_cmd.end()), seconds(90));
  ASSERT_EQ(killed_run.code, 0) << killed_run.out;
  EXPECT_TRUE(WaitUntil(
      [&] {
        states = HaproxyStates(state, {killed});
        return states[killed] == "absent";
      },
      seconds(30)))
      << killed << " is still in HAProxy: " << states[killed];
  EXPECT_FALSE(Containers().contains(killed));
  // The other two still answer, the killed one never.
  std::set<std::string> rest;
  for (const auto& [name, host] : hostnames) {
    if (name != killed) rest.insert(host);
  }
  const auto seen = GetUntilSeen(rest);
  for (int i = 0; i < 6; ++i) {
    auto answer = HttpGet(port_, std::string_view("/"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message();
    EXPECT_EQ(answer->status, 200);
    EXPECT_NE(Trim(answer->body), hostnames.at(killed)) << "routed to the killed instance";
  }
  EXPECT_FALSE(seen.contains(hostnames.at(killed)));

  // Both changes went through the Runtime API: the same master, no reload.
  procs = master.ShowProc();
  ASSERT_TRUE(procs.has_value()) << procs.error().message();
  EXPECT_EQ(procs->master.reloads, reloads);
  EXPECT_EQ(procs->master.pid, state.Find("haproxy")->pid);
  EXPECT_TRUE(WaitUntil(
      [&] {
        return ReadWholeFile(confd_log).value_or("").find("removed server TransparentBack_http/" +
                                                          killed) != std::string::npos;
      },
      seconds(10)))
      << ReadWholeFile(confd_log).value_or("");
  EXPECT_GT(runtime_changes(), changes_after_launch) << ReadWholeFile(confd_log).value_or("");
}

// The acceptance run: 40 scale events, alternating `berth launch`
// and `berth kill` (deregister, drain, stop), under a steady keep-alive
// load through HAProxy: no failed request, no non-200, no reload.
TEST_F(UpTest, FortyLaunchAndKillEventsUnderLoadLoseNoRequestAndNeedNoReload) {
  CommandRun up = Berth(UpArgs(2));
  ASSERT_EQ(up.code, 0) << up.out;
  const up::UpState state = LoadState();
  const haproxy::MasterCli master(state.haproxy_files.master_socket, seconds(2));
  auto before = master.ShowProc();
  ASSERT_TRUE(before.has_value()) << before.error().message();

  KeepAliveLoad load(port_, 8, milliseconds(5));
  ASSERT_TRUE(WaitUntil([&] { return load.Snapshot().ok > 200; }, seconds(15)));
  for (int round = 0; round < 20; ++round) {
    CommandRun launched =
        Berth({"launch", "--count", "1", "--service", service_, "--etcd", etcd_url_}, seconds(90));
    ASSERT_EQ(launched.code, 0) << launched.out;
    const auto words = Words(Trim(launched.out));
    ASSERT_FALSE(words.empty()) << launched.out;
    const std::string name = words[0];
    // The new instance takes traffic before it is killed again.
    const std::string host = Hostnames()[name];
    ASSERT_FALSE(host.empty()) << name;
    EXPECT_TRUE(WaitUntil([&] { return load.Snapshot().by_backend.contains(host); }, seconds(10)))
        << name << " took no request";
    CommandRun killed =
        Berth({"kill", name, "--etcd", etcd_url_, "--haproxy-socket", state.haproxy_files.socket},
              seconds(90));
    ASSERT_EQ(killed.code, 0) << killed.out;
  }
  const LoadStats stats = load.Stop();
  std::printf("[ measure  ] 40 launch/kill events under load: %lld requests, %lld errors\n",
              static_cast<long long>(stats.ok), static_cast<long long>(stats.errors));
  EXPECT_EQ(stats.errors, 0) << (stats.error_samples.empty() ? "" : stats.error_samples[0]);
  EXPECT_GT(stats.ok, 1000);
  EXPECT_EQ(stats.by_backend.size(), 22u);  // up's two instances and the 20 launched

  auto after = master.ShowProc();
  ASSERT_TRUE(after.has_value()) << after.error().message();
  EXPECT_EQ(after->master.reloads, before->master.reloads) << "HAProxy was reloaded";
}

// Instances that die without `berth kill` (docker rm -f: a crash, a dead
// host) under load: the agent deregisters them and confd deletes their
// servers while clients still have connection attempts to them in flight.
// HAProxy 2.6 crashes on `del server` when a stream is still bound to the
// server; `option redispatch 1` (examples/up) moves such streams to another
// server first.  HAProxy must outlive every event and keep serving.
TEST_F(UpTest, InstancesThatDieAbruptlyUnderLoadDoNotTakeHaproxyDown) {
  CommandRun up = Berth(UpArgs(2));
  ASSERT_EQ(up.code, 0) << up.out;
  const up::UpState state = LoadState();
  const up::ProcessRecord* haproxy = state.Find("haproxy");
  ASSERT_NE(haproxy, nullptr);

  KeepAliveLoad load(port_, 16, milliseconds(1));
  ASSERT_TRUE(WaitUntil([&] { return load.Snapshot().ok > 200; }, seconds(15)));
  for (int round = 0; round < 20; ++round) {
    CommandRun launched =
        Berth({"launch", "--count", "1", "--service", service_, "--etcd", etcd_url_}, seconds(90));
    ASSERT_EQ(launched.code, 0) << launched.out;
    const std::string name = Words(Trim(launched.out)).at(0);
    const std::string host = Hostnames()[name];
    EXPECT_TRUE(WaitUntil([&] { return load.Snapshot().by_backend.contains(host); }, seconds(10)))
        << name << " took no request";
    ASSERT_TRUE(client().Remove(name, /*force=*/true).ok()) << name;
    ASSERT_TRUE(up::IsAlive(*haproxy)) << "HAProxy died after " << name << " did";
  }
  const LoadStats stats = load.Stop();
  std::printf("[ measure  ] 20 abrupt deaths under load: %lld requests, %lld errors\n",
              static_cast<long long>(stats.ok), static_cast<long long>(stats.errors));
  EXPECT_TRUE(up::IsAlive(*haproxy));
  auto answer = HttpGet(port_, std::string_view("/"));
  ASSERT_TRUE(answer.has_value()) << answer.error().message();
  EXPECT_EQ(answer->status, 200);
}

TEST_F(UpTest, KilledBackgroundProcessShowsDownAndUpRestartsOnlyIt) {
  CommandRun up = Berth(UpArgs(2));
  ASSERT_EQ(up.code, 0) << up.out;
  const up::UpState before = LoadState();
  const up::ProcessRecord* agent = before.Find("agent");
  ASSERT_NE(agent, nullptr);
  const auto containers = Containers();
  ASSERT_EQ(containers.size(), 2u);

  ASSERT_EQ(kill(agent->pid, SIGKILL), 0);
  ASSERT_TRUE(WaitUntil([&] { return !up::IsAlive(*agent); }, seconds(10)));

  CommandRun status = Status();
  EXPECT_NE(status.code, 0) << "a dead agent reported healthy:\n" << status.out;
  EXPECT_EQ(ProcessState(status.out, "agent"), "DOWN") << status.out;
  for (const char* process : {"etcd", "haproxy", "confd"}) {
    EXPECT_EQ(ProcessState(status.out, process), "up") << process << ":\n" << status.out;
  }

  CommandRun again = Berth(UpArgs(2));
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("partly up"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("none launched"), std::string::npos) << again.out;
  const up::UpState after = LoadState();
  for (const char* name : {"etcd", "haproxy", "confd"}) {
    ASSERT_NE(after.Find(name), nullptr) << name;
    EXPECT_EQ(*after.Find(name), *before.Find(name)) << name << " was restarted";
  }
  const up::ProcessRecord* new_agent = after.Find("agent");
  ASSERT_NE(new_agent, nullptr);
  EXPECT_NE(new_agent->pid, agent->pid);
  EXPECT_TRUE(up::IsAlive(*new_agent));
  EXPECT_EQ(Containers(), containers) << "instances were launched or removed";

  status = Status();
  EXPECT_EQ(status.code, 0) << status.out;
}

TEST_F(UpTest, DownStopsEverythingAndASecondDownIsANoOp) {
  CommandRun up = Berth(UpArgs(2));
  ASSERT_EQ(up.code, 0) << up.out;
  const up::UpState state = LoadState();
  ASSERT_EQ(state.processes.size(), 4u);  // etcd, haproxy, agent, confd
  auto procs = haproxy::MasterCli(state.haproxy_files.master_socket, seconds(2)).ShowProc();
  ASSERT_TRUE(procs.has_value()) << procs.error().message();
  std::vector<up::ProcessRecord> workers;
  for (const auto& w : procs->workers) workers.push_back(RecordOf(w.pid));
  ASSERT_FALSE(workers.empty());
  ASSERT_EQ(Containers().size(), 2u);

  CommandRun down = Berth({"down", "--state-dir", state_dir_});
  ASSERT_EQ(down.code, 0) << down.out;
  for (const auto& p : state.processes) EXPECT_FALSE(up::IsAlive(p)) << p.name << " still runs";
  for (const auto& w : workers) EXPECT_FALSE(up::IsAlive(w)) << "HAProxy worker " << w.pid;
  EXPECT_EQ(Join(ProcessesNaming(state_dir_)), "");
  EXPECT_EQ(Join(ProcessesNaming("127.0.0.1:" + std::to_string(etcd_port_))), "");
  EXPECT_TRUE(Containers().empty());
  for (const std::string& f : {state.haproxy_files.socket, state.haproxy_files.master_socket,
                               state.haproxy_files.pid_file}) {
    EXPECT_NE(access(f.c_str(), F_OK), 0) << f << " left behind";
  }
  const up::UpState after = LoadState();
  EXPECT_EQ(after.phase, up::UpState::Phase::kDown);
  EXPECT_TRUE(after.processes.empty());

  CommandRun again = Berth({"down", "--state-dir", state_dir_});
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("nothing to stop"), std::string::npos) << again.out;

  CommandRun status = Status();
  EXPECT_NE(status.code, 0) << status.out;
  EXPECT_NE(status.out.find("berth is down"), std::string::npos) << status.out;
}

TEST_F(UpTest, DownDeletesTheKeysAndLeavesAnEtcdItDidNotStart) {
  BERTH_START_ETCD(etcd, EtcdClusterOptions{});
  etcd_url_ = etcd->endpoint(0);
  CommandRun up = Berth(UpArgs(2));
  ASSERT_EQ(up.code, 0) << up.out;
  EXPECT_NE(up.out.find("reachable at " + etcd_url_), std::string::npos) << up.out;
  const up::UpState state = LoadState();
  EXPECT_FALSE(state.etcd_started);
  EXPECT_EQ(state.Find("etcd"), nullptr);

  auto kv = etcd::Client::Create(etcd->ClientOptions());
  ASSERT_TRUE(kv.has_value()) << kv.error().message();
  auto ours = [&] {
    std::set<std::string> keys;
    auto range = (*kv)->GetPrefix("/app/servers/");
    EXPECT_TRUE(range.has_value()) << range.error().message();
    if (range) {
      for (const auto& k : range->kvs) {
        if (k.key.starts_with("/app/servers/" + service_ + "-")) keys.insert(k.key);
      }
    }
    return keys;
  };
  EXPECT_EQ(ours(), (std::set<std::string>{"/app/servers/" + service_ + "-1",
                                           "/app/servers/" + service_ + "-2"}));

  CommandRun down = Berth({"down", "--state-dir", state_dir_});
  ASSERT_EQ(down.code, 0) << down.out;
  EXPECT_NE(down.out.find("left running"), std::string::npos) << down.out;
  EXPECT_TRUE(ours().empty());
  EXPECT_TRUE(Containers().empty());
  EXPECT_TRUE(etcd->running(0));
  auto health = etcd->Etcdctl(0, {"endpoint", "health"});
  EXPECT_TRUE(health.has_value()) << health.error().message();
}

TEST_F(UpTest, FailedStepRollsBackWhatThisRunStarted) {
  // The frontend port is bound (not listening): up's first check passes,
  // HAProxy cannot bind it.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0) << strerror(errno);

  CommandRun up = Berth(UpArgs(2));
  close(fd);
  EXPECT_EQ(up.code, 1) << up.out;
  EXPECT_NE(up.out.find("step 6/10 (haproxy) failed"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find(state_dir_ + "/logs/haproxy.log"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("stopped what this run started"), std::string::npos) << up.out;

  EXPECT_EQ(Join(ProcessesNaming(state_dir_)), "");
  EXPECT_EQ(Join(ProcessesNaming("127.0.0.1:" + std::to_string(etcd_port_))), "");
  EXPECT_TRUE(Containers().empty());
  const up::UpState state = LoadState();
  EXPECT_EQ(state.phase, up::UpState::Phase::kDown);
  EXPECT_TRUE(state.processes.empty());
  EXPECT_FALSE(state.etcd_started);
  auto answer = HttpGet(etcd_port_, std::string_view("/health"), milliseconds(500));
  EXPECT_FALSE(answer.has_value()) << "etcd still answers on " << etcd_port_;
}

}  // namespace
}  // namespace berth::testing
