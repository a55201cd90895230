#include "up/state_file.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "sys/file.h"
#include "up/confd_files.h"

namespace berth::up {

namespace {

using nlohmann::json;

constexpr int kVersion = 1;

std::string NowRfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Reads `key` of `j` into `out` when present; throws json errors on a wrong
// type, which StateFromJson turns into a Status naming the field.
template <typename T>
void Read(const json& j, const char* key, T* out) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) *out = it->get<T>();
}

}  // namespace

const ProcessRecord* UpState::Find(const std::string& name) const {
  for (const auto& p : processes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

ProcessRecord* UpState::Find(const std::string& name) {
  for (auto& p : processes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

void UpState::Put(ProcessRecord record) {
  if (ProcessRecord* p = Find(record.name)) {
    *p = std::move(record);
  } else {
    processes.push_back(std::move(record));
  }
}

void UpState::Remove(const std::string& name) {
  std::erase_if(processes, [&](const ProcessRecord& p) { return p.name == name; });
}

std::string_view PhaseName(UpState::Phase phase) {
  switch (phase) {
    case UpState::Phase::kStarting:
      return "starting";
    case UpState::Phase::kUp:
      return "up";
    case UpState::Phase::kDown:
      return "down";
  }
  return "down";
}

std::string StateToJson(const UpState& s) {
  const Settings& c = s.settings;
  json processes = json::array();
  for (const auto& p : s.processes) {
    processes.push_back({{"name", p.name},
                         {"pid", p.pid},
                         {"start_time", p.start_time},
                         {"argv", p.argv},
                         {"log", p.log}});
  }
  json j = {
      {"version", kVersion},
      {"phase", PhaseName(s.phase)},
      {"updated", s.updated},
      {"settings",
       {{"port", c.port},
        {"instances", c.instances},
        {"service", c.service},
        {"prefix", c.prefix},
        {"image", c.image},
        {"etcd", c.etcd},
        {"docker", c.docker},
        {"confdir", c.confdir},
        {"haproxy", c.haproxy},
        {"host_ip", c.host_ip},
        {"autoscale_min", c.autoscale_min},
        {"autoscale_max", c.autoscale_max},
        {"autoscale_target", c.autoscale_target}}},
      {"haproxy_files",
       {{"config", s.haproxy_files.config},
        {"socket", s.haproxy_files.socket},
        {"master_socket", s.haproxy_files.master_socket},
        {"pid_file", s.haproxy_files.pid_file}}},
      {"etcd_started", s.etcd_started},
      {"dockerd_started", s.dockerd_started},
      {"confd_metrics", s.confd_metrics},
      {"processes", processes},
      {"instances", s.instances},
  };
  return j.dump(2) + "\n";
}

Result<UpState> StateFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Err(Status::InvalidArgument("not a JSON object"));
  }
  UpState s;
  const char* field = "version";
  try {
    int version = 0;
    Read(j, "version", &version);
    if (version != kVersion) {
      return Err(Status::InvalidArgument("version " + std::to_string(version) +
                                         ", this berth reads " + std::to_string(kVersion)));
    }
    field = "phase";
    std::string phase = "down";
    Read(j, "phase", &phase);
    if (phase == "starting") {
      s.phase = UpState::Phase::kStarting;
    } else if (phase == "up") {
      s.phase = UpState::Phase::kUp;
    } else if (phase == "down") {
      s.phase = UpState::Phase::kDown;
    } else {
      return Err(Status::InvalidArgument("phase \"" + phase + "\" is not starting, up or down"));
    }
    field = "updated";
    Read(j, "updated", &s.updated);
    field = "settings";
    if (auto it = j.find("settings"); it != j.end()) {
      const json& c = *it;
      Settings& t = s.settings;
      field = "settings.port";
      Read(c, "port", &t.port);
      field = "settings.instances";
      Read(c, "instances", &t.instances);
      field = "settings";
      Read(c, "service", &t.service);
      Read(c, "prefix", &t.prefix);
      Read(c, "image", &t.image);
      Read(c, "etcd", &t.etcd);
      Read(c, "docker", &t.docker);
      Read(c, "confdir", &t.confdir);
      Read(c, "haproxy", &t.haproxy);
      Read(c, "host_ip", &t.host_ip);
      Read(c, "autoscale_min", &t.autoscale_min);
      Read(c, "autoscale_max", &t.autoscale_max);
      Read(c, "autoscale_target", &t.autoscale_target);
    }
    field = "haproxy_files";
    if (auto it = j.find("haproxy_files"); it != j.end()) {
      Read(*it, "config", &s.haproxy_files.config);
      Read(*it, "socket", &s.haproxy_files.socket);
      Read(*it, "master_socket", &s.haproxy_files.master_socket);
      Read(*it, "pid_file", &s.haproxy_files.pid_file);
    }
    field = "etcd_started";
    Read(j, "etcd_started", &s.etcd_started);
    field = "dockerd_started";
    Read(j, "dockerd_started", &s.dockerd_started);
    field = "confd_metrics";
    Read(j, "confd_metrics", &s.confd_metrics);
    field = "processes";
    if (auto it = j.find("processes"); it != j.end()) {
      for (const json& p : *it) {
        ProcessRecord r;
        Read(p, "name", &r.name);
        Read(p, "pid", &r.pid);
        Read(p, "start_time", &r.start_time);
        Read(p, "argv", &r.argv);
        Read(p, "log", &r.log);
        if (r.name.empty() || r.pid <= 0) {
          return Err(Status::InvalidArgument("a process without a name or a pid"));
        }
        s.processes.push_back(std::move(r));
      }
    }
    field = "instances";
    Read(j, "instances", &s.instances);
  } catch (const json::exception& e) {
    return Err(Status::InvalidArgument(std::string(field) + ": " + e.what()));
  }
  return s;
}

Result<std::optional<UpState>> LoadState(const std::string& path) {
  auto info = sys::Stat(path);
  if (!info) return Err(info.error());
  if (!info->has_value()) return std::optional<UpState>();
  auto text = sys::ReadFile(path);
  if (!text) return Err(text.error());
  auto state = StateFromJson(*text);
  if (!state) return Err(state.error().Wrap("state file " + path));
  return std::optional<UpState>(std::move(*state));
}

Status SaveState(const std::string& path, UpState* state) {
  state->updated = NowRfc3339();
  return WriteFileAtomically(path, StateToJson(*state));
}

}  // namespace berth::up
