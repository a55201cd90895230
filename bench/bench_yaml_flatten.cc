// bench_yaml_flatten: FlattenYaml on generated data files of 1k, 10k and 100k
// keys: a map of servers (YAML and JSON), and a list of server maps.  The
// *Exact variants run the exact path alone, for comparison with the
// streaming fast path that FlattenYaml takes on such files.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "backend/file/yaml_flatten.h"
#include "backend/file/yaml_flatten_internal.h"

namespace {

using berth::backend::file::FlattenYaml;
using berth::backend::file::FlattenYamlExact;

// "app: servers: sNNNNNN: 10.a.b.c:8080" for `n` servers.
std::string ServerMapYaml(int n) {
  std::string s = "app:\n  servers:\n";
  char line[64];
  for (int i = 0; i < n; ++i) {
    std::snprintf(line, sizeof line, "    s%06d: 10.%d.%d.%d:8080\n", i, (i >> 16) & 255,
                  (i >> 8) & 255, i & 255);
    s += line;
  }
  return s;
}

// The same data as one line of JSON.
std::string ServerMapJson(int n) {
  std::string s = "{\"app\": {\"servers\": {";
  char item[64];
  for (int i = 0; i < n; ++i) {
    std::snprintf(item, sizeof item, "%s\"s%06d\": \"10.%d.%d.%d:8080\"", i ? ", " : "", i,
                  (i >> 16) & 255, (i >> 8) & 255, i & 255);
    s += item;
  }
  return s + "}}}\n";
}

// A list of maps of five keys each: `n` keys in all.
std::string ServerListYaml(int n) {
  std::string s = "app:\n  servers:\n";
  char item[160];
  for (int i = 0; i < n / 5; ++i) {
    std::snprintf(item, sizeof item,
                  "    - name: s%06d\n      host: 10.%d.%d.%d\n      port: %d\n"
                  "      weight: 1.5\n      enabled: true\n",
                  i, (i >> 16) & 255, (i >> 8) & 255, i & 255, 8000 + i % 1000);
    s += item;
  }
  return s;
}

template <typename Flatten>
void Run(benchmark::State& state, const std::string& text, Flatten flatten) {
  size_t keys = 0;
  for (auto _ : state) {
    auto entries = flatten(text, "bench.yaml");
    if (!entries.has_value()) {
      state.SkipWithError(entries.error().message().c_str());
      return;
    }
    keys = entries->size();
    benchmark::DoNotOptimize(entries->data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * keys));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["keys"] = static_cast<double>(keys);
}

void BM_FlattenYaml_Map(benchmark::State& state) {
  Run(state, ServerMapYaml(static_cast<int>(state.range(0))), FlattenYaml);
}
void BM_FlattenYaml_Json(benchmark::State& state) {
  Run(state, ServerMapJson(static_cast<int>(state.range(0))), FlattenYaml);
}
void BM_FlattenYaml_ListOfMaps(benchmark::State& state) {
  Run(state, ServerListYaml(static_cast<int>(state.range(0))), FlattenYaml);
}
void BM_FlattenYamlExact_Map(benchmark::State& state) {
  Run(state, ServerMapYaml(static_cast<int>(state.range(0))), FlattenYamlExact);
}
void BM_FlattenYamlExact_ListOfMaps(benchmark::State& state) {
  Run(state, ServerListYaml(static_cast<int>(state.range(0))), FlattenYamlExact);
}

BENCHMARK(BM_FlattenYaml_Map)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlattenYaml_Json)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlattenYaml_ListOfMaps)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlattenYamlExact_Map)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlattenYamlExact_ListOfMaps)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
