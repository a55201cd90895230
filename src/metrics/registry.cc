#include "metrics/registry.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace berth::metrics {
namespace {

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    snprintf(buf, sizeof(buf), "%.0f", v);
    return buf;
  }
  // The shortest text that reads back as the same double: a Unix time
  // keeps its milliseconds (1795663864.123, not 1.79566386e+09).
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

}  // namespace

void Summary::Observe(double v) {
  double cur = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
  count_.fetch_add(1, std::memory_order_relaxed);
}

Counter* Registry::AddCounter(std::string name, std::string help) {
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->type = "counter";
  e->counter = std::make_unique<Counter>();
  Counter* c = e->counter.get();
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::move(e));
  return c;
}

Gauge* Registry::AddGauge(std::string name, std::string help) {
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->type = "gauge";
  e->gauge = std::make_unique<Gauge>();
  Gauge* g = e->gauge.get();
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::move(e));
  return g;
}

Summary* Registry::AddSummary(std::string name, std::string help) {
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->type = "summary";
  e->summary = std::make_unique<Summary>();
  Summary* s = e->summary.get();
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::move(e));
  return s;
}

std::string Registry::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& e : entries_) {
    out += "# HELP " + e->name + " " + e->help + "\n";
    out += "# TYPE " + e->name + " " + e->type + "\n";
    if (e->counter) out += e->name + " " + std::to_string(e->counter->value()) + "\n";
    if (e->gauge) out += e->name + " " + FormatNumber(e->gauge->value()) + "\n";
    if (e->summary) {
      out += e->name + "_sum " + FormatNumber(e->summary->sum()) + "\n";
      out += e->name + "_count " + std::to_string(e->summary->count()) + "\n";
    }
  }
  return out;
}

}  // namespace berth::metrics
