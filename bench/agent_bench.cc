// bench_agent: how quickly `berth agent` follows Docker, measured from
// outside as an operator would see it.  The berth binary runs as a child
// process against the machine's dockerd and a real etcd
// (tests/integration/etcd_fixture.h); the benchmark starts and stops
// berth/nginx containers one at a time (label berth.service=bench, -P) and
// records, with one wall clock:
//
//   - the `docker start` API call, dockerd's own time of the "start" event,
//     and when nginx first accepts connections on the container's address
//     (probed every millisecond from the moment the start call returns);
//   - the `docker stop` API call and dockerd's time of the "kill" event;
//   - when an etcd watch on /app/servers/ delivers the key's put and its
//     deletion.
//
// It prints p50/p90/p99/max of start call -> key, start event -> key,
// nginx ready -> key, stop call -> key gone and kill event -> key gone.
//
//   bench_agent [--containers N] [--warmup N]
// (scripts/bench-agent.sh builds and runs it.)  Needs dockerd, the
// berth/nginx image (built when missing), etcd and etcdctl.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "docker/client.h"
#include "sys/net.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/agent_fixture.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/docker_fixture.h"
#include "tests/integration/etcd_fixture.h"

namespace berth {
namespace {

using namespace std::chrono_literals;
using testing::BerthProcess;
using testing::DockerEventLog;
using testing::EtcdCluster;
using testing::EventTime;
using testing::KeyWatcher;
using testing::WallClock;

double Ms(WallClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "bench_agent: %s\n", why.c_str());
  std::exit(1);
}

struct Sample {
  double start_call_to_key = 0;
  double start_event_to_key = 0;
  double ready_to_key = 0;
  double start_call_to_ready = 0;
  double stop_call_to_gone = 0;
  double kill_event_to_gone = 0;
};

void PrintRow(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5));
    return v[i];
  };
  std::printf("  %-28s %8.1f %8.1f %8.1f %8.1f\n", what, at(0.5), at(0.9), at(0.99), v.back());
}

// Removes the benchmark's containers whatever happens.
class Containers {
 public:
  explicit Containers(docker::Client* client) : client_(client) {}
  ~Containers() {
    for (const auto& id : ids_) (void)client_->Remove(id, /*force=*/true);
  }
  void Add(std::string id) { ids_.push_back(std::move(id)); }
  void Forget(const std::string& id) { std::erase(ids_, id); }

 private:
  docker::Client* client_;
  std::vector<std::string> ids_;
};

int Run(int argc, char** argv) {
  int count = 40;
  int warmup = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--containers" && i + 1 < argc) {
      count = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--warmup" && i + 1 < argc) {
      warmup = std::max(0, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--containers N] [--warmup N]\n", argv[0]);
      return 2;
    }
  }
  log::SetLevel(log::Level::kWarning);  // the etcd client's notices stay out of the table
  if (Status s = testing::EnsureDocker(); !s.ok()) Die(s.message());
  if (!EtcdCluster::Available()) Die("etcd is not installed (" + EtcdCluster::EtcdBinary() + ")");
  auto cluster = EtcdCluster::Start({});
  if (!cluster) Die(cluster.error().message());
  auto client = docker::Client::Connect(testing::DockerClientOptions());
  if (!client) Die(client.error().message());
  docker::Client& docker = **client;
  testing::TempDir tmp;

  auto agent =
      BerthProcess::Start(BerthProcess::Binary(),
                          {"agent", "--etcd", (*cluster)->endpoint(0), "--host-ip", "127.0.0.1"},
                          tmp.Path("agent.log"));
  if (!agent) Die(agent.error().message());
  auto watcher = KeyWatcher::Start((*cluster)->ClientOptions(), "/app/servers/");
  if (!watcher) Die(watcher.error().message());
  auto events = DockerEventLog::Start(testing::DockerClientOptions());
  if (!events) Die(events.error().message());

  std::printf("berth agent (%s), dockerd %s, berth/nginx containers one at a time\n",
              BerthProcess::Binary().c_str(), docker.daemon_version().c_str());
  Containers cleanup(&docker);
  std::vector<Sample> samples;
  const std::string label_value = "bench:" + std::to_string(getpid());
  for (int i = 0; i < warmup + count; ++i) {
    docker::CreateOptions o;
    o.image = testing::kNginxImage;
    o.name = "berth-bench-" + std::to_string(getpid()) + "-" + std::to_string(i);
    o.labels = {{"berth.service", "bench"},
                {testing::kTestLabel, label_value},
                {testing::kTestPidLabel, std::to_string(getpid())}};
    o.publish_all = true;
    auto id = docker.Create(o);
    if (!id) Die(id.error().message());
    cleanup.Add(*id);
    const std::string key = "/app/servers/" + o.name;
    const size_t mark = (*watcher)->size();

    const auto start_call = WallClock::now();
    if (Status s = docker.Start(*id); !s.ok()) Die(s.message());
    auto c = docker.Inspect(*id);
    if (!c) Die(c.error().message());
    WallClock::time_point ready{};
    const auto probe_deadline = WallClock::now() + 10s;
    while (WallClock::now() < probe_deadline) {
      if (sys::TcpAccepts(c->ip_address, 80, 50ms)) {
        ready = WallClock::now();
        break;
      }
      std::this_thread::sleep_for(1ms);
    }
    if (ready == WallClock::time_point{}) Die(o.name + ": nginx never accepted connections");
    auto put = (*watcher)->WaitFor(key, /*deleted=*/false, 10s, mark);
    if (!put) Die(o.name + " was not registered; agent log:\n" + (*agent)->LogTail());
    auto started = (*events)->WaitFor(*id, "start", 5s);
    if (!started) Die(o.name + ": no start event");

    const auto stop_call = WallClock::now();
    if (Status s = docker.Stop(*id, 10s); !s.ok()) Die(s.message());
    auto gone = (*watcher)->WaitFor(key, /*deleted=*/true, 10s, mark);
    if (!gone) Die(o.name + " was not deregistered; agent log:\n" + (*agent)->LogTail());
    auto killed = (*events)->WaitFor(*id, "kill", 5s);
    if (!killed) Die(o.name + ": no kill event");
    if (Status s = docker.Remove(*id, /*force=*/true); s.ok()) cleanup.Forget(*id);

    if (i < warmup) continue;
    Sample s;
    s.start_call_to_key = Ms(put->at - start_call);
    s.start_event_to_key = Ms(put->at - EventTime(started->event));
    s.ready_to_key = Ms(put->at - ready);
    s.start_call_to_ready = Ms(ready - start_call);
    s.stop_call_to_gone = Ms(gone->at - stop_call);
    s.kill_event_to_gone = Ms(gone->at - EventTime(killed->event));
    samples.push_back(s);
  }

  std::printf("\n%d containers (after %d warm-up), milliseconds\n", count, warmup);
  std::printf("  %-28s %8s %8s %8s %8s\n", "", "p50", "p90", "p99", "max");
  auto column = [&](double Sample::*field) {
    std::vector<double> v;
    for (const auto& s : samples) v.push_back(s.*field);
    return v;
  };
  PrintRow("start call -> nginx ready", column(&Sample::start_call_to_ready));
  PrintRow("start call -> key", column(&Sample::start_call_to_key));
  PrintRow("start event -> key", column(&Sample::start_event_to_key));
  PrintRow("nginx ready -> key", column(&Sample::ready_to_key));
  PrintRow("stop call -> key gone", column(&Sample::stop_call_to_gone));
  PrintRow("kill event -> key gone", column(&Sample::kill_event_to_gone));
  std::printf("agent CPU over the run: %.2f s\n", static_cast<double>((*agent)->CpuTicks()) /
                                                      static_cast<double>(sysconf(_SC_CLK_TCK)));
  return 0;
}

}  // namespace
}  // namespace berth

int main(int argc, char** argv) { return berth::Run(argc, argv); }
