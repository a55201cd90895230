#include "haproxy/validate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::haproxy {
namespace {

TEST(ValidateNameTest, Table) {
  struct Case {
    std::string name;
    bool ok;
  };
  const Case cases[] = {
      {"web-1", true},
      {"TransparentBack_http", true},
      {"nginx.2:a", true},
      {"a", true},
      {std::string(255, 'x'), true},
      {std::string(256, 'x'), false},
      {"", false},
      {"web 1", false},
      {"web;1", false},
      {"web\n1", false},
      {"web\r", false},
      {"web/1", false},
      {"web#1", false},
      {"web\"1", false},
      {"wéb", false},
      {"web\t", false},
      {"web\\1", false},
      {std::string("we\0b", 4), false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ValidateName("server", c.name).ok(), c.ok) << c.name;
  }
  const Status s = ValidateName("backend", "a;b");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("backend name \"a;b\""), std::string::npos) << s.message();
  EXPECT_NE(ValidateName("server", "a\nb").message().find("a\\x0ab"), std::string::npos);
}

TEST(ValidateIpTest, Table) {
  struct Case {
    std::string ip;
    bool ok;
  };
  const Case cases[] = {
      {"10.0.0.1", true},      {"127.0.0.1", true},
      {"::1", true},           {"fe80::1", true},
      {"2001:db8::42", true},  {"::ffff:10.0.0.1", true},
      {"10.0.0", false},       {"10.0.0.256", false},
      {"010.0.0.1", false},    {"0x7f.0.0.1", false},
      {"localhost", false},    {"[::1]", false},
      {"fe80::1%eth0", false}, {"", false},
      {"10.0.0.1 ", false},    {"10.0.0.1;", false},
      {"1.2.3.4\n", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsIpLiteral(c.ip), c.ok) << c.ip;
  EXPECT_TRUE(ValidatePort(1).ok());
  EXPECT_TRUE(ValidatePort(65535).ok());
  EXPECT_FALSE(ValidatePort(0).ok());
  EXPECT_FALSE(ValidatePort(65536).ok());
  EXPECT_FALSE(ValidatePort(-80).ok());
}

TEST(ParseServerAddressTest, Table) {
  struct Case {
    std::string address;
    Code code;
    std::string ip;
    int port;
  };
  const Case cases[] = {
      {"10.0.0.1:80", Code::kOk, "10.0.0.1", 80},
      {"127.0.0.1:32768", Code::kOk, "127.0.0.1", 32768},
      {"[::1]:8080", Code::kOk, "::1", 8080},
      {"::1:8080", Code::kOk, "::1", 8080},
      {"ipv4@10.0.0.1:1", Code::kOk, "10.0.0.1", 1},
      {"ipv6@::1:65535", Code::kOk, "::1", 65535},
      {"ipv6@[2001:db8::1]:443", Code::kOk, "2001:db8::1", 443},
      // Valid for HAProxy, not sendable: reload.
      {"web.local:80", Code::kFailedPrecondition, "", 0},
      {"${WEB_IP}:80", Code::kFailedPrecondition, "", 0},
      {"10.0.0.1", Code::kFailedPrecondition, "", 0},
      {"10.0.0.1:", Code::kFailedPrecondition, "", 0},
      {"10.0.0.1:+1", Code::kFailedPrecondition, "", 0},
      {"10.0.0.1:-1", Code::kFailedPrecondition, "", 0},
      {"10.0.0.1:0", Code::kFailedPrecondition, "", 0},
      {"10.0.0.1:65536", Code::kFailedPrecondition, "", 0},
      {"10.0.0.1:80-90", Code::kFailedPrecondition, "", 0},
      {"unix@/run/web.sock", Code::kFailedPrecondition, "", 0},
      {"ipv4@::1:80", Code::kFailedPrecondition, "", 0},
      {"ipv6@10.0.0.1:80", Code::kFailedPrecondition, "", 0},
      {"[10.0.0.1]:80", Code::kFailedPrecondition, "", 0},
      // Never an address: refuse.
      {"10.0.0.1:80; shutdown frontend x", Code::kInvalidArgument, "", 0},
      {"10.0.0.1:80;", Code::kInvalidArgument, "", 0},
      {"10.0.0.1:80\nshow info", Code::kInvalidArgument, "", 0},
      {"10.0.0.1:80 ", Code::kInvalidArgument, "", 0},
      {"10.0.0.1:8\"0", Code::kInvalidArgument, "", 0},
      {"10.0.0.1:80#x", Code::kInvalidArgument, "", 0},
      {"", Code::kInvalidArgument, "", 0},
  };
  for (const auto& c : cases) {
    auto r = ParseServerAddress(c.address);
    if (c.code == Code::kOk) {
      ASSERT_TRUE(r.has_value()) << c.address << ": " << r.error().message();
      EXPECT_EQ(r->ip, c.ip) << c.address;
      EXPECT_EQ(r->port, c.port) << c.address;
    } else {
      ASSERT_FALSE(r.has_value()) << c.address;
      EXPECT_EQ(r.error().code(), c.code) << c.address << ": " << r.error().message();
    }
  }
  EXPECT_EQ((IpPort{"10.0.0.1", 80}.ToString()), "10.0.0.1:80");
  EXPECT_EQ((IpPort{"::1", 80}.ToString()), "[::1]:80");
}

TEST(ServerOptionsTest, Values) {
  struct Case {
    std::string keyword, value;
    bool ok;
  };
  const Case cases[] = {
      {"check", "", true},
      {"check", "1", false},
      {"inter", "5000", true},
      {"inter", "2s", true},
      {"inter", "100ms", true},
      {"inter", "1m", true},
      {"inter", "5x", false},
      {"inter", "", false},
      {"inter", "-1", false},
      {"inter", "5s;", false},
      {"inter", "5 s", false},
      {"inter", "12345678901", false},
      {"fall", "1", true},
      {"fall", "0", false},
      {"rise", "2", true},
      {"weight", "0", true},
      {"weight", "256", true},
      {"weight", "257", false},
      {"weight", "+1", false},
      {"weight", "1%", false},
      {"weight", "0x10", false},
      {"maxconn", "100", true},
      {"maxconn", "-1", false},
      {"pool-max-conn", "-1", true},
      {"port", "8080", true},
      {"port", "0", false},
      {"observe", "layer7", true},
      {"observe", "layer8", false},
      {"on-error", "mark-down", true},
      {"on-marked-down", "shutdown-sessions", true},
      {"slowstart", "10s", true},
      {"cookie", "abc", false},
      {"track", "be/s1", false},
      {"ssl", "", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ValidateServerOption({c.keyword, c.value}).ok(), c.ok) << c.keyword << " " << c.value;
  }
}

TEST(ServerOptionsTest, Parse) {
  struct Case {
    std::vector<std::string> words;
    Code code;
    size_t count;
  };
  const Case cases[] = {
      {{}, Code::kOk, 0},
      {{"check", "inter", "5000", "fall", "1", "rise", "2"}, Code::kOk, 4},
      {{"check", "weight", "10", "backup", "disabled"}, Code::kOk, 4},
      {{"cookie", "s1"}, Code::kFailedPrecondition, 0},
      {{"check", "track", "be/a"}, Code::kFailedPrecondition, 0},
      {{"check", "ssl", "verify", "none"}, Code::kFailedPrecondition, 0},
      {{"inter"}, Code::kInvalidArgument, 0},
      {{"inter", "abc"}, Code::kInvalidArgument, 0},
      {{"check", "inter", "5000;", "shutdown"}, Code::kInvalidArgument, 0},
      {{"agent-send", "a;b"}, Code::kInvalidArgument, 0},
      {{"weight", "1\n"}, Code::kInvalidArgument, 0},
  };
  for (const auto& c : cases) {
    auto r = ParseServerOptions(c.words);
    std::string joined;
    for (const auto& w : c.words) joined += w + " ";
    if (c.code == Code::kOk) {
      ASSERT_TRUE(r.has_value()) << joined << r.error().message();
      EXPECT_EQ(r->size(), c.count) << joined;
    } else {
      ASSERT_FALSE(r.has_value()) << joined;
      EXPECT_EQ(r.error().code(), c.code) << joined << r.error().message();
    }
  }
}

TEST(DynamicServerTest, Validate) {
  DynamicServer s{"web-1", {"10.0.0.1", 80}, {{"check", ""}, {"inter", "2s"}}};
  EXPECT_TRUE(ValidateDynamicServer(s).ok());
  EXPECT_TRUE(s.HasFlag("check"));
  EXPECT_EQ(s.Value("inter"), "2s");
  EXPECT_EQ(s.Value("weight"), "");
  auto bad = s;
  bad.name = "web 1";
  EXPECT_FALSE(ValidateDynamicServer(bad).ok());
  bad = s;
  bad.address.ip = "10.0.0.1:80;";
  EXPECT_FALSE(ValidateDynamicServer(bad).ok());
  bad = s;
  bad.address.ip = "web.local";
  EXPECT_FALSE(ValidateDynamicServer(bad).ok());
  bad = s;
  bad.address.port = 0;
  EXPECT_FALSE(ValidateDynamicServer(bad).ok());
  bad = s;
  bad.options.push_back({"inter", "1s; shutdown frontend fe"});
  EXPECT_FALSE(ValidateDynamicServer(bad).ok());
  bad = s;
  bad.options.push_back({"cookie", "x"});
  EXPECT_FALSE(ValidateDynamicServer(bad).ok());
}

}  // namespace
}  // namespace berth::haproxy
