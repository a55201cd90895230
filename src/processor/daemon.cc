#include "processor/daemon.h"

#include <signal.h>
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/log.h"
#include "confd/render.h"
#include "metrics/http_server.h"
#include "metrics/registry.h"
#include "processor/pass.h"
#include "processor/quiescence.h"
#include "processor/signals.h"

namespace berth::processor {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ---- metrics ----

struct ConfdMetrics {
  metrics::Registry registry;
  metrics::Counter* renders = registry.AddCounter("berth_confd_renders_total",
                                                  "Template resources rendered (changed or not).");
  metrics::Summary* render_seconds =
      registry.AddSummary("berth_confd_render_seconds", "Time spent in render passes.");
  metrics::Counter* updates =
      registry.AddCounter("berth_confd_updates_total", "Destination files replaced.");
  metrics::Counter* live_updates = registry.AddCounter(
      "berth_confd_live_updates_total",
      "Destination files put into service without a reload (HAProxy Runtime API).");
  metrics::Counter* reloads =
      registry.AddCounter("berth_confd_reloads_total", "Reloads run (retries included).");
  metrics::Counter* reload_failures =
      registry.AddCounter("berth_confd_reload_failures_total", "Reloads that failed.");
  metrics::Gauge* last_render = registry.AddGauge("berth_confd_last_render_timestamp_seconds",
                                                  "When the last render pass ended (Unix time).");
  metrics::Counter* render_failures = registry.AddCounter("berth_confd_render_failures_total",
                                                          "Passes in which a resource failed.");
  metrics::Counter* watch_events =
      registry.AddCounter("berth_confd_watch_events_total", "Key changes received from watches.");
  metrics::Gauge* revision = registry.AddGauge("berth_confd_last_applied_revision",
                                               "The store revision of the last applied change.");
  metrics::Counter* backend_errors =
      registry.AddCounter("berth_confd_backend_errors_total", "Failed backend reads and watches.");
  metrics::Gauge* resources =
      registry.AddGauge("berth_confd_resources", "Template resources loaded from conf.d.");
  std::atomic<bool> ready{false};  // the first complete read has been rendered
};

// Serves /metrics and /healthz on a thread of its own.
class MetricsService {
 public:
  static std::unique_ptr<MetricsService> Start(const std::string& addr, ConfdMetrics* m) {
    auto server = metrics::HttpServer::Listen(addr, [m](const std::string& path) {
      metrics::HttpResponse r;
      if (path == "/metrics") {
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = m->registry.Render();
      } else if (path == "/healthz") {
        const bool ready = m->ready.load();
        r.status = ready ? 200 : 503;
        r.body = ready ? "ok\n" : "waiting for the first complete read of the store\n";
      } else {
        r.status = 404;
        r.body = "not found\n";
      }
      return r;
    });
    if (!server) {
      log::Error(server.error().message());
      return nullptr;
    }
    log::Info("Serving metrics on " + addr + " (/metrics, /healthz)");
    auto s = std::unique_ptr<MetricsService>(new MetricsService(std::move(*server)));
    s->thread_ = std::thread([p = s->server_.get()] { p->Serve(); });
    return s;
  }
  ~MetricsService() {
    server_->Stop();
    thread_.join();
  }

 private:
  explicit MetricsService(std::unique_ptr<metrics::HttpServer> s) : server_(std::move(s)) {}
  std::unique_ptr<metrics::HttpServer> server_;
  std::thread thread_;
};

// ---- events ----

struct Event {
  enum class Kind { kChanges, kReplace, kSignal };
  Kind kind = Kind::kSignal;
  std::string prefix;                    // kChanges, kReplace
  std::vector<backend::Change> changes;  // kChanges
  std::vector<kv::Entry> entries;        // kReplace: everything under the prefix now
  int64_t revision = 0;
  int signo = 0;  // kSignal
};

class EventQueue {
 public:
  void Push(Event e) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(std::move(e));
    }
    cv_.notify_one();
  }
  std::optional<Event> PopUntil(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_until(lock, deadline, [this] { return !events_.empty(); })) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> events_;  // guarded by mu_
};

// Logs the first failure of each kind, and the recovery; repeats go to debug.
class ErrorLog {
 public:
  explicit ErrorLog(std::string what) : what_(std::move(what)) {}
  void Report(const Status& s) {
    if (last_ == s.code()) {
      log::Debug(what_ + ": " + s.message());
      return;
    }
    last_ = s.code();
    log::Error(what_ + ": " + s.message() + " (retrying)");
  }
  void Recovered() {
    if (!last_) return;
    last_.reset();
    log::Info(what_ + ": working again");
  }

 private:
  std::string what_;
  std::optional<Code> last_;
};

milliseconds BackoffDelay(int attempt, milliseconds base, milliseconds cap) {
  milliseconds d = base;
  for (int i = 1; i < attempt && d < cap; ++i) d *= 2;
  return std::min(d, cap);
}

// ---- one change feed ----

// Follows one key prefix on a thread of its own: batches of changes are
// queued in order; when the backend loses track (compaction, a rewritten
// file, a broken watch) the prefix is read again and queued whole.
class Feed {
 public:
  // Watches from just after `revision`; without one, reads the prefix first.
  Feed(backend::Backend* backend, std::string prefix, std::optional<int64_t> revision,
       EventQueue* queue, ConfdMetrics* metrics)
      : backend_(backend), prefix_(std::move(prefix)), queue_(queue), metrics_(metrics) {
    thread_ = std::thread([this, revision] { Loop(revision); });
  }
  ~Feed() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      if (watch_) watch_->Close();
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  bool Stopping() {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  }
  // Sleeps for `d` unless stopped meanwhile; false when stopped.
  bool Sleep(milliseconds d) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, d, [this] { return stop_; });
    return !stop_;
  }

  void Loop(std::optional<int64_t> start) {
    ErrorLog errors("watch " + prefix_);
    int attempt = 0;
    int64_t revision = start.value_or(0);
    bool resync = !start.has_value();
    while (!Stopping()) {
      // A store with revisions is read first and watched from that
      // revision on; one without (data files) is read again once its watch
      // is in place, so that no change slips in between.
      if (resync && revision > 0) {
        if (!ReadAgain(&errors, &revision)) return;
        resync = false;
      }
      auto opened = backend_->WatchPrefix(prefix_, revision);
      if (!opened) {
        if (opened.error().code() == Code::kCancelled) return;  // interrupted: stopping
        metrics_->backend_errors->Inc();
        errors.Report(opened.error());
        if (!Sleep(BackoffDelay(++attempt, milliseconds(100), milliseconds(5000)))) return;
        continue;
      }
      backend::Watch* watch;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stop_) return;
        watch_ = std::move(*opened);
        watch = watch_.get();
      }
      if ((resync || revision == 0) && !ReadAgain(&errors, &revision)) return;
      resync = false;
      while (!resync) {
        auto batch = watch->Next(milliseconds(1000));
        if (!batch) {
          const Code code = batch.error().code();
          if (code == Code::kTimeout) continue;
          if (code == Code::kCancelled) return;
          metrics_->backend_errors->Inc();
          errors.Report(batch.error());
          if (code == Code::kUnavailable) continue;  // the watch reconnects by itself
          resync = true;
          break;
        }
        errors.Recovered();
        attempt = 0;
        if (batch->resync) {
          resync = true;
          break;
        }
        if (batch->revision > revision) revision = batch->revision;
        if (!batch->changes.empty()) {
          Event e;
          e.kind = Event::Kind::kChanges;
          e.prefix = prefix_;
          e.changes = std::move(batch->changes);
          e.revision = batch->revision;
          queue_->Push(std::move(e));
        }
      }
      std::lock_guard<std::mutex> lock(mu_);
      watch_.reset();  // lost track: read again (top of the loop) and watch on from there
    }
  }

  // Reads the whole prefix and queues it; false when stopped meanwhile.
  bool ReadAgain(ErrorLog* errors, int64_t* revision) {
    for (int attempt = 1;; ++attempt) {
      auto read = backend_->Read({prefix_});
      if (read) {
        errors->Recovered();
        Event e;
        e.kind = Event::Kind::kReplace;
        e.prefix = prefix_;
        e.entries = std::move(read->entries);
        e.revision = read->revision;
        *revision = read->revision;
        queue_->Push(std::move(e));
        return true;
      }
      if (read.error().code() == Code::kCancelled) return false;  // interrupted: stopping
      metrics_->backend_errors->Inc();
      errors->Report(read.error());
      if (!Sleep(BackoffDelay(attempt, milliseconds(100), milliseconds(5000)))) return false;
    }
  }

  backend::Backend* const backend_;
  const std::string prefix_;
  EventQueue* const queue_;
  ConfdMetrics* const metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;        // guarded by mu_
  backend::WatchPtr watch_;  // guarded by mu_ (Close from the destructor)
  std::thread thread_;
};

// ---- the parts both modes share ----

struct ResourceState {
  confd::TemplateResource resource;
  std::vector<std::string> prefixes;  // resource.PrefixedKeys()
  Quiescence quiescence;
  bool render_now = false;
};

// A failed reload command waiting for its next attempt.
struct Retry {
  confd::ReloadAction action;
  int attempts = 0;
  Clock::time_point due;
};

class Daemon {
 public:
  Daemon(backend::Backend& backend, const DaemonOptions& options)
      : backend_(backend), options_(options), settings_(options.settings) {}

  // Loads conf.d into resources_; on failure the current resources stay.
  bool LoadResources() {
    auto loaded = confd::LoadResources(settings_.load);
    if (!loaded) {
      log::Error(loaded.error().message());
      return false;
    }
    std::vector<ResourceState> next;
    for (auto& r : *loaded) {
      ResourceState s;
      s.prefixes = r.PrefixedKeys();
      s.quiescence.set_spec(r.wait.value_or(settings_.wait));
      s.resource = std::move(r);
      next.push_back(std::move(s));
    }
    if (next.empty()) log::Warning("Found no templates");
    resources_ = std::move(next);
    metrics_.resources->Set(static_cast<double>(resources_.size()));
    return true;
  }

  // SIGHUP: settings, conf.d and templates again.
  void Reload() {
    log::Info("SIGHUP: reloading the configuration, conf.d and the templates");
    if (options_.reload_settings) {
      auto s = options_.reload_settings();
      if (s) {
        settings_ = std::move(*s);
      } else {
        log::Error(s.error().message() + " (keeping the previous configuration)");
      }
    }
    LoadResources();
    for (auto& r : resources_) r.render_now = true;
  }

  void ScheduleRetries(const PassOutcome& outcome, Clock::time_point now) {
    // A reload that ran again supersedes its pending retry.
    for (const auto& action : outcome.reloads_run) {
      std::erase_if(retries_, [&](const Retry& r) { return r.action == action; });
    }
    for (const auto& action : outcome.reloads_failed) {
      retries_.push_back({action, 1, now + RetryDelay(1)});
      log::Warning("will retry the reload: " + action.Describe());
    }
  }

  void RunDueRetries(Clock::time_point now) {
    for (auto& retry : retries_) {
      if (retry.due > now) continue;
      metrics_.reloads->Inc();
      Status s = confd::RunReload(retry.action, settings_.sync);
      ++retry.attempts;
      if (s.ok()) {
        log::Info("reload command succeeded after " + std::to_string(retry.attempts) +
                  " attempts: " + retry.action.Describe());
        retry.attempts = -1;  // done
      } else {
        metrics_.reload_failures->Inc();
        log::Error(s.message() + " (attempt " + std::to_string(retry.attempts) + ")");
        retry.due = Clock::now() + RetryDelay(retry.attempts);
      }
    }
    std::erase_if(retries_, [](const Retry& r) { return r.attempts < 0; });
  }

  static milliseconds RetryDelay(int attempts) {
    return BackoffDelay(attempts, milliseconds(500), milliseconds(30000));
  }

  void CountPass(const PassOutcome& outcome, double seconds) {
    metrics_.renders->Inc(outcome.rendered);
    metrics_.updates->Inc(outcome.updated);
    metrics_.live_updates->Inc(outcome.applied_live);
    metrics_.reloads->Inc(outcome.reloads_run.size());
    metrics_.reload_failures->Inc(outcome.reloads_failed.size());
    if (!outcome.ok) metrics_.render_failures->Inc();
    metrics_.render_seconds->Observe(seconds);
    metrics_.last_render->Set(
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  }

  void StartMetrics() {
    if (!options_.metrics_addr.empty()) {
      metrics_service_ = MetricsService::Start(options_.metrics_addr, &metrics_);
    }
  }

  // On the signal thread: queues the signal.  A stop also interrupts the
  // backend, so that a read or watch blocked on an unreachable store (up to
  // its request timeout) does not hold the stop up.
  void OnSignal(int signo) {
    Event e;
    e.kind = Event::Kind::kSignal;
    e.signo = signo;
    queue_.Push(std::move(e));
    if (signo == SIGTERM || signo == SIGINT) backend_.Interrupt();
  }

  // Handles a signal event; true when it asks to stop.
  bool HandleSignal(int signo) {
    if (signo == SIGHUP) {
      Reload();
      return false;
    }
    log::Info(std::string("received ") + (signo == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    return true;
  }

  backend::Backend& backend_;
  const DaemonOptions& options_;
  DaemonSettings settings_;
  EventQueue queue_;
  ConfdMetrics metrics_;
  std::vector<ResourceState> resources_;
  confd::TemplateCache cache_{/*keep_last_good=*/true};
  std::vector<Retry> retries_;
  std::unique_ptr<MetricsService> metrics_service_;
};

// ---- -watch ----

class WatchMode : public Daemon {
 public:
  using Daemon::Daemon;

  int Run() {
    StartMetrics();
    SignalWatcher signals([this](int signo) { OnSignal(signo); });
    if (!LoadResources()) return 1;
    if (!ReadEverything()) return 0;  // stopped before the store answered
    metrics_.ready = true;
    for (auto& r : resources_) r.render_now = true;
    bool stop = false;
    while (!stop) {
      RenderDue(Clock::now());
      RunDueRetries(Clock::now());
      auto event = queue_.PopUntil(NextDeadline());
      if (!event) continue;
      stop = Handle(std::move(*event));
      // Drain what is already queued before rendering, so a burst becomes
      // one pass even without a wait window.
      while (!stop) {
        auto more = queue_.PopUntil(Clock::now());
        if (!more) break;
        stop = Handle(std::move(*more));
      }
    }
    feeds_.clear();
    return 0;
  }

 private:
  // The prefixes to watch: every resource's, minus those another one covers.
  std::vector<std::string> WatchedPrefixes() const {
    std::set<std::string> all;
    for (const auto& r : resources_) all.insert(r.prefixes.begin(), r.prefixes.end());
    std::vector<std::string> out;
    for (const auto& p : all) {
      if (!out.empty() && p.starts_with(out.back())) continue;  // sorted: a cover comes first
      out.push_back(p);
    }
    return out;
  }

  // Reads every watched prefix at one revision, retrying until the store
  // answers (never rendering from an empty store).  False when stopped.
  bool ReadEverything() {
    const std::vector<std::string> prefixes = WatchedPrefixes();
    ErrorLog errors("read the " + std::string(backend_.name()) + " store");
    for (int attempt = 1;; ++attempt) {
      auto read = backend_.Read(prefixes);
      if (read) {
        errors.Recovered();
        store_.clear();
        for (auto& e : read->entries) store_[std::move(e.key)] = std::move(e.value);
        if (read->revision > 0) metrics_.revision->Set(static_cast<double>(read->revision));
        if (backend_.CanWatch()) {
          for (const auto& p : prefixes) StartFeed(p, read->revision);
        }
        return true;
      }
      // Interrupted: the stop signal that did it is (about to be) queued.
      if (read.error().code() != Code::kCancelled) {
        metrics_.backend_errors->Inc();
        errors.Report(read.error());
      }
      const auto deadline =
          Clock::now() + BackoffDelay(attempt, milliseconds(100), milliseconds(5000));
      while (auto e = queue_.PopUntil(deadline)) {
        if (e->kind == Event::Kind::kSignal && HandleSignal(e->signo)) return false;
      }
    }
  }

  void StartFeed(const std::string& prefix, std::optional<int64_t> revision) {
    feeds_[prefix] = std::make_unique<Feed>(&backend_, prefix, revision, &queue_, &metrics_);
  }

  // After a SIGHUP: watch what the resources now need, keep the rest.
  void SyncFeeds() {
    if (!backend_.CanWatch()) {
      // Without watches, read everything again for the new resources.
      ReadEverything();
      return;
    }
    const std::vector<std::string> wanted = WatchedPrefixes();
    for (auto it = feeds_.begin(); it != feeds_.end();) {
      if (std::find(wanted.begin(), wanted.end(), it->first) == wanted.end()) {
        RemoveUnder(it->first);
        it = feeds_.erase(it);
      } else {
        ++it;
      }
    }
    std::vector<std::string> added;
    for (const auto& p : wanted) {
      if (!feeds_.count(p)) added.push_back(p);
    }
    if (added.empty()) return;
    auto read = backend_.Read(added);
    if (!read) {
      // The new feeds resync by themselves once the store answers.
      log::Error(read.error().message());
      for (const auto& p : added) StartFeed(p, std::nullopt);
      return;
    }
    for (const auto& p : added) RemoveUnder(p);
    for (auto& e : read->entries) store_[std::move(e.key)] = std::move(e.value);
    for (const auto& p : added) StartFeed(p, read->revision);
  }

  void RemoveUnder(const std::string& prefix) {
    auto it = store_.lower_bound(prefix);
    while (it != store_.end() && it->first.starts_with(prefix)) it = store_.erase(it);
  }

  // True when the event asks to stop.
  bool Handle(Event event) {
    const auto now = Clock::now();
    switch (event.kind) {
      case Event::Kind::kSignal:
        if (HandleSignal(event.signo)) return true;
        if (event.signo == SIGHUP) SyncFeeds();
        return false;
      case Event::Kind::kChanges:
        metrics_.watch_events->Inc(event.changes.size());
        for (auto& c : event.changes) {
          Touch(c.key, now);
          if (c.type == backend::Change::Type::kPut) {
            store_[std::move(c.key)] = std::move(c.value);
          } else {
            store_.erase(c.key);
          }
        }
        break;
      case Event::Kind::kReplace:
        log::Info("re-read " + event.prefix + " (the watch lost track)");
        RemoveUnder(event.prefix);
        for (auto& e : event.entries) store_[std::move(e.key)] = std::move(e.value);
        for (auto& r : resources_) {
          for (const auto& p : r.prefixes) {
            if (p.starts_with(event.prefix) || event.prefix.starts_with(p)) {
              r.quiescence.OnChange(now);
              break;
            }
          }
        }
        break;
    }
    if (event.revision > 0) metrics_.revision->Set(static_cast<double>(event.revision));
    return false;
  }

  // A key changed: the resources that read it are due after their window.
  void Touch(const std::string& key, Clock::time_point now) {
    for (auto& r : resources_) {
      for (const auto& p : r.prefixes) {
        if (key.starts_with(p)) {
          r.quiescence.OnChange(now);
          break;
        }
      }
    }
  }

  Clock::time_point NextDeadline() const {
    auto deadline = Clock::now() + std::chrono::hours(1);
    for (const auto& r : resources_) {
      if (r.render_now) return Clock::now();
      if (r.quiescence.pending()) deadline = std::min(deadline, r.quiescence.due());
    }
    for (const auto& retry : retries_) deadline = std::min(deadline, retry.due);
    return deadline;
  }

  kv::SnapshotPtr SnapshotFor(const ResourceState& r) const {
    std::vector<kv::Entry> entries;
    for (const auto& p : r.prefixes) {
      for (auto it = store_.lower_bound(p); it != store_.end() && it->first.starts_with(p); ++it) {
        entries.push_back({it->first, it->second});
      }
    }
    return confd::ResourceSnapshot(r.resource, std::move(entries));
  }

  void RenderDue(Clock::time_point now) {
    std::vector<PassItem> items;
    for (auto& r : resources_) {
      if (r.render_now || (r.quiescence.pending() && r.quiescence.due() <= now)) {
        items.push_back({&r.resource, SnapshotFor(r)});
        r.render_now = false;
        r.quiescence.Clear();
      }
    }
    if (items.empty()) return;
    const auto start = Clock::now();
    PassOutcome outcome = RunPass(items, &cache_, settings_.sync);
    CountPass(outcome, std::chrono::duration<double>(Clock::now() - start).count());
    ScheduleRetries(outcome, Clock::now());
  }

  std::map<std::string, std::string, std::less<>> store_;  // every watched key
  std::map<std::string, std::unique_ptr<Feed>> feeds_;     // by prefix
};

// ---- -interval ----

class IntervalMode : public Daemon {
 public:
  IntervalMode(backend::Backend& backend, const DaemonOptions& options,
               std::chrono::seconds interval)
      : Daemon(backend, options), interval_(interval) {}

  int Run() {
    StartMetrics();
    SignalWatcher signals([this](int signo) { OnSignal(signo); });
    auto next_pass = Clock::now();
    for (;;) {
      const auto now = Clock::now();
      if (now >= next_pass) {
        Pass();
        next_pass = Clock::now() + interval_;
      }
      RunDueRetries(Clock::now());
      auto deadline = next_pass;
      for (const auto& retry : retries_) deadline = std::min(deadline, retry.due);
      auto event = queue_.PopUntil(deadline);
      if (!event || event->kind != Event::Kind::kSignal) continue;
      if (HandleSignal(event->signo)) return 0;
      if (event->signo == SIGHUP) next_pass = Clock::now();
    }
  }

 private:
  // As confd: conf.d is read again on every pass.
  void Pass() {
    if (!LoadResources() || resources_.empty()) return;
    std::set<std::string> prefix_set;
    for (const auto& r : resources_) prefix_set.insert(r.prefixes.begin(), r.prefixes.end());
    auto entries = backend_.GetValues({prefix_set.begin(), prefix_set.end()});
    if (!entries) {
      if (entries.error().code() == Code::kCancelled) return;  // interrupted: stopping
      metrics_.backend_errors->Inc();
      log::Error(entries.error().message());
      return;
    }
    std::vector<PassItem> items;
    for (const auto& r : resources_) {
      items.push_back({&r.resource, confd::ResourceSnapshot(r.resource, *entries)});
    }
    const auto start = Clock::now();
    PassOutcome outcome = RunPass(items, &cache_, settings_.sync);
    CountPass(outcome, std::chrono::duration<double>(Clock::now() - start).count());
    ScheduleRetries(outcome, Clock::now());
    metrics_.ready = true;
  }

  const std::chrono::seconds interval_;
};

}  // namespace

int RunWatch(backend::Backend& backend, const DaemonOptions& options) {
  WatchMode mode(backend, options);
  return mode.Run();
}

int RunInterval(backend::Backend& backend, const DaemonOptions& options,
                std::chrono::seconds interval) {
  IntervalMode mode(backend, options, interval);
  return mode.Run();
}

}  // namespace berth::processor
