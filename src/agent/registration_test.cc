// Which containers register, under which key and value (table-driven).
#include "agent/registration.h"

#include <gtest/gtest.h>

namespace berth::agent {
namespace {

docker::Container Nginx() {
  docker::Container c;
  c.id = "abc123";
  c.name = "web-1";
  c.running = true;
  c.labels = {{"berth.service", "app"}};
  c.ports = {{"80/tcp", "0.0.0.0", 32768}, {"80/tcp", "::", 32768}};
  return c;
}

TEST(Registration, SeedLayout) {
  RegistrationOptions o;
  o.host_ip = "192.168.252.138";
  auto r = RegistrationFor(Nginx(), o);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->key, "/app/servers/web-1");
  EXPECT_EQ(r->value, "192.168.252.138:32768");
  EXPECT_EQ(r->service, "app");
}

TEST(Registration, ServiceLayoutAndPrefix) {
  RegistrationOptions o;
  o.host_ip = "10.0.0.1";
  o.layout = Layout::kService;
  o.prefix = "/services/";
  auto r = RegistrationFor(Nginx(), o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->key, "/services/app/web-1");
}

TEST(Registration, OnlyTheServiceAskedFor) {
  RegistrationOptions o;
  o.host_ip = "10.0.0.1";
  o.service = "app";
  EXPECT_TRUE(RegistrationFor(Nginx(), o).has_value());
  o.service = "web";
  auto r = RegistrationFor(Nginx(), o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kNotFound);  // not eligible: no warning
}

struct EligibilityCase {
  const char* what;
  std::map<std::string, std::string> labels;
  std::vector<std::string> env;
  std::optional<std::string> service;
};

TEST(Registration, Eligibility) {
  const EligibilityCase cases[] = {
      {"label", {{"berth.service", "api"}}, {}, "api"},
      {"registrator env", {}, {"PATH=/bin", "SERVICE_NAME=db"}, "db"},
      {"label wins over env", {{"berth.service", "a"}}, {"SERVICE_NAME=b"}, "a"},
      {"nothing", {}, {"PATH=/bin"}, std::nullopt},
      {"ignored by env", {{"berth.service", "a"}}, {"SERVICE_IGNORE=1"}, std::nullopt},
      {"ignored by label", {{"berth.service", "a"}, {"SERVICE_IGNORE", "true"}}, {}, std::nullopt},
      {"empty service", {{"berth.service", ""}}, {}, std::nullopt},
      {"SERVICE_NAME_X is not SERVICE_NAME", {}, {"SERVICE_NAME_X=x"}, std::nullopt},
  };
  for (const auto& c : cases) {
    docker::Container k = Nginx();
    k.labels = c.labels;
    k.env = c.env;
    EXPECT_EQ(ServiceOf(k), c.service) << c.what;
  }
}

TEST(Registration, PortChoice) {
  RegistrationOptions o;
  o.host_ip = "10.0.0.1";
  docker::Container c = Nginx();
  c.ports = {
      {"443/tcp", "0.0.0.0", 40001}, {"80/tcp", "0.0.0.0", 40000}, {"53/udp", "0.0.0.0", 40002}};
  auto lowest = RegistrationFor(c, o);
  ASSERT_TRUE(lowest);
  EXPECT_EQ(lowest->value, "10.0.0.1:40000");  // the lowest TCP port
  c.labels["berth.port"] = "443";
  auto chosen = RegistrationFor(c, o);
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->value, "10.0.0.1:40001");
  c.labels["berth.port"] = "8080/tcp";
  EXPECT_EQ(RegistrationFor(c, o).error().code(), Code::kFailedPrecondition);
  c.labels.erase("berth.port");
  c.ports.clear();
  auto none = RegistrationFor(c, o);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), Code::kFailedPrecondition);
  EXPECT_NE(none.error().message().find("publishes no TCP port"), std::string::npos);
}

// dockerd 20.10 gives the IPv4 and IPv6 bindings of one port different
// host ports when one was taken on one family only: the address registered
// must carry the port of its own family.
TEST(Registration, PortOfTheRegisteredAddressFamily) {
  docker::Container c = Nginx();
  c.ports = {{"80/tcp", "0.0.0.0", 33006}, {"80/tcp", "::", 33001}};
  for (bool labelled : {false, true}) {
    if (labelled) c.labels["berth.port"] = "80/tcp";
    RegistrationOptions o;
    o.host_ip = "127.0.0.1";
    EXPECT_EQ(RegistrationFor(c, o)->value, "127.0.0.1:33006") << labelled;
    o.host_ip = "::1";
    EXPECT_EQ(RegistrationFor(c, o)->value, "[::1]:33001") << labelled;
  }
}

TEST(Registration, ValidatesWhatReachesEtcd) {
  RegistrationOptions o;
  o.host_ip = "10.0.0.1";
  for (const char* bad : {"web;1", "web 1", "web\n1", "", "../x", "a/b"}) {
    docker::Container c = Nginx();
    c.name = bad;
    EXPECT_FALSE(RegistrationFor(c, o)) << bad;
  }
  docker::Container c = Nginx();
  c.labels["berth.service"] = "app; shutdown";
  EXPECT_FALSE(RegistrationFor(c, o));
  o.host_ip = "10.0.0.1; rm";
  EXPECT_FALSE(RegistrationFor(Nginx(), o));
}

TEST(Registration, AddressesAndNames) {
  struct Case {
    const char* s;
    bool ok;
  } addresses[] = {{"10.0.0.1:80", true},    {"10.0.0.1:65535", true},  {"[::1]:80", true},
                   {"10.0.0.1:0", false},    {"10.0.0.1:65536", false}, {"10.0.0.1", false},
                   {"host:80", false},       {"10.0.0.1:80;x", false},  {"10.0.0.1:8 0", false},
                   {"10.0.0.1:80\n", false}, {"::1:80", false}};
  for (const auto& c : addresses) EXPECT_EQ(ValidAddress(c.s), c.ok) << c.s;
  EXPECT_TRUE(ValidName("nginx_1.test-2"));
  EXPECT_FALSE(ValidName("nginx 1"));
}

// Docker's rule for container names, which launch and kill check before
// asking dockerd (whose own answers are "Invalid container name" or an HTTP
// redirect for "../x").
TEST(Registration, ContainerNames) {
  struct Case {
    const char* s;
    bool ok;
  } names[] = {{"web-1", true}, {"a1", true},   {"0abc", true},     {"x.y_z-w", true},
               {"a", false},    {"", false},    {"-x", false},      {".x", false},
               {"_x", false},   {"a b", false}, {"../etc", false},  {"a/b", false},
               {"é1", false},   {"x\n", false}, {"web-1:80", false}};
  for (const auto& c : names) EXPECT_EQ(ValidContainerName(c.s), c.ok) << c.s;
}

TEST(FreeInstanceNames, LowestFreeNumbers) {
  EXPECT_EQ(FreeInstanceNames({}, "app", 3), (std::vector<std::string>{"app-1", "app-2", "app-3"}));
  EXPECT_EQ(FreeInstanceNames({"app-1", "app-3", "web-2"}, "app", 3),
            (std::vector<std::string>{"app-2", "app-4", "app-5"}));
  EXPECT_TRUE(FreeInstanceNames({"app-1"}, "app", 0).empty());
}

}  // namespace
}  // namespace berth::agent
