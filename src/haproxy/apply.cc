#include "haproxy/apply.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "haproxy/drain.h"

namespace berth::haproxy {
namespace {

using Clock = std::chrono::steady_clock;

// Why a plan cannot be made: kRefused or kNeedsReload.
struct PlanError {
  ApplyResult::Outcome outcome;
  std::string reason;
};

struct Addition {
  std::string backend;
  DynamicServer server;
};

struct AddressChange {
  std::string backend;
  std::string server;
  IpPort before, after;
};

struct WeightChange {
  std::string backend;
  std::string server;
  int before = 1, after = 1;
};

struct Plan {
  std::vector<Addition> additions;
  std::vector<AddressChange> addresses;
  std::vector<WeightChange> weights;
  std::vector<ServerRef> removals;     // drained, then deleted
  std::vector<Addition> replacements;  // removed (in removals), then added again
  std::vector<ServerChangeReport> unchanged;
};

std::string Where(const std::string& backend, const ServerLine& line) {
  // The name is left out: it may be the invalid part (the message of the
  // check that failed shows it escaped).
  return "backend " + backend + ", server line " + std::to_string(line.line);
}

// Turns a status of the validation functions into a plan error:
// kInvalidArgument refuses, anything else needs a reload.
PlanError FromStatus(const Status& s, const std::string& where) {
  return {s.code() == Code::kInvalidArgument ? ApplyResult::Outcome::kRefused
                                             : ApplyResult::Outcome::kNeedsReload,
          where.empty() ? s.message() : where + ": " + s.message()};
}

// The DynamicServer of a server line, or why not: kInvalidArgument when any
// part is invalid (that verdict wins), else the first other failure.
Result<DynamicServer> ToDynamic(const ServerLine& line) {
  const Status name = ValidateName("server", line.name);
  auto address = ParseServerAddress(line.address);
  auto options = ParseServerOptions(line.options);
  const Status* parts[] = {&name, address ? nullptr : &address.error(),
                           options ? nullptr : &options.error()};
  for (const Status* s : parts) {
    if (s != nullptr && s->code() == Code::kInvalidArgument) return Err(*s);
  }
  if (!address) return Err(address.error());
  if (!options) return Err(options.error());
  return DynamicServer{line.name, *address, std::move(*options)};
}

int WeightOf(const DynamicServer& s) {
  const std::string w = s.Value("weight");
  int v = 1;  // HAProxy's default weight
  if (!w.empty()) std::from_chars(w.data(), w.data() + w.size(), v);
  return v;
}

// Options other than the weight, sorted: what a replacement must preserve.
std::vector<std::pair<std::string, std::string>> OtherOptions(const DynamicServer& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& o : s.options) {
    if (o.keyword != "weight") out.emplace_back(o.keyword, o.value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Fills *plan; the reason when the diff cannot be applied at run time.  A
// refusal anywhere in the diff wins over a reload needed elsewhere.
std::optional<PlanError> MakePlan(const ConfigDiff& diff, Plan* out) {
  Plan& plan = *out;
  std::optional<PlanError> reload;
  // Returns the refusal at once; remembers the first reload reason.
  auto problem = [&](PlanError e) -> std::optional<PlanError> {
    if (e.outcome == ApplyResult::Outcome::kRefused) return e;
    if (!reload) reload = std::move(e);
    return std::nullopt;
  };
  for (const auto& b : diff.backends) {
    if (Status s = ValidateName("backend", b.backend); !s.ok()) {
      if (auto e = problem(FromStatus(s, ""))) return e;
      continue;
    }
    for (const auto& line : b.removed) {
      if (Status s = ValidateName("server", line.name); !s.ok()) {
        if (auto e = problem(FromStatus(s, Where(b.backend, line)))) return e;
        continue;
      }
      plan.removals.push_back({b.backend, line.name});
    }
    for (const auto& line : b.added) {
      auto server = ToDynamic(line);
      if (!server) {
        if (auto e = problem(FromStatus(server.error(), Where(b.backend, line)))) return e;
        continue;
      }
      if (!b.dynamic_servers) {
        (void)problem({ApplyResult::Outcome::kNeedsReload, b.why_not_dynamic});
        continue;
      }
      plan.additions.push_back({b.backend, std::move(*server)});
    }
    for (const auto& m : b.modified) {
      if (Status s = ValidateName("server", m.before.name); !s.ok()) {
        if (auto e = problem(FromStatus(s, Where(b.backend, m.before)))) return e;
        continue;
      }
      auto after = ToDynamic(m.after);
      if (!after) {
        if (auto e = problem(FromStatus(after.error(), Where(b.backend, m.after)))) return e;
        continue;
      }
      // The old line went through HAProxy already; when berth could not
      // have sent it (an option outside the table), the server is replaced.
      auto before = ToDynamic(m.before);
      if (before && OtherOptions(*before) == OtherOptions(*after)) {
        bool changed = false;
        if (!(before->address == after->address)) {
          plan.addresses.push_back({b.backend, after->name, before->address, after->address});
          changed = true;
        }
        if (WeightOf(*before) != WeightOf(*after)) {
          if (b.static_algorithm) {
            (void)problem({ApplyResult::Outcome::kNeedsReload,
                           "backend " + b.backend +
                               " uses a static algorithm: HAProxy refuses weight changes at "
                               "run time"});
            continue;
          }
          plan.weights.push_back({b.backend, after->name, WeightOf(*before), WeightOf(*after)});
          changed = true;
        }
        if (!changed) {
          plan.unchanged.push_back({b.backend, after->name, ServerChangeReport::Action::kUnchanged,
                                    "only the order of options changed"});
        }
        continue;
      }
      if (!b.dynamic_servers) {
        (void)problem({ApplyResult::Outcome::kNeedsReload, b.why_not_dynamic});
        continue;
      }
      plan.removals.push_back({b.backend, m.before.name});
      plan.replacements.push_back({b.backend, std::move(*after)});
    }
  }
  return reload;
}

// Checks that HAProxy runs what the old file says.
Status VerifyRunning(const RuntimeApi& api, const ConfigDiff& diff) {
  auto backends = api.ShowBackends();
  if (!backends) return backends.error();
  auto states = api.ShowServersState();
  if (!states) return states.error();
  std::set<std::pair<std::string, std::string>> running;
  for (const auto& s : *states) running.emplace(s.backend, s.server);
  for (const auto& b : diff.backends) {
    if (std::find(backends->begin(), backends->end(), b.backend) == backends->end()) {
      return Status::NotFound("HAProxy has no backend " + b.backend);
    }
    for (const auto& l : b.added) {
      if (running.count({b.backend, l.name})) {
        return Status::FailedPrecondition("HAProxy already runs " + b.backend + "/" + l.name +
                                          ", which the old file does not have");
      }
    }
    for (const auto& l : b.removed) {
      if (!running.count({b.backend, l.name})) {
        return Status::NotFound("HAProxy does not run " + b.backend + "/" + l.name +
                                ", which the old file has");
      }
    }
    for (const auto& m : b.modified) {
      if (!running.count({b.backend, m.before.name})) {
        return Status::NotFound("HAProxy does not run " + b.backend + "/" + m.before.name +
                                ", which the old file has");
      }
    }
  }
  return Status::Ok();
}

Status AddLive(const RuntimeApi& api, const Addition& a) {
  BERTH_RETURN_IF_ERROR(api.AddServer(a.backend, a.server));
  if (a.server.HasFlag("check")) BERTH_RETURN_IF_ERROR(api.EnableHealth(a.backend, a.server.name));
  if (!a.server.HasFlag("disabled")) {
    BERTH_RETURN_IF_ERROR(api.SetServerState(a.backend, a.server.name, AdminState::kReady));
  }
  return Status::Ok();
}

// `del server`, retried until `deadline` while HAProxy still holds
// connections to the server (they close right after `state maint`).
Status DeleteWithin(const RuntimeApi& api, const ServerRef& r, Clock::time_point deadline,
                    std::chrono::milliseconds interval) {
  for (;;) {
    Status s = api.DelServer(r.backend, r.server);
    if (s.ok() || s.code() != Code::kFailedPrecondition || Clock::now() >= deadline) return s;
    std::this_thread::sleep_for(interval);
  }
}

int64_t MillisSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

}  // namespace

std::string_view OutcomeName(ApplyResult::Outcome outcome) {
  switch (outcome) {
    case ApplyResult::Outcome::kApplied:
      return "applied";
    case ApplyResult::Outcome::kNeedsReload:
      return "needs reload";
    case ApplyResult::Outcome::kRefused:
      return "refused";
    case ApplyResult::Outcome::kFailed:
      return "failed";
  }
  return "?";
}

std::string_view ActionName(ServerChangeReport::Action action) {
  switch (action) {
    case ServerChangeReport::Action::kAdded:
      return "added";
    case ServerChangeReport::Action::kRemoved:
      return "removed";
    case ServerChangeReport::Action::kAddressChanged:
      return "address changed";
    case ServerChangeReport::Action::kWeightChanged:
      return "weight changed";
    case ServerChangeReport::Action::kReplaced:
      return "replaced";
    case ServerChangeReport::Action::kUnchanged:
      return "unchanged";
  }
  return "?";
}

ApplyResult CheckServerChanges(const ConfigDiff& diff) {
  ApplyResult result;
  if (diff.kind == ConfigDiff::Kind::kIdentical) return result;
  if (diff.kind == ConfigDiff::Kind::kNeedsReload) {
    result.outcome = ApplyResult::Outcome::kNeedsReload;
    result.reason = diff.reason;
    return result;
  }
  Plan plan;
  if (auto error = MakePlan(diff, &plan)) {
    result.outcome = error->outcome;
    result.reason = error->reason;
  }
  return result;
}

ApplyResult ApplyServerChanges(const RuntimeApi& api, const ConfigDiff& diff,
                               const ApplyOptions& options) {
  using Outcome = ApplyResult::Outcome;
  using Action = ServerChangeReport::Action;
  ApplyResult result;
  if (diff.kind == ConfigDiff::Kind::kIdentical) return result;
  if (diff.kind == ConfigDiff::Kind::kNeedsReload) {
    result.outcome = Outcome::kNeedsReload;
    result.reason = diff.reason;
    return result;
  }
  Plan plan_storage;
  if (auto error = MakePlan(diff, &plan_storage)) {
    result.outcome = error->outcome;
    result.reason = error->reason;
    return result;
  }
  const Plan* plan = &plan_storage;
  if (options.verify_running_state) {
    if (Status s = VerifyRunning(api, diff); !s.ok()) {
      const bool unreachable = s.code() == Code::kUnavailable || s.code() == Code::kTimeout;
      result.outcome = unreachable ? Outcome::kFailed : Outcome::kNeedsReload;
      result.reason =
          unreachable ? s.message() : "HAProxy does not run what the old file says: " + s.message();
      return result;
    }
  }
  auto failed = [&](const Status& s) {
    result.outcome = Outcome::kFailed;
    result.reason = s.message();
    return result;
  };

  for (const auto& a : plan->additions) {
    if (Status s = AddLive(api, a); !s.ok()) return failed(s);
    result.changes.push_back(
        {a.backend, a.server.name, Action::kAdded, a.server.address.ToString()});
  }
  for (const auto& c : plan->addresses) {
    if (Status s = api.SetServerAddress(c.backend, c.server, c.after); !s.ok()) return failed(s);
    result.changes.push_back({c.backend, c.server, Action::kAddressChanged,
                              c.before.ToString() + " -> " + c.after.ToString()});
  }
  for (const auto& c : plan->weights) {
    if (Status s = api.SetServerWeight(c.backend, c.server, c.after); !s.ok()) return failed(s);
    result.changes.push_back({c.backend, c.server, Action::kWeightChanged,
                              std::to_string(c.before) + " -> " + std::to_string(c.after)});
  }

  if (!plan->removals.empty()) {
    const auto drain_start = Clock::now();
    for (const auto& r : plan->removals) {
      if (Status s = api.SetServerState(r.backend, r.server, AdminState::kDrain); !s.ok()) {
        return failed(s);
      }
    }
    std::string drained = "drained";
    Status waited =
        WaitForNoSessions(api, plan->removals, options.drain_timeout, options.poll_interval);
    if (!waited.ok() &&
        (waited.code() != Code::kTimeout || !options.cut_sessions_after_drain_timeout)) {
      return failed(waited);
    }
    for (const auto& r : plan->removals) {
      if (Status s = api.SetServerState(r.backend, r.server, AdminState::kMaint); !s.ok()) {
        return failed(s);
      }
      // Nothing may still use the server when it is deleted: no health
      // check in flight, no stream bound to it (a connection attempt being
      // retried to an instance that died), even after a complete drain.
      if (Status s = api.DisableHealth(r.backend, r.server); !s.ok()) return failed(s);
      if (Status s = api.ShutdownSessions(r.backend, r.server); !s.ok()) return failed(s);
    }
    if (!waited.ok()) drained = "sessions cut after the drain timeout (" + waited.message() + "),";
    const auto delete_deadline = Clock::now() + std::chrono::seconds(5);
    for (const auto& r : plan->removals) {
      if (Status s = DeleteWithin(api, r, delete_deadline, options.poll_interval); !s.ok()) {
        return failed(s);
      }
    }
    const std::string detail = drained + " in " + std::to_string(MillisSince(drain_start)) + " ms";
    for (const auto& r : plan->removals) {
      const bool replaced = std::any_of(
          plan->replacements.begin(), plan->replacements.end(),
          [&](const Addition& a) { return a.backend == r.backend && a.server.name == r.server; });
      if (!replaced) result.changes.push_back({r.backend, r.server, Action::kRemoved, detail});
    }
  }
  for (const auto& a : plan->replacements) {
    if (Status s = AddLive(api, a); !s.ok()) return failed(s);
    result.changes.push_back(
        {a.backend, a.server.name, Action::kReplaced, a.server.address.ToString()});
  }
  for (const auto& u : plan->unchanged) result.changes.push_back(u);
  return result;
}

}  // namespace berth::haproxy
