#include "scale/reading.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace berth::scale {
namespace {

// N of "SERVICE-N", or nullopt.
std::optional<long> InstanceNumber(const std::string& name, const std::string& service) {
  if (name.size() <= service.size() + 1 || !name.starts_with(service) ||
      name[service.size()] != '-') {
    return std::nullopt;
  }
  const char* first = name.data() + service.size() + 1;
  const char* last = name.data() + name.size();
  long n = 0;
  auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc() || end != last) return std::nullopt;
  return n;
}

double Number(const std::map<std::string, std::string>& row, const char* column) {
  auto it = row.find(column);
  if (it == row.end()) return 0;
  double v = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return ec == std::errc() ? v : 0;
}

const char* Column(Metric m) {
  switch (m) {
    case Metric::kSessions:
      return "scur";
    case Metric::kRate:
      return "rate";
    case Metric::kQueue:
      return "qcur";
  }
  return "scur";
}

std::string Field(const std::map<std::string, std::string>& row, const char* column) {
  auto it = row.find(column);
  return it == row.end() ? std::string() : it->second;
}

}  // namespace

std::vector<std::string> KillOrder(std::vector<std::string> names, const std::string& service) {
  std::sort(names.begin(), names.end(), [&service](const std::string& a, const std::string& b) {
    const auto na = InstanceNumber(a, service);
    const auto nb = InstanceNumber(b, service);
    if (na && nb) return *na != *nb ? *na > *nb : a > b;
    if (na.has_value() != nb.has_value()) return na.has_value();
    return a > b;
  });
  return names;
}

Reading Read(const ReadingInputs& in) {
  // The backend's servers, by name.
  std::map<std::string, const std::map<std::string, std::string>*> servers;
  const std::map<std::string, std::string>* backend_row = nullptr;
  for (const auto& row : in.stat) {
    if (Field(row, "pxname") != in.backend) continue;
    const std::string sv = Field(row, "svname");
    if (sv == "BACKEND") {
      backend_row = &row;
    } else if (sv != "FRONTEND") {
      servers[sv] = &row;
    }
  }
  Reading r;
  const char* column = Column(in.metric);
  std::vector<std::string> ready;
  for (const auto& name : in.running) {
    if (in.draining.contains(name)) continue;
    auto it = servers.find(name);
    bool up = false;
    if (it != servers.end()) {
      r.total += Number(*it->second, column);
      const std::string status = Field(*it->second, "status");
      up = status.starts_with("UP") || status == "no check";
    }
    if (up && in.registered.contains(name)) {
      ready.push_back(name);
    } else {
      r.starting.push_back(name);
    }
  }
  if (in.metric == Metric::kQueue && backend_row != nullptr)
    r.total += Number(*backend_row, "qcur");
  r.ready = KillOrder(std::move(ready), in.service);
  std::sort(r.starting.begin(), r.starting.end());
  return r;
}

}  // namespace berth::scale
