#include "up/status_table.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>

namespace berth::up {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string HaproxyStateOf(std::string_view s) {
  if (s.starts_with("MAINT")) return "MAINT";
  if (s.starts_with("DRAIN") || s.starts_with("NOLB")) return "DRAIN";
  // "DOWN 1/2" is a server going up that has not passed `rise` checks yet,
  // and HAProxy sends it nothing: DOWN.
  if (s.starts_with("DOWN")) return "DOWN";
  // "UP 1/3" is going down, still serving; "no check" serves unchecked.
  if (s.starts_with("UP") || s == "no check") return "UP";
  return std::string(s.empty() ? "?" : s);
}

bool NaturalLess(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (IsDigit(a[i]) && IsDigit(b[j])) {
      size_t ie = i, je = j;
      while (ie < a.size() && IsDigit(a[ie])) ++ie;
      while (je < b.size() && IsDigit(b[je])) ++je;
      std::string_view na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

std::vector<InstanceRow> BuildRows(const StatusSources& src) {
  std::map<std::string, InstanceRow> rows;
  auto row = [&rows](const std::string& name) -> InstanceRow& {
    auto [it, fresh] = rows.try_emplace(name);
    if (fresh) it->second.name = name;
    return it->second;
  };
  if (src.containers) {
    for (const auto& c : *src.containers) row(c.name).docker = c.state.empty() ? "?" : c.state;
  }
  std::string prefix = src.prefix;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  prefix += '/';
  if (src.registrations) {
    for (const auto& kv : *src.registrations) {
      if (!kv.key.starts_with(prefix)) continue;
      const std::string name = kv.key.substr(prefix.size());
      if (name.empty() || name.find('/') != std::string::npos) continue;
      InstanceRow& r = row(name);
      r.etcd = "yes";
      r.address = kv.value;
    }
  }
  if (src.haproxy_stat) {
    for (const auto& line : *src.haproxy_stat) {
      auto get = [&line](const char* column) -> std::string {
        auto it = line.find(column);
        return it == line.end() ? std::string() : it->second;
      };
      const std::string sv = get("svname");
      if (sv.empty() || sv == "FRONTEND" || sv == "BACKEND") continue;
      // The stats pages are "servers" of no backend of ours.
      if (get("type") != "" && get("type") != "2") continue;
      InstanceRow& r = row(sv);
      r.haproxy = HaproxyStateOf(get("status"));
      r.sessions = get("scur").empty() ? "0" : get("scur");
      r.served = get("stot").empty() ? "0" : get("stot");
      if (r.address.empty() && !get("addr").empty()) r.address = get("addr");
    }
  }
  std::vector<InstanceRow> out;
  for (auto& [name, r] : rows) {
    if (r.docker.empty()) r.docker = src.containers ? "-" : "?";
    if (r.etcd.empty()) r.etcd = src.registrations ? "no" : "?";
    if (r.haproxy.empty()) {
      r.haproxy = src.haproxy_stat ? "absent" : "?";
      r.sessions = src.haproxy_stat ? "-" : "?";
      r.served = src.haproxy_stat ? "-" : "?";
    }
    if (r.address.empty()) r.address = "-";
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(),
            [](const InstanceRow& a, const InstanceRow& b) { return NaturalLess(a.name, b.name); });
  return out;
}

std::string FormatTable(const std::vector<InstanceRow>& rows) {
  std::vector<std::vector<std::string>> cells = {
      {"INSTANCE", "ADDRESS", "DOCKER", "ETCD", "HAPROXY", "SESSIONS", "SERVED"}};
  for (const auto& r : rows) {
    cells.push_back({r.name, r.address, r.docker, r.etcd, r.haproxy, r.sessions, r.served});
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  }
  std::string out;
  for (const auto& line : cells) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      text += line[i];
      if (i + 1 < line.size()) text += std::string(width[i] - line[i].size() + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

std::string FormatTimeAgo(double unix_seconds, double now) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  const long ago = std::lround(std::max(0.0, now - unix_seconds));
  std::string rel;
  if (ago < 120) {
    rel = std::to_string(ago) + "s ago";
  } else if (ago < 2 * 3600) {
    rel = std::to_string(ago / 60) + "m ago";
  } else if (ago < 2 * 86400) {
    rel = std::to_string(ago / 3600) + "h ago";
  } else {
    rel = std::to_string(ago / 86400) + "d ago";
  }
  return std::string(buf) + " (" + rel + ")";
}

}  // namespace berth::up
