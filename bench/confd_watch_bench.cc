// bench_confd_watch: how quickly and cheaply `berth confd -watch` follows
// etcd, measured from outside as an operator would see it.  A real etcd
// (tests/integration/etcd_fixture.h) and the berth binary as a child process
// render the seed's haproxy template (examples/seed/templates/) over N
// registered servers (/app/servers/<name> = <ip>:<port>).
//
//   - propagation latency: the time from just before a Put to the rename of
//     the destination file (inotify IN_MOVED_TO on its directory), p50/p90/
//     p99 over --samples updates, with N = 100 and N = 10,000; the Put's
//     acknowledgement time alone for comparison;
//   - CPU per update at N = 10,000 (berth's utime+stime over the samples);
//   - idle CPU over 10 s and memory (VmRSS, VmHWM) with N = 10,000;
//   - a burst of 1,000 puts over 100 keys with -wait 50ms:500ms and
//     reload_cmd `true`: renders, reload runs (from berth's /metrics), and the
//     time from the last put's acknowledgement to the final file.
//
//   bench_confd_watch [--samples N] [--idle-seconds S]
// (scripts/bench-watch.sh builds and runs it.)  Needs etcd and etcdctl.
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backend/etcd/client.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/etcd_fixture.h"

namespace berth {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using testing::BerthProcess;
using testing::EtcdCluster;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "bench_confd_watch: %s\n", why.c_str());
  std::exit(1);
}

std::string ServerName(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "web-%06d", i);
  return buf;
}

std::string ServerAddress(int i, int port) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "10.%d.%d.%d:%d", (i >> 16) & 255, (i >> 8) & 255, i & 255, port);
  return buf;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * v.size()));
  return v[i];
}

// Renames into one directory, seen through inotify.
class RenameWatch {
 public:
  explicit RenameWatch(const std::string& dir) {
    fd_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd_ < 0 || inotify_add_watch(fd_, dir.c_str(), IN_MOVED_TO) < 0) {
      Die("inotify on " + dir + ": " + std::strerror(errno));
    }
  }
  ~RenameWatch() { close(fd_); }

  // Forgets the events that have arrived so far.
  void Drain() {
    while (ReadOne("", Clock::now())) {
    }
  }
  // Waits for `name` to be renamed into the directory; the time it was
  // seen, or nullopt at the deadline.
  std::optional<Clock::time_point> Wait(const std::string& name, Clock::time_point deadline) {
    for (;;) {
      if (auto t = ReadOne(name, deadline)) {
        if (*t != Clock::time_point{}) return t;
        continue;
      }
      return std::nullopt;
    }
  }

 private:
  // One batch of events: the time if `name` was among them, a zero time for
  // other events, nullopt when none came before the deadline.
  std::optional<Clock::time_point> ReadOne(const std::string& name, Clock::time_point deadline) {
    alignas(inotify_event) char buf[16384];
    for (;;) {
      const ssize_t n = read(fd_, buf, sizeof(buf));
      if (n > 0) {
        const auto now = Clock::now();
        bool hit = false;
        for (ssize_t at = 0; at < n;) {
          const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
          if (e->len > 0 && name == e->name) hit = true;
          at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
        }
        return hit ? now : Clock::time_point{};
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      poll(&p, 1, static_cast<int>(left.count()));
    }
  }

  int fd_ = -1;
};

// One etcd, N servers registered, berth confd -watch over the seed template.
class Setup {
 public:
  Setup(int servers, const std::vector<std::string>& extra_args, const std::string& reload_cmd) {
    auto cluster = EtcdCluster::Start({});
    if (!cluster) Die(cluster.error().message());
    cluster_ = std::move(*cluster);
    auto client = etcd::Client::Create(cluster_->ClientOptions());
    if (!client) Die(client.error().message());
    client_ = std::move(*client);
    std::vector<std::pair<std::string, std::string>> batch;
    for (int i = 0; i < servers; ++i) {
      batch.emplace_back("/app/servers/" + ServerName(i), ServerAddress(i, 8080));
      if (batch.size() == 128 || i + 1 == servers) {
        auto r = client_->PutMany(batch);
        if (!r) Die(r.error().message());
        batch.clear();
      }
    }
    const std::string seed =
        std::string(BERTH_SOURCE_DIR) + "/examples/seed/templates/haproxy.cfg.tmpl";
    auto tmpl = testing::ReadWholeFile(seed);
    if (!tmpl) Die("cannot read " + seed);
    dir_.Write("templates/haproxy.cfg.tmpl", *tmpl);
    dir_.MkDir("out");
    std::string toml = "[template]\nsrc = \"haproxy.cfg.tmpl\"\ndest = \"" + dest() +
                       "\"\nkeys = [\"/app/servers\"]\n";
    if (!reload_cmd.empty()) toml += "reload_cmd = \"" + reload_cmd + "\"\n";
    dir_.Write("conf.d/haproxy.toml", toml);

    metrics_port_ = testing::FreeLoopbackPort();
    std::vector<std::string> args = {"confd",         "-watch",
                                     "-backend",      "etcd",
                                     "-node",         cluster_->endpoint(0),
                                     "-confdir",      dir_.path(),
                                     "-config-file",  dir_.Path("confd.toml"),
                                     "-metrics-addr", "127.0.0.1:" + std::to_string(metrics_port_)};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    watch_ = std::make_unique<RenameWatch>(dir_.Path("out"));
    auto berth = BerthProcess::Start(BerthProcess::Binary(), args, dir_.Path("berth.log"));
    if (!berth) Die(berth.error().message());
    berth_ = std::move(*berth);
    // Ready: the first render is in place.
    const std::string last = ServerName(servers - 1) + " " + ServerAddress(servers - 1, 8080);
    if (!testing::WaitFor(
            [&] {
              auto text = testing::ReadWholeFile(dest());
              return text && text->find(last) != std::string::npos;
            },
            60s)) {
      Die("berth did not render " + dest() + "; its log:\n" + berth_->LogTail());
    }
  }

  std::string dest() const { return dir_.Path("out/haproxy.cfg"); }
  etcd::Client& client() { return *client_; }
  BerthProcess& berth() { return *berth_; }
  RenameWatch& watch() { return *watch_; }
  double Metric(const char* name) const {
    auto v = testing::ScrapeMetric(metrics_port_, name);
    if (!v) Die(std::string("cannot read ") + name + " from berth's /metrics");
    return *v;
  }

 private:
  std::unique_ptr<EtcdCluster> cluster_;
  etcd::ClientPtr client_;
  testing::TempDir dir_;
  int metrics_port_ = 0;
  std::unique_ptr<RenameWatch> watch_;
  std::unique_ptr<BerthProcess> berth_;
};

struct LatencyFigures {
  int servers = 0;
  std::vector<double> ack_ms;
  std::vector<double> latency_ms;
  double cpu_ms_per_update = 0;
  double idle_cpu_percent = -1;
  double idle_cpu_ms = 0;
  long rss_kb = 0;
  long hwm_kb = 0;
  long anon_kb = 0;  // RssAnon: private memory, without the shared libraries' pages
};

LatencyFigures MeasureLatency(int servers, int samples, int idle_seconds) {
  Setup s(servers, {}, "");
  LatencyFigures f;
  f.servers = servers;
  const long tick = sysconf(_SC_CLK_TCK);
  const long cpu_before = s.berth().CpuTicks();
  for (int i = 0; i < samples; ++i) {
    // A server moves to another port: one line of the file changes.
    const int n = (i * 7919) % servers;
    s.watch().Drain();
    const auto t0 = Clock::now();
    auto put = s.client().Put("/app/servers/" + ServerName(n), ServerAddress(n, 9000 + i));
    const auto t1 = Clock::now();
    if (!put) Die(put.error().message());
    auto seen = s.watch().Wait("haproxy.cfg", t0 + 30s);
    if (!seen)
      Die("no rename of the destination within 30 s; berth's log:\n" + s.berth().LogTail());
    f.ack_ms.push_back(Ms(t1 - t0));
    f.latency_ms.push_back(Ms(*seen - t0));
  }
  const long cpu_after = s.berth().CpuTicks();
  f.cpu_ms_per_update = 1000.0 * static_cast<double>(cpu_after - cpu_before) / tick / samples;
  if (idle_seconds > 0) {
    const long idle_before = s.berth().CpuTicks();
    std::this_thread::sleep_for(std::chrono::seconds(idle_seconds));
    const long idle_after = s.berth().CpuTicks();
    f.idle_cpu_ms = 1000.0 * static_cast<double>(idle_after - idle_before) / tick;
    f.idle_cpu_percent = f.idle_cpu_ms / (10.0 * idle_seconds);
  }
  f.rss_kb = s.berth().StatusKb("VmRSS");
  f.hwm_kb = s.berth().StatusKb("VmHWM");
  f.anon_kb = s.berth().StatusKb("RssAnon");
  return f;
}

struct BurstFigures {
  double put_seconds = 0;
  double renders = 0;
  double reloads = 0;
  double last_put_to_final_ms = 0;
};

BurstFigures MeasureBurst() {
  constexpr int kKeys = 100;
  constexpr int kPuts = 1000;
  Setup s(kKeys, {"-wait", "50ms:500ms"}, "true");
  // Let the first render's reload be counted before reading the counters.
  testing::WaitFor([&] { return s.Metric("berth_confd_reloads_total") >= 1; }, 10s);
  const double renders0 = s.Metric("berth_confd_renders_total");
  const double reloads0 = s.Metric("berth_confd_reloads_total");
  s.watch().Drain();
  std::vector<std::string> final_lines(kKeys);
  const auto start = Clock::now();
  Clock::time_point last_ack;
  for (int i = 0; i < kPuts; ++i) {
    const int n = i % kKeys;
    const std::string address = ServerAddress(n, 20000 + i);
    auto put = s.client().Put("/app/servers/" + ServerName(n), address);
    last_ack = Clock::now();
    if (!put) Die(put.error().message());
    final_lines[n] = ServerName(n) + " " + address;
  }
  auto is_final = [&] {
    auto text = testing::ReadWholeFile(s.dest());
    if (!text) return false;
    for (const auto& line : final_lines) {
      if (text->find(line) == std::string::npos) return false;
    }
    return true;
  };
  BurstFigures f;
  f.put_seconds = std::chrono::duration<double>(last_ack - start).count();
  std::optional<Clock::time_point> final_at;
  // A rename may already have brought the final state before the last ack
  // was timed; then the gap is (about) zero.
  if (is_final()) final_at = last_ack;
  while (!final_at) {
    auto seen = s.watch().Wait("haproxy.cfg", last_ack + 30s);
    if (!seen)
      Die("the burst's final state never reached the file; berth's log:\n" + s.berth().LogTail());
    if (is_final()) final_at = *seen;
  }
  f.last_put_to_final_ms = Ms(*final_at - last_ack);
  // The counters settle once the last pass (and its reload) is done.
  double renders = -1;
  auto quiet_since = Clock::now();
  while (Clock::now() - quiet_since < 1s) {
    const double r = s.Metric("berth_confd_reloads_total") + s.Metric("berth_confd_renders_total");
    if (r != renders) {
      renders = r;
      quiet_since = Clock::now();
    }
    std::this_thread::sleep_for(50ms);
  }
  f.renders = s.Metric("berth_confd_renders_total") - renders0;
  f.reloads = s.Metric("berth_confd_reloads_total") - reloads0;
  return f;
}

}  // namespace
}  // namespace berth

int main(int argc, char** argv) {
  using namespace berth;
  int samples = 100;
  int idle_seconds = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--samples" && i + 1 < argc) {
      samples = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--idle-seconds" && i + 1 < argc) {
      idle_seconds = std::max(0, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--samples N] [--idle-seconds S]\n", argv[0]);
      return 2;
    }
  }
  if (!EtcdCluster::Available()) Die("etcd is not installed (" + EtcdCluster::EtcdBinary() + ")");
  std::string etcd_version = "?";
  std::string etcd_dir = "?";
  {
    auto probe = EtcdCluster::Start({});
    if (!probe) Die(probe.error().message());
    etcd_dir = std::filesystem::path((*probe)->dir()).parent_path().string();
    auto client = etcd::Client::Create((*probe)->ClientOptions());
    if (client) {
      auto status = (*client)->GetStatus((*probe)->endpoint(0));
      if (status) etcd_version = status->version;
    }
  }
  std::printf("berth confd -watch (%s), seed haproxy template\n", BerthProcess::Binary().c_str());
  std::printf("etcd %s, one member, data in %s; destination file in %s\n", etcd_version.c_str(),
              etcd_dir.c_str(), std::filesystem::temp_directory_path().c_str());
  std::printf("%d updates per row (each: Put one server's new port, wait for the rename)\n\n",
              samples);
  std::printf("%8s %12s %12s %12s %12s %14s\n", "servers", "put ack p50", "p50", "p90", "p99",
              "CPU/update");
  std::vector<LatencyFigures> rows;
  for (int servers : {100, 10000}) {
    LatencyFigures f = MeasureLatency(servers, samples, servers == 10000 ? idle_seconds : 0);
    std::printf("%8d %9.2f ms %9.2f ms %9.2f ms %9.2f ms %11.2f ms\n", f.servers,
                Percentile(f.ack_ms, 50), Percentile(f.latency_ms, 50),
                Percentile(f.latency_ms, 90), Percentile(f.latency_ms, 99), f.cpu_ms_per_update);
    std::fflush(stdout);
    rows.push_back(std::move(f));
  }
  const LatencyFigures& big = rows.back();
  std::printf("\nwatch mode with %d servers: ", big.servers);
  if (big.idle_cpu_percent >= 0) {
    std::printf("idle CPU %.3f%% (%.0f ms in %d s), ", big.idle_cpu_percent, big.idle_cpu_ms,
                idle_seconds);
  }
  std::printf("VmRSS %.1f MiB (RssAnon %.1f MiB), VmHWM %.1f MiB\n", big.rss_kb / 1024.0,
              big.anon_kb / 1024.0, big.hwm_kb / 1024.0);

  BurstFigures b = MeasureBurst();
  std::printf(
      "\nburst: 1000 puts over 100 servers in %.2f s, -wait 50ms:500ms, reload_cmd true:\n"
      "  %.0f renders, %.0f reload runs, last put acknowledged -> final file %.1f ms\n",
      b.put_seconds, b.renders, b.reloads, b.last_put_to_final_ms);
  return 0;
}
