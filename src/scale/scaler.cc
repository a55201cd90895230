#include "scale/scaler.h"

#include <algorithm>
#include <cstdio>

#include "agent/agent.h"
#include "base/log.h"

namespace berth::scale {
namespace {

using std::chrono::milliseconds;

std::string Figure(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

std::string Seconds(milliseconds d) { return Figure(d.count() / 1000.0) + "s"; }

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Scaler::Scaler(ScalerOptions options, docker::Client& docker, etcd::Client& etcd)
    : o_(std::move(options)),
      docker_(docker),
      etcd_(etcd),
      haproxy_(o_.haproxy_socket, milliseconds(2000)),
      policy_(o_.policy) {}

Status Scaler::Check() {
  BERTH_RETURN_IF_ERROR(Validate(o_.policy));
  if (o_.interval.count() <= 0) return Status::InvalidArgument("--interval must be above 0");
  BERTH_RETURN_IF_ERROR(instances::CheckLaunchOptions(o_.launch, /*name_given=*/false));
  if (o_.haproxy_socket.empty()) {
    return Status::InvalidArgument("--haproxy-socket is required: the load is read from HAProxy");
  }
  auto backends = haproxy_.ShowBackends();
  if (!backends) {
    return Status(backends.error().code(), "cannot read HAProxy's backends at " +
                                               o_.haproxy_socket + ": " +
                                               backends.error().message());
  }
  if (std::find(backends->begin(), backends->end(), o_.backend) == backends->end()) {
    return Status::NotFound("--backend " + o_.backend + ": HAProxy has no such backend (it has " +
                            Join(*backends) + ")");
  }
  return instances::CheckImage(docker_, o_.launch.image);
}

void Scaler::Run() {
  while (!stopped()) {
    (void)Step();
    if (WaitStopped(o_.interval)) break;
  }
}

void Scaler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

bool Scaler::WaitStopped(milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, d, [this] { return stop_.load(); });
}

Result<Reading> Scaler::ReadNow() {
  const std::string& service = o_.launch.service;
  ReadingInputs in;
  in.service = service;
  in.backend = o_.backend;
  in.metric = o_.metric;
  auto containers = docker_.List(/*all=*/false, "berth.service=" + service);
  if (!containers) return Err(containers.error().Wrap("Docker"));
  for (const auto& c : *containers) {
    if (c.state == "running") in.running.push_back(c.name);
  }
  // Registrations: one read of the directory that holds the service's keys.
  const agent::RegistrationOptions& reg = o_.launch.registration;
  std::string dir = reg.prefix;
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  dir += reg.layout == agent::Layout::kService ? "/" + service + "/" : "/";
  auto keys = etcd_.GetPrefix(dir);
  if (!keys) return Err(keys.error().Wrap("etcd"));
  std::set<std::string> key_set;
  for (const auto& kv : keys->kvs) key_set.insert(kv.key);
  for (const auto& name : in.running) {
    if (key_set.contains(agent::KeyFor(name, service, reg))) in.registered.insert(name);
  }
  const std::string marker_dir = agent::DrainingKey("");
  auto markers = etcd_.GetPrefix(marker_dir);
  if (!markers) return Err(markers.error().Wrap("etcd"));
  for (const auto& kv : markers->kvs) in.draining.insert(kv.key.substr(marker_dir.size()));
  auto stat = haproxy_.ShowStat();
  if (!stat) return Err(stat.error().Wrap("HAProxy at " + o_.haproxy_socket));
  in.stat = std::move(*stat);
  return Read(in);
}

Status Scaler::Step() {
  auto reading = ReadNow();
  if (!reading) {
    const std::string why = reading.error().message();
    if (outage_ != why) {
      const std::string keeping =
          last_reading_ ? std::to_string(last_reading_->current()) : std::string("the");
      log::Warning("scale: cannot read the load (" + why + "); keeping " + keeping +
                   " instance(s), retrying every " + Seconds(o_.interval));
      outage_ = why;
    }
    if (last_decision_ && last_reading_) Save(*last_decision_, *last_reading_, why);
    return reading.error();
  }
  if (!outage_.empty()) {
    log::Info("scale: the load can be read again");
    outage_.clear();
  }
  const Reading& r = *reading;
  Decision d = policy_.Decide({r.current(), r.total}, Clock::now());
  if (d.action == Decision::Action::kUp && Clock::now() < launch_blocked_until_) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(launch_blocked_until_ - Clock::now());
    d.action = Decision::Action::kNone;
    d.reason = "launch back-off after " + std::to_string(launch_failures_) +
               " failed launch(es), " + Seconds(left) + " left";
  }
  if (d.action == Decision::Action::kDown && r.ready.empty()) {
    d.action = Decision::Action::kNone;
    d.reason = "every instance is still starting";
  }
  Log(d, r);
  Save(d, r, "");
  last_decision_ = d;
  last_reading_ = r;
  Act(d, r);
  return Status::Ok();
}

void Scaler::Act(const Decision& d, const Reading& r) {
  if (d.action == Decision::Action::kUp) LaunchSome(d.desired - d.current);
  if (d.action == Decision::Action::kDown) KillSome(r, d.current - d.desired);
}

void Scaler::LaunchSome(int n) {
  instances::LaunchOptions lo = o_.launch;
  lo.count = n;
  lo.name.clear();
  lo.cancelled = [this] { return stopped(); };
  int failed = 0;
  auto names = instances::InstanceNames(docker_, lo);
  if (!names) {
    log::Error("scale: launch: " + names.error().message());
    failed = n;
  } else {
    instances::Launch(docker_, etcd_, lo, *names, [&](const instances::LaunchOutcome& out) {
      if (out.status.ok()) {
        log::Info("scale: launched " + out.name + " at " + out.address);
        return;
      }
      ++failed;
      log::Error("scale: launch " + out.name + ": " + out.status.message());
      // Started but never registered: not one to keep half-alive.
      if (out.status.code() == Code::kTimeout) (void)docker_.Remove(out.name, /*force=*/true);
    });
  }
  if (failed == 0) {
    launch_failures_ = 0;
    return;
  }
  ++launch_failures_;
  const milliseconds base = std::max(o_.interval, milliseconds(1000));
  milliseconds backoff = base;
  for (int i = 1; i < launch_failures_ && backoff < o_.max_backoff; ++i) backoff *= 2;
  backoff = std::min(backoff, o_.max_backoff);
  launch_blocked_until_ = Clock::now() + backoff;
  log::Warning("scale: " + std::to_string(failed) + " of " + std::to_string(n) +
               " launch(es) failed; no launch for " + Seconds(backoff));
}

void Scaler::KillSome(const Reading& r, int n) {
  instances::KillOptions ko = o_.kill;
  ko.haproxy_socket = o_.haproxy_socket;
  ko.backend = o_.backend;
  const int victims = std::min<int>(n, static_cast<int>(r.ready.size()));
  for (int i = 0; i < victims && !stopped(); ++i) {
    const std::string& name = r.ready[i];
    auto killed = instances::Kill(docker_, etcd_, name, ko,
                                  [](const std::string& m) { log::Info("scale: " + m); });
    if (killed) {
      log::Info("scale: killed " + *killed);
    } else {
      log::Error("scale: kill " + name + ": " + killed.error().message());
    }
  }
}

void Scaler::Log(const Decision& d, const Reading& r) {
  std::string action(ActionName(d.action));
  if (d.action == Decision::Action::kUp) action += " +" + std::to_string(d.desired - d.current);
  if (d.action == Decision::Action::kDown) {
    action += " -" + std::to_string(d.current - d.desired);
  }
  const std::string what = "current " + std::to_string(d.current) + " (starting " +
                           std::to_string(r.starting.size()) + "), desired " +
                           std::to_string(d.desired) + ", action " + action +
                           (d.reason.empty() ? "" : " (" + d.reason + ")");
  const std::string line = "scale: " + std::string(MetricName(o_.metric)) + " " +
                           Figure(d.observed) + "/instance (total " + Figure(r.total) +
                           ", target " + Figure(o_.policy.target) + "), " + what;
  if (d.action != Decision::Action::kNone || what != last_logged_) {
    log::Info(line);
    last_logged_ = what;
  } else {
    log::Debug(line);
  }
}

void Scaler::Save(const Decision& d, const Reading& r, const std::string& error) {
  if (o_.state_file.empty()) return;
  ScalerState s;
  s.unix_time = UnixNow();
  s.service = o_.launch.service;
  s.backend = o_.backend;
  s.metric = std::string(MetricName(o_.metric));
  s.target = o_.policy.target;
  s.min = o_.policy.min;
  s.max = o_.policy.max;
  s.observed = d.observed;
  s.current = d.current;
  s.starting = static_cast<int>(r.starting.size());
  s.desired = d.desired;
  s.action = std::string(ActionName(d.action));
  s.reason = d.reason;
  s.error = error;
  if (Status st = WriteScalerState(o_.state_file, s); !st.ok()) {
    log::Warning("scale: state file: " + st.message());
  }
}

}  // namespace berth::scale
