// docker::Client against the real dockerd (docker_fixture.h), with
// containers of berth/nginx: the calls berth's agent, launch and kill make,
// the event stream, and what an unreachable daemon looks like.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "docker/client.h"
#include "docker/wire.h"
#include "sys/testing/temp_dir.h"
#include "tests/integration/docker_fixture.h"

namespace berth::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

class DockerClientTest : public DockerTest {};

TEST_F(DockerClientTest, NegotiatesVersion) {
  const std::string& v = client().api_version();
  EXPECT_FALSE(docker::ApiVersionLess(v, docker::kMinApiVersion)) << v;
  EXPECT_FALSE(docker::ApiVersionLess(docker::kMaxApiVersion, v)) << v;
  EXPECT_FALSE(client().daemon_version().empty());
  if (client().daemon_version().starts_with("20.10.")) {
    EXPECT_EQ(v, "1.41");
  }
  if (std::getenv("DOCKER_HOST") == nullptr) {
    EXPECT_EQ(client().host(), "unix:///var/run/docker.sock");
  }
}

TEST_F(DockerClientTest, ImageExists) {
  auto yes = client().ImageExists(kNginxImage);
  ASSERT_TRUE(yes.has_value()) << yes.error().message();
  EXPECT_TRUE(*yes);
  auto short_name = client().ImageExists("berth/nginx");
  ASSERT_TRUE(short_name.has_value()) << short_name.error().message();
  EXPECT_TRUE(*short_name);
  auto no = client().ImageExists("berth/no-such-image:never");
  ASSERT_TRUE(no.has_value()) << no.error().message();
  EXPECT_FALSE(*no);
}

TEST_F(DockerClientTest, CreateStartInspectAndServe) {
  docker::CreateOptions o;
  o.labels = {{"berth.service", "web"}};
  o.env = {"GREETING=hello"};
  o.publish_all = true;
  auto c = containers().Run(o);
  ASSERT_TRUE(c.has_value()) << c.error().message();

  EXPECT_EQ(c->id.size(), 64u);
  EXPECT_TRUE(c->name.starts_with("berth-test-")) << c->name;
  EXPECT_EQ(c->image, kNginxImage);
  EXPECT_TRUE(c->running);
  EXPECT_EQ(c->status, "running");
  EXPECT_EQ(c->health, "");
  EXPECT_EQ(c->hostname, c->id.substr(0, 12));
  EXPECT_EQ(c->labels.at("berth.service"), "web");
  EXPECT_EQ(c->labels.at(kTestLabel), containers().label_value());
  EXPECT_NE(std::find(c->env.begin(), c->env.end(), "GREETING=hello"), c->env.end());
  EXPECT_FALSE(c->ip_address.empty());
  const uint16_t port = PublishedPort(*c);
  ASSERT_NE(port, 0) << "80/tcp is not published";

  // Inspect by name finds the same container.
  auto by_name = client().Inspect(c->name);
  ASSERT_TRUE(by_name.has_value()) << by_name.error().message();
  EXPECT_EQ(by_name->id, c->id);

  // nginx answers with the container's hostname once it listens.
  Result<HttpReply> reply = Err(Status::Unavailable("not asked yet"));
  EXPECT_TRUE(WaitUntil(
      [&] {
        reply = HttpGetFrom("127.0.0.1", port, "/", milliseconds(1000));
        return reply.has_value();
      },
      seconds(10), milliseconds(50)))
      << reply.error().message();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, c->hostname + "\n");

  // List finds it by the test's label, with the published port.
  auto list = client().List(false, containers().label());
  ASSERT_TRUE(list.has_value()) << list.error().message();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, c->id);
  EXPECT_EQ((*list)[0].name, c->name);
  EXPECT_EQ((*list)[0].state, "running");
  bool listed_port = false;
  for (const auto& p : (*list)[0].ports) listed_port |= p.host_port == port;
  EXPECT_TRUE(listed_port);
  auto by_service = client().List(false, "berth.service=web");
  ASSERT_TRUE(by_service.has_value()) << by_service.error().message();
  EXPECT_TRUE(std::any_of(by_service->begin(), by_service->end(),
                          [&](const docker::ContainerSummary& s) { return s.id == c->id; }));
}

TEST_F(DockerClientTest, ServesTheBoundDocumentRoot) {
  // The seed binds a host directory onto nginx's document root.
  TempDir docroot;
  docroot.Write("hello.txt", "from the host\n");
  ::chmod(docroot.path().c_str(), 0755);
  docker::CreateOptions o;
  o.publish_all = true;
  o.binds = {docroot.path() + ":/usr/share/nginx/html:ro"};
  auto c = containers().Run(o);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  const uint16_t port = PublishedPort(*c);
  ASSERT_NE(port, 0);
  Result<HttpReply> reply = Err(Status::Unavailable("not asked yet"));
  EXPECT_TRUE(WaitUntil(
      [&] {
        reply = HttpGetFrom("127.0.0.1", port, "/static/hello.txt", milliseconds(1000));
        return reply.has_value();
      },
      seconds(10), milliseconds(50)));
  ASSERT_TRUE(reply.has_value()) << reply.error().message();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "from the host\n");
  EXPECT_TRUE(containers().RemoveAll().ok());
}

TEST_F(DockerClientTest, HealthCheck) {
  docker::CreateOptions o;
  o.health_check = docker::HealthCheck{
      {"CMD", "/usr/sbin/nginx", "-t", "-q"}, milliseconds(300), seconds(5), {}, 1};
  auto c = containers().Run(o);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  std::string health = c->health;
  EXPECT_TRUE(health == "starting" || health == "healthy") << health;
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto now = client().Inspect(c->id);
        health = now ? now->health : now.error().message();
        return health == "healthy";
      },
      seconds(20), milliseconds(100)))
      << health;
}

TEST_F(DockerClientTest, StopAndRemove) {
  auto c = containers().Run({});
  ASSERT_TRUE(c.has_value()) << c.error().message();

  const auto start = Clock::now();
  ASSERT_TRUE(client().Stop(c->id, seconds(10)).ok());
  EXPECT_LT(Clock::now() - start, seconds(9)) << "nginx should stop on SIGTERM";
  auto stopped = client().Inspect(c->id);
  ASSERT_TRUE(stopped.has_value()) << stopped.error().message();
  EXPECT_FALSE(stopped->running);
  EXPECT_EQ(stopped->status, "exited");
  EXPECT_TRUE(stopped->ports.empty());
  // Stopping a stopped container and starting it again are fine.
  EXPECT_TRUE(client().Stop(c->id, seconds(10)).ok());
  ASSERT_TRUE(client().Start(c->id).ok());
  EXPECT_TRUE(client().Start(c->id).ok());
  auto again = client().Inspect(c->id);
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_TRUE(again->running);

  // Without force a running container stays; with force it goes.
  Status refused = client().Remove(c->id, /*force=*/false);
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition) << refused.message();
  ASSERT_TRUE(client().Remove(c->id, /*force=*/true).ok());
  auto gone = client().Inspect(c->id);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code(), Code::kNotFound);
  EXPECT_EQ(client().Remove(c->id, true).code(), Code::kNotFound);
}

TEST_F(DockerClientTest, UnknownNamesAreNotFound) {
  const std::string name = "berth-no-such-container-" + std::to_string(getpid());
  auto inspect = client().Inspect(name);
  ASSERT_FALSE(inspect.has_value());
  EXPECT_EQ(inspect.error().code(), Code::kNotFound);
  EXPECT_EQ(inspect.error().message(),
            "GET /containers/" + name + "/json: No such container: " + name);
  EXPECT_EQ(client().Start(name).code(), Code::kNotFound);
  EXPECT_EQ(client().Stop(name, seconds(1)).code(), Code::kNotFound);
  EXPECT_EQ(client().Remove(name, true).code(), Code::kNotFound);

  docker::CreateOptions o;
  o.name = containers().NewName();
  o.image = "berth/no-such-image:never";
  o.labels = {{kTestLabel, containers().label_value()}};
  auto created = client().Create(o);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code(), Code::kNotFound) << created.error().message();
}

TEST_F(DockerClientTest, NameTakenIsFailedPrecondition) {
  auto first = containers().Run({});
  ASSERT_TRUE(first.has_value()) << first.error().message();
  docker::CreateOptions o;
  o.name = first->name;
  o.image = kNginxImage;
  auto second = client().Create(o);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), Code::kFailedPrecondition) << second.error().message();
}

TEST_F(DockerClientTest, EventsFollowAContainersLife) {
  auto stream = client().Events();
  ASSERT_TRUE(stream.has_value()) << stream.error().message();

  auto c = containers().Run({});
  ASSERT_TRUE(c.has_value()) << c.error().message();
  ASSERT_TRUE(client().Stop(c->id, seconds(10)).ok());
  ASSERT_TRUE(client().Remove(c->id, false).ok());

  // Other tests' containers come and go meanwhile: keep ours.
  std::vector<std::string> actions;
  const auto deadline = Clock::now() + seconds(30);
  while (actions.empty() || actions.back() != "destroy") {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    ASSERT_GT(left.count(), 0) << "no destroy event; saw " << ::testing::PrintToString(actions);
    auto ev = (*stream)->Next(left);
    ASSERT_TRUE(ev.has_value()) << ev.error().message();
    if (ev->id != c->id) continue;
    EXPECT_EQ(ev->name, c->name);
    EXPECT_EQ(ev->image, kNginxImage);
    EXPECT_EQ(ev->attributes.at(kTestLabel), c->labels.at(kTestLabel));
    EXPECT_GT(ev->time_nano, 0);
    actions.push_back(ev->action);
  }
  // create, start, (kill,) die, stop, destroy: in this order.
  const std::vector<std::string> want = {"create", "start", "die", "stop", "destroy"};
  size_t at = 0;
  for (const auto& a : actions) {
    if (at < want.size() && a == want[at]) ++at;
  }
  EXPECT_EQ(at, want.size()) << ::testing::PrintToString(actions);
  EXPECT_EQ(actions.front(), "create");

  // Nothing more about it, and the stream is still alive.
  auto quiet = (*stream)->Next(milliseconds(200));
  while (quiet.has_value()) {
    EXPECT_NE(quiet->id, c->id) << quiet->action;
    quiet = (*stream)->Next(milliseconds(200));
  }
  EXPECT_EQ(quiet.error().code(), Code::kTimeout) << quiet.error().message();
}

TEST_F(DockerClientTest, CloseUnblocksNext) {
  auto stream = client().Events();
  ASSERT_TRUE(stream.has_value()) << stream.error().message();
  docker::EventStream* s = stream->get();
  std::thread closer([s] {
    std::this_thread::sleep_for(milliseconds(300));
    s->Close();
  });
  // Events of other tests may arrive first; Close ends the wait for more.
  const auto start = Clock::now();
  Result<docker::Event> ev = s->Next(seconds(30));
  while (ev.has_value()) ev = s->Next(seconds(30));
  const auto took = Clock::now() - start;
  closer.join();
  EXPECT_EQ(ev.error().code(), Code::kCancelled) << ev.error().message();
  EXPECT_LT(took, seconds(3));
}

TEST_F(DockerClientTest, EventStreamReportsDockerdGoingAway) {
  auto relay = DockerdRelay::Start();
  ASSERT_TRUE(relay.has_value()) << relay.error().message();
  docker::ClientOptions o = DockerClientOptions();
  o.host = (*relay)->host();
  o.timeout = seconds(5);
  auto relayed = docker::Client::Connect(o);
  ASSERT_TRUE(relayed.has_value()) << relayed.error().message();
  auto stream = (*relayed)->Events();
  ASSERT_TRUE(stream.has_value()) << stream.error().message();

  // The stream works through the relay...
  auto c = containers().Run({});
  ASSERT_TRUE(c.has_value()) << c.error().message();
  bool seen = false;
  while (!seen) {
    auto ev = (*stream)->Next(seconds(10));
    ASSERT_TRUE(ev.has_value()) << ev.error().message();
    seen = ev->id == c->id;
  }

  // ...until "dockerd" goes away: once the events that had already come
  // are read, the stream says so at once, every time.
  (*relay)->Cut();
  const auto start = Clock::now();
  auto broken = (*stream)->Next(seconds(30));
  while (broken.has_value()) broken = (*stream)->Next(seconds(30));
  EXPECT_LT(Clock::now() - start, seconds(2));
  EXPECT_EQ(broken.error().code(), Code::kUnavailable) << broken.error().message();
  auto still = (*stream)->Next(seconds(1));
  ASSERT_FALSE(still.has_value());
  EXPECT_EQ(still.error().code(), Code::kUnavailable);

  // Reconnecting fails clearly while it is away, and works once it is back.
  auto refused = (*relayed)->Events();
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Code::kUnavailable);
  EXPECT_TRUE(refused.error().message().starts_with("cannot reach dockerd at " + o.host + ": "))
      << refused.error().message();
  (*relay)->Resume();
  auto again = (*relayed)->Events();
  ASSERT_TRUE(again.has_value()) << again.error().message();
  ASSERT_TRUE(client().Stop(c->id, seconds(10)).ok());
  bool died = false;
  while (!died) {
    auto ev = (*again)->Next(seconds(10));
    ASSERT_TRUE(ev.has_value()) << ev.error().message();
    died = ev->id == c->id && ev->action == "die";
  }
}

TEST_F(DockerClientTest, ClientIsSharedBetweenThreads) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (!client().List(true, containers().label()).has_value()) ++failures;
        if (!client().ImageExists(kNginxImage).has_value()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

// No daemon needed: what an unreachable dockerd looks like, and how fast.
TEST(DockerUnreachableTest, BogusSocketPath) {
  TempDir dir;
  docker::ClientOptions o;
  o.host = "unix://" + dir.Path("no-dockerd-here.sock");
  o.timeout = seconds(5);
  const auto start = Clock::now();
  auto c = docker::Client::Connect(o);
  const auto took = Clock::now() - start;
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), Code::kUnavailable);
  EXPECT_EQ(c.error().message(), "cannot reach dockerd at " + o.host +
                                     ": connect: No such file or directory — is dockerd running "
                                     "and is the socket accessible?");
  EXPECT_LT(took, seconds(1));
}

TEST(DockerUnreachableTest, SocketNobodyListensOn) {
  TempDir dir;
  // A plain file where the socket should be.
  const std::string path = dir.Write("docker.sock", "");
  docker::ClientOptions o;
  o.host = "unix://" + path;
  auto c = docker::Client::Connect(o);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), Code::kUnavailable);
  EXPECT_TRUE(c.error().message().starts_with("cannot reach dockerd at unix://" + path + ": "))
      << c.error().message();
}

TEST(DockerUnreachableTest, ClosedTcpPort) {
  const uint16_t port = RefusingLoopbackPort();
  ASSERT_NE(port, 0);
  docker::ClientOptions o;
  o.host = "tcp://127.0.0.1:" + std::to_string(port);
  o.timeout = seconds(5);
  const auto start = Clock::now();
  auto c = docker::Client::Connect(o);
  const auto took = Clock::now() - start;
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), Code::kUnavailable);
  EXPECT_EQ(c.error().message(), "cannot reach dockerd at " + o.host +
                                     ": connect: Connection refused — is dockerd running and "
                                     "listening on " +
                                     o.host + " (dockerd -H " + o.host + ")?");
  EXPECT_LT(took, seconds(1));
}

TEST(DockerUnreachableTest, DockerHostFromEnvironment) {
  TempDir dir;
  const std::string host = "unix://" + dir.Path("env.sock");
  const char* saved = std::getenv("DOCKER_HOST");
  const std::string saved_value = saved != nullptr ? saved : "";
  setenv("DOCKER_HOST", host.c_str(), 1);
  auto c = docker::Client::Connect({});
  if (saved != nullptr) {
    setenv("DOCKER_HOST", saved_value.c_str(), 1);
  } else {
    unsetenv("DOCKER_HOST");
  }
  ASSERT_FALSE(c.has_value());
  EXPECT_TRUE(c.error().message().starts_with("cannot reach dockerd at " + host + ": "))
      << c.error().message();
}

}  // namespace
}  // namespace berth::testing
