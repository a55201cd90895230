#include "tests/integration/agent_fixture.h"

#include <signal.h>
#include <sys/wait.h>

#include "tests/integration/berth_process.h"

namespace berth::testing {

using std::chrono::milliseconds;

Result<std::unique_ptr<KeyWatcher>> KeyWatcher::Start(const etcd::ClientOptions& options,
                                                      std::string prefix) {
  std::unique_ptr<KeyWatcher> w(new KeyWatcher());
  auto client = etcd::Client::Create(options);
  if (!client) return Err(client.error());
  w->client_ = std::move(*client);
  auto stream = w->client_->Watch(prefix, 0);
  if (!stream) return Err(stream.error());
  w->stream_ = std::move(*stream);
  w->thread_ = std::thread([p = w.get()] { p->Loop(); });
  return w;
}

KeyWatcher::~KeyWatcher() {
  if (stream_) stream_->Close();
  if (thread_.joinable()) thread_.join();
}

void KeyWatcher::Loop() {
  for (;;) {
    auto batch = stream_->Next(milliseconds(1000));
    if (!batch) {
      const Code c = batch.error().code();
      if (c == Code::kTimeout || c == Code::kUnavailable) continue;
      return;  // closed
    }
    if (batch->kind != etcd::WatchBatch::Kind::kEvents) {
      if (batch->kind == etcd::WatchBatch::Kind::kProgress) continue;
      return;
    }
    const auto now = WallClock::now();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& e : batch->events) {
        changes_.push_back(
            Change{now, e.type == etcd::WatchEvent::Type::kDelete, e.key, e.value, e.lease});
      }
    }
    cv_.notify_all();
  }
}

std::vector<KeyWatcher::Change> KeyWatcher::Changes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return changes_;
}

size_t KeyWatcher::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return changes_.size();
}

std::optional<KeyWatcher::Change> KeyWatcher::WaitFor(std::string_view key, bool deleted,
                                                      milliseconds timeout, size_t from) const {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<Change> found;
  cv_.wait_for(lock, timeout, [&] {
    for (size_t i = from; i < changes_.size(); ++i) {
      if (changes_[i].key == key && changes_[i].deleted == deleted) {
        found = changes_[i];
        return true;
      }
    }
    return false;
  });
  return found;
}

Result<std::unique_ptr<DockerEventLog>> DockerEventLog::Start(
    const docker::ClientOptions& options) {
  std::unique_ptr<DockerEventLog> log(new DockerEventLog());
  auto client = docker::Client::Connect(options);
  if (!client) return Err(client.error());
  log->client_ = std::move(*client);
  auto stream = log->client_->Events();
  if (!stream) return Err(stream.error());
  log->stream_ = std::move(*stream);
  log->thread_ = std::thread([p = log.get()] { p->Loop(); });
  return log;
}

DockerEventLog::~DockerEventLog() {
  if (stream_) stream_->Close();
  if (thread_.joinable()) thread_.join();
}

void DockerEventLog::Loop() {
  for (;;) {
    auto ev = stream_->Next(milliseconds(1000));
    if (!ev) {
      if (ev.error().code() == Code::kTimeout) continue;
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      break;
    }
    const auto now = WallClock::now();
    {
      std::lock_guard<std::mutex> lock(mu_);
      entries_.push_back(Entry{now, std::move(*ev)});
    }
    cv_.notify_all();
  }
  cv_.notify_all();
}

std::optional<DockerEventLog::Entry> DockerEventLog::WaitFor(std::string_view id,
                                                             std::string_view action,
                                                             milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<Entry> found;
  cv_.wait_for(lock, timeout, [&] {
    for (const auto& e : entries_) {
      if (e.event.id == id && e.event.action == action) {
        found = e;
        return true;
      }
    }
    return done_;
  });
  return found;
}

WallClock::time_point EventTime(const docker::Event& e) {
  return WallClock::time_point(
      std::chrono::duration_cast<WallClock::duration>(std::chrono::nanoseconds(e.time_nano)));
}

BerthOutcome RunBerth(const std::vector<std::string>& args, const std::string& log_path,
                      milliseconds timeout) {
  BerthOutcome out;
  auto p = BerthProcess::Start(BerthProcess::Binary(), args, log_path);
  if (!p) {
    out.output = p.error().message();
    return out;
  }
  std::optional<int> status = (*p)->WaitExit(timeout);
  if (status && WIFEXITED(*status)) out.exit_code = WEXITSTATUS(*status);
  if (status && WIFSIGNALED(*status)) out.exit_code = 128 + WTERMSIG(*status);
  out.output = (*p)->Log();
  return out;  // a process still running is killed by ~BerthProcess
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    if (nl > start) out.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace berth::testing
