#include "up/status.h"

#include <sys/stat.h>

#include <ctime>

#include "haproxy/runtime_api.h"
#include "scale/state.h"
#include "up/http.h"
#include "up/paths.h"
#include "up/process.h"

namespace berth::up {

namespace {

constexpr char kSystemStateDir[] = "/var/lib/berth";

// The state directory to read: the given one, else this user's default,
// else root's when this user has none (status needs no root).
Result<StateLayout> ResolveLayout(const std::string& given) {
  if (!given.empty()) return MakeLayout(given);
  auto dir = DefaultStateDir();
  if (dir) {
    auto layout = MakeLayout(*dir);
    if (layout && access(layout->state_file.c_str(), F_OK) == 0) return layout;
  }
  auto system = MakeLayout(kSystemStateDir);
  if (system && access(system->state_file.c_str(), R_OK) == 0) return system;
  if (!dir) return Err(dir.error());
  return MakeLayout(*dir);
}

void ReadDocker(const UpState& state, StatusReport* report, StatusSources* sources) {
  docker::ClientOptions o;
  o.host = state.settings.docker;
  o.timeout = std::chrono::seconds(3);
  auto client = docker::Client::Connect(o);
  if (!client) {
    report->docker_error = client.error().message();
    return;
  }
  auto list = (*client)->List(/*all=*/true, "berth.service=" + state.settings.service);
  if (!list) {
    report->docker_error = list.error().message();
    return;
  }
  sources->containers = std::move(*list);
}

void ReadEtcd(const UpState& state, StatusReport* report, StatusSources* sources) {
  etcd::ClientOptions o;
  o.endpoints = {state.settings.etcd};
  o.dial_timeout = std::chrono::milliseconds(1000);
  o.request_timeout = std::chrono::milliseconds(3000);
  auto client = etcd::Client::Create(o);
  if (!client) {
    report->etcd_error = client.error().message();
    return;
  }
  std::string prefix = state.settings.prefix;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  auto range = (*client)->GetPrefix(prefix + "/");
  if (!range) {
    report->etcd_error = range.error().message();
    return;
  }
  report->etcd_revision = range->revision;
  sources->registrations = std::move(range->kvs);
}

void ReadHaproxy(const UpState& state, StatusReport* report, StatusSources* sources) {
  const auto timeout = std::chrono::milliseconds(2000);
  const HaproxyFiles& h = state.haproxy_files;
  const haproxy::RuntimeApi api =
      !h.socket.empty() ? haproxy::RuntimeApi(h.socket, timeout)
                        : haproxy::RuntimeApi::ThroughMaster(h.master_socket, timeout);
  auto stat = api.ShowStat();
  if (!stat) {
    report->haproxy_error = stat.error().message();
    return;
  }
  sources->haproxy_stat = std::move(*stat);
}

void ReadLastRender(const UpState& state, StatusReport* report) {
  if (!state.confd_metrics.empty()) {
    auto page =
        HttpGet("http://" + state.confd_metrics + "/metrics", std::chrono::milliseconds(1500));
    if (page && page->status == 200) {
      auto v = MetricValue(page->body, "berth_confd_last_render_timestamp_seconds");
      if (v && *v > 0) {
        report->last_render = *v;
        report->last_render_source = "confd";
        return;
      }
    }
  }
  struct stat st;
  if (!state.haproxy_files.config.empty() && stat(state.haproxy_files.config.c_str(), &st) == 0) {
    report->last_render = static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec / 1e9;
    report->last_render_source = "haproxy.cfg modified";
  }
}

std::string FrontendUrl(const Settings& s) {
  return "http://" + (s.host_ip.empty() ? std::string("127.0.0.1") : s.host_ip) + ":" +
         std::to_string(s.port) + "/";
}

}  // namespace

bool StatusReport::Healthy() const {
  if (state.phase != UpState::Phase::kUp) return false;
  for (const auto& p : processes) {
    if (!p.alive) return false;
  }
  if (!etcd_revision || !haproxy_error.empty() || !docker_error.empty()) return false;
  for (const auto& r : rows) {
    if (r.docker == "running" && (r.etcd != "yes" || r.haproxy != "UP")) return false;
  }
  return true;
}

std::string FormatReport(const StatusReport& r) {
  const Settings& s = r.state.settings;
  std::string out;
  if (r.state.phase == UpState::Phase::kDown) {
    out += "berth is down (state dir " + r.state_dir + ", since " + r.state.updated +
           "); `berth up` starts it\n";
    return out;
  }
  out += std::string("berth is ") +
         (r.state.phase == UpState::Phase::kUp ? "up" : "starting (or an up was interrupted)") +
         ": service " + s.service + ", frontend " + FrontendUrl(s) + ", state dir " + r.state_dir +
         "\n\n";
  out += FormatTable(r.rows);
  out += "\n";
  auto line = [&out](const std::string& label, const std::string& text) {
    out += label + std::string(label.size() < 13 ? 13 - label.size() : 1, ' ') + text + "\n";
  };
  if (r.etcd_revision) {
    line("etcd:", "revision " + std::to_string(*r.etcd_revision) + " at " + s.etcd +
                      " (keys under " + s.prefix + "/)");
  } else {
    line("etcd:", "not answering: " + r.etcd_error);
  }
  if (!r.docker_error.empty()) line("docker:", "not answering: " + r.docker_error);
  if (!r.haproxy_error.empty()) line("haproxy:", "not answering: " + r.haproxy_error);
  if (r.last_render) {
    line("last render:", FormatTimeAgo(*r.last_render, r.now) + ", " + r.last_render_source);
  } else {
    line("last render:",
         "unknown (confd's metrics and " + r.state.haproxy_files.config + " are unreadable)");
  }
  if (!r.scaler.empty()) line("scaler:", r.scaler);
  out += "processes:\n";
  size_t width = 0;
  for (const auto& p : r.processes) width = std::max(width, p.name.size());
  for (const auto& p : r.processes) {
    out += "  " + p.name + std::string(width - p.name.size() + 2, ' ') + "pid " +
           std::to_string(p.pid) + "  " + (p.alive ? "up" : "DOWN (see " + p.log + ")") + "\n";
  }
  if (r.processes.empty()) out += "  (none: berth up started nothing in the background)\n";
  return out;
}

Result<StatusReport> CollectStatus(const StatusOptions& options) {
  auto layout = ResolveLayout(options.state_dir);
  if (!layout) return Err(layout.error());
  auto loaded = LoadState(layout->state_file);
  if (!loaded) return Err(loaded.error());
  if (!loaded->has_value()) {
    return Err(Status::NotFound("berth up has not run with the state directory " + layout->dir +
                                " (no " + layout->state_file + ")"));
  }
  StatusReport report;
  report.state_dir = layout->dir;
  report.state = std::move(**loaded);
  report.now = static_cast<double>(std::time(nullptr));
  for (const auto& p : report.state.processes) {
    report.processes.push_back({p.name, p.pid, IsAlive(p), layout->Short(p.log)});
  }
  if (report.state.phase == UpState::Phase::kDown) return report;

  StatusSources sources;
  sources.prefix = report.state.settings.prefix;
  ReadDocker(report.state, &report, &sources);
  ReadEtcd(report.state, &report, &sources);
  ReadHaproxy(report.state, &report, &sources);
  ReadLastRender(report.state, &report);
  if (report.state.settings.autoscale_max > 0) {
    auto scaler = scale::ReadScalerState(layout->scale_state_file);
    if (!scaler) {
      report.scaler = "unreadable: " + scaler.error().message();
    } else if (!scaler->has_value()) {
      report.scaler = "no decision yet (" + layout->Short(layout->scale_state_file) + " missing)";
    } else {
      report.scaler = scale::DescribeScalerState(**scaler, report.now);
    }
  }
  report.rows = BuildRows(sources);
  return report;
}

}  // namespace berth::up
