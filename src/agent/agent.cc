#include "agent/agent.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/log.h"
#include "sys/net.h"

namespace berth::agent {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view kDrainingPrefix = "/berth/draining/";

milliseconds Backoff(int attempt) {
  milliseconds d(100);
  for (int i = 1; i < attempt && d < milliseconds(5000); ++i) d *= 2;
  return std::min(d, milliseconds(5000));
}

}  // namespace

std::string DrainingKey(std::string_view container_name) {
  return std::string(kDrainingPrefix) + std::string(container_name);
}

std::string DefaultHostIp() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found;
  for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    if ((a->ifa_flags & IFF_LOOPBACK) || !(a->ifa_flags & IFF_UP)) continue;
    const std::string_view name = a->ifa_name;
    // Docker's own bridges are not where HAProxy reaches this host.
    if (name.starts_with("docker") || name.starts_with("br-") || name.starts_with("veth")) {
      continue;
    }
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, buf, sizeof(buf));
    found = buf;
    break;
  }
  freeifaddrs(list);
  return found.empty() ? "127.0.0.1" : found;
}

class Agent::Impl {
 public:
  explicit Impl(AgentOptions options) : o_(std::move(options)) {}

  Status Run() {
    if (o_.registration.host_ip.empty()) o_.registration.host_ip = DefaultHostIp();
    if (!ValidAddress(o_.registration.host_ip + ":1") &&
        !ValidAddress("[" + o_.registration.host_ip + "]:1")) {
      return Status::InvalidArgument("--host-ip " + o_.registration.host_ip +
                                     " is not an IP address");
    }
    auto etcd = etcd::Client::Create(o_.etcd);
    if (!etcd) return etcd.error();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return Status::Ok();
      etcd_ = std::move(*etcd);
    }
    log::Info("agent: registering under " + o_.registration.prefix + " as " +
              o_.registration.host_ip + ", lease TTL " + std::to_string(o_.ttl.count()) + "s");
    std::thread keeper([this] { KeepLeaseAlive(); });
    while (!Stopping()) {
      if (!ConnectDocker()) break;
      FollowEvents();  // returns when dockerd goes away, the lease is lost, or on Stop
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    keeper.join();
    return Status::Ok();
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      if (stream_) stream_->Close();
      // A call blocked on an unreachable etcd returns at once.
      if (etcd_) etcd_->Interrupt();
    }
    cv_.notify_all();
  }

 private:
  struct Tracked {
    Registration reg;
    std::string container_ip;
    uint16_t container_port = 0;
    bool health_checked = false;
    bool healthy = false;
    bool registered = false;
    Clock::time_point since;  // tracked since
    Clock::time_point deadline;
  };

  bool Stopping() {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  }
  bool Sleep(milliseconds d) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, d, [this] { return stop_; });
    return !stop_;
  }
  int64_t CurrentLease() {
    std::lock_guard<std::mutex> lock(mu_);
    return lease_;
  }
  // Forgets `lease` (when it is still the current one): the main loop
  // grants a new one and registers everything again.
  void DropLease(int64_t lease) {
    std::lock_guard<std::mutex> lock(mu_);
    if (lease_ == lease) lease_ = 0;
    if (stream_) stream_->Close();  // wake the main loop
  }

  // ---- dockerd ----

  bool ConnectDocker() {
    for (int attempt = 1;; ++attempt) {
      if (Stopping()) return false;
      auto c = docker::Client::Connect(o_.docker);
      if (c) {
        if (docker_failing_) log::Info("agent: connected to dockerd at " + (*c)->host());
        docker_failing_ = false;
        docker_ = std::move(*c);
        return true;
      }
      if (!docker_failing_) log::Error("agent: " + c.error().message() + " (retrying)");
      docker_failing_ = true;
      if (!Sleep(Backoff(attempt))) return false;
    }
  }

  // ---- the lease ----

  // Makes sure there is a lease (granting one, retrying until etcd answers
  // or Stop); when it is not the one the registrations hang on, every
  // tracked container is put again on it.  False on Stop.
  bool EnsureLease() {
    int64_t lease = CurrentLease();
    for (int attempt = 1; lease == 0; ++attempt) {
      if (Stopping()) return false;
      auto granted = etcd_->GrantLease(o_.ttl.count());
      if (granted) {
        std::lock_guard<std::mutex> lock(mu_);
        lease_ = lease = *granted;
        if (etcd_failing_) log::Info("agent: etcd reachable again; new lease granted");
        etcd_failing_ = false;
        break;
      }
      if (!etcd_failing_) {
        log::Error("agent: cannot get an etcd lease: " + granted.error().message() + " (retrying)");
      }
      etcd_failing_ = true;
      if (!Sleep(Backoff(attempt))) return false;
    }
    if (lease != registered_lease_) {
      for (auto& [id, t] : tracked_) t.registered = false;
      registered_lease_ = lease;
      reconcile_due_ = true;
    }
    return true;
  }

  // On its own thread: renews the lease every TTL/3.  A lease etcd no
  // longer has (it expired while etcd was unreachable) is dropped; the main
  // loop grants a new one and registers everything again.
  void KeepLeaseAlive() {
    const milliseconds period =
        std::max(milliseconds(200), std::chrono::duration_cast<milliseconds>(o_.ttl) / 3);
    bool failing = false;
    while (Sleep(period)) {
      const int64_t lease = CurrentLease();
      if (lease == 0) continue;
      auto ttl = etcd_->KeepAliveOnce(lease);
      if (ttl && *ttl > 0) {
        if (failing) log::Info("agent: etcd reachable again; lease kept");
        failing = false;
        continue;
      }
      if (!ttl) {
        if (Stopping()) break;
        if (!failing) log::Error("agent: cannot renew the lease: " + ttl.error().message());
        failing = true;
        continue;
      }
      failing = false;
      log::Warning("agent: the lease expired; registering everything again");
      DropLease(lease);
    }
  }

  // ---- registering ----

  // Starts tracking a container (it registers once ready).  What makes an
  // eligible container unregistrable is logged once per container.
  void Track(const std::string& id_or_name) {
    auto c = docker_->Inspect(id_or_name);
    if (!c) {
      if (c.error().code() != Code::kNotFound) log::Warning("agent: " + c.error().message());
      return;
    }
    if (!c->running || c->paused) return;
    auto reg = RegistrationFor(*c, o_.registration);
    if (!reg) {
      if (reg.error().code() != Code::kNotFound && warned_.insert(c->id).second) {
        log::Warning("agent: " + reg.error().message());
      }
      return;
    }
    Tracked t;
    t.reg = std::move(*reg);
    t.container_ip = c->ip_address;
    for (const auto& p : c->ports) {
      if (p.host_port == t.reg.host_port) {
        t.container_port = static_cast<uint16_t>(std::atoi(p.container_port.c_str()));
      }
    }
    t.health_checked = !c->health.empty();
    t.healthy = c->health == "healthy";
    t.since = Clock::now();
    t.deadline = t.since + o_.ready_timeout;
    auto it = tracked_.find(c->id);
    if (it != tracked_.end() && it->second.registered && it->second.reg.value == t.reg.value) {
      return;  // already registered as it is
    }
    tracked_[c->id] = std::move(t);
  }

  // A tracked container is ready: its health check says so, or its port
  // accepts connections (checked on the container's own address, since
  // Docker's port proxy accepts even before the service listens).
  bool Ready(const Tracked& t) {
    if (t.health_checked) return t.healthy;
    if (!t.container_ip.empty() && t.container_port != 0) {
      return sys::TcpAccepts(t.container_ip, t.container_port, milliseconds(100));
    }
    return sys::TcpAccepts(o_.registration.host_ip, t.reg.host_port, milliseconds(100));
  }

  bool Draining(const std::string& name) {
    auto marker = etcd_->Get(DrainingKey(name));
    return marker && marker->has_value();
  }

  // How long the event loop may wait before probing the containers that
  // are starting: briefly at first (nginx listens within milliseconds of
  // its start event), then less often for one that takes its time.  Those
  // with a health check wait for Docker's health events instead.
  milliseconds NextProbe() const {
    milliseconds wait(1000);
    const auto now = Clock::now();
    for (const auto& [id, t] : tracked_) {
      if (t.registered || t.health_checked) continue;
      const auto age = now - t.since;
      wait = std::min(wait, age < milliseconds(250)    ? milliseconds(2)
                            : age < milliseconds(5000) ? milliseconds(20)
                                                       : milliseconds(200));
    }
    return wait;
  }

  void RegisterReady() {
    const auto now = Clock::now();
    const int64_t lease = CurrentLease();
    if (lease == 0 || lease != registered_lease_) return;
    for (auto it = tracked_.begin(); it != tracked_.end();) {
      Tracked& t = it->second;
      if (t.registered) {
        ++it;
        continue;
      }
      if (!Ready(t)) {
        if (now > t.deadline) {
          log::Warning("agent: " + t.reg.name + " did not become ready in time; not registered");
          it = tracked_.erase(it);
        } else {
          ++it;
        }
        continue;
      }
      if (Draining(t.reg.name)) {
        it = tracked_.erase(it);
        continue;
      }
      auto put = etcd_->Put(t.reg.key, t.reg.value, lease);
      if (!put) {
        log::Error("agent: register " + t.reg.key + ": " + put.error().message());
        // A lease etcd no longer has: replace it now rather than at the
        // next renewal.  Otherwise etcd is away: reconcile once it is back.
        if (put.error().code() == Code::kNotFound) {
          DropLease(lease);
        } else {
          EtcdFailed();
        }
        return;
      }
      t.registered = true;
      log::Info("agent: registered " + t.reg.key + " = " + t.reg.value);
      ++it;
    }
  }

  void Deregister(const std::string& id, std::string_view why) {
    auto it = tracked_.find(id);
    if (it == tracked_.end()) return;
    if (it->second.registered) {
      auto del = etcd_->Delete(it->second.reg.key);
      if (del) {
        log::Info("agent: deregistered " + it->second.reg.key + " (" + std::string(why) + ")");
      } else {
        // The key is left behind; the reconciliation once etcd answers
        // again deletes it (this host's address, nothing behind it).
        log::Error("agent: deregister " + it->second.reg.key + ": " + del.error().message());
        EtcdFailed();
      }
    }
    tracked_.erase(it);
  }

  // A write to etcd failed: reconcile when it answers again.
  void EtcdFailed() {
    reconcile_due_ = true;
    next_reconcile_ = Clock::now() + kReconcileRetry;
  }

  // Every eligible running container is tracked (and registered once
  // ready), and keys with this host's address that no registered container
  // backs are deleted.  False when dockerd or etcd failed: try again later.
  bool Reconcile() {
    auto running = docker_->List(/*all=*/false);
    if (!running) {
      log::Error("agent: list containers: " + running.error().message());
      return false;
    }
    std::set<std::string> alive, names;
    for (const auto& s : *running) {
      alive.insert(s.id);
      names.insert(s.name);
      Track(s.id);
    }
    for (auto it = tracked_.begin(); it != tracked_.end();) {
      it = alive.count(it->first) ? std::next(it) : tracked_.erase(it);
    }
    std::erase_if(warned_, [&](const std::string& id) { return !alive.count(id); });
    RegisterReady();
    // Stale keys: this host's address, and no registered container has
    // that key (one that is not ready yet gets its key when it is).
    std::set<std::string> backed;
    for (const auto& [id, t] : tracked_) {
      if (t.registered) backed.insert(t.reg.key);
    }
    auto keys = etcd_->GetPrefix(o_.registration.prefix + "/");
    if (!keys) {
      log::Error("agent: read " + o_.registration.prefix + ": " + keys.error().message());
      return false;
    }
    const std::string mine = o_.registration.host_ip.find(':') != std::string::npos
                                 ? "[" + o_.registration.host_ip + "]:"
                                 : o_.registration.host_ip + ":";
    bool ok = true;
    // An agent limited to one service leaves alone the keys of running
    // containers it does not register: another service's agent owns them.
    const bool one_service = !o_.registration.service.empty();
    for (const auto& kv : keys->kvs) {
      if (!kv.value.starts_with(mine) || backed.count(kv.key)) continue;
      if (one_service && names.count(kv.key.substr(kv.key.rfind('/') + 1))) continue;
      auto del = etcd_->Delete(kv.key);
      if (del) {
        log::Info("agent: removed stale registration " + kv.key + " = " + kv.value);
      } else {
        log::Error("agent: remove stale " + kv.key + ": " + del.error().message());
        ok = false;
      }
    }
    return ok;
  }

  void FollowEvents() {
    auto stream = docker_->Events();
    if (!stream) {
      log::Error("agent: " + stream.error().message());
      Sleep(milliseconds(500));
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      stream_ = std::move(*stream);
    }
    // Whatever happened before the stream opened (at start, or while dockerd
    // was away) is found by reconciling now that it is open.
    reconcile_due_ = true;
    next_reconcile_ = Clock::now();
    for (;;) {
      if (!EnsureLease()) break;
      if (reconcile_due_ && Clock::now() >= next_reconcile_) {
        if (Reconcile()) {
          reconcile_due_ = false;
        } else {
          next_reconcile_ = Clock::now() + kReconcileRetry;
        }
      }
      RegisterReady();
      milliseconds wait = NextProbe();
      if (reconcile_due_) {
        const auto until = std::chrono::duration_cast<milliseconds>(next_reconcile_ - Clock::now());
        wait = std::clamp(until, milliseconds(1), wait);
      }
      auto ev = stream_->Next(wait);
      if (!ev) {
        if (ev.error().code() == Code::kTimeout) continue;
        // Closed by Stop or by a lost lease (start over with a new one), or
        // dockerd went away.
        if (ev.error().code() != Code::kCancelled) {
          log::Warning("agent: lost the dockerd event stream (" + ev.error().message() +
                       "); reconnecting");
        }
        break;
      }
      Handle(*ev);
    }
    std::lock_guard<std::mutex> lock(mu_);
    stream_.reset();
  }

  void Handle(const docker::Event& ev) {
    const std::string& a = ev.action;
    if (a == "start" || a == "unpause" || a == "restart") {
      Track(ev.id);
    } else if (a == "kill") {
      // Only a signal that ends the container (docker stop/kill); a HUP to
      // reload nginx keeps it serving.
      auto sig = ev.attributes.find("signal");
      const std::string s = sig == ev.attributes.end() ? "9" : sig->second;
      if (s == "9" || s == "15" || s == "2" || s == "3" || s == "KILL" || s == "TERM" ||
          s == "SIGKILL" || s == "SIGTERM" || s == "INT" || s == "QUIT") {
        Deregister(ev.id, "kill");
      }
    } else if (a == "die" || a == "stop" || a == "pause" || a == "destroy" || a == "oom") {
      Deregister(ev.id, a);
      if (a == "destroy") warned_.erase(ev.id);
    } else if (a.starts_with("health_status")) {
      auto it = tracked_.find(ev.id);
      const bool healthy = a.ends_with("healthy") && !a.ends_with("unhealthy");
      if (healthy) {
        if (it == tracked_.end()) {
          Track(ev.id);
          it = tracked_.find(ev.id);
        }
        if (it != tracked_.end()) it->second.healthy = true;
      } else if (a.ends_with("unhealthy")) {
        Deregister(ev.id, "unhealthy");
      }
    }
  }

  // How soon a reconciliation that failed (dockerd or etcd away) is retried.
  static constexpr milliseconds kReconcileRetry{1000};

  AgentOptions o_;  // constant after Run starts
  // Set once by Run (under mu_, which Stop takes to interrupt it); then used
  // by the main thread and the lease keeper.
  std::unique_ptr<etcd::Client> etcd_;

  // The main thread's.
  docker::ClientPtr docker_;
  std::map<std::string, Tracked> tracked_;  // by container id
  std::set<std::string> warned_;            // ids of containers refused with a warning
  int64_t registered_lease_ = 0;            // the lease the `registered` entries hang on
  bool reconcile_due_ = false;
  Clock::time_point next_reconcile_;
  bool docker_failing_ = false;  // said once until dockerd answers again
  bool etcd_failing_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;              // guarded by mu_
  int64_t lease_ = 0;              // guarded by mu_
  docker::EventStreamPtr stream_;  // guarded by mu_ (Close from other threads)
};

Agent::Agent(AgentOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Agent::~Agent() = default;
Status Agent::Run() { return impl_->Run(); }
void Agent::Stop() { impl_->Stop(); }

}  // namespace berth::agent
