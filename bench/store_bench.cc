// `berth confd` against real redis and ZooKeeper servers (the integration
// fixtures start them on free loopback ports), the berth binary as a child
// process:
//   one-shot   `-onetime` over the seed's haproxy template at 10,000 keys:
//              wall time from exec to exit, best and median of 5 runs;
//   watch      `-watch` with 100 keys: a put (acknowledged by the server) ->
//              the destination renamed into place (inotify), 100 samples.
// Not Google Benchmark: a program run by hand that prints a table.
//
//   bench_store [DEST_DIR]     (default /tmp; /dev/shm for tmpfs)
#include <poll.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "backend/redis/redis_backend.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/redis_fixture.h"
#include "tests/integration/zookeeper_fixture.h"

namespace berth {
namespace {

using Clock = std::chrono::steady_clock;
using testing::BerthProcess;

constexpr char kTemplate[] =
    "{{range gets \"/app/servers/*\"}}    server {{base .Key}} {{.Value}} check\n{{end}}";

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::string Key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "/app/servers/s%06d", i);
  return buf;
}

struct Store {
  std::string name;
  std::vector<std::string> node_args;
  std::function<void(const std::string&, const std::string&)> put;
};

std::string MakeConfdir(const std::string& base, const std::string& dest_dir) {
  char tmpl[] = "/tmp/berth-store-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  (void)base;
  std::filesystem::create_directories(dir + "/conf.d");
  std::filesystem::create_directories(dir + "/templates");
  FILE* f = std::fopen((dir + "/conf.d/t.toml").c_str(), "w");
  std::fprintf(
      f, "[template]\nsrc = \"t.tmpl\"\ndest = \"%s/haproxy.cfg\"\nkeys = [\"/app/servers\"]\n",
      dest_dir.c_str());
  std::fclose(f);
  f = std::fopen((dir + "/templates/t.tmpl").c_str(), "w");
  std::fputs(kTemplate, f);
  std::fclose(f);
  return dir;
}

void OneShot(const Store& s, const std::string& dest_dir) {
  for (int i = 0; i < 10000; ++i) s.put(Key(i), "10.0.0.1:" + std::to_string(i));
  const std::string confdir = MakeConfdir("", dest_dir);
  std::vector<double> runs;
  for (int r = 0; r < 5; ++r) {
    std::vector<std::string> args = {"confd", "-onetime", "-backend", s.name};
    args.insert(args.end(), s.node_args.begin(), s.node_args.end());
    args.insert(args.end(), {"-confdir", confdir, "-config-file", confdir + "/none.toml",
                             "-log-level", "error"});
    unlink((dest_dir + "/haproxy.cfg").c_str());
    const auto t0 = Clock::now();
    auto p = BerthProcess::Start(BerthProcess::Binary(), args, confdir + "/berth.log");
    if (!p) return;
    auto st = (*p)->WaitExit(std::chrono::seconds(60));
    const double ms = Ms(Clock::now() - t0);
    if (!st || *st != 0) {
      std::printf("%s one-shot failed: %s\n", s.name.c_str(), (*p)->LogTail().c_str());
      return;
    }
    runs.push_back(ms);
  }
  std::printf("%-10s one-shot, 10,000 keys: best %.1f ms, median %.1f ms (wall, exec to exit)\n",
              s.name.c_str(), *std::min_element(runs.begin(), runs.end()), Percentile(runs, 0.5));
}

void WatchLatency(const Store& s, const std::string& dest_dir) {
  for (int i = 0; i < 100; ++i) s.put(Key(i), "10.0.0.2:" + std::to_string(i));
  const std::string confdir = MakeConfdir("", dest_dir);
  const std::string dest = dest_dir + "/haproxy.cfg";
  unlink(dest.c_str());
  std::vector<std::string> args = {"confd", "-watch", "-backend", s.name};
  args.insert(args.end(), s.node_args.begin(), s.node_args.end());
  args.insert(args.end(),
              {"-confdir", confdir, "-config-file", confdir + "/none.toml", "-log-level", "error"});
  auto p = BerthProcess::Start(BerthProcess::Binary(), args, confdir + "/berth.log");
  if (!p) return;
  const int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  inotify_add_watch(in, dest_dir.c_str(), IN_MOVED_TO);
  // The first render.
  for (auto t0 = Clock::now(); access(dest.c_str(), F_OK) != 0;) {
    if (Clock::now() - t0 > std::chrono::seconds(20)) {
      std::printf("%s: no first render\n", s.name.c_str());
      return;
    }
    usleep(1000);
  }
  alignas(inotify_event) char buf[4096];
  while (read(in, buf, sizeof(buf)) > 0) {
  }
  // Sample -1 is a warm-up: the watch may not be armed for the first put
  // (the render after its read then shows it); it is not counted.
  std::vector<double> samples;
  for (int i = -1; i < 100; ++i) {
    const auto t0 = Clock::now();
    s.put(Key((i + 100) % 100), "10.9.9.9:" + std::to_string(i));
    bool seen = false;
    while (!seen) {
      pollfd fd = {in, POLLIN, 0};
      if (poll(&fd, 1, 5000) <= 0) break;
      for (ssize_t len; (len = read(in, buf, sizeof(buf))) > 0;) {
        for (ssize_t off = 0; off < len;) {
          auto* ev = reinterpret_cast<inotify_event*>(buf + off);
          off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
          if (ev->len > 0 && std::string(ev->name) == "haproxy.cfg") seen = true;
        }
      }
    }
    if (!seen) {
      std::printf("%s: sample %d timed out\n", s.name.c_str(), i);
      continue;
    }
    if (i >= 0) samples.push_back(Ms(Clock::now() - t0));
  }
  close(in);
  if (samples.empty()) return;
  std::printf(
      "%-10s watch, 100 keys, dest %s: put -> rename p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%zu "
      "samples)\n",
      s.name.c_str(), dest_dir.c_str(), Percentile(samples, 0.5), Percentile(samples, 0.9),
      Percentile(samples, 0.99), samples.size());
}

}  // namespace
}  // namespace berth

int main(int argc, char** argv) {
  using namespace berth;
  const std::string dest_base = argc > 1 ? argv[1] : "/tmp";
  char dt[256];
  std::snprintf(dt, sizeof(dt), "%s/berth-store-bench-dest-XXXXXX", dest_base.c_str());
  const std::string dest_dir = mkdtemp(dt);
  {
    auto redis = berth::testing::RedisServer::Start();
    if (!redis) {
      std::printf("redis: %s\n", redis.error().message().c_str());
    } else {
      auto& r = **redis;
      Store s{"redis", {"-node", r.node()}, [&](const std::string& k, const std::string& v) {
                (void)r.Command({"SET", k, v});
              }};
      OneShot(s, dest_dir);
      (void)r.Command({"FLUSHALL"});
      WatchLatency(s, dest_dir);
    }
  }
  {
    auto zk = berth::testing::ZookeeperServer::Start();
    if (!zk) {
      std::printf("zookeeper: %s\n", zk.error().message().c_str());
    } else {
      auto& z = **zk;
      Store s{"zookeeper", {"-node", z.node()}, [&](const std::string& k, const std::string& v) {
                (void)z.Put(k, v);
              }};
      OneShot(s, dest_dir);
      (void)z.Delete("/app");
      WatchLatency(s, dest_dir);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dest_dir, ec);
  return 0;
}
