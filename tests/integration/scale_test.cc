// `berth scale` closing the loop the seed leaves to an operator: real etcd,
// HAProxy, dockerd with berth/nginx instances, `berth agent` registering
// them and `berth confd -watch` putting them into HAProxy over its Runtime
// API — and keep-alive clients on the frontend (KeepAliveLoad: any request
// that does not end in a complete 200 is a failure, none is retried).  The
// metric is `rate` (requests per second per instance), which a bounded
// number of clients with a fixed gap drives precisely.
//
//   - a load ramp raises the count to the expected number; a scaler killed
//     (SIGKILL) and restarted mid-run continues from the real count; when
//     the load falls the count returns to min after the scale-down delay;
//     max and min are never crossed; zero failed requests throughout;
//   - a load that oscillates faster than the delay does not make the count
//     flap;
//   - bad input is refused before anything starts.
//
// Each test has its own service name, etcd, HAProxy and processes; the
// instances of its service are removed at the end, also when it fails.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "backend/etcd/client.h"
#include "scale/state.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/agent_fixture.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/docker_fixture.h"
#include "tests/integration/etcd_fixture.h"
#include "tests/integration/haproxy_fixture.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

class ScaleTest : public DockerTest {
 protected:
  void SetUp() override {
    DockerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const auto& [ok, what] : {std::pair{EtcdCluster::Available(), "etcd"},
                                   std::pair{HaproxyInstance::Available(), "HAProxy"}}) {
      if (ok) continue;
      if (MissingIsFailure()) FAIL() << what << " is not installed; CI=true requires it";
      GTEST_SKIP() << what << " is not installed";
    }
    static int tests = 0;
    service_ = "sc" + std::to_string(getpid()) + "t" + std::to_string(++tests);
    auto cluster = EtcdCluster::Start({});
    ASSERT_TRUE(cluster.has_value()) << cluster.error().message();
    etcd_ = std::move(*cluster);
    auto h = HaproxyInstance::Create();
    ASSERT_TRUE(h.has_value()) << h.error().message();
    h_ = std::move(*h);
  }

  void TearDown() override {
    scaler_.reset();  // no launch behind our back while we clean up
    if (HasFailure()) {
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(tmp_.path(), ec)) {
        if (e.path().extension() != ".log") continue;
        std::string log = ReadWholeFile(e.path().string()).value_or("");
        if (log.size() > 8000) log = "..." + log.substr(log.size() - 8000);
        std::fprintf(stderr, "---- %s ----\n%s\n", e.path().filename().c_str(), log.c_str());
      }
      if (h_) std::fprintf(stderr, "---- haproxy ----\n%s\n", h_->LogTail().c_str());
    }
    confd_.reset();
    agent_.reset();
    if (!service_.empty()) {  // DockerTest::SetUp connected client()
      auto list = client().List(/*all=*/true, "berth.service=" + service_);
      if (list) {
        for (const auto& c : *list) (void)client().Remove(c.id, /*force=*/true);
      }
    }
    DockerTest::TearDown();
  }

  std::string Confdir() const { return h_->dir() + "/confd"; }
  std::string Prefix() const { return "/services/" + service_; }

  // etcd, HAProxy on the fixture's configuration with the service's
  // servers rendered by confd (a fast health check), confd -watch and an
  // agent registering under /services/SERVICE/NAME.
  void StartSystem() {
    HaproxyConfigOptions options;
    std::string t = h_->Config({}, options);
    t += "{{range gets \"" + Prefix() + "/*\"}}    server {{base .Key}} {{.Value}} " +
         "check inter 500ms fall 1 rise 1\n{{end}}";
    std::filesystem::create_directories(Confdir() + "/templates");
    std::filesystem::create_directories(Confdir() + "/conf.d");
    WriteFileAtomically(Confdir() + "/templates/haproxy.cfg.tmpl", t);
    WriteFileAtomically(Confdir() + "/conf.d/haproxy.toml",
                        "[template]\nsrc = \"haproxy.cfg.tmpl\"\ndest = \"" + h_->config_path() +
                            "\"\nkeys = [\"" + Prefix() + "\"]\ncheck_cmd = \"" +
                            HaproxyInstance::Binary() +
                            " -c -q -f {{.src}}\"\nreload_cmd = \"exit 1\"\n"
                            "haproxy_socket = \"" +
                            h_->stats_socket() + "\"\nhaproxy_master_socket = \"" +
                            h_->master_socket() + "\"\nhaproxy_drain_timeout = \"5s\"\n");
    const std::vector<std::string> confd = {
        "confd",   "-backend",         "etcd",
        "-node",   etcd_->endpoint(0), "-confdir",
        Confdir(), "-config-file",     Confdir() + "/confd.toml"};
    auto once_args = confd;
    once_args.insert(once_args.end(), {"-onetime", "-sync-only"});
    const BerthOutcome once = RunBerth(once_args, tmp_.Path("onetime.log"), 30s);
    ASSERT_EQ(once.exit_code, 0) << once.output;
    const Status started = h_->Start();
    ASSERT_TRUE(started.ok()) << started.message();
    auto watch_args = confd;
    watch_args.push_back("-watch");
    auto c = BerthProcess::Start(BerthProcess::Binary(), watch_args, tmp_.Path("confd.log"));
    ASSERT_TRUE(c.has_value()) << c.error().message();
    confd_ = std::move(*c);
    auto a = BerthProcess::Start(BerthProcess::Binary(),
                                 {"agent", "--etcd", etcd_->endpoint(0), "--host-ip", "127.0.0.1",
                                  "--layout", "service", "--ttl", "5s"},
                                 tmp_.Path("agent.log"));
    ASSERT_TRUE(a.has_value()) << a.error().message();
    agent_ = std::move(*a);
  }

  std::vector<std::string> ScaleArgs(int min, int max, const std::string& delay) {
    return {"scale",
            "--etcd",
            etcd_->endpoint(0),
            "--haproxy-socket",
            h_->stats_socket(),
            "--backend",
            "be",
            "--metric",
            "rate",
            "--target",
            "30",
            "--min",
            std::to_string(min),
            "--max",
            std::to_string(max),
            "--interval",
            "200ms",
            "--scale-down-delay",
            delay,
            "--service",
            service_,
            "--layout",
            "service",
            "--drain-timeout",
            "5s",
            "--stop-timeout",
            "2s",
            "--launch-timeout",
            "30s",
            "--state-file",
            tmp_.Path("scale.json")};
  }

  void StartScaler(int min, int max, const std::string& delay) {
    auto p = BerthProcess::Start(BerthProcess::Binary(), ScaleArgs(min, max, delay),
                                 tmp_.Path("scale-" + std::to_string(++scalers_) + ".log"));
    ASSERT_TRUE(p.has_value()) << p.error().message();
    scaler_ = std::move(*p);
  }

  // Running containers of the service; records the extremes seen.
  int Count() {
    auto list = client().List(/*all=*/false, "berth.service=" + service_);
    if (!list) return -1;
    const int n = static_cast<int>(list->size());
    highest_ = std::max(highest_, n);
    if (reached_min_) lowest_ = std::min(lowest_, n);
    return n;
  }
  // Servers of backend be that HAProxy shows UP.
  int UpServers() {
    auto stat = h_->Runtime().ShowStat();
    if (!stat) return -1;
    int n = 0;
    for (const auto& row : *stat) {
      if (row.at("pxname") == "be" && row.at("svname") != "BACKEND" &&
          row.at("status").starts_with("UP")) {
        ++n;
      }
    }
    return n;
  }
  // The count is `n`, every instance is UP in HAProxy, and it stays so for
  // a moment (the scaler is not about to change it).
  bool WaitForCount(int n, milliseconds timeout) {
    return WaitFor([&] { return Count() == n && UpServers() == n; }, timeout, 100ms);
  }

  // How many instances have answered the clients so far (berth/nginx
  // answers with its hostname).
  static size_t Hostnames(const std::vector<KeepAliveLoad*>& loads) {
    std::set<std::string> seen;
    for (auto* l : loads) {
      for (const auto& [name, n] : l->Snapshot().by_backend) seen.insert(name);
    }
    return seen.size();
  }

  TempDir tmp_;
  std::string service_;
  std::unique_ptr<EtcdCluster> etcd_;
  std::unique_ptr<HaproxyInstance> h_;
  std::unique_ptr<BerthProcess> confd_, agent_, scaler_;
  int scalers_ = 0;
  int highest_ = 0;
  int lowest_ = 1 << 30;
  bool reached_min_ = false;
};

TEST_F(ScaleTest, RampUpRestartAndBackToMinWithoutAFailedRequest) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  constexpr int kMin = 1, kMax = 4;
  ASSERT_NO_FATAL_FAILURE(StartScaler(kMin, kMax, "3s"));
  // No instance at first: the scaler launches min.
  ASSERT_TRUE(WaitForCount(kMin, 30s)) << scaler_->LogTail();
  reached_min_ = true;
  EXPECT_TRUE(scaler_->CountInLog("desired 1, action up +1 (below min 1)") >= 1)
      << scaler_->LogTail();

  // Step 1: ~40 requests/s (2 clients, 50 ms apart) over a target of 30 per
  // instance: 2 instances.
  const auto t0 = Clock::now();
  KeepAliveLoad low(h_->port(), 2, 50ms);
  ASSERT_TRUE(WaitFor([&] { return Hostnames({&low}) >= 2; }, 30s)) << scaler_->LogTail();
  const double first_serving = Seconds(Clock::now() - t0);
  ASSERT_TRUE(WaitForCount(2, 30s)) << scaler_->LogTail();

  // Step 2: ~80 requests/s: 3 instances.
  const auto t1 = Clock::now();
  KeepAliveLoad more(h_->port(), 2, 50ms);
  ASSERT_TRUE(WaitFor([&] { return Hostnames({&low, &more}) >= 3; }, 30s)) << scaler_->LogTail();
  const double second_serving = Seconds(Clock::now() - t1);
  ASSERT_TRUE(WaitForCount(3, 30s)) << scaler_->LogTail();
  // It stays at 3 (80 / 3 = 27 per instance, ~10 % under the target).
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(Count(), 3) << scaler_->LogTail();

  // The scaler dies and starts again under the same load: it counts 3 and
  // neither launches nor kills.
  ASSERT_TRUE(scaler_->Signal(SIGKILL));
  ASSERT_TRUE(scaler_->WaitExit(5s).has_value());
  ASSERT_NO_FATAL_FAILURE(StartScaler(kMin, kMax, "3s"));
  ASSERT_TRUE(WaitFor([&] { return scaler_->CountInLog("current 3 (starting 0)") >= 1; }, 15s))
      << scaler_->LogTail();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(Count(), 3);
  EXPECT_EQ(scaler_->CountInLog("scale: launched"), 0u) << scaler_->Log();
  EXPECT_EQ(scaler_->CountInLog("scale: killed"), 0u) << scaler_->Log();
  auto state = scale::ReadScalerState(tmp_.Path("scale.json"));
  ASSERT_TRUE(state.has_value() && state->has_value());
  EXPECT_EQ((*state)->current, 3);
  EXPECT_EQ((*state)->metric, "rate");

  // The load falls to ~5 requests/s: back to min once the delay passed,
  // draining each instance while the clients keep going.
  const LoadStats more_stats = more.Stop();
  const LoadStats low_stats = low.Stop();
  const auto t2 = Clock::now();
  KeepAliveLoad trickle(h_->port(), 1, 200ms);
  ASSERT_TRUE(WaitForCount(kMin, 40s)) << scaler_->LogTail();
  const double down_after = Seconds(Clock::now() - t2);
  EXPECT_GE(down_after, 3.0) << "scaled down before the delay";
  std::this_thread::sleep_for(1s);
  const LoadStats trickle_stats = trickle.Stop();
  EXPECT_EQ(Count(), kMin);

  const int64_t failed = low_stats.errors + more_stats.errors + trickle_stats.errors;
  const int64_t ok = low_stats.ok + more_stats.ok + trickle_stats.ok;
  EXPECT_EQ(failed, 0) << (low_stats.error_samples.empty() ? "" : low_stats.error_samples[0])
                       << (more_stats.error_samples.empty() ? "" : more_stats.error_samples[0])
                       << (trickle_stats.error_samples.empty() ? ""
                                                               : trickle_stats.error_samples[0]);
  EXPECT_GT(ok, 300);
  EXPECT_LE(highest_, kMax);
  EXPECT_GE(lowest_, kMin);
  std::printf(
      "load step 0 -> 40 req/s: second instance serving after %.2f s; 40 -> 80 req/s: third "
      "after %.2f s; back to min %.2f s after the load fell (delay 3 s); %lld requests, %lld "
      "failed\n",
      first_serving, second_serving, down_after, static_cast<long long>(ok),
      static_cast<long long>(failed));
}

// Load switched on and off every second, with a 4 s delay: the count rises
// to max (capped: the peaks ask for more) and stays there while the load
// swings; it falls only once the load stayed off for the delay.
TEST_F(ScaleTest, OscillatingLoadDoesNotFlapAndMaxIsNeverCrossed) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  constexpr int kMin = 1, kMax = 2;
  ASSERT_NO_FATAL_FAILURE(StartScaler(kMin, kMax, "4s"));
  ASSERT_TRUE(WaitForCount(kMin, 30s)) << scaler_->LogTail();
  reached_min_ = true;
  int64_t failed = 0;
  {
    KeepAliveLoad burst(h_->port(), 5, 50ms);  // ~100 requests/s: 4 wanted
    ASSERT_TRUE(WaitForCount(kMax, 30s)) << scaler_->LogTail();
    failed += burst.Stop().errors;
  }
  const size_t downs_before = scaler_->CountInLog("action down");
  const auto swing_end = Clock::now() + 8s;
  while (Clock::now() < swing_end) {
    {
      KeepAliveLoad burst(h_->port(), 5, 50ms);
      WaitFor([&] { return Count() < 0; }, 1s, 100ms);  // samples the count for 1 s
      failed += burst.Stop().errors;
    }
    WaitFor([&] { return Count() < 0; }, 1s, 100ms);
  }
  EXPECT_EQ(scaler_->CountInLog("action down"), downs_before) << scaler_->LogTail();
  EXPECT_EQ(Count(), kMax);
  EXPECT_GE(scaler_->CountInLog("capped at max 2"), 1u) << scaler_->LogTail();
  const auto quiet = Clock::now();
  ASSERT_TRUE(WaitForCount(kMin, 30s)) << scaler_->LogTail();
  // The load has been off for ~1 s at `quiet`; the delay is 4 s.
  EXPECT_GE(Seconds(Clock::now() - quiet), 2.5);
  EXPECT_EQ(failed, 0);
  EXPECT_LE(highest_, kMax);
  EXPECT_GE(lowest_, kMin);
}

// Mistakes get one clear line and exit status 2 before anything starts.
TEST_F(ScaleTest, BadInputIsRefusedBeforeAnythingStarts) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  struct Case {
    std::vector<std::string> change;  // flag, value
    std::string message;
  };
  const Case cases[] = {
      {{"--min", "3", "--max", "2"}, "--min 3 is above --max 2"},
      {{"--target", "0"}, "--target 0: must be above 0"},
      {{"--target", "-1"}, "--target -1: must be above 0"},
      {{"--backend", "nosuch"}, "--backend nosuch: HAProxy has no such backend (it has "},
      {{"--metric", "cpu"}, "--metric cpu: want sessions, rate or queue"},
      {{"--image", "nosuch"}, "image nosuch is not on this Docker host"},
      {{"--service", "a/b"}, "--service must match"},
  };
  int n = 0;
  for (const auto& c : cases) {
    std::vector<std::string> args = ScaleArgs(1, 3, "3s");
    for (size_t i = 0; i + 1 < c.change.size(); i += 2) {
      auto it = std::find(args.begin(), args.end(), c.change[i]);
      if (it != args.end()) {
        *(it + 1) = c.change[i + 1];
      } else {
        args.push_back(c.change[i]);
        args.push_back(c.change[i + 1]);
      }
    }
    const BerthOutcome r = RunBerth(args, tmp_.Path("bad-" + std::to_string(++n) + ".log"), 20s);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
    EXPECT_EQ(Lines(r.output).size(), 1u) << r.output;
  }
  // HAProxy's socket missing: exit 1, naming it.
  std::vector<std::string> args = ScaleArgs(1, 3, "3s");
  *(std::find(args.begin(), args.end(), "--haproxy-socket") + 1) = tmp_.Path("none.sock");
  const BerthOutcome r = RunBerth(args, tmp_.Path("bad-socket.log"), 20s);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(tmp_.Path("none.sock")), std::string::npos) << r.output;
  EXPECT_EQ(Count(), 0) << "an instance was launched";
}

}  // namespace
}  // namespace berth::testing
