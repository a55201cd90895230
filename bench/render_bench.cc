// Rendering benchmarks (issue 2): the seed's haproxy template over 1k, 10k and
// 100k registered servers, a heavier per-key template at 10k keys, and the
// nested ls/gets template at 10k keys that costs confd O(N^2).  Templates are
// parsed once; each iteration renders against a prebuilt snapshot, as berth
// does in watch mode.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "confd/funcs.h"
#include "confd/render.h"
#include "kv/snapshot.h"
#include "tmpl/template.h"

namespace berth {
namespace {

constexpr char kHaproxy[] =
    "{{range gets \"/app/servers/*\"}}    server {{base .Key}} {{.Value}} check\n{{end}}";

constexpr char kHeavy[] =
    "{{range $i, $kv := gets \"/app/servers/*\"}}{{$parts := split $kv.Value \":\"}}"
    "{{$host := index $parts 0}}{{$port := index $parts 1}}"
    "{{if eq (atoi $port) 8080}}{{if eq (mod $i 2) 0}}    server {{printf \"%-20s\" (toUpper (base "
    "$kv.Key))}} {{$host}}:{{$port}} weight {{add (mul $i 2) 1}} check\n"
    "{{else}}    server {{printf \"%-20s\" (base $kv.Key)}} {{$host}}:{{$port}} backup\n{{end}}"
    "{{else}}    # skipped {{$kv.Key}}\n{{end}}{{end}}";

constexpr char kNested[] =
    "{{range $n := ls \"/app/servers\"}}{{range gets (printf \"/app/servers/%s\" $n)}}"
    "    server {{base .Key}} {{.Value}} check\n{{end}}{{end}}";

kv::SnapshotPtr Servers(int n) {
  std::vector<kv::Entry> entries;
  entries.reserve(n);
  char key[64], value[64];
  for (int i = 0; i < n; ++i) {
    std::snprintf(key, sizeof(key), "/app/servers/s%06d", i);
    std::snprintf(value, sizeof(value), "10.%d.%d.%d:8080", (i >> 16) & 255, (i >> 8) & 255,
                  i & 255);
    entries.push_back({key, value});
  }
  return kv::Snapshot::Create(std::move(entries));
}

void Render(benchmark::State& state, const char* text) {
  const kv::SnapshotPtr snapshot = Servers(static_cast<int>(state.range(0)));
  auto t = tmpl::Template::Parse("bench.tmpl", text, confd::FuncNames());
  if (!t) {
    state.SkipWithError(t.error().message().c_str());
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    auto out = confd::Render(**t, snapshot);
    if (!out) {
      state.SkipWithError(out.error().message().c_str());
      return;
    }
    bytes = out->size();
    benchmark::DoNotOptimize(out->data());
  }
  state.counters["output_bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_RenderHaproxy(benchmark::State& state) { Render(state, kHaproxy); }
void BM_RenderHeavy(benchmark::State& state) { Render(state, kHeavy); }
void BM_RenderNested(benchmark::State& state) { Render(state, kNested); }

void BM_Parse(benchmark::State& state) {
  for (auto _ : state) {
    auto t = tmpl::Template::Parse("bench.tmpl", kHeavy, confd::FuncNames());
    benchmark::DoNotOptimize(t);
  }
}

void BM_SnapshotCreate(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(Servers(static_cast<int>(state.range(0))));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_RenderHaproxy)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderHeavy)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderNested)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Parse)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SnapshotCreate)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace berth

BENCHMARK_MAIN();
