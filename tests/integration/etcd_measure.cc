// etcd_measure: latency and throughput figures for the etcd client against
// a real single-member etcd started by the test fixture.
//
//   etcd_measure [PAGE...]  figures for Put, put -> watch delivery, GetPrefix
//                           (GetPrefix with each page size; default 1000)
//
// The data directory is on tmpfs unless BERTH_ETCD_TMPDIR says otherwise
// (e.g. BERTH_ETCD_TMPDIR=/var/tmp to include the disk's fsync).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backend/etcd/client.h"
#include "tests/integration/etcd_fixture.h"

namespace {

using berth::etcd::Client;
using berth::testing::EtcdCluster;
using Clock = std::chrono::steady_clock;
using Micros = std::chrono::duration<double, std::micro>;

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

void Report(const char* what, const std::vector<double>& us) {
  std::printf("%-34s n=%zu  p50=%8.0f us  p99=%8.0f us  max=%8.0f us\n", what, us.size(),
              Percentile(us, 0.5), Percentile(us, 0.99), Percentile(us, 1.0));
}

bool Fill(Client& client, const std::string& prefix, int count) {
  std::vector<std::pair<std::string, std::string>> batch;
  for (int i = 0; i < count; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "%07d", i);
    batch.emplace_back(prefix + key, "10.0.0." + std::to_string(i % 250) + ":8080");
    if (batch.size() == 128 || i + 1 == count) {
      auto r = client.PutMany(batch);
      if (!r) {
        std::fprintf(stderr, "fill: %s\n", r.error().message().c_str());
        return false;
      }
      batch.clear();
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> pages;
  for (int i = 1; i < argc; ++i) pages.push_back(std::atoll(argv[i]));
  if (pages.empty()) pages.push_back(berth::etcd::ClientOptions().page_size);
  if (!EtcdCluster::Available()) {
    std::fprintf(stderr, "etcd is not installed\n");
    return 1;
  }
  auto cluster = EtcdCluster::Start({});
  if (!cluster) {
    std::fprintf(stderr, "%s\n", cluster.error().message().c_str());
    return 1;
  }
  auto made = Client::Create((*cluster)->ClientOptions());
  if (!made) return 1;
  Client& client = **made;
  std::printf("etcd 3.4.23, one member, data dir under %s\n", (*cluster)->dir().c_str());

  // Put latency.
  for (int i = 0; i < 20; ++i) (void)client.Put("/warm/" + std::to_string(i), "x");
  std::vector<double> put_us;
  for (int i = 0; i < 200; ++i) {
    auto t0 = Clock::now();
    auto r = client.Put("/measure/put/" + std::to_string(i % 10), "10.0.0.1:8080");
    put_us.push_back(Micros(Clock::now() - t0).count());
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message().c_str());
      return 1;
    }
  }
  Report("Put", put_us);

  // Put -> watch event delivery: the time from starting a Put to the
  // watcher's Next returning its event.
  {
    auto watch_client = Client::Create((*cluster)->ClientOptions());
    if (!watch_client) return 1;
    auto w = (*watch_client)->Watch("/measure/watch/", 0);
    if (!w) {
      std::fprintf(stderr, "%s\n", w.error().message().c_str());
      return 1;
    }
    std::mutex mu;
    std::condition_variable cv;
    std::map<int64_t, Clock::time_point> arrived;
    bool stop = false;
    std::thread watcher([&] {
      for (;;) {
        auto b = (*w)->Next(std::chrono::milliseconds(200));
        auto now = Clock::now();
        if (!b) {
          if (b.error().code() == berth::Code::kCancelled) return;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& e : b->events) arrived[e.mod_revision] = now;
        cv.notify_all();
      }
    });
    std::vector<double> watch_us;
    for (int i = 0; i < 220; ++i) {
      auto t0 = Clock::now();
      auto r = client.Put("/measure/watch/" + std::to_string(i % 10), "x");
      if (!r) return 1;
      std::unique_lock<std::mutex> lock(mu);
      if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return arrived.count(*r) > 0; })) {
        std::fprintf(stderr, "event %lld never arrived\n", static_cast<long long>(*r));
        return 1;
      }
      if (i >= 20) watch_us.push_back(Micros(arrived[*r] - t0).count());
    }
    (*w)->Close();
    watcher.join();
    (void)stop;
    Report("Put -> watch event", watch_us);
  }

  // GetPrefix over many keys.
  for (int n : {10000, 100000}) {
    const std::string prefix = "/measure/many" + std::to_string(n) + "/";
    auto t0 = Clock::now();
    if (!Fill(client, prefix, n)) return 1;
    double fill_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    for (int64_t page : pages) {
      berth::etcd::ClientOptions o = (*cluster)->ClientOptions();
      o.page_size = page;
      auto reader = Client::Create(o);
      if (!reader) return 1;
      std::vector<double> ms;
      for (int run = 0; run < 5; ++run) {
        auto t1 = Clock::now();
        auto r = (*reader)->GetPrefix(prefix);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t1).count());
        if (!r || r->kvs.size() != static_cast<size_t>(n)) {
          std::fprintf(stderr, "GetPrefix %d: %s\n", n,
                       r ? "wrong count" : r.error().message().c_str());
          return 1;
        }
      }
      std::printf(
          "GetPrefix %6d keys, page %6lld: median %7.1f ms  min %7.1f ms  (loaded in %.0f ms)\n", n,
          static_cast<long long>(page), Percentile(ms, 0.5), Percentile(ms, 0.0), fill_ms);
    }
  }
  return 0;
}
