// `berth confd -watch` driving a real HAProxy 2.6 in master-worker mode from
// a real etcd, as `berth up` runs them: the resource names HAProxy's stats
// socket (haproxy_socket) and master CLI (haproxy_master_socket), and its
// check_cmd is `haproxy -c`.  Keep-alive clients send requests all along
// (KeepAliveLoad: any request that does not end in a complete 200 counts as
// an error, none is retried).
//
//   - registrations come and go (40 events): zero failed requests and zero
//     reloads; every change applied through the Runtime API;
//   - a template change that is not a server line: one reload through the
//     master CLI, zero failed requests;
//   - a registration whose value tries to inject a command: refused and
//     logged, the file and HAProxy untouched;
//   - a template that HAProxy's check refuses: the file and the running
//     HAProxy stay as they were, and berth recovers once it is fixed.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/etcd/client.h"
#include "haproxy/master.h"
#include "haproxy/runtime_api.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/etcd_fixture.h"
#include "tests/integration/haproxy_fixture.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr char kPrefix[] = "/app/servers/";

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * (v.size() - 1) + 0.5));
  return v[i];
}

class ConfdHaproxyTest : public HaproxyTest {
 protected:
  void SetUp() override {
    HaproxyTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!EtcdCluster::Available()) {
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string_view(ci) == "true") FAIL() << "etcd is not installed";
      GTEST_SKIP() << "etcd is not installed";
    }
    auto cluster = EtcdCluster::Start({});
    ASSERT_TRUE(cluster.has_value()) << cluster.error().message();
    etcd_ = std::move(*cluster);
    auto client = etcd::Client::Create(etcd_->ClientOptions());
    ASSERT_TRUE(client.has_value()) << client.error().message();
    client_ = std::move(*client);
    auto h = HaproxyInstance::Create();
    ASSERT_TRUE(h.has_value()) << h.error().message();
    h_ = std::move(*h);
    metrics_port_ = FreeLoopbackPort();
  }

  void TearDown() override {
    if (HasFailure()) {
      if (berth_) std::fprintf(stderr, "---- berth log ----\n%s\n", berth_->LogTail(8000).c_str());
      if (h_) std::fprintf(stderr, "---- haproxy log ----\n%s\n", h_->LogTail().c_str());
    }
    berth_.reset();
  }

  std::string Confdir() const { return h_->dir() + "/confd"; }

  // The fixture's configuration with the server lines rendered from etcd.
  void WriteTemplate(const HaproxyConfigOptions& options = {}) {
    std::string t = h_->Config({}, options);
    t += "{{range gets \"/app/servers/*\"}}    server {{base .Key}} {{.Value}} " +
         options.server_options + "\n{{end}}";
    std::filesystem::create_directories(Confdir() + "/templates");
    WriteFileAtomically(Confdir() + "/templates/haproxy.cfg.tmpl", t);
  }

  void WriteResource() {
    std::filesystem::create_directories(Confdir() + "/conf.d");
    WriteFileAtomically(Confdir() + "/conf.d/haproxy.toml",
                        "[template]\n"
                        "src = \"haproxy.cfg.tmpl\"\n"
                        "dest = \"" +
                            h_->config_path() +
                            "\"\n"
                            "keys = [\"/app/servers\"]\n"
                            "check_cmd = \"" +
                            HaproxyInstance::Binary() +
                            " -c -q -f {{.src}}\"\n"
                            "reload_cmd = \"echo reload_cmd must not run; exit 1\"\n"
                            "haproxy_socket = \"" +
                            h_->stats_socket() +
                            "\"\n"
                            "haproxy_master_socket = \"" +
                            h_->master_socket() + "\"\nhaproxy_drain_timeout = \"5s\"\n");
  }

  // A backend process for server `name` (kept until the test ends).
  HttpBackend& Backend(const std::string& name) {
    auto& b = backends_[name];
    if (!b) {
      auto started = HttpBackend::Start(name);
      EXPECT_TRUE(started.has_value()) << started.error().message();
      if (started) b = std::move(*started);
    }
    return *b;
  }

  void Register(const std::string& name) {
    auto r = client_->Put(kPrefix + name, Backend(name).address());
    ASSERT_TRUE(r.has_value()) << r.error().message();
  }
  void Deregister(const std::string& name) {
    auto r = client_->Delete(kPrefix + name);
    ASSERT_TRUE(r.has_value()) << r.error().message();
  }

  std::vector<std::string> BerthArgs(std::vector<std::string> mode) {
    std::vector<std::string> args = {"confd",   "-backend",         "etcd",
                                     "-node",   etcd_->endpoint(0), "-confdir",
                                     Confdir(), "-config-file",     Confdir() + "/confd.toml"};
    args.insert(args.end(), mode.begin(), mode.end());
    return args;
  }

  // The whole system: `servers` registered, the first haproxy.cfg rendered
  // by `berth confd -onetime -sync-only` (as berth up does), HAProxy
  // started on it, then berth confd -watch.
  void StartSystem(const std::vector<std::string>& servers,
                   const HaproxyConfigOptions& options = {}) {
    WriteTemplate(options);
    WriteResource();
    for (const auto& s : servers) ASSERT_NO_FATAL_FAILURE(Register(s));
    auto once = BerthProcess::Start(BerthProcess::Binary(), BerthArgs({"-onetime", "-sync-only"}),
                                    h_->dir() + "/onetime.log");
    ASSERT_TRUE(once.has_value()) << once.error().message();
    auto status = (*once)->WaitExit(30s);
    ASSERT_TRUE(status.has_value() && *status == 0) << (*once)->LogTail();
    const Status started = h_->Start();
    ASSERT_TRUE(started.ok()) << started.message();
    auto p = BerthProcess::Start(
        BerthProcess::Binary(),
        BerthArgs({"-watch", "-metrics-addr", "127.0.0.1:" + std::to_string(metrics_port_)}),
        h_->dir() + "/berth.log");
    ASSERT_TRUE(p.has_value()) << p.error().message();
    berth_ = std::move(*p);
    ASSERT_TRUE(WaitFor([&] { return Metric("berth_confd_renders_total") >= 1; }, 15s))
        << berth_->LogTail();
    ASSERT_TRUE(WaitFor([&] { return UpServers() == static_cast<int>(servers.size()); }, 15s))
        << RunningServers();
    before_ = Procs();
  }

  double Metric(std::string_view name) const {
    return ScrapeMetric(metrics_port_, name).value_or(-1);
  }

  // "name@ip:port" of backend be's servers, in HAProxy's order.
  std::string RunningServers() const {
    auto states = h_->Runtime().ShowServersState("be");
    if (!states) return "error: " + states.error().message();
    std::string out;
    for (const auto& s : *states) {
      out += (out.empty() ? "" : " ") + s.server + "@" + s.address + ":" + std::to_string(s.port);
    }
    return out;
  }
  bool Running(const std::string& name) const {
    return (" " + RunningServers() + " ").find(" " + name + "@") != std::string::npos;
  }
  // Servers of backend be that are up and not draining.
  int UpServers() const {
    auto states = h_->Runtime().ShowServersState("be");
    if (!states) return -1;
    int n = 0;
    for (const auto& s : *states) {
      if (s.op_state == haproxy::ServerState::Op::kRunning && !s.in_maintenance() &&
          !s.draining()) {
        ++n;
      }
    }
    return n;
  }

  haproxy::ProcessList Procs() const {
    auto p = h_->master().ShowProc();
    EXPECT_TRUE(p.has_value()) << p.error().message();
    return p.value_or(haproxy::ProcessList{});
  }

  // HAProxy has not reloaded since StartSystem.
  void ExpectNoReload() const {
    const haproxy::ProcessList now = Procs();
    ASSERT_EQ(now.workers.size(), 1u);
    ASSERT_EQ(before_.workers.size(), 1u);
    EXPECT_EQ(now.workers[0].pid, before_.workers[0].pid) << "HAProxy was reloaded";
    EXPECT_EQ(now.master.reloads, before_.master.reloads);
    EXPECT_EQ(Metric("berth_confd_reloads_total"), 0);
  }

  std::unique_ptr<EtcdCluster> etcd_;
  etcd::ClientPtr client_;
  std::unique_ptr<HaproxyInstance> h_;
  std::map<std::string, std::unique_ptr<HttpBackend>> backends_;
  std::unique_ptr<BerthProcess> berth_;
  int metrics_port_ = 0;
  haproxy::ProcessList before_;
};

TEST_F(ConfdHaproxyTest, FortyRegistrationsAndRemovalsUnderLoadNeedNoReload) {
  ASSERT_NO_FATAL_FAILURE(StartSystem({"s0", "s1"}));
  KeepAliveLoad load(h_->port(), 16, 10ms);
  ASSERT_TRUE(WaitFor([&] { return load.Snapshot().ok > 500; }, 15s));

  std::vector<std::string> live = {"s0", "s1"};
  std::vector<double> first_request_ms, out_of_rotation_ms;
  int next = 2;
  const auto load_start = Clock::now();
  for (int event = 0; event < 40; ++event) {
    // Traffic between events: every intermediate state serves requests.
    const int64_t served = load.Snapshot().ok;
    ASSERT_TRUE(WaitFor([&] { return load.Snapshot().ok >= served + 50; }, 10s, 1ms));
    if (event % 2 == 0) {
      // A new instance registers: it must take traffic without a reload.
      const std::string name = "s" + std::to_string(next++);
      HttpBackend& b = Backend(name);
      const auto start = Clock::now();
      ASSERT_NO_FATAL_FAILURE(Register(name));
      ASSERT_TRUE(WaitFor([&] { return b.requests() > 0; }, 15s, 1ms))
          << name << " never got a request; HAProxy runs " << RunningServers();
      first_request_ms.push_back(Millis(Clock::now() - start));
      live.push_back(name);
    } else {
      // The oldest instance deregisters (berth kill deletes the key first);
      // once HAProxy has let it go, its process stops.
      const std::string name = live.front();
      live.erase(live.begin());
      const auto start = Clock::now();
      ASSERT_NO_FATAL_FAILURE(Deregister(name));
      ASSERT_TRUE(WaitFor([&] { return !Running(name); }, 15s, 1ms))
          << name << " is still in HAProxy: " << RunningServers();
      out_of_rotation_ms.push_back(Millis(Clock::now() - start));
      const int64_t served = backends_[name]->requests();
      backends_.erase(name);  // the container stops
      EXPECT_GT(served, 0) << name;
    }
  }
  // Every registered instance serves.
  for (const auto& name : live) {
    const int64_t before = backends_[name]->requests();
    EXPECT_TRUE(WaitFor([&] { return backends_[name]->requests() > before; }, 10s)) << name;
  }
  const LoadStats stats = load.Stop();
  const double seconds = Millis(Clock::now() - load_start) / 1000;
  std::printf(
      "[ measure  ] 40 events under load: %lld requests (%.0f/s), %lld errors; register -> first "
      "request p50 %.1f ms p99 %.1f ms; deregister -> out of HAProxy p50 %.1f ms p99 %.1f ms\n",
      static_cast<long long>(stats.ok), static_cast<long long>(stats.ok) / seconds,
      static_cast<long long>(stats.errors), Percentile(first_request_ms, 50),
      Percentile(first_request_ms, 99), Percentile(out_of_rotation_ms, 50),
      Percentile(out_of_rotation_ms, 99));
  EXPECT_EQ(stats.errors, 0) << (stats.error_samples.empty() ? "" : stats.error_samples[0]);
  EXPECT_GT(stats.ok, 40 * 50);
  ExpectNoReload();
  EXPECT_GE(Metric("berth_confd_live_updates_total"), 40);
  EXPECT_EQ(berth_->CountInLog("reload_cmd must not run"), 0u);
}

TEST_F(ConfdHaproxyTest, TemplateChangeReloadsOnceWithoutFailedRequests) {
  ASSERT_NO_FATAL_FAILURE(StartSystem({"s0", "s1"}));
  KeepAliveLoad load(h_->port(), 16, 50ms);
  ASSERT_TRUE(WaitFor([&] { return load.Snapshot().ok > 100; }, 15s));

  HaproxyConfigOptions changed;
  changed.frontend_lines = {"http-response set-header X-Generation 2"};
  WriteTemplate(changed);
  ASSERT_TRUE(berth_->Signal(SIGHUP));
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = HttpGet(h_->port(), std::string("/"));
        return r && r->headers["x-generation"] == "2";
      },
      20s))
      << RunningServers();
  ASSERT_TRUE(WaitFor([&] { return Metric("berth_confd_reloads_total") >= 1; }, 5s));
  // Let every connection send a few requests through the new worker.
  const int64_t ok = load.Snapshot().ok;
  ASSERT_TRUE(WaitFor([&] { return load.Snapshot().ok > ok + 200; }, 15s));
  const LoadStats stats = load.Stop();
  std::printf(
      "[ measure  ] template change under load: %lld requests, %lld errors, %lld "
      "connections ended with Connection: close\n",
      static_cast<long long>(stats.ok), static_cast<long long>(stats.errors),
      static_cast<long long>(stats.connection_close));
  EXPECT_EQ(stats.errors, 0) << (stats.error_samples.empty() ? "" : stats.error_samples[0]);
  EXPECT_EQ(Procs().master.reloads, before_.master.reloads + 1);
  EXPECT_EQ(Metric("berth_confd_reloads_total"), 1);
  EXPECT_EQ(Metric("berth_confd_reload_failures_total"), 0);
  EXPECT_EQ(berth_->CountInLog("reload_cmd must not run"), 0u);
  // Servers still come and go without a reload afterwards.
  ASSERT_NO_FATAL_FAILURE(Register("s2"));
  EXPECT_TRUE(WaitFor([&] { return UpServers() == 3; }, 15s)) << RunningServers();
  EXPECT_EQ(Procs().master.reloads, before_.master.reloads + 1);
}

TEST_F(ConfdHaproxyTest, InjectionThroughARegistrationIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartSystem({"s0"}));
  const std::string config = h_->ReadConfig();
  const std::string servers = RunningServers();
  const char* kAttempts[] = {
      "127.0.0.1:80; shutdown frontend fe",
      "127.0.0.1:80\nshutdown frontend fe",
      "127.0.0.1:80 shutdown frontend fe",
      "127.0.0.1:80 backup",
  };
  size_t refusals = 0;
  for (const char* value : kAttempts) {
    SCOPED_TRACE(value);
    auto r = client_->Put(std::string(kPrefix) + "evil", value);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    ++refusals;
    ASSERT_TRUE(WaitFor([&] { return berth_->CountInLog("refusing") >= refusals; }, 15s))
        << berth_->LogTail();
    EXPECT_NE(berth_->Log().find("/app/servers/evil"), std::string::npos);
    EXPECT_EQ(h_->ReadConfig(), config);
    EXPECT_EQ(RunningServers(), servers);
    auto got = HttpGet(h_->port(), std::string("/"));
    ASSERT_TRUE(got.has_value()) << got.error().message();
    EXPECT_EQ(got->status, 200);
  }
  // A key whose name is not a server name is refused the same way (one
  // transaction: the render sees both keys).
  ASSERT_TRUE(client_
                  ->PutMany({{std::string(kPrefix) + "evil", "127.0.0.1:80"},
                             {std::string(kPrefix) + "ev;il", "127.0.0.1:81"}})
                  .has_value());
  ASSERT_TRUE(WaitFor([&] { return berth_->CountInLog("refusing") > refusals; }, 15s))
      << berth_->LogTail();
  EXPECT_EQ(h_->ReadConfig(), config);
  EXPECT_EQ(RunningServers(), servers);
  ExpectNoReload();

  // Once the bad key is gone, changes flow again.
  ASSERT_TRUE(client_->Delete(std::string(kPrefix) + "ev;il").has_value());
  EXPECT_TRUE(WaitFor([&] { return Running("evil"); }, 15s)) << RunningServers();
  ASSERT_TRUE(client_->Delete(std::string(kPrefix) + "evil").has_value());
  ASSERT_NO_FATAL_FAILURE(Register("s1"));
  EXPECT_TRUE(WaitFor([&] { return UpServers() == 2; }, 15s)) << RunningServers();
  ExpectNoReload();
}

TEST_F(ConfdHaproxyTest, TemplateRefusedByHaproxysCheckChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartSystem({"s0"}));
  const std::string config = h_->ReadConfig();
  HaproxyConfigOptions broken;
  broken.frontend_lines = {"frobnicate the-request"};
  WriteTemplate(broken);
  ASSERT_TRUE(berth_->Signal(SIGHUP));
  ASSERT_TRUE(WaitFor([&] { return berth_->CountInLog("Config check failed") >= 1; }, 15s))
      << berth_->LogTail();
  EXPECT_EQ(h_->ReadConfig(), config);
  auto got = HttpGet(h_->port(), std::string("/"));
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(got->status, 200);
  // No stage file left beside haproxy.cfg.
  for (const auto& e : std::filesystem::directory_iterator(h_->dir())) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".haproxy.cfg")) << e.path();
  }
  ExpectNoReload();

  // Fixed: the next SIGHUP renders, checks and applies it.
  HaproxyConfigOptions fixed;
  fixed.frontend_lines = {"http-response set-header X-Fixed yes"};
  WriteTemplate(fixed);
  ASSERT_TRUE(berth_->Signal(SIGHUP));
  EXPECT_TRUE(WaitFor(
      [&] {
        auto r = HttpGet(h_->port(), std::string("/"));
        return r && r->headers["x-fixed"] == "yes";
      },
      20s))
      << berth_->LogTail();
}

}  // namespace
}  // namespace berth::testing
