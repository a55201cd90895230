// wire.h on hand-written cases and on documents captured from dockerd
// 20.10 (API 1.41) running berth/nginx: testdata/inspect_*.json,
// list.json, events.jsonl, version.json.
#include "docker/wire.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace berth::docker {
namespace {

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(BERTH_DOCKER_TESTDATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct HostCase {
  const char* host;
  const char* env;
  const char* want;  // ToString(), or nullptr for kInvalidArgument
  const char* base_url;
};

TEST(DaemonAddressTest, Parse) {
  static const HostCase kCases[] = {
      {"", "", "unix:///var/run/docker.sock", "http://localhost"},
      {"", "unix:///run/user/1000/docker.sock", "unix:///run/user/1000/docker.sock",
       "http://localhost"},
      {"unix:///tmp/d.sock", "tcp://1.2.3.4:5", "unix:///tmp/d.sock", "http://localhost"},
      {"unix://relative.sock", "", "unix://relative.sock", "http://localhost"},
      {"tcp://127.0.0.1:2375", "", "tcp://127.0.0.1:2375", "http://127.0.0.1:2375"},
      {"tcp://docker.example:4243/", "", "tcp://docker.example:4243", "http://docker.example:4243"},
      {"tcp://10.0.0.7", "", "tcp://10.0.0.7:2375", "http://10.0.0.7:2375"},
      {"tcp://:2376", "", "tcp://127.0.0.1:2376", "http://127.0.0.1:2376"},
      {"tcp://[::1]:2375", "", "tcp://[::1]:2375", "http://[::1]:2375"},
      {"tcp://[fe80::1]", "", "tcp://[fe80::1]:2375", "http://[fe80::1]:2375"},
      {"http://10.0.0.7:80", "", "tcp://10.0.0.7:80", "http://10.0.0.7:80"},
      {"", "tcp://192.168.1.9:2375", "tcp://192.168.1.9:2375", "http://192.168.1.9:2375"},
      {"unix://", "", nullptr, nullptr},
      {"/var/run/docker.sock", "", nullptr, nullptr},
      {"ssh://me@host", "", nullptr, nullptr},
      {"https://host:2376", "", nullptr, nullptr},
      {"npipe:////./pipe/docker_engine", "", nullptr, nullptr},
      {"tcp://host:0", "", nullptr, nullptr},
      {"tcp://host:65536", "", nullptr, nullptr},
      {"tcp://host:http", "", nullptr, nullptr},
      {"tcp://::1:2375", "", nullptr, nullptr},
      {"tcp://[::1", "", nullptr, nullptr},
      {"tcp://host:2375/api", "", nullptr, nullptr},
      {"", "ssh://me@host", nullptr, nullptr},
  };
  for (const HostCase& c : kCases) {
    SCOPED_TRACE(std::string("host=\"") + c.host + "\" env=\"" + c.env + "\"");
    auto a = ParseDaemonAddress(c.host, c.env);
    if (c.want == nullptr) {
      ASSERT_FALSE(a.has_value());
      EXPECT_EQ(a.error().code(), Code::kInvalidArgument);
      continue;
    }
    ASSERT_TRUE(a.has_value()) << a.error().message();
    EXPECT_EQ(a->ToString(), c.want);
    EXPECT_EQ(a->BaseUrl(), c.base_url);
  }
}

TEST(DaemonAddressTest, ErrorSaysWhereTheHostCameFrom) {
  auto a = ParseDaemonAddress("", "ssh://me@host");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().message(),
            "invalid docker host \"ssh://me@host\" (from DOCKER_HOST): berth reaches dockerd over "
            "unix:// or tcp:// (without TLS) only");
}

TEST(DaemonAddressTest, Fields) {
  auto u = ParseDaemonAddress("unix:///var/run/docker.sock", "");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->kind, DaemonAddress::Kind::kUnix);
  EXPECT_EQ(u->socket_path, "/var/run/docker.sock");
  auto t = ParseDaemonAddress("tcp://[::1]:4243", "");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, DaemonAddress::Kind::kTcp);
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 4243);
}

TEST(ApiVersionTest, Less) {
  EXPECT_TRUE(ApiVersionLess("1.9", "1.41"));
  EXPECT_TRUE(ApiVersionLess("1.41", "1.45"));
  EXPECT_TRUE(ApiVersionLess("1.99", "2.0"));
  EXPECT_FALSE(ApiVersionLess("1.41", "1.41"));
  EXPECT_FALSE(ApiVersionLess("1.41", "1.9"));
  EXPECT_FALSE(ApiVersionLess("x", "1.9"));
  EXPECT_FALSE(ApiVersionLess("1.", "1.9"));
}

struct VersionCase {
  const char* body;
  const char* want;  // nullptr: an error
  Code code;
};

TEST(ApiVersionTest, Negotiate) {
  static const VersionCase kCases[] = {
      {R"({"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12"})", "1.41", Code::kOk},
      {R"({"Version":"28.2.2","ApiVersion":"1.50","MinAPIVersion":"1.24"})", "1.41", Code::kOk},
      {R"({"Version":"29.0.0","ApiVersion":"1.52","MinAPIVersion":"1.44"})", "1.44", Code::kOk},
      {R"({"Version":"1.13.1","ApiVersion":"1.26","MinAPIVersion":"1.12"})", "1.26", Code::kOk},
      {R"({"Version":"1.13.1","ApiVersion":"1.26"})", "1.26", Code::kOk},
      {R"({"Version":"1.11.2","ApiVersion":"1.23"})", nullptr, Code::kFailedPrecondition},
      {R"({"Version":"x"})", nullptr, Code::kInternal},
      {R"({"ApiVersion":141})", nullptr, Code::kInternal},
      {R"(<html>)", nullptr, Code::kInternal},
  };
  for (const VersionCase& c : kCases) {
    SCOPED_TRACE(c.body);
    auto v = NegotiateVersion(c.body);
    if (c.want == nullptr) {
      ASSERT_FALSE(v.has_value());
      EXPECT_EQ(v.error().code(), c.code) << v.error().message();
      continue;
    }
    ASSERT_TRUE(v.has_value()) << v.error().message();
    EXPECT_EQ(v->api_version, c.want);
  }
}

TEST(ApiVersionTest, CapturedVersion) {
  auto v = NegotiateVersion(ReadTestdata("version.json"));
  ASSERT_TRUE(v.has_value()) << v.error().message();
  EXPECT_EQ(v->api_version, "1.41");
  EXPECT_EQ(v->daemon_version, "20.10.24+dfsg1");
}

TEST(ParseContainerTest, Running) {
  auto c = ParseContainer(ReadTestdata("inspect_running.json"));
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->id, "e4392b01548ba977820bdf14fe85ba8ede762bbe8616bbff01fd5b730dfc62b9");
  EXPECT_EQ(c->name, "berth-probe");
  EXPECT_EQ(c->image, "berth/nginx");
  EXPECT_EQ(c->hostname, "e4392b01548b");
  EXPECT_EQ(c->status, "running");
  EXPECT_TRUE(c->running);
  EXPECT_FALSE(c->paused);
  EXPECT_EQ(c->exit_code, 0);
  EXPECT_EQ(c->health, "");
  EXPECT_EQ(c->labels, (std::map<std::string, std::string>{{"berth.service", "web"},
                                                           {"berth.test", "probe"}}));
  EXPECT_EQ(c->env, std::vector<std::string>{"FOO=bar"});
  ASSERT_EQ(c->ports.size(), 2u);
  EXPECT_EQ(c->ports[0].container_port, "80/tcp");
  EXPECT_EQ(c->ports[0].host_ip, "0.0.0.0");
  EXPECT_EQ(c->ports[0].host_port, 32769);
  EXPECT_EQ(c->ports[1].host_ip, "::");
  EXPECT_EQ(c->ports[1].host_port, 32769);
  EXPECT_EQ(c->ip_address, "172.17.0.2");
}

TEST(ParseContainerTest, HealthyAndNullEnv) {
  auto c = ParseContainer(ReadTestdata("inspect_healthy.json"));
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->name, "berth-probe-health");
  EXPECT_EQ(c->health, "healthy");
  EXPECT_TRUE(c->env.empty());  // "Env": null
  ASSERT_EQ(c->ports.size(), 2u);
  EXPECT_EQ(c->ports[0].host_port, 32770);
  EXPECT_EQ(c->ip_address, "172.17.0.3");
}

TEST(ParseContainerTest, CreatedAndExited) {
  auto created = ParseContainer(ReadTestdata("inspect_created.json"));
  ASSERT_TRUE(created.has_value()) << created.error().message();
  EXPECT_EQ(created->status, "created");
  EXPECT_FALSE(created->running);
  EXPECT_TRUE(created->ports.empty());
  EXPECT_EQ(created->ip_address, "");

  auto exited = ParseContainer(ReadTestdata("inspect_exited.json"));
  ASSERT_TRUE(exited.has_value()) << exited.error().message();
  EXPECT_EQ(exited->status, "exited");
  EXPECT_FALSE(exited->running);
  EXPECT_EQ(exited->health, "unhealthy");
  EXPECT_TRUE(exited->ports.empty());
  EXPECT_EQ(exited->labels.at("berth.test"), "probe");
}

TEST(ParseContainerTest, ShapesOfNewerAndOddDocuments) {
  // An exposed but unpublished port is null; the address only under
  // Networks (as newer APIs write it); labels null.
  auto c = ParseContainer(R"({
    "Id": "abc", "Name": "/x", "Image": "sha256:1",
    "State": {"Status": "running", "Running": true, "ExitCode": 0},
    "Config": {"Image": "", "Labels": null, "Env": ["A=1", "B="]},
    "NetworkSettings": {
      "Ports": {"443/tcp": null, "80/tcp": [{"HostIp": "", "HostPort": "8080"}],
                "53/udp": [{"HostIp": "0.0.0.0", "HostPort": ""}]},
      "Networks": {"custom": {"IPAddress": "10.1.0.5"}}}})");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->image, "sha256:1");
  EXPECT_TRUE(c->labels.empty());
  EXPECT_EQ(c->env, (std::vector<std::string>{"A=1", "B="}));
  ASSERT_EQ(c->ports.size(), 1u);
  EXPECT_EQ(c->ports[0].container_port, "80/tcp");
  EXPECT_EQ(c->ports[0].host_port, 8080);
  EXPECT_EQ(c->ip_address, "10.1.0.5");
}

TEST(ParseContainerTest, Malformed) {
  static const char* const kCases[] = {
      "",
      "{",
      "[]",
      R"({"Name": "/x"})",                               // no Id
      R"({"Id": 7})",                                    // wrong type
      R"({"Id": "a", "Config": {"Labels": {"k": 1}}})",  // label not a string
      R"({"Id": "a", "NetworkSettings": {"Ports": {"80/tcp": [{"HostPort": "99999"}]}}})",
      R"({"Id": "a", "State": {"Running": "yes"}})",
  };
  for (const char* doc : kCases) {
    SCOPED_TRACE(doc);
    auto c = ParseContainer(doc);
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().code(), Code::kInternal);
    EXPECT_EQ(c.error().message().rfind("container inspect: ", 0), 0u) << c.error().message();
  }
}

TEST(ParseContainerListTest, Captured) {
  auto list = ParseContainerList(ReadTestdata("list.json"));
  ASSERT_TRUE(list.has_value()) << list.error().message();
  ASSERT_EQ(list->size(), 2u);  // newest first
  EXPECT_EQ((*list)[1].name, "berth-probe");
  const ContainerSummary& s = (*list)[0];
  EXPECT_EQ(s.id, "e3a50e8b2c540cde65868cf58af662d98e315f9e3d97e09d2155fce4d343a9b2");
  EXPECT_EQ(s.name, "berth-probe-health");
  EXPECT_EQ(s.image, "berth/nginx");
  EXPECT_EQ(s.state, "running");
  EXPECT_EQ(s.labels.at("berth.test"), "probe");
  ASSERT_EQ(s.ports.size(), 2u);
  EXPECT_EQ(s.ports[0].container_port, "80/tcp");
  EXPECT_EQ(s.ports[0].host_ip, "0.0.0.0");
  EXPECT_EQ(s.ports[0].host_port, 32770);
}

TEST(ParseContainerListTest, UnpublishedPortsAndEmpty) {
  auto list = ParseContainerList(
      R"([{"Id":"a","Names":["/one"],"State":"exited","Labels":null,
           "Ports":[{"PrivatePort":80,"Type":"tcp"}]}])");
  ASSERT_TRUE(list.has_value()) << list.error().message();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].ports.empty());
  EXPECT_TRUE((*list)[0].labels.empty());
  auto empty = ParseContainerList("[]");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(ParseContainerList("{}").has_value());
}

TEST(ParseEventTest, CapturedStream) {
  std::istringstream lines(ReadTestdata("events.jsonl"));
  std::vector<std::string> actions;
  std::string line;
  while (std::getline(lines, line)) {
    bool is_container = false;
    auto ev = ParseEvent(line, &is_container);
    ASSERT_TRUE(ev.has_value()) << ev.error().message();
    EXPECT_TRUE(is_container);
    EXPECT_FALSE(ev->id.empty());
    EXPECT_GT(ev->time_nano, 1'000'000'000'000'000'000);
    if (ev->name == "berth-probe-health") actions.push_back(ev->action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "create", "start", "exec_create: /usr/sbin/nginx -t -q",
                         "exec_start: /usr/sbin/nginx -t -q", "exec_die", "health_status: healthy",
                         "exec_create: /usr/sbin/nginx -t -q", "exec_start: /usr/sbin/nginx -t -q",
                         "exec_die", "kill", "die", "stop", "destroy"}));
}

TEST(ParseEventTest, Fields) {
  bool is_container = false;
  auto ev = ParseEvent(
      R"({"status":"die","id":"abc","from":"berth/nginx","Type":"container","Action":"die",
          "Actor":{"ID":"abc","Attributes":{"exitCode":"0","image":"berth/nginx","name":"web-1",
          "berth.service":"web"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789})",
      &is_container);
  ASSERT_TRUE(ev.has_value()) << ev.error().message();
  EXPECT_TRUE(is_container);
  EXPECT_EQ(ev->action, "die");
  EXPECT_EQ(ev->id, "abc");
  EXPECT_EQ(ev->name, "web-1");
  EXPECT_EQ(ev->image, "berth/nginx");
  EXPECT_EQ(ev->attributes.at("exitCode"), "0");
  EXPECT_EQ(ev->attributes.at("berth.service"), "web");
  EXPECT_EQ(ev->time_nano, 1700000000123456789);

  auto net = ParseEvent(
      R"({"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":{}},"time":5})",
      &is_container);
  ASSERT_TRUE(net.has_value());
  EXPECT_FALSE(is_container);
  EXPECT_EQ(net->time_nano, 5'000'000'000);

  EXPECT_FALSE(ParseEvent("{\"Type\":", &is_container).has_value());
}

TEST(CreateBodyTest, Fields) {
  CreateOptions o;
  o.image = "berth/nginx";
  o.env = {"A=1"};
  o.labels = {{"berth.service", "web"}};
  o.exposed_ports = {"8080/tcp"};
  o.publish_all = true;
  o.binds = {"/root/htmldoc:/usr/share/nginx/html:ro"};
  o.cmd = {"/usr/sbin/nginx", "-g", "daemon off;"};
  o.health_check = HealthCheck{{"CMD", "/usr/sbin/nginx", "-t"},
                               std::chrono::milliseconds(1500),
                               std::chrono::milliseconds(2000),
                               {},
                               2};
  const auto body = nlohmann::json::parse(CreateBody(o));
  EXPECT_EQ(body, nlohmann::json::parse(R"({
    "Image": "berth/nginx", "Env": ["A=1"], "Labels": {"berth.service": "web"},
    "ExposedPorts": {"8080/tcp": {}}, "Cmd": ["/usr/sbin/nginx", "-g", "daemon off;"],
    "Healthcheck": {"Test": ["CMD", "/usr/sbin/nginx", "-t"], "Interval": 1500000000,
                    "Timeout": 2000000000, "Retries": 2},
    "HostConfig": {"PublishAllPorts": true,
                   "Binds": ["/root/htmldoc:/usr/share/nginx/html:ro"]}})"));

  CreateOptions minimal;
  minimal.image = "x";
  EXPECT_EQ(CreateBody(minimal), R"({"HostConfig":{},"Image":"x"})");
}

TEST(FiltersTest, Json) {
  EXPECT_EQ(LabelFilter("berth.service=web"), R"({"label":["berth.service=web"]})");
  EXPECT_EQ(LabelFilter("a\"b"), R"({"label":["a\"b"]})");
  EXPECT_EQ(ContainerEventsFilter(), R"({"type":["container"]})");
}

TEST(ErrorMessageTest, Forms) {
  EXPECT_EQ(ErrorMessage(404, R"({"message":"No such container: nope"})"),
            "No such container: nope");
  EXPECT_EQ(ErrorMessage(500, "  page not found\n"), "page not found");
  EXPECT_EQ(ErrorMessage(502, ""), "HTTP 502");
  EXPECT_EQ(ErrorMessage(500, R"({"message":""})"), R"({"message":""})");
  EXPECT_EQ(ErrorMessage(500, std::string(600, 'x')), std::string(512, 'x') + "...");
}

}  // namespace
}  // namespace berth::docker
