#include "up/down.h"

#include <algorithm>
#include <chrono>

#include "up/paths.h"
#include "up/process.h"
#include "up/progress.h"
#include "up/state_file.h"
#include "up/teardown.h"

namespace berth::up {

namespace {

constexpr int kSteps = 7;

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Status Down(const DownOptions& options, std::FILE* out) {
  std::string dir = options.state_dir;
  if (dir.empty()) {
    auto d = DefaultStateDir();
    if (!d) return d.error();
    dir = *d;
  }
  auto layout = MakeLayout(dir);
  if (!layout) return layout.error();
  auto loaded = LoadState(layout->state_file);
  if (!loaded) return loaded.error();
  const bool anything_alive =
      loaded->has_value() && std::any_of((*loaded)->processes.begin(), (*loaded)->processes.end(),
                                         [](const ProcessRecord& p) { return IsAlive(p); });
  if (!loaded->has_value() || ((*loaded)->phase == UpState::Phase::kDown && !anything_alive)) {
    std::fprintf(out, "berth is not up (state dir %s): nothing to stop\n", layout->dir.c_str());
    return Status::Ok();
  }
  auto lock = StateLock::Acquire(*layout);
  if (!lock) return lock.error();
  UpState state = std::move(**loaded);
  const Settings& s = state.settings;
  // The scaler goes first (it would launch what is being removed); a step
  // of its own only when berth up started one.
  const bool scaler = state.Find("scale") != nullptr;
  Progress progress(out, kSteps + (scaler ? 1 : 0));
  std::vector<std::string> problems;
  const auto timeout = std::chrono::seconds(10);

  auto stop = [&](const std::string& name, const std::string& not_ours) {
    progress.Begin(name);
    const ProcessRecord* r = state.Find(name);
    if (r == nullptr) {
      progress.Done(not_ours);
      return;
    }
    auto what = StopRecorded(*r, name == "dockerd" ? std::chrono::seconds(30) : timeout);
    if (!what) {
      problems.push_back(name + ": " + what.error().message());
      progress.Done("could not stop: " + what.error().message());
      return;
    }
    progress.Done(*what);
    state.Remove(name);
  };

  if (scaler) stop("scale", "not started by berth up");
  stop("confd", "not started by berth up");
  stop("agent", "not started by berth up");

  progress.Begin("instances");
  {
    docker::ClientOptions dopts;
    dopts.host = s.docker;
    auto docker = docker::Client::Connect(dopts);
    if (!docker) {
      problems.push_back("instances: " + docker.error().message());
      progress.Done("dockerd does not answer, containers of " + s.service +
                    " left: " + docker.error().message());
    } else {
      auto etcd = QuickEtcdClient(s.etcd);
      auto removed = RemoveInstances(**docker, etcd ? etcd->get() : nullptr, s.service, s.prefix,
                                     std::nullopt);
      if (!removed) {
        problems.push_back("instances: " + removed.error().message());
        progress.Done("cannot list the containers: " + removed.error().message());
      } else {
        for (const auto& f : removed->failures) problems.push_back(f);
        std::string line = removed->removed.empty()
                               ? "no container of " + s.service
                               : "removed " + JoinNames(removed->removed) + " (" +
                                     std::to_string(removed->keys_deleted) +
                                     " registration(s) deleted)";
        if (!removed->failures.empty()) line += "; failed: " + JoinNames(removed->failures);
        progress.Done(line);
        state.instances.clear();
      }
    }
  }

  stop("haproxy", "not started by berth up");
  stop("etcd", "not started by berth up, left running");
  stop("dockerd", "not started by berth up, left running");

  progress.Begin("state");
  RemoveRunFiles(state.haproxy_files);
  if (state.processes.empty()) {
    state.phase = UpState::Phase::kDown;
    state.etcd_started = false;
    state.dockerd_started = false;
  }
  if (Status saved = SaveState(layout->state_file, &state); !saved.ok()) {
    problems.push_back(saved.message());
  }
  progress.Done(state.phase == UpState::Phase::kDown
                    ? "marked down; logs kept in " + layout->Short(layout->logs_dir) + "/"
                    : "some processes still run (see above)");
  if (!problems.empty()) {
    return Status::Unavailable("could not stop everything: " + JoinNames(problems));
  }
  return Status::Ok();
}

}  // namespace berth::up
