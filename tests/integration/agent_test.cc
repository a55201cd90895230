// `berth agent`, `berth launch` and `berth kill` as an operator runs them:
// the berth binary as child processes (berth_process.h), the machine's
// dockerd with containers of berth/nginx (docker_fixture.h), and a real etcd
// per test (etcd_fixture.h).  What etcd and dockerd report is recorded with
// timestamps (agent_fixture.h), so that orderings ("the key was gone before
// the container was stopped") and latencies ("within 1 s of docker stop")
// are measured, not guessed.  Every wait is a deadline loop; containers,
// processes, etcd and temporary directories are removed also when a test
// fails.
//
// Other tests may run containers with berth labels at the same time: the
// agents here register those too, so every assertion names its own keys.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backend/etcd/client.h"
#include "docker/client.h"
#include "sys/command.h"
#include "sys/net.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/agent_fixture.h"
#include "tests/integration/berth_process.h"
#include "tests/integration/docker_fixture.h"
#include "tests/integration/etcd_fixture.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// The address the agents register: docker-proxy publishes on every
// address, so the test can reach it.
constexpr char kHostIp[] = "127.0.0.1";

double Ms(WallClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// An nginx container as `docker run -d -P --label berth.service=...` makes it.
docker::CreateOptions Nginx(std::map<std::string, std::string> labels,
                            std::vector<std::string> env = {}, bool publish = true) {
  docker::CreateOptions o;
  o.labels = std::move(labels);
  o.env = std::move(env);
  o.publish_all = publish;
  return o;
}

#define BERTH_RUN(var, options)                                      \
  auto var##_run = containers().Run(options);                        \
  ASSERT_TRUE(var##_run.has_value()) << var##_run.error().message(); \
  const docker::Container var = std::move(*var##_run)

class AgentTest : public DockerTest {
 protected:
  void SetUp() override {
    DockerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!EtcdCluster::Available()) {
      if (MissingIsFailure()) FAIL() << "etcd is not installed; CI=true requires it";
      GTEST_SKIP() << "etcd is not installed (" << EtcdCluster::EtcdBinary() << ")";
    }
    auto cluster = EtcdCluster::Start(EtcdClusterOptions{});
    ASSERT_TRUE(cluster.has_value()) << cluster.error().message();
    etcd_ = std::move(*cluster);
    auto client = etcd::Client::Create(etcd_->ClientOptions());
    ASSERT_TRUE(client.has_value()) << client.error().message();
    kv_ = std::move(*client);
  }

  void TearDown() override {
    if (HasFailure()) {
      // Every berth log of this test, for the failure report.
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(tmp_.path(), ec)) {
        if (e.path().extension() != ".log") continue;
        const std::string log = ReadWholeFile(e.path().string()).value_or("");
        std::fprintf(
            stderr, "---- %s ----\n%s\n", e.path().filename().c_str(),
            log.size() > 6000 ? ("..." + log.substr(log.size() - 6000)).c_str() : log.c_str());
      }
    }
    // launched_ is filled only once DockerTest::SetUp connected client().
    for (const auto& name : launched_) (void)client().Remove(name, /*force=*/true);
    DockerTest::TearDown();
  }

  std::string endpoint() const { return etcd_->endpoint(0); }
  etcd::Client& kv() { return *kv_; }

  std::string NewLog(std::string_view what) {
    return tmp_.Path(std::string(what) + "-" + std::to_string(++logs_) + ".log");
  }

  // `berth agent` against this test's etcd, registering kHostIp (or
  // `host_ip`), plus `extra` flags.
  std::unique_ptr<BerthProcess> StartAgent(std::vector<std::string> extra = {},
                                           std::string host_ip = kHostIp) {
    std::vector<std::string> args = {"agent", "--etcd", endpoint(), "--host-ip", host_ip};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = BerthProcess::Start(BerthProcess::Binary(), args, NewLog("agent"));
    EXPECT_TRUE(p.has_value()) << p.error().message();
    return p ? std::move(*p) : nullptr;
  }

  // A one-shot command (launch, kill) to completion.
  BerthOutcome Berth(std::vector<std::string> args, milliseconds timeout = 60s) {
    const std::string what = args.front();
    return RunBerth(args, NewLog(what), timeout);
  }

  std::optional<etcd::KeyValue> Get(const std::string& key) {
    auto r = kv().Get(key);
    if (!r) return std::nullopt;
    return *r;
  }
  std::optional<std::string> Value(const std::string& key) {
    auto kv = Get(key);
    if (!kv) return std::nullopt;
    return kv->value;
  }
  bool WaitForValue(const std::string& key, const std::string& value, milliseconds timeout = 15s) {
    return WaitFor([&] { return Value(key) == value; }, timeout);
  }
  bool WaitForAbsent(const std::string& key, milliseconds timeout = 15s) {
    return WaitFor([&] { return !Value(key).has_value(); }, timeout);
  }

  static std::unique_ptr<DockerEventLog> DockerEvents() {
    auto log = DockerEventLog::Start(DockerClientOptions());
    EXPECT_TRUE(log.has_value()) << log.error().message();
    return log ? std::move(*log) : nullptr;
  }

  std::unique_ptr<KeyWatcher> Watch(std::string prefix) {
    auto w = KeyWatcher::Start(etcd_->ClientOptions(), std::move(prefix));
    EXPECT_TRUE(w.has_value()) << w.error().message();
    return w ? std::move(*w) : nullptr;
  }

  // The value the agent registers for `c`.
  static std::string Address(const docker::Container& c, std::string_view port = "80/tcp") {
    return std::string(kHostIp) + ":" + std::to_string(PublishedPort(c, port));
  }
  static std::string Key(const docker::Container& c) { return "/app/servers/" + c.name; }

  // Whether any change in `changes` wrote (or deleted) `key`.
  static bool Touched(const std::vector<KeyWatcher::Change>& changes, const std::string& key,
                      std::optional<bool> deleted = std::nullopt) {
    return std::any_of(changes.begin(), changes.end(), [&](const KeyWatcher::Change& c) {
      return c.key == key && (!deleted || c.deleted == *deleted);
    });
  }

  sys::CommandResult Shell(const std::string& command) {
    auto r = sys::RunShell(command, 60s);
    EXPECT_TRUE(r.has_value()) << r.error().message();
    return r ? *r : sys::CommandResult{};
  }

  TempDir tmp_;
  std::unique_ptr<EtcdCluster> etcd_;
  etcd::ClientPtr kv_;
  std::vector<std::string> launched_;  // containers `berth launch` made
  int logs_ = 0;
};

// The seed's recipe end to end: launch an instance with an agent running,
// reach it at the address printed (and registered), then kill it: the key
// goes first, the instance keeps serving while it drains, then it stops and
// is removed.
TEST_F(AgentTest, LaunchRegistersAndKillDeregistersBeforeTheContainerStops) {
  auto agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  auto watcher = Watch("/app/servers/");
  ASSERT_NE(watcher, nullptr);
  auto events = DockerEvents();
  ASSERT_NE(events, nullptr);

  const std::string name = containers().NewName();
  launched_.push_back(name);
  // No --host-ip: launch prints what the agent registered.
  const BerthOutcome launch = Berth({"launch", "--name", name, "--etcd", endpoint()});
  ASSERT_EQ(launch.exit_code, 0) << launch.output;
  auto c = client().Inspect(name);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  const std::string key = "/app/servers/" + name;
  const std::string address = Address(*c);
  EXPECT_EQ(Lines(launch.output), std::vector<std::string>{name + " " + address});
  EXPECT_EQ(Value(key), address);
  EXPECT_EQ(c->labels["berth.service"], "app");

  auto reply = HttpGetFrom(kHostIp, PublishedPort(*c), "/");
  ASSERT_TRUE(reply.has_value()) << reply.error().message();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, c->hostname + "\n");

  // berth kill runs in the background while the test watches.
  const size_t mark = watcher->size();
  auto kill = BerthProcess::Start(
      BerthProcess::Binary(),
      {"kill", name, "--etcd", endpoint(), "--drain-timeout", "1500ms", "--stop-timeout", "5s"},
      NewLog("kill"));
  ASSERT_TRUE(kill.has_value()) << kill.error().message();
  auto gone = watcher->WaitFor(key, /*deleted=*/true, 10s, mark);
  ASSERT_TRUE(gone.has_value()) << "the key was not deleted";
  // Deregistered, draining: the instance still serves and is marked.
  auto during = HttpGetFrom(kHostIp, PublishedPort(*c), "/");
  ASSERT_TRUE(during.has_value()) << "the instance stopped serving before it drained: "
                                  << during.error().message();
  EXPECT_EQ(during->body, c->hostname + "\n");
  EXPECT_TRUE(Value("/berth/draining/" + name).has_value());

  auto status = (*kill)->WaitExit(30s);
  ASSERT_TRUE(status.has_value()) << "berth kill did not finish";
  EXPECT_EQ(WEXITSTATUS(*status), 0) << (*kill)->Log();
  EXPECT_TRUE(Contains((*kill)->Log(), name + " stopped and removed")) << (*kill)->Log();

  auto killed = events->WaitFor(c->id, "kill", 5s);
  auto destroyed = events->WaitFor(c->id, "destroy", 5s);
  ASSERT_TRUE(killed.has_value()) << "no kill event";
  ASSERT_TRUE(destroyed.has_value()) << "the container was not removed";
  // The deletion reached this test before dockerd even sent the signal.
  EXPECT_LT(gone->at, EventTime(killed->event));
  EXPECT_GE(Ms(EventTime(killed->event) - gone->at), 1000)
      << "the instance was stopped without draining";
  std::printf("key deleted %.0f ms before the container was signalled\n",
              Ms(EventTime(killed->event) - gone->at));
  // Nothing registered it again meanwhile; the draining mark is gone.
  for (const auto& ch : watcher->Changes()) {
    if (ch.key == key && !ch.deleted) {
      EXPECT_LT(ch.at, gone->at) << "registered again";
    }
  }
  EXPECT_FALSE(Value("/berth/draining/" + name).has_value());
  auto after = client().Inspect(name);
  EXPECT_FALSE(after.has_value());
  if (!after) {
    EXPECT_EQ(after.error().code(), Code::kNotFound);
  }
}

// --register: no agent; launch writes the keys itself, without a lease, as
// the seed's script does — and passes --bind and --env to the containers.
TEST_F(AgentTest, LaunchRegisterWritesTheKeysWithoutAnAgent) {
  TempDir docroot;
  docroot.Write("index.html", "from the bind mount\n");
  ::chmod(docroot.path().c_str(), 0755);  // nginx's workers run as www-data
  const std::string name = containers().NewName();
  launched_.push_back(name + "-1");
  launched_.push_back(name + "-2");
  const BerthOutcome launch =
      Berth({"launch", "--register", "--count", "2", "--name", name, "--host-ip", kHostIp, "--etcd",
             endpoint(), "--bind", docroot.path() + ":/usr/share/nginx/html:ro", "--env",
             "GREETING=hello"});
  ASSERT_EQ(launch.exit_code, 0) << launch.output;
  const auto lines = Lines(launch.output);
  ASSERT_EQ(lines.size(), 2u) << launch.output;
  for (int i = 1; i <= 2; ++i) {
    const std::string n = name + "-" + std::to_string(i);
    auto c = client().Inspect(n);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    EXPECT_EQ(lines[i - 1], n + " " + Address(*c));
    auto kv = Get("/app/servers/" + n);
    ASSERT_TRUE(kv.has_value()) << n << " is not registered";
    EXPECT_EQ(kv->value, Address(*c));
    EXPECT_EQ(kv->lease, 0) << "--register writes plain keys";
    auto reply = HttpGetFrom(kHostIp, PublishedPort(*c), "/");
    ASSERT_TRUE(reply.has_value()) << reply.error().message();
    EXPECT_EQ(reply->body, c->hostname + "\n");
    auto page = HttpGetFrom(kHostIp, PublishedPort(*c), "/static/index.html");
    ASSERT_TRUE(page.has_value()) << page.error().message();
    EXPECT_EQ(page->body, "from the bind mount\n");
    EXPECT_NE(std::find(c->env.begin(), c->env.end(), "GREETING=hello"), c->env.end());
  }
}

// What an operator types: `docker run --label berth.service=app -P
// berth/nginx`, then `docker kill -s HUP` (nginx reloads: still
// registered), `docker pause` / `unpause`, `docker restart` and finally
// `docker stop`, which must deregister it within a second.
TEST_F(AgentTest, PlainDockerRunIsRegisteredAndDockerStopDeregistersWithinASecond) {
  auto agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  auto watcher = Watch("/app/servers/");
  ASSERT_NE(watcher, nullptr);
  const std::string name = containers().NewName();
  const auto run =
      Shell("docker run -d --name " + name + " --label berth.service=app --label " +
            Quote(std::string(kTestLabel) + "=" + containers().label_value()) + " --label " +
            kTestPidLabel + "=" + std::to_string(getpid()) + " -P berth/nginx");
  ASSERT_TRUE(run.ok()) << run.output;
  auto c = client().Inspect(name);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  const std::string key = "/app/servers/" + name;
  ASSERT_TRUE(WaitForValue(key, Address(*c))) << agent->LogTail();
  auto kv = Get(key);
  ASSERT_TRUE(kv.has_value());
  EXPECT_NE(kv->lease, 0) << "the agent's keys hang on its lease";

  // HUP, then pause: the first deletion comes from the pause.
  size_t mark = watcher->size();
  ASSERT_TRUE(Shell("docker kill -s HUP " + name).ok());
  const auto before_pause = WallClock::now();
  ASSERT_TRUE(Shell("docker pause " + name).ok());
  auto paused = watcher->WaitFor(key, /*deleted=*/true, 5s, mark);
  ASSERT_TRUE(paused.has_value()) << "still registered while paused";
  EXPECT_GT(paused->at, before_pause) << "deregistered by a SIGHUP";
  mark = watcher->size();
  ASSERT_TRUE(Shell("docker unpause " + name).ok());
  auto unpaused = watcher->WaitFor(key, /*deleted=*/false, 10s, mark);
  ASSERT_TRUE(unpaused.has_value()) << "not registered again after unpause";
  EXPECT_EQ(unpaused->value, Address(*c));

  mark = watcher->size();
  ASSERT_TRUE(Shell("docker restart -t 5 " + name).ok());
  EXPECT_TRUE(watcher->WaitFor(key, /*deleted=*/true, 5s, mark).has_value());
  c = client().Inspect(name);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_TRUE(WaitForValue(key, Address(*c))) << "not registered again after restart";

  mark = watcher->size();
  const auto before_stop = WallClock::now();
  const auto stop = Shell("docker stop " + name);
  ASSERT_TRUE(stop.ok()) << stop.output;
  auto gone = watcher->WaitFor(key, /*deleted=*/true, 5s, mark);
  ASSERT_TRUE(gone.has_value()) << "not deregistered";
  const double ms = Ms(gone->at - before_stop);
  std::printf("docker stop -> key gone: %.1f ms\n", ms);
  EXPECT_LE(ms, 1000);
}

// Docker's port proxy accepts connections on the published port before
// anything listens inside the container: readiness is checked on the
// container's own address.  nginx first listens on the wrong port (8080,
// not the published 80): not registered.  Then its configuration is fixed
// and it is reloaded with SIGHUP: registered, and the HUP itself
// deregistered nothing.
TEST_F(AgentTest, ReadinessIsCheckedInsideTheContainer) {
  TempDir conf;
  ::chmod(conf.path().c_str(), 0755);
  auto config = [](int port) {
    return "daemon off;\nerror_log stderr;\npid /run/nginx.pid;\nevents {}\nhttp {\n  server {\n"
           "    listen " +
           std::to_string(port) + ";\n    location / { return 200 \"$hostname\\n\"; }\n  }\n}\n";
  };
  conf.Write("nginx.conf", config(8080));
  auto agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  docker::CreateOptions o = Nginx({{"berth.service", "app"}});
  o.binds = {conf.path() + ":/conf:ro"};
  o.cmd = {"/usr/sbin/nginx", "-c", "/conf/nginx.conf"};
  BERTH_RUN(c, o);
  const std::string key = Key(c);
  ASSERT_TRUE(WaitFor([&] { return sys::TcpAccepts(c.ip_address, 8080, 100ms); }, 10s))
      << "nginx did not start";
  if (!sys::TcpAccepts(kHostIp, PublishedPort(c), 100ms)) {
    std::printf("note: no userland proxy on the published port here\n");
  }
  EXPECT_FALSE(WaitFor([&] { return Value(key).has_value(); }, 1500ms))
      << "registered while nothing listened on the container's port 80";

  conf.Write("nginx.conf", config(80));
  ASSERT_TRUE(Shell("docker kill -s HUP " + c.name).ok());
  ASSERT_TRUE(WaitForValue(key, Address(c))) << agent->LogTail();
  auto reply = HttpGetFrom(kHostIp, PublishedPort(c), "/");
  ASSERT_TRUE(reply.has_value()) << reply.error().message();
  EXPECT_EQ(reply->body, c.hostname + "\n");
}

// Which containers are registered, under which port; what is refused is
// said once in the agent's log.
TEST_F(AgentTest, EligibilityPortChoiceAndOneWarningPerContainer) {
  // Running before the agent starts: found by its first reconciliation.
  BERTH_RUN(no_port_before, Nginx({{"berth.service", "app"}}, {}, /*publish=*/false));
  auto agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  auto watcher = Watch("/app/servers/");
  ASSERT_NE(watcher, nullptr);

  // Refused ones first: the agent handles events in order, so once the
  // registered ones appear, the others have been decided.
  BERTH_RUN(ignored, Nginx({{"berth.service", "app"}}, {"SERVICE_IGNORE=1"}));
  BERTH_RUN(ignored_by_label, Nginx({{"berth.service", "app"}, {"SERVICE_IGNORE", "true"}}));
  BERTH_RUN(no_port_after, Nginx({{"berth.service", "app"}}, {}, /*publish=*/false));
  BERTH_RUN(bad_service, Nginx({{"berth.service", "a b"}}));
  BERTH_RUN(unpublished, Nginx({{"berth.service", "app"}, {"berth.port", "9999"}}));
  BERTH_RUN(unlabelled, Nginx({}));
  BERTH_RUN(by_env, Nginx({}, {"SERVICE_NAME=web"}));
  docker::CreateOptions two_ports = Nginx({{"berth.service", "app"}, {"berth.port", "80"}});
  two_ports.exposed_ports = {"70/tcp"};  // the lower port, but not the one asked for
  BERTH_RUN(chosen, two_ports);

  ASSERT_TRUE(WaitForValue(Key(by_env), Address(by_env))) << agent->LogTail();
  ASSERT_NE(PublishedPort(chosen, "70/tcp"), 0);
  ASSERT_TRUE(WaitForValue(Key(chosen), Address(chosen, "80/tcp"))) << agent->LogTail();
  // The warnings are written before the later containers register; wait for
  // the log to settle anyway (it is written by another process).
  const std::string no_port = " publishes no TCP port";
  EXPECT_TRUE(WaitFor([&] { return agent->CountInLog(no_port_after.name + no_port) >= 1; }, 5s));

  const auto changes = watcher->Changes();
  for (const auto* c : {&no_port_before, &ignored, &ignored_by_label, &no_port_after, &bad_service,
                        &unpublished, &unlabelled}) {
    EXPECT_FALSE(Touched(changes, Key(*c))) << c->name << " was registered";
    EXPECT_FALSE(Value(Key(*c)).has_value()) << c->name;
  }
  const std::string log = agent->Log();
  EXPECT_EQ(Count(log, no_port_before.name + no_port), 1u) << log;
  EXPECT_EQ(Count(log, no_port_after.name + no_port), 1u) << log;
  EXPECT_EQ(Count(log, bad_service.name + ": service \"a b\""), 1u) << log;
  EXPECT_EQ(Count(log, unpublished.name + ": berth.port 9999 is not published"), 1u) << log;
  // Nothing to say about containers that do not ask to be registered.
  EXPECT_EQ(Count(log, ignored.name), 0u) << log;
  EXPECT_EQ(Count(log, unlabelled.name), 0u) << log;
}

// --layout service: /services/<service>/<name>, for the agent, launch and
// kill alike.
TEST_F(AgentTest, ServiceLayout) {
  auto agent = StartAgent({"--layout", "service"});
  ASSERT_NE(agent, nullptr);
  BERTH_RUN(api, Nginx({}, {"SERVICE_NAME=api"}));
  ASSERT_TRUE(WaitForValue("/services/api/" + api.name, Address(api))) << agent->LogTail();

  const std::string name = containers().NewName();
  launched_.push_back(name);
  const BerthOutcome launch = Berth(
      {"launch", "--layout", "service", "--service", "web", "--name", name, "--etcd", endpoint()});
  ASSERT_EQ(launch.exit_code, 0) << launch.output;
  auto c = client().Inspect(name);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  const std::string key = "/services/web/" + name;
  EXPECT_EQ(Value(key), Address(*c));
  EXPECT_FALSE(Value("/app/servers/" + name).has_value());

  const BerthOutcome kill =
      Berth({"kill", "--layout", "service", name, "--etcd", endpoint(), "--drain-timeout", "0s"});
  EXPECT_EQ(kill.exit_code, 0) << kill.output;
  EXPECT_FALSE(Value(key).has_value());
  EXPECT_EQ(Value("/services/api/" + api.name), Address(api));
}

// With a Docker health check the port being open is not enough: the
// container is registered once Docker says healthy, deregistered when it
// says unhealthy, and registered again when it recovers.  The check runs
// `nginx -t` on a configuration file the test creates and deletes (the
// image has no shell and no curl).
TEST_F(AgentTest, HealthCheckedContainerIsRegisteredOnlyWhileHealthy) {
  TempDir health;
  auto agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  auto watcher = Watch("/app/servers/");
  ASSERT_NE(watcher, nullptr);
  auto events = DockerEvents();
  ASSERT_NE(events, nullptr);

  docker::CreateOptions o = Nginx({{"berth.service", "app"}});
  o.binds = {health.path() + ":/health:ro"};
  docker::HealthCheck hc;
  hc.test = {"CMD", "/usr/sbin/nginx", "-t", "-q", "-c", "/health/nginx.conf"};
  hc.interval = 200ms;
  hc.timeout = 2s;
  hc.start_period = 60s;  // failures before the first success do not count
  hc.retries = 1;
  o.health_check = hc;
  BERTH_RUN(c, o);
  const std::string key = Key(c);

  // nginx serves, but the check fails: not registered.
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = HttpGetFrom(kHostIp, PublishedPort(c), "/", 500ms);
        return r && r->status == 200;
      },
      10s));
  EXPECT_FALSE(WaitFor([&] { return Value(key).has_value(); }, 1500ms))
      << "registered before the health check passed";
  auto inspected = client().Inspect(c.id);
  ASSERT_TRUE(inspected.has_value());
  EXPECT_EQ(inspected->health, "starting");

  health.Write("nginx.conf", "events {}\n");
  auto put = watcher->WaitFor(key, /*deleted=*/false, 15s);
  ASSERT_TRUE(put.has_value()) << "not registered once healthy";
  EXPECT_EQ(put->value, Address(c));
  auto healthy = events->WaitFor(c.id, "health_status: healthy", 1s);
  ASSERT_TRUE(healthy.has_value());
  EXPECT_LE(EventTime(healthy->event), put->at);
  std::printf("healthy -> registered: %.1f ms\n", Ms(put->at - EventTime(healthy->event)));

  const size_t mark = watcher->size();
  std::filesystem::remove(health.Path("nginx.conf"));
  auto gone = watcher->WaitFor(key, /*deleted=*/true, 15s, mark);
  ASSERT_TRUE(gone.has_value()) << "still registered while unhealthy";
  inspected = client().Inspect(c.id);
  ASSERT_TRUE(inspected.has_value());
  EXPECT_EQ(inspected->health, "unhealthy");

  health.Write("nginx.conf", "events {}\n");
  EXPECT_TRUE(watcher->WaitFor(key, /*deleted=*/false, 15s, mark + 1).has_value())
      << "not registered again after recovering";
}

// The agent dies without a word: its lease expires and the keys go within
// the TTL; a new agent registers everything again.
TEST_F(AgentTest, KilledAgentsKeysExpireWithinTheTtlAndComeBackOnRestart) {
  auto agent = StartAgent({"--ttl", "2s"});
  ASSERT_NE(agent, nullptr);
  BERTH_RUN(a, Nginx({{"berth.service", "app"}}));
  BERTH_RUN(b, Nginx({}, {"SERVICE_NAME=app"}));
  ASSERT_TRUE(WaitForValue(Key(a), Address(a))) << agent->LogTail();
  ASSERT_TRUE(WaitForValue(Key(b), Address(b))) << agent->LogTail();
  auto watcher = Watch("/app/servers/");
  ASSERT_NE(watcher, nullptr);

  const auto killed_at = WallClock::now();
  ASSERT_TRUE(agent->Signal(SIGKILL));
  auto gone_a = watcher->WaitFor(Key(a), /*deleted=*/true, 10s);
  auto gone_b = watcher->WaitFor(Key(b), /*deleted=*/true, 10s);
  ASSERT_TRUE(gone_a.has_value() && gone_b.has_value()) << "the keys outlived the agent";
  const double ms = Ms(std::max(gone_a->at, gone_b->at) - killed_at);
  std::printf("agent SIGKILLed -> keys expired: %.0f ms (TTL 2 s)\n", ms);
  EXPECT_LE(ms, 3000);

  auto again = StartAgent({"--ttl", "2s"});
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(WaitForValue(Key(a), Address(a))) << again->LogTail();
  EXPECT_TRUE(WaitForValue(Key(b), Address(b))) << again->LogTail();
}

// dockerd goes away (the relay is cut) while the agent runs; meanwhile a
// container is removed and another started behind its back.  When dockerd is
// back the agent reconnects and reconciles: the removed one's key is
// deleted, the new one registered, the others left alone.
TEST_F(AgentTest, ReconnectsToDockerdAndReconcilesWhatItMissed) {
  auto relay = DockerdRelay::Start();
  if (!relay) GTEST_SKIP() << relay.error().message();
  auto agent = StartAgent({"--docker", (*relay)->host()});
  ASSERT_NE(agent, nullptr);
  BERTH_RUN(removed, Nginx({{"berth.service", "app"}}));
  BERTH_RUN(kept, Nginx({{"berth.service", "app"}}));
  ASSERT_TRUE(WaitForValue(Key(removed), Address(removed))) << agent->LogTail();
  ASSERT_TRUE(WaitForValue(Key(kept), Address(kept))) << agent->LogTail();
  auto watcher = Watch("/app/servers/");
  ASSERT_NE(watcher, nullptr);

  (*relay)->Cut();
  ASSERT_TRUE(WaitFor([&] { return agent->CountInLog("lost the dockerd event stream") >= 1; }, 10s))
      << agent->LogTail();
  ASSERT_TRUE(client().Remove(removed.id, /*force=*/true).ok());
  BERTH_RUN(started, Nginx({{"berth.service", "app"}}));
  // Still registered: the agent cannot know yet.
  EXPECT_EQ(Value(Key(removed)), Address(removed));
  (*relay)->Resume();

  EXPECT_TRUE(WaitForAbsent(Key(removed), 20s)) << agent->LogTail();
  EXPECT_TRUE(WaitForValue(Key(started), Address(started), 20s)) << agent->LogTail();
  EXPECT_EQ(Value(Key(kept)), Address(kept));
  EXPECT_FALSE(Touched(watcher->Changes(), Key(kept), /*deleted=*/true))
      << "the running container's key was deleted";
  // One error line while dockerd was away, naming where it was looked for.
  const auto lines = Lines(agent->Log());
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [&](const std::string& l) {
                            return Contains(l, "ERROR") && Contains(l, (*relay)->host());
                          }),
            1)
      << agent->Log();
}

// A container removed while no agent ran: the next agent deletes its key
// at start (it carries this host's address and nothing backs it) and keeps
// everything else — including another host's key.
TEST_F(AgentTest, AgentDeletesStaleKeysAtStart) {
  auto agent = StartAgent({"--ttl", "30s"});
  ASSERT_NE(agent, nullptr);
  BERTH_RUN(removed, Nginx({{"berth.service", "app"}}));
  BERTH_RUN(kept, Nginx({{"berth.service", "app"}}));
  ASSERT_TRUE(WaitForValue(Key(removed), Address(removed))) << agent->LogTail();
  ASSERT_TRUE(WaitForValue(Key(kept), Address(kept))) << agent->LogTail();
  ASSERT_TRUE(agent->Signal(SIGKILL));
  ASSERT_TRUE(agent->WaitExit(10s).has_value());
  ASSERT_TRUE(client().Remove(removed.id, /*force=*/true).ok());
  ASSERT_TRUE(kv().Put("/app/servers/orphan", std::string(kHostIp) + ":1"));
  ASSERT_TRUE(kv().Put("/app/servers/elsewhere", "10.255.0.9:8080"));
  const int64_t old_lease = Get(Key(kept))->lease;
  auto watcher = Watch("/app/servers/");
  ASSERT_NE(watcher, nullptr);

  auto again = StartAgent({"--ttl", "30s"});
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(WaitForAbsent(Key(removed))) << again->LogTail();
  EXPECT_TRUE(WaitForAbsent("/app/servers/orphan")) << again->LogTail();
  EXPECT_TRUE(WaitFor([&] { return Get(Key(kept)) && Get(Key(kept))->lease != old_lease; }, 15s))
      << "not registered on the new agent's lease";
  EXPECT_EQ(Value(Key(kept)), Address(kept));
  EXPECT_EQ(Value("/app/servers/elsewhere"), "10.255.0.9:8080");
  const auto changes = watcher->Changes();
  EXPECT_FALSE(Touched(changes, Key(kept), /*deleted=*/true));
  EXPECT_FALSE(Touched(changes, "/app/servers/elsewhere"));
}

// etcd is down for longer than the TTL and comes back (same data): while it
// is away a container is removed (and the agent's attempt to delete its key
// fails) and another is started; afterwards every running container is
// registered on a live lease and the removed one's key is gone.
TEST_F(AgentTest, EtcdRestartedAfterLongerThanTheTtl) {
  auto agent = StartAgent({"--ttl", "2s"});
  ASSERT_NE(agent, nullptr);
  BERTH_RUN(removed, Nginx({{"berth.service", "app"}}));
  BERTH_RUN(kept, Nginx({{"berth.service", "app"}}));
  ASSERT_TRUE(WaitForValue(Key(removed), Address(removed))) << agent->LogTail();
  ASSERT_TRUE(WaitForValue(Key(kept), Address(kept))) << agent->LogTail();
  const int64_t old_lease = Get(Key(kept))->lease;

  const auto down_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(etcd_->Stop(0).ok());
  ASSERT_TRUE(client().Remove(removed.id, /*force=*/true).ok());
  BERTH_RUN(started, Nginx({{"berth.service", "app"}}));
  // Down until the agent gave up deleting the key (its etcd calls time out
  // after 10 s), and longer than the TTL.
  EXPECT_TRUE(
      WaitFor([&] { return agent->CountInLog("deregister " + Key(removed) + ":") >= 1; }, 20s))
      << agent->LogTail();
  std::this_thread::sleep_until(down_at + 3s);
  ASSERT_TRUE(etcd_->Restart(0).ok());
  const auto back_at = std::chrono::steady_clock::now();

  EXPECT_TRUE(WaitForAbsent(Key(removed), 30s)) << agent->LogTail();
  EXPECT_TRUE(WaitForValue(Key(started), Address(started), 30s)) << agent->LogTail();
  EXPECT_TRUE(WaitForValue(Key(kept), Address(kept), 30s)) << agent->LogTail();
  std::printf("etcd back -> registrations right again: %.0f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - back_at)
                  .count());
  auto k = Get(Key(kept));
  auto s = Get(Key(started));
  ASSERT_TRUE(k && s);
  EXPECT_EQ(k->lease, s->lease) << "one lease for all keys";
  auto ttl = kv().LeaseTimeToLive(k->lease);
  ASSERT_TRUE(ttl.has_value()) << ttl.error().message();
  EXPECT_GT(*ttl, 0) << "the keys hang on a dead lease";
  std::printf("lease before %lld, after %lld (etcd %s)\n", static_cast<long long>(old_lease),
              static_cast<long long>(k->lease),
              k->lease == old_lease ? "kept the lease across its restart" : "lost the lease");
  // And it is kept alive: still there after two TTLs.
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(Value(Key(kept)), Address(kept)) << agent->LogTail();
}

// etcd unreachable (frozen) for longer than the TTL: the lease expires and
// etcd drops the keys; the agent grants a new lease and registers
// everything again.
TEST_F(AgentTest, LeaseLostWhileEtcdWasUnreachableIsReplaced) {
  auto agent = StartAgent({"--ttl", "2s"});
  ASSERT_NE(agent, nullptr);
  BERTH_RUN(a, Nginx({{"berth.service", "app"}}));
  BERTH_RUN(b, Nginx({{"berth.service", "app"}}));
  ASSERT_TRUE(WaitForValue(Key(a), Address(a))) << agent->LogTail();
  ASSERT_TRUE(WaitForValue(Key(b), Address(b))) << agent->LogTail();
  const int64_t old_lease = Get(Key(a))->lease;

  ASSERT_TRUE(etcd_->Pause(0).ok());
  std::this_thread::sleep_for(3500ms);
  ASSERT_TRUE(etcd_->Resume(0).ok());

  EXPECT_TRUE(WaitFor([&] { return kv().LeaseTimeToLive(old_lease).value_or(0) == -1; }, 10s))
      << "the old lease did not expire";
  for (const auto* c : {&a, &b}) {
    EXPECT_TRUE(WaitFor(
        [&] {
          auto kv = Get(Key(*c));
          return kv && kv->lease != old_lease && kv->value == Address(*c);
        },
        15s))
        << c->name << " not registered again; " << agent->LogTail();
  }
  EXPECT_GE(agent->CountInLog("the lease expired"), 1u) << agent->LogTail();
}

// Two agents with different --host-ip on one etcd, one prefix: each
// reconciles over the other's keys and must leave them alone.
TEST_F(AgentTest, TwoAgentsNeverTouchEachOthersKeys) {
  ASSERT_TRUE(kv().Put("/app/mine-stale-2", "127.0.0.2:1"));
  ASSERT_TRUE(kv().Put("/app/web/mine-stale-3", "127.0.0.3:1"));
  ASSERT_TRUE(kv().Put("/app/elsewhere", "10.255.0.9:8080"));
  BERTH_RUN(c, Nginx({{"berth.service", "web"}}));
  const std::string port = std::to_string(PublishedPort(c));
  const std::string key2 = "/app/" + c.name;
  const std::string key3 = "/app/web/" + c.name;

  // Agent 2: /app/NAME; agent 3: /app/SERVICE/NAME.  Each one's prefix holds
  // the other's keys.
  auto agent2 = StartAgent({"--prefix", "/app", "--ttl", "2s"}, "127.0.0.2");
  ASSERT_NE(agent2, nullptr);
  ASSERT_TRUE(WaitForValue(key2, "127.0.0.2:" + port)) << agent2->LogTail();
  auto watcher = Watch("/app/");
  ASSERT_NE(watcher, nullptr);
  auto agent3 = StartAgent({"--prefix", "/app", "--layout", "service", "--ttl", "2s"}, "127.0.0.3");
  ASSERT_NE(agent3, nullptr);
  ASSERT_TRUE(WaitForValue(key3, "127.0.0.3:" + port)) << agent3->LogTail();
  EXPECT_TRUE(WaitForAbsent("/app/web/mine-stale-3")) << agent3->LogTail();
  EXPECT_TRUE(WaitForAbsent("/app/mine-stale-2")) << agent2->LogTail();

  // Agent 2 starts again and reconciles over agent 3's keys.
  ASSERT_TRUE(agent2->Signal(SIGTERM));
  ASSERT_TRUE(agent2->WaitExit(10s).has_value());
  agent2 = StartAgent({"--prefix", "/app", "--ttl", "2s"}, "127.0.0.2");
  ASSERT_NE(agent2, nullptr);
  ASSERT_TRUE(WaitFor([&] { return agent2->CountInLog("registered " + key2) >= 1; }, 15s))
      << agent2->LogTail();
  EXPECT_EQ(Value(key2), "127.0.0.2:" + port);

  // Agent 3 dies: its keys expire, agent 2's stay.
  ASSERT_TRUE(agent3->Signal(SIGKILL));
  EXPECT_TRUE(WaitForAbsent(key3, 10s));
  EXPECT_EQ(Value(key2), "127.0.0.2:" + port);
  EXPECT_EQ(Value("/app/elsewhere"), "10.255.0.9:8080");
  const auto changes = watcher->Changes();
  EXPECT_FALSE(Touched(changes, key2, /*deleted=*/true)) << "agent 3 deleted agent 2's key";
  EXPECT_FALSE(Touched(changes, "/app/elsewhere"));
  // key3 was deleted exactly once: by its lease, after agent 3 died.
  EXPECT_EQ(std::count_if(changes.begin(), changes.end(),
                          [&](const auto& ch) { return ch.key == key3 && ch.deleted; }),
            1);
}

// Mistakes get one clear line and a non-zero exit.
TEST_F(AgentTest, BadInputIsRefusedClearly) {
  // dockerd unreachable: launch and kill say where they looked; the agent
  // says it once and keeps retrying.
  const std::string nowhere = "unix://" + tmp_.Path("no-dockerd.sock");
  BerthOutcome r = Berth({"launch", "--docker", nowhere, "--etcd", endpoint()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(Lines(r.output).size(), 1u) << r.output;
  EXPECT_TRUE(Contains(r.output, "cannot reach dockerd at " + nowhere)) << r.output;
  const std::string tcp = "tcp://127.0.0.1:" + std::to_string(RefusingLoopbackPort());
  r = Berth({"kill", "x", "--docker", tcp, "--etcd", endpoint()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(Lines(r.output).size(), 1u) << r.output;
  EXPECT_TRUE(Contains(r.output, tcp)) << r.output;
  auto agent = StartAgent({"--docker", nowhere});
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(
      WaitFor([&] { return agent->CountInLog("cannot reach dockerd at " + nowhere) >= 1; }, 10s))
      << agent->LogTail();
  std::this_thread::sleep_for(1s);  // several retries
  EXPECT_EQ(agent->CountInLog("cannot reach dockerd"), 1u) << agent->Log();
  ASSERT_TRUE(agent->Signal(SIGTERM));
  auto status = agent->WaitExit(10s);
  ASSERT_TRUE(status.has_value()) << "the agent ignored SIGTERM while retrying";
  EXPECT_EQ(WEXITSTATUS(*status), 0);

  // No such container / image.
  r = Berth({"kill", "nosuch", "--etcd", endpoint()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.output, "no container named nosuch")) << r.output;
  r = Berth({"launch", "--image", "nosuch", "--etcd", endpoint()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(Lines(r.output).size(), 1u) << r.output;
  EXPECT_TRUE(Contains(r.output, "image nosuch is not on this Docker host")) << r.output;
  EXPECT_TRUE(Contains(r.output, "build")) << r.output;
  r = Berth({"launch", "--image", "berth/nginx:nosuch", "--etcd", endpoint()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.output, "scripts/build-nginx-image.sh")) << r.output;

  // Names that cannot be keys.
  for (const char* bad : {"a b", "a/b", "-x", ""}) {
    r = Berth({"launch", "--name", bad, "--etcd", endpoint()});
    EXPECT_NE(r.exit_code, 0) << bad;
    EXPECT_TRUE(Contains(r.output, "--name")) << bad << ": " << r.output;
  }
  r = Berth({"launch", "--service", "a/b", "--etcd", endpoint()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.output, "--service")) << r.output;
  r = Berth({"kill", "../etc", "--etcd", endpoint()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.output, "../etc")) << r.output;
  r = Berth({"agent", "--host-ip", "not-an-ip", "--etcd", endpoint()}, 10s);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Contains(r.output, "--host-ip not-an-ip is not an IP address")) << r.output;
  r = Berth({"agent", "--ttl", "0s", "--etcd", endpoint()}, 10s);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(Contains(r.output, "--ttl")) << r.output;
  // Nothing was created by any of it.
  auto list = client().List(true, "berth.service");
  ASSERT_TRUE(list.has_value());
  for (const auto& s : *list) EXPECT_NE(s.image, "nosuch");
}

}  // namespace
}  // namespace berth::testing
