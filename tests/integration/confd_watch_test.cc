// `berth confd -watch` (and -interval) as an operator runs it: the berth
// binary as a child process, its confdir written by each test, real etcd
// servers (etcd_fixture.h) driven with berth's etcd client.  Every test ends
// by waiting (a deadline loop, never a bare sleep) until the destination
// file equals what the template renders for etcd's final state, computed by
// the test from the keys it reads back from etcd.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "backend/etcd/client.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/etcd_fixture.h"

namespace berth {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::BerthProcess;
using testing::EtcdCluster;
using testing::EtcdClusterOptions;
using testing::ReadWholeFile;
using testing::ScrapeMetric;
using testing::WaitFor;

// The seed's template in its simplest form: one line per registered server.
constexpr std::string_view kServersTemplate =
    "{{range gets \"/app/servers/*\"}}{{base .Key}}={{.Value}}\n{{end}}";

std::string Key(std::string_view prefix, int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%06d", i);
  return std::string(prefix) + buf;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

etcd::ClientPtr NewClient(const etcd::ClientOptions& options) {
  auto c = etcd::Client::Create(options);
  EXPECT_TRUE(c.has_value()) << c.error().message();
  return c ? std::move(*c) : nullptr;
}

// Keys under `prefix` as etcd has them now (key -> value).
std::map<std::string, std::string> ReadPrefix(etcd::Client& client, std::string_view prefix) {
  std::map<std::string, std::string> out;
  auto r = client.GetPrefix(prefix);
  EXPECT_TRUE(r.has_value()) << r.error().message();
  if (r) {
    for (auto& kv : r->kvs) out[kv.key] = kv.value;
  }
  return out;
}

// What kServersTemplate renders for etcd's state now: `gets "/app/servers/*"`
// is every key one level below /app/servers/, sorted by key.
std::string ServersRender(etcd::Client& client) {
  std::string out;
  const std::string prefix = "/app/servers/";
  for (const auto& [key, value] : ReadPrefix(client, prefix)) {
    const std::string base = key.substr(prefix.size());
    if (base.empty() || base.find('/') != std::string::npos) continue;
    out += base + "=" + value + "\n";
  }
  return out;
}

// Puts until etcd confirms, across restarts and elections.
void PutUntilDone(etcd::Client& client, const std::string& key, const std::string& value) {
  const auto deadline = Clock::now() + 60s;
  for (;;) {
    auto r = client.Put(key, value);
    if (r) return;
    if (Clock::now() >= deadline) {
      ADD_FAILURE() << "put " << key << " never succeeded: " << r.error().message();
      return;
    }
  }
}

void DeleteUntilDone(etcd::Client& client, const std::string& key) {
  const auto deadline = Clock::now() + 60s;
  for (;;) {
    auto r = client.Delete(key);
    if (r) return;
    if (Clock::now() >= deadline) {
      ADD_FAILURE() << "delete " << key << " never succeeded: " << r.error().message();
      return;
    }
  }
}

// `count` keys prefix000000... in transactions of 128 (etcd's --max-txn-ops).
void Fill(etcd::Client& client, std::string_view prefix, int count, std::string_view value_prefix) {
  std::vector<std::pair<std::string, std::string>> batch;
  for (int i = 0; i < count; ++i) {
    batch.emplace_back(Key(prefix, i), std::string(value_prefix) + std::to_string(i));
    if (batch.size() == 128 || i + 1 == count) {
      auto r = client.PutMany(batch);
      ASSERT_TRUE(r.has_value()) << r.error().message();
      batch.clear();
    }
  }
}

// Seconds between a signal and the process's exit, or a negative number
// when it did not exit within `timeout`.
double SecondsToExit(BerthProcess& p, std::chrono::milliseconds timeout, int* wait_status) {
  const auto start = Clock::now();
  auto status = p.WaitExit(timeout);
  if (!status) return -1;
  *wait_status = *status;
  return Seconds(Clock::now() - start);
}

// One temporary confdir (conf.d/, templates/, out/ for the destinations)
// and the berth process running over it.
class ConfdDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.MkDir("conf.d");
    dir_.MkDir("templates");
    dir_.MkDir("out");
    metrics_port_ = testing::FreeLoopbackPort();
  }

  void TearDown() override {
    if (HasFailure() && berth_) {
      std::fprintf(stderr, "---- berth log (tail) ----\n%s\n--------------------------\n",
                   berth_->LogTail(6000).c_str());
    }
    berth_.reset();
  }

  // conf.d/NAME.toml and templates/NAME.tmpl; the destination is out/NAME.
  // `extra` is more TOML for the [template] table (reload_cmd = '...').
  void WriteResource(const std::string& name, const std::vector<std::string>& keys,
                     std::string_view tmpl, const std::string& extra = "") {
    std::string toml =
        "[template]\nsrc = \"" + name + ".tmpl\"\ndest = \"" + Dest(name) + "\"\nkeys = [";
    for (size_t i = 0; i < keys.size(); ++i) toml += (i ? ", \"" : "\"") + keys[i] + "\"";
    toml += "]\n" + extra;
    dir_.Write("conf.d/" + name + ".toml", toml);
    dir_.Write("templates/" + name + ".tmpl", tmpl);
  }

  std::string Dest(const std::string& name) const { return dir_.Path("out/" + name); }

  // berth confd ARGS -confdir DIR -config-file DIR/confd.toml (absent)
  // -metrics-addr 127.0.0.1:PORT.
  void StartBerth(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    args.insert(args.begin(), "confd");
    args.insert(args.end(), {"-confdir", dir_.path(), "-config-file", dir_.Path("confd.toml"),
                             "-metrics-addr", "127.0.0.1:" + std::to_string(metrics_port_)});
    auto p = BerthProcess::Start(BerthProcess::Binary(), args, dir_.Path("berth.log"), env);
    ASSERT_TRUE(p.has_value()) << p.error().message();
    berth_ = std::move(*p);
  }

  // berth confd -watch -backend etcd with every endpoint of `cluster`.
  void StartWatching(const EtcdCluster& cluster, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"-watch", "-backend", "etcd"};
    for (const auto& ep : cluster.endpoints()) {
      args.push_back("-node");
      args.push_back(ep);
    }
    args.insert(args.end(), more.begin(), more.end());
    StartBerth(std::move(args));
  }

  // Waits until out/NAME holds exactly `expected`.
  ::testing::AssertionResult DestBecomes(const std::string& name, const std::string& expected,
                                         std::chrono::milliseconds timeout = 30s) {
    const std::string path = Dest(name);
    if (WaitFor([&] { return ReadWholeFile(path) == expected; }, timeout)) {
      return ::testing::AssertionSuccess();
    }
    auto actual = ReadWholeFile(path);
    auto result = ::testing::AssertionFailure();
    result << path << " did not become the expected " << expected.size() << " bytes within "
           << timeout.count() << "ms; ";
    if (!actual) return result << "it does not exist";
    result << "it has " << actual->size() << " bytes";
    if (actual->size() + expected.size() < 2000) {
      result << ":\n" << *actual << "\nexpected:\n" << expected;
    } else {
      const size_t mismatch =
          std::mismatch(actual->begin(), actual->end(), expected.begin(), expected.end()).first -
          actual->begin();
      result << ", first difference at byte " << mismatch;
    }
    return result;
  }

  std::optional<double> Metric(std::string_view name) const {
    return ScrapeMetric(metrics_port_, name);
  }
  // Waits until the metric is at least `at_least`; its last value.
  double MetricReaches(std::string_view name, double at_least,
                       std::chrono::milliseconds timeout = 15s) const {
    double last = -1;
    WaitFor(
        [&] {
          last = Metric(name).value_or(-1);
          return last >= at_least;
        },
        timeout);
    return last;
  }

  // Waits until the metric has not changed for `quiet`; its value then.
  double MetricSettles(std::string_view name, std::chrono::milliseconds quiet = 700ms) const {
    double last = Metric(name).value_or(-1);
    auto since = Clock::now();
    WaitFor(
        [&] {
          const double now = Metric(name).value_or(-1);
          if (now != last) {
            last = now;
            since = Clock::now();
          }
          return Clock::now() - since >= quiet;
        },
        15s, 50ms);
    return last;
  }

  testing::TempDir dir_;
  int metrics_port_ = 0;
  std::unique_ptr<BerthProcess> berth_;
};

// The tests that need etcd: skipped when it is not installed, unless CI=true.
class ConfdWatchTest : public ConfdDaemonTest {
 protected:
  void SetUp() override {
    if (!EtcdCluster::Available()) {
      const std::string why = "etcd is not installed (" + EtcdCluster::EtcdBinary() + ")";
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string_view(ci) == "true") FAIL() << why << "; CI=true requires it";
      GTEST_SKIP() << why;
    }
    ConfdDaemonTest::SetUp();
  }
};

// ---------------------------------------------------------------------------
// Following the store

TEST_F(ConfdWatchTest, FollowsPutsDeletesAndPrefixDeletes) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/web1", "10.0.0.1:8080").has_value());
  ASSERT_TRUE(client->Put("/app/servers/web2", "10.0.0.2:8080").has_value());
  ASSERT_TRUE(client->Put("/app/serversX/other", "not under /app/servers/").has_value());
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster);
  ASSERT_TRUE(DestBecomes("servers", "web1=10.0.0.1:8080\nweb2=10.0.0.2:8080\n"));

  ASSERT_TRUE(client->Put("/app/servers/web3", "10.0.0.3:8080").has_value());
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  ASSERT_TRUE(client->Put("/app/servers/web1", "10.0.0.1:9090").has_value());
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  ASSERT_TRUE(client->Delete("/app/servers/web2").has_value());
  ASSERT_TRUE(DestBecomes("servers", "web1=10.0.0.1:9090\nweb3=10.0.0.3:8080\n"));

  auto deleted = client->DeletePrefix("/app/servers/");
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(deleted->deleted, 2);
  ASSERT_TRUE(DestBecomes("servers", ""));
  ASSERT_TRUE(client->Put("/app/servers/web9", "10.0.0.9:8080").has_value());
  ASSERT_TRUE(DestBecomes("servers", "web9=10.0.0.9:8080\n"));
  EXPECT_GE(MetricReaches("berth_confd_watch_events_total", 6), 6);
  auto head = client->Put("/unwatched", "x");
  ASSERT_TRUE(head.has_value());
  // The gauge follows the revisions of the watched keys.
  EXPECT_EQ(MetricReaches("berth_confd_last_applied_revision", *head - 1), *head - 1);
  EXPECT_TRUE(berth_->Running());
}

TEST_F(ConfdWatchTest, FollowsFiveThousandKeys) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster);
  // An empty (but reachable) store renders an empty file.
  ASSERT_TRUE(DestBecomes("servers", ""));

  Fill(*client, "/app/servers/s", 5000, "10.1.0.1:");
  const std::string all = ServersRender(*client);
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 5000);
  ASSERT_TRUE(DestBecomes("servers", all));

  // s001000 ... s001999 go away in one delete.
  auto deleted = client->DeletePrefix("/app/servers/s001");
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(deleted->deleted, 1000);
  ASSERT_TRUE(client->Put("/app/servers/s000007", "changed").has_value());
  const std::string rest = ServersRender(*client);
  EXPECT_EQ(std::count(rest.begin(), rest.end(), '\n'), 4000);
  ASSERT_TRUE(DestBecomes("servers", rest));
  EXPECT_GE(MetricReaches("berth_confd_watch_events_total", 6001), 6001);
}

// One template reads two prefixes (two `keys`): a change under either
// renders it.
TEST_F(ConfdWatchTest, TemplateOverTwoPrefixes) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  WriteResource("haproxy", {"/app/servers", "/app/weights"},
                "{{range gets \"/app/servers/*\"}}server {{base .Key}} {{.Value}} weight "
                "{{getv (printf \"/app/weights/%s\" (base .Key)) \"1\"}}\n{{end}}");
  auto expected = [&] {
    std::string out;
    auto weights = ReadPrefix(*client, "/app/weights/");
    for (const auto& [key, value] : ReadPrefix(*client, "/app/servers/")) {
      const std::string base = key.substr(std::string("/app/servers/").size());
      auto w = weights.find("/app/weights/" + base);
      out += "server " + base + " " + value + " weight " + (w == weights.end() ? "1" : w->second) +
             "\n";
    }
    return out;
  };
  ASSERT_TRUE(client->Put("/app/servers/a", "10.0.0.1:80").has_value());
  StartWatching(*cluster);
  ASSERT_TRUE(DestBecomes("haproxy", "server a 10.0.0.1:80 weight 1\n"));
  ASSERT_TRUE(client->Put("/app/weights/a", "5").has_value());
  ASSERT_TRUE(DestBecomes("haproxy", "server a 10.0.0.1:80 weight 5\n"));
  ASSERT_TRUE(client->Put("/app/servers/b", "10.0.0.2:80").has_value());
  ASSERT_TRUE(client->Put("/app/weights/b", "7").has_value());
  ASSERT_TRUE(DestBecomes("haproxy", expected()));
  ASSERT_TRUE(client->Delete("/app/weights/a").has_value());
  ASSERT_TRUE(DestBecomes("haproxy", expected()));
  EXPECT_EQ(expected(), "server a 10.0.0.1:80 weight 1\nserver b 10.0.0.2:80 weight 7\n");
}

// Two resources with the same reload_cmd: it runs once per pass, after both
// files are written (it copies both into its log).
TEST_F(ConfdWatchTest, SharedReloadCommandRunsOncePerPassAfterBothFiles) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  const std::string log = dir_.Path("reload.log");
  const std::string reload = "reload_cmd = 'cat " + Dest("a") + " " + Dest("b") + " >> " + log +
                             "; echo --- >> " + log + "'\n";
  WriteResource("a", {"/app/servers"},
                "{{range gets \"/app/servers/*\"}}a {{base .Key}}={{.Value}}\n{{end}}", reload);
  WriteResource("b", {"/app/servers"},
                "{{range gets \"/app/servers/*\"}}b {{base .Key}}={{.Value}}\n{{end}}", reload);
  auto both = [&] {
    std::string a;
    std::string b;
    for (const auto& [key, value] : ReadPrefix(*client, "/app/servers/")) {
      const std::string base = key.substr(std::string("/app/servers/").size());
      a += "a " + base + "=" + value + "\n";
      b += "b " + base + "=" + value + "\n";
    }
    return a + b + "---\n";
  };
  ASSERT_TRUE(client->Put("/app/servers/x", "0").has_value());
  std::string expected_log = both();
  StartWatching(*cluster);
  ASSERT_TRUE(WaitFor([&] { return ReadWholeFile(log) == expected_log; }, 30s))
      << ReadWholeFile(log).value_or("(no log)");
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(
        client->Put("/app/servers/x" + std::to_string(i % 3), std::to_string(i)).has_value());
    expected_log += both();
    ASSERT_TRUE(WaitFor([&] { return ReadWholeFile(log) == expected_log; }, 30s))
        << "after put " << i << ":\n"
        << ReadWholeFile(log).value_or("(no log)") << "\nexpected:\n"
        << expected_log;
  }
  // Counted once the pass is over (just after the command wrote its log).
  EXPECT_EQ(MetricReaches("berth_confd_reloads_total", 6), 6);
  EXPECT_EQ(MetricReaches("berth_confd_updates_total", 12), 12);
  EXPECT_EQ(Metric("berth_confd_reload_failures_total"), 0);
}

// ---------------------------------------------------------------------------
// Faults

// etcd is SIGKILLed and restarted while a writer goes on putting and
// deleting; berth's watch reconnects and resumes.
TEST_F(ConfdWatchTest, EtcdKilledAndRestartedDuringPuts) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  Fill(*client, "/app/servers/k", 40, "first-");
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster);
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));

  constexpr int kOps = 300;
  std::atomic<int> done{0};
  std::thread writer([&] {
    for (int i = 0; i < kOps; ++i) {
      if (i % 7 == 3) {
        DeleteUntilDone(*client, Key("/app/servers/k", (i * 13) % 40));
      } else {
        PutUntilDone(*client, Key("/app/servers/k", (i * 11) % 40), "op-" + std::to_string(i));
      }
      done = i + 1;
    }
  });
  ASSERT_TRUE(WaitFor([&] { return done >= kOps / 3; }, 30s));
  ASSERT_TRUE(cluster->Stop(0, SIGKILL).ok());
  Status restarted = cluster->Restart(0);
  writer.join();
  ASSERT_TRUE(restarted.ok()) << restarted.message();
  ASSERT_EQ(done, kOps);
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  EXPECT_TRUE(berth_->Running());
}

// berth is frozen (SIGSTOP) while many changes are made and etcd compacts
// its history to the head revision; thawed, its watch hears of the
// compaction and it reads the prefix again.
TEST_F(ConfdWatchTest, CompactionPastTheWatcherRereads) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  Fill(*client, "/app/servers/k", 100, "before-");
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster);
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));

  ASSERT_TRUE(berth_->Signal(SIGSTOP));
  // More than the frozen watch can buffer: etcd queues 128 responses per
  // watch stream, HTTP/2 and TCP windows a few MB more.  400 puts of 64 KiB
  // (under /app/servers/pad/, which the template does not show) make etcd
  // set the watcher aside as slow; the compaction below then cancels it.
  const std::string blob(64 << 10, 'b');
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(client->Put("/app/servers/pad/blob", blob + std::to_string(i)).has_value());
  }
  Fill(*client, "/app/servers/k", 100, "after-");
  ASSERT_TRUE(client->Delete(Key("/app/servers/k", 5)).has_value());
  auto head = client->Put("/app/servers/last", "after-compaction");
  ASSERT_TRUE(head.has_value());
  Status compacted = client->Compact(*head);
  ASSERT_TRUE(compacted.ok()) << compacted.message();
  ASSERT_TRUE(berth_->Signal(SIGCONT));

  const std::string expected = ServersRender(*client);
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 100);
  ASSERT_TRUE(DestBecomes("servers", expected));
  EXPECT_GE(berth_->CountInLog("re-read /app/servers"), 1u) << berth_->LogTail();
  EXPECT_TRUE(berth_->Running());
}

// Three members; the one berth talks to (the leader) is SIGKILLed while
// puts go on.
TEST_F(ConfdWatchTest, ClusterLeaderKilledDuringPuts) {
  EtcdClusterOptions opts;
  opts.members = 3;
  BERTH_START_ETCD(cluster, opts);
  auto leader = cluster->WaitForLeader();
  ASSERT_TRUE(leader.has_value()) << leader.error().message();
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  Fill(*client, "/app/servers/k", 50, "first-");
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  // The leader first: berth's calls and watch go to it.
  std::vector<std::string> args = {"-watch", "-backend", "etcd", "-node",
                                   cluster->endpoint(*leader)};
  for (int i = 0; i < cluster->size(); ++i) {
    if (i == *leader) continue;
    args.push_back("-node");
    args.push_back(cluster->endpoint(i));
  }
  StartBerth(args);
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));

  constexpr int kPuts = 300;
  std::atomic<int> done{0};
  std::thread writer([&] {
    for (int i = 0; i < kPuts; ++i) {
      PutUntilDone(*client, Key("/app/servers/k", i % 60), "op-" + std::to_string(i));
      done = i + 1;
    }
  });
  ASSERT_TRUE(WaitFor([&] { return done >= kPuts / 3; }, 30s));
  Status stopped = cluster->Stop(*leader, SIGKILL);
  writer.join();
  ASSERT_TRUE(stopped.ok());
  ASSERT_EQ(done, kPuts);
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  auto new_leader = cluster->WaitForLeader();
  ASSERT_TRUE(new_leader.has_value());
  EXPECT_NE(*new_leader, *leader);
  EXPECT_TRUE(berth_->Running());
}

// ---------------------------------------------------------------------------
// Quiescence

// 1,000 puts as fast as one client makes them, with -wait 50ms:500ms: a
// render at most every 500 ms while they last (plus one per pause longer
// than 50 ms), and the final state.
TEST_F(ConfdWatchTest, BurstOfPutsRendersAFewTimes) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  Fill(*client, "/app/servers/k", 100, "10.2.0.1:");
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster, {"-wait", "50ms:500ms"});
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  ASSERT_EQ(MetricReaches("berth_confd_renders_total", 1), 1);
  const size_t updated_before = berth_->CountInLog("has been updated");

  const auto start = Clock::now();
  auto last_put = start;
  int pauses = 0;  // gaps between two puts long enough to end a burst
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        client->Put(Key("/app/servers/k", i % 100), "burst-" + std::to_string(i)).has_value());
    const auto now = Clock::now();
    if (now - last_put > 45ms) ++pauses;
    last_put = now;
  }
  const double burst = Seconds(last_put - start);
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  // Once the file is final, the pass that wrote it has been counted.
  const double renders = MetricSettles("berth_confd_renders_total") - 1;
  const size_t updates = berth_->CountInLog("has been updated") - updated_before;
  const double bound = std::ceil(burst / 0.5) + 1 + pauses;
  std::printf("1000 puts in %.2fs (%d pauses > 45ms): %.0f renders, %zu updates (bound %.0f)\n",
              burst, pauses, renders, updates, bound);
  EXPECT_GE(renders, 1);
  EXPECT_LE(renders, bound);
  EXPECT_LE(static_cast<double>(updates), renders);
  EXPECT_GE(MetricReaches("berth_confd_watch_events_total", 1000), 1000);
}

// ---------------------------------------------------------------------------
// Security

TEST_F(ConfdWatchTest, TlsWithClientCertificates) {
  EtcdClusterOptions opts;
  opts.tls = true;
  opts.client_cert_auth = true;
  BERTH_START_ETCD(cluster, opts);
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/tls1", "10.3.0.1:443").has_value());
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  ASSERT_TRUE(cluster->endpoint(0).starts_with("https://"));
  StartWatching(*cluster,
                {"-client-ca-keys", cluster->tls_files().ca, "-client-cert",
                 cluster->tls_files().client_cert, "-client-key", cluster->tls_files().client_key});
  ASSERT_TRUE(DestBecomes("servers", "tls1=10.3.0.1:443\n"));
  ASSERT_TRUE(client->Put("/app/servers/tls2", "10.3.0.2:443").has_value());
  ASSERT_TRUE(client->Delete("/app/servers/tls1").has_value());
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  EXPECT_EQ(ServersRender(*client), "tls2=10.3.0.2:443\n");
}

TEST_F(ConfdWatchTest, UsernameAndPassword) {
  EtcdClusterOptions opts;
  opts.auth = true;
  BERTH_START_ETCD(cluster, opts);
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/auth1", "10.4.0.1:80").has_value());
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster,
                {"-basic-auth", "-username", "root", "-password", cluster->root_password()});
  ASSERT_TRUE(DestBecomes("servers", "auth1=10.4.0.1:80\n"));
  ASSERT_TRUE(client->Put("/app/servers/auth2", "10.4.0.2:80").has_value());
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
  EXPECT_EQ(ServersRender(*client), "auth1=10.4.0.1:80\nauth2=10.4.0.2:80\n");
}

// ---------------------------------------------------------------------------
// SIGHUP

// A resource added to conf.d, on a prefix nothing watched yet, is rendered
// after SIGHUP and follows later puts; the first one still does.
TEST_F(ConfdWatchTest, SighupPicksUpANewResource) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/a", "1").has_value());
  ASSERT_TRUE(client->Put("/app/db/primary", "10.5.0.1:5432").has_value());
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster);
  ASSERT_TRUE(DestBecomes("servers", "a=1\n"));
  ASSERT_FALSE(std::filesystem::exists(Dest("db")));

  WriteResource("db", {"/app/db"}, "primary {{getv \"/app/db/primary\"}}\n");
  ASSERT_TRUE(berth_->Signal(SIGHUP));
  ASSERT_TRUE(DestBecomes("db", "primary 10.5.0.1:5432\n"));
  ASSERT_TRUE(client->Put("/app/db/primary", "10.5.0.2:5432").has_value());
  ASSERT_TRUE(DestBecomes("db", "primary 10.5.0.2:5432\n"));
  ASSERT_TRUE(client->Put("/app/servers/b", "2").has_value());
  ASSERT_TRUE(DestBecomes("servers", "a=1\nb=2\n"));
  EXPECT_EQ(Metric("berth_confd_resources"), 2);
}

// A template edited into a syntax error: after SIGHUP berth logs the error
// (file:line:col) and goes on rendering with the last good template.
TEST_F(ConfdWatchTest, SighupWithABrokenTemplateKeepsTheOldOne) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/a", "1").has_value());
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster);
  ASSERT_TRUE(DestBecomes("servers", "a=1\n"));

  dir_.Write("templates/servers.tmpl", std::string(kServersTemplate) + "\n{{if}}\n");
  ASSERT_TRUE(berth_->Signal(SIGHUP));
  ASSERT_TRUE(WaitFor(
      [&] { return berth_->CountInLog("template: servers.tmpl:3:4: missing value for if") > 0; },
      15s))
      << berth_->LogTail();
  ASSERT_TRUE(client->Put("/app/servers/b", "2").has_value());
  ASSERT_TRUE(DestBecomes("servers", "a=1\nb=2\n"));
  ASSERT_TRUE(client->Delete("/app/servers/a").has_value());
  ASSERT_TRUE(DestBecomes("servers", "b=2\n"));
  // Reported once, not on every render.
  EXPECT_EQ(berth_->CountInLog("missing value for if"), 1u);
  EXPECT_TRUE(berth_->Running());

  // Fixed: the new template is used.
  dir_.Write("templates/servers.tmpl", "fixed\n" + std::string(kServersTemplate));
  ASSERT_TRUE(berth_->Signal(SIGHUP));
  ASSERT_TRUE(DestBecomes("servers", "fixed\nb=2\n"));
}

// ---------------------------------------------------------------------------
// Reload commands and stopping

// SIGTERM while a slow reload_cmd runs: berth lets it finish, then exits 0.
TEST_F(ConfdWatchTest, SigtermWaitsForTheRunningReloadCommand) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/a", "1").has_value());
  const std::string log = dir_.Path("reload.log");
  WriteResource("servers", {"/app/servers"}, kServersTemplate,
                "reload_cmd = 'echo start >> " + log + "; sleep 3; echo done >> " + log + "'\n");
  StartWatching(*cluster);
  // The first render creates the file and runs the command.
  ASSERT_TRUE(WaitFor([&] { return ReadWholeFile(log) == "start\n"; }, 30s));
  const auto sent = Clock::now();
  ASSERT_TRUE(berth_->Signal(SIGTERM));
  int status = -1;
  const double took = SecondsToExit(*berth_, 10s, &status);
  ASSERT_GE(took, 0) << "berth did not exit";
  EXPECT_EQ(ReadWholeFile(log), "start\ndone\n");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_LE(Seconds(Clock::now() - sent), 3.0 + 1.5) << "exited " << took << "s after SIGTERM";
}

// With -command-timeout 1s a hung reload_cmd is killed (with everything it
// started) and SIGTERM stops berth promptly.
TEST_F(ConfdWatchTest, CommandTimeoutBoundsTheStop) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/a", "1").has_value());
  const std::string log = dir_.Path("reload.log");
  WriteResource("servers", {"/app/servers"}, kServersTemplate,
                "reload_cmd = 'echo $$ >> " + log + "; sleep 30; echo done >> " + log + "'\n");
  StartWatching(*cluster, {"-command-timeout", "1s"});
  pid_t shell = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto text = ReadWholeFile(log);
        if (!text || text->empty() || text->back() != '\n') return false;
        shell = std::atoi(text->c_str());
        return shell > 0;
      },
      30s));
  const auto sent = Clock::now();
  ASSERT_TRUE(berth_->Signal(SIGTERM));
  int status = -1;
  const double took = SecondsToExit(*berth_, 10s, &status);
  ASSERT_GE(took, 0) << "berth did not exit";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_LE(Seconds(Clock::now() - sent), 2.5) << "exited " << took << "s after SIGTERM";
  // The command's process group (the shell and its sleep) is gone.
  EXPECT_TRUE(WaitFor([&] { return kill(-shell, 0) != 0; }, 2s)) << "process group " << shell;
  EXPECT_EQ(ReadWholeFile(log).value_or("").find("done"), std::string::npos);
  EXPECT_GE(berth_->CountInLog("timed out after 1000ms"), 1u) << berth_->LogTail();
}

// A reload_cmd that fails twice and then works is retried (with backoff)
// without any new change in the store, until it succeeds.
TEST_F(ConfdWatchTest, FailedReloadIsRetriedUntilItSucceeds) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Put("/app/servers/a", "1").has_value());
  const std::string counter = dir_.Path("count");
  const std::string marker = dir_.Path("reloaded");
  WriteResource("servers", {"/app/servers"}, kServersTemplate,
                "reload_cmd = 'n=$(cat " + counter +
                    " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter +
                    "; test $n -ge 3 && touch " + marker + "'\n");
  StartWatching(*cluster);
  ASSERT_TRUE(DestBecomes("servers", "a=1\n"));
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(marker); }, 20s))
      << "count: " << ReadWholeFile(counter).value_or("(none)");
  EXPECT_GE(MetricReaches("berth_confd_reloads_total", 3), 3);
  EXPECT_EQ(Metric("berth_confd_reload_failures_total"), 2);
  EXPECT_EQ(ReadWholeFile(counter), "3\n");
  EXPECT_TRUE(
      WaitFor([&] { return berth_->CountInLog("reload command succeeded after") == 1; }, 10s))
      << berth_->LogTail();
  // Done: nothing runs it again.
  EXPECT_EQ(Metric("berth_confd_reloads_total"), 3);
}

// ---------------------------------------------------------------------------
// Startup

// etcd is down when berth starts: berth retries, writes nothing (an empty
// file would drop every server) and is not healthy; once etcd is back it
// renders.
TEST_F(ConfdWatchTest, EtcdDownAtStart) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  Fill(*client, "/app/servers/k", 20, "up-");
  const std::string expected = ServersRender(*client);
  ASSERT_TRUE(cluster->Stop(0).ok());
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartWatching(*cluster);
  // The first read fails (after the client's 10 s request deadline).
  ASSERT_TRUE(WaitFor([&] { return berth_->CountInLog("(retrying)") > 0; }, 20s))
      << berth_->LogTail();
  EXPECT_TRUE(berth_->Running());
  EXPECT_TRUE(dir_.List("out").empty()) << dir_.List("out");
  auto health = testing::HttpGet(metrics_port_, "/healthz");
  ASSERT_TRUE(health.has_value()) << health.error().message();
  EXPECT_EQ(health->status, 503);
  EXPECT_GE(Metric("berth_confd_backend_errors_total").value_or(0), 1);

  Status restarted = cluster->Restart(0);
  ASSERT_TRUE(restarted.ok()) << restarted.message();
  ASSERT_TRUE(DestBecomes("servers", expected));
  health = testing::HttpGet(metrics_port_, "/healthz");
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->status, 200);
  ASSERT_TRUE(client->Put("/app/servers/k000003", "after").has_value());
  ASSERT_TRUE(DestBecomes("servers", ServersRender(*client)));
}

// SIGTERM while the store is unreachable: the read in progress (which would
// go on retrying until the client's 10 s request deadline) is interrupted
// and berth exits at once, in watch and in interval mode.
TEST_F(ConfdDaemonTest, SigtermWhileEtcdIsUnreachable) {
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  // Nothing listens there: every connection is refused.
  const std::string nowhere = "http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  for (const char* mode : {"-watch", "-interval"}) {
    SCOPED_TRACE(mode);
    std::vector<std::string> args = {mode};
    if (std::string_view(mode) == "-interval") args.push_back("5");
    args.insert(args.end(), {"-backend", "etcd", "-node", nowhere});
    StartBerth(args);
    // Up (the metrics server answers), not ready, reading.
    ASSERT_TRUE(WaitFor(
        [&] {
          auto h = testing::HttpGet(metrics_port_, "/healthz");
          return h && h->status == 503;
        },
        10s));
    ASSERT_TRUE(berth_->Signal(SIGTERM));
    int status = -1;
    const double took = SecondsToExit(*berth_, 15s, &status);
    ASSERT_GE(took, 0) << "berth did not exit";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
    EXPECT_LE(took, 1.0);
    EXPECT_TRUE(dir_.List("out").empty()) << dir_.List("out");
    berth_.reset();
  }
}

// ---------------------------------------------------------------------------
// Backends that cannot watch, and -interval

// The env backend cannot watch: -watch renders once at start and then
// waits (no polling); SIGHUP reads the environment again; SIGTERM exits 0.
TEST_F(ConfdDaemonTest, EnvBackendRendersOnceAndWaits) {
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartBerth({"-watch", "-backend", "env"},
             {"APP_SERVERS_WEB1=10.6.0.1:80", "APP_SERVERS_WEB2=10.6.0.2:80"});
  ASSERT_TRUE(DestBecomes("servers", "web1=10.6.0.1:80\nweb2=10.6.0.2:80\n"));
  ASSERT_EQ(MetricReaches("berth_confd_renders_total", 1), 1);
  // Watch for a second: no further render, still running.
  EXPECT_FALSE(WaitFor(
      [&] { return Metric("berth_confd_renders_total") != 1 || !berth_->Running(); }, 1s, 100ms));
  ASSERT_TRUE(berth_->Signal(SIGHUP));
  EXPECT_EQ(MetricReaches("berth_confd_renders_total", 2), 2);
  EXPECT_EQ(Metric("berth_confd_updates_total"), 1);  // the same environment: in sync
  ASSERT_TRUE(berth_->Signal(SIGTERM));
  int status = -1;
  const double took = SecondsToExit(*berth_, 5s, &status);
  ASSERT_GE(took, 0) << "berth did not exit";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_LE(took, 1.0);
}

// -interval 1 with the file backend: a change to the data file shows within
// about two seconds; SIGTERM stops it within a second.
TEST_F(ConfdDaemonTest, IntervalWithTheFileBackend) {
  const std::string data = dir_.Path("data.yaml");
  testing::WriteFileAtomically(data, "app:\n  servers:\n    web1: 10.7.0.1:80\n");
  WriteResource("servers", {"/app/servers"}, kServersTemplate);
  StartBerth({"-interval", "1", "-backend", "file", "-file", data});
  ASSERT_TRUE(DestBecomes("servers", "web1=10.7.0.1:80\n"));

  const auto changed = Clock::now();
  testing::WriteFileAtomically(data,
                               "app:\n  servers:\n    web1: 10.7.0.1:80\n    web2: 10.7.0.2:80\n");
  ASSERT_TRUE(DestBecomes("servers", "web1=10.7.0.1:80\nweb2=10.7.0.2:80\n", 5s));
  const double seen = Seconds(Clock::now() - changed);
  EXPECT_LE(seen, 2.2);
  testing::WriteFileAtomically(data, "app:\n  servers:\n    web2: 10.7.0.2:80\n");
  ASSERT_TRUE(DestBecomes("servers", "web2=10.7.0.2:80\n", 5s));

  ASSERT_TRUE(berth_->Signal(SIGTERM));
  int status = -1;
  const double took = SecondsToExit(*berth_, 5s, &status);
  ASSERT_GE(took, 0) << "berth did not exit";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_LE(took, 1.0);
}

}  // namespace
}  // namespace berth
