#include "up/teardown.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "agent/registration.h"
#include "up/process.h"

namespace berth::up {

Result<std::string> StopRecorded(const ProcessRecord& r, std::chrono::milliseconds timeout) {
  const std::string pid = "(pid " + std::to_string(r.pid) + ")";
  auto outcome = StopProcess(r, SIGTERM, timeout);
  if (!outcome) return Err(outcome.error());
  switch (*outcome) {
    case StopOutcome::kNotRunning:
      return "not running " + pid;
    case StopOutcome::kStopped:
      return "stopped " + pid;
    case StopOutcome::kKilled:
      return "killed after " + std::to_string(timeout.count() / 1000) + "s " + pid;
  }
  return "stopped " + pid;
}

Result<RemovedInstances> RemoveInstances(docker::Client& docker, etcd::Client* etcd,
                                         const std::string& service, const std::string& prefix,
                                         const std::optional<std::vector<std::string>>& only) {
  auto list = docker.List(/*all=*/true, "berth.service=" + service);
  if (!list) return Err(list.error());
  RemovedInstances out;
  agent::RegistrationOptions ropts;
  ropts.prefix = prefix;
  for (const auto& c : *list) {
    // The label filter already holds; checked again so that a daemon
    // ignoring filters can never make us remove a stranger's container.
    auto label = c.labels.find("berth.service");
    if (label == c.labels.end() || label->second != service) continue;
    if (only && std::find(only->begin(), only->end(), c.name) == only->end()) continue;
    if (Status s = docker.Remove(c.id, /*force=*/true); !s.ok()) {
      out.failures.push_back(c.name + ": " + s.message());
      continue;
    }
    out.removed.push_back(c.name);
    if (etcd != nullptr) {
      auto del = etcd->Delete(agent::KeyFor(c.name, service, ropts));
      if (del) {
        out.keys_deleted += static_cast<int>(del->deleted);
      } else {
        out.failures.push_back(c.name + ": delete its key: " + del.error().message());
      }
    }
  }
  return out;
}

void RemoveRunFiles(const HaproxyFiles& files) {
  for (const std::string* path : {&files.socket, &files.master_socket, &files.pid_file}) {
    if (!path->empty()) unlink(path->c_str());
  }
}

Result<etcd::ClientPtr> QuickEtcdClient(const std::string& endpoint) {
  etcd::ClientOptions o;
  o.endpoints = {endpoint};
  o.dial_timeout = std::chrono::milliseconds(1000);
  o.request_timeout = std::chrono::milliseconds(3000);
  o.attempt_timeout = std::chrono::milliseconds(1500);
  return etcd::Client::Create(o);
}

}  // namespace berth::up
