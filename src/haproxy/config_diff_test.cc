#include "haproxy/config_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::haproxy {
namespace {

TEST(SplitConfigLineTest, Table) {
  struct Case {
    std::string line;
    std::vector<std::string> words;
    bool ok = true;
  };
  const Case cases[] = {
      {"", {}},
      {"   \t ", {}},
      {"# comment", {}},
      {"  server a 10.0.0.1:80 check", {"server", "a", "10.0.0.1:80", "check"}},
      {"server a 10.0.0.1:80 # comment", {"server", "a", "10.0.0.1:80"}},
      {"server a 10.0.0.1:80#comment", {"server", "a", "10.0.0.1:80"}},
      {"x \"a b\" 'c d'", {"x", "a b", "c d"}},
      {"x \"a#b\" 'c#d'", {"x", "a#b", "c#d"}},
      {"x a\\ b a\\#b a\\\\b", {"x", "a b", "a#b", "a\\b"}},
      {"x \\\"q\\\" \\'s\\'", {"x", "\"q\"", "'s'"}},
      {"x \"in \\\"dq\\\"\"", {"x", "in \"dq\""}},
      {"x '\\n' \\n \\x41", {"x", "\\n", "\n", "A"}},
      {"x a\"b c\"d", {"x", "ab cd"}},
      {"x \"\"", {"x", ""}},
      {"x \\d+ \"\\$HOME\" \"$HOME\"", {"x", "\\d+", "\\$HOME", "$HOME"}},
      {"x \"unterminated", {}, false},
      {"x 'unterminated", {}, false},
      {"x \\xZZ", {}, false},
      {"x \\x4", {}, false},
      {"trailing\\", {"trailing\\"}},
      {"tab\tseparated\twords", {"tab", "separated", "words"}},
  };
  for (const auto& c : cases) {
    auto r = SplitConfigLine(c.line);
    if (!c.ok) {
      EXPECT_FALSE(r.has_value()) << c.line;
      continue;
    }
    ASSERT_TRUE(r.has_value()) << c.line << ": " << r.error().message();
    EXPECT_EQ(*r, c.words) << c.line;
  }
}

std::string Join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += " " + w;
  return s;
}

// A compact, comparable rendering of a diff:
//   "identical" | "reload" | "be: +a=10.0.0.1:80 check -b ~c=1.2.3.4:80>1.2.3.5:80 [static]"
std::string Summary(const ConfigDiff& d) {
  switch (d.kind) {
    case ConfigDiff::Kind::kIdentical:
      return "identical";
    case ConfigDiff::Kind::kNeedsReload:
      return "reload";
    case ConfigDiff::Kind::kServersOnly:
      break;
  }
  std::string out;
  for (const auto& b : d.backends) {
    if (!out.empty()) out += " | ";
    out += b.backend + ":";
    for (const auto& s : b.added) out += " +" + s.name + "=" + s.address + Join(s.options);
    for (const auto& s : b.removed) out += " -" + s.name;
    for (const auto& m : b.modified) {
      out += " ~" + m.after.name + "=" + m.before.address + Join(m.before.options) + ">" +
             m.after.address + Join(m.after.options);
    }
    if (!b.dynamic_servers) out += " [no dynamic]";
  }
  return out;
}

constexpr std::string_view kBase = R"(global
    stats socket /run/haproxy.sock level admin
defaults
    mode http
    timeout client 30s
    timeout server 30s
    timeout connect 5s
frontend fe
    bind :80
    default_backend be
backend be
    balance roundrobin
    server a 10.0.0.1:80 check inter 5000 fall 1 rise 2
    server b 10.0.0.2:80 check inter 5000 fall 1 rise 2
)";

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const size_t at = s.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no \"" << from << "\" in the base text";
    return s;
  }
  s.replace(at, from.size(), to);
  return s;
}

TEST(DiffConfigsTest, Table) {
  const std::string base(kBase);
  const std::string a_line = "    server a 10.0.0.1:80 check inter 5000 fall 1 rise 2\n";
  const std::string b_line = "    server b 10.0.0.2:80 check inter 5000 fall 1 rise 2\n";
  struct Case {
    std::string name;
    std::string old_text;
    std::string new_text;
    std::string want;         // Summary()
    std::string reason = "";  // for "reload": a part of the reason
  };
  const Case cases[] = {
      {"same text", base, base, "identical"},
      {"comment added", base, Replace(base, "frontend fe\n", "# the front\nfrontend fe # x\n"),
       "identical"},
      {"comment changed", Replace(base, "bind :80", "bind :80 # one"),
       Replace(base, "bind :80", "bind :80 # two"), "identical"},
      {"blank lines and indentation", base,
       Replace(Replace(base, "    bind :80\n", "\n\n  bind    :80\n\n"), "    mode http",
               "\tmode\thttp"),
       "identical"},
      {"quoting", base, Replace(base, "server a 10.0.0.1:80", "server 'a' \"10.0.0.1:80\""),
       "identical"},
      {"CRLF line ends", base, Replace(base, "bind :80\n", "bind :80\r\n"), "identical"},
      {"no final newline", base, base.substr(0, base.size() - 1), "identical"},
      {"server added", base, base + "    server c 10.0.0.3:8080 check\n",
       "be: +c=10.0.0.3:8080 check"},
      {"server removed", base, Replace(base, b_line, ""), "be: -b"},
      {"address changed", base, Replace(base, "10.0.0.2:80", "10.0.0.9:81"),
       "be: ~b=10.0.0.2:80 check inter 5000 fall 1 rise 2>10.0.0.9:81 check inter 5000 fall 1 "
       "rise 2"},
      {"options changed", base,
       Replace(base, "10.0.0.2:80 check inter 5000", "10.0.0.2:80 weight 5"),
       "be: ~b=10.0.0.2:80 check inter 5000 fall 1 rise 2>10.0.0.2:80 weight 5 fall 1 rise 2"},
      {"add, remove and modify", base,
       Replace(Replace(base, a_line, "    server a 10.0.0.1:80 check\n"), b_line,
               "    server c 10.0.0.3:80\n"),
       "be: +c=10.0.0.3:80 -b ~a=10.0.0.1:80 check inter 5000 fall 1 rise 2>10.0.0.1:80 check"},
      {"all servers removed", base, Replace(Replace(base, a_line, ""), b_line, ""), "be: -a -b"},
      {"first servers added", Replace(Replace(base, a_line, ""), b_line, ""), base,
       "be: +a=10.0.0.1:80 check inter 5000 fall 1 rise 2 +b=10.0.0.2:80 check inter 5000 fall 1 "
       "rise 2"},
      {"servers reordered", base, Replace(Replace(base, a_line, ""), b_line, b_line + a_line),
       "identical"},
      {"non-server line moved among servers", base,
       Replace(Replace(base, "    balance roundrobin\n", ""), b_line,
               b_line + "    balance roundrobin\n"),
       "identical"},
      {"global changed", base, Replace(base, "level admin", "level operator"), "reload",
       "global changed"},
      {"defaults changed", base, Replace(base, "timeout client 30s", "timeout client 31s"),
       "reload", "defaults changed"},
      {"frontend line added", base, Replace(base, "bind :80\n", "bind :80\n    bind :81\n"),
       "reload", "frontend fe gained \"bind :81\""},
      {"frontend line removed", base, Replace(base, "    default_backend be\n", ""), "reload",
       "frontend fe lost \"default_backend be\""},
      {"backend option changed", base, Replace(base, "balance roundrobin", "balance leastconn"),
       "reload", "backend be changed"},
      {"default-server added", base,
       Replace(base, "balance roundrobin\n", "balance roundrobin\n    default-server inter 3s\n"),
       "reload", "default-server inter 3s"},
      {"default-server changed with servers",
       Replace(base, "balance roundrobin\n", "balance roundrobin\n    default-server inter 3s\n"),
       Replace(base, "balance roundrobin\n", "balance roundrobin\n    default-server inter 4s\n") +
           "    server c 10.0.0.3:80\n",
       "reload", "default-server"},
      {"backend added", base, base + "backend be2\n    server x 10.0.0.5:80\n", "reload",
       "section backend be2 added"},
      {"backend removed", base + "backend be2\n    server x 10.0.0.5:80\n", base, "reload",
       "section backend be2 removed"},
      {"backend renamed", base, Replace(base, "backend be\n", "backend be_new\n"), "reload",
       "backend be_new"},
      {"two backends with one name", base, base + "backend be\n    server z 10.0.0.9:80\n",
       "reload", "a second section named be"},
      {"two servers with one name", base, base + "    server a 10.0.0.7:80\n", "reload",
       "two servers named a"},
      {"unterminated quote", base, Replace(base, "bind :80", "bind \":80"), "reload",
       "unterminated quote"},
      {"quoted hash is data",
       Replace(base, "bind :80", "bind :80\n    http-response set-header X \"a#b\""),
       Replace(base, "bind :80", "bind :80\n    http-response set-header X \"a#c\""), "reload",
       "a#c"},
      {"escaped hash is data", Replace(base, "bind :80", "bind :80\n    acl x path /a\\#b"),
       Replace(base, "bind :80", "bind :80\n    acl x path /a\\#c"), "reload", "/a#c"},
      {"server-template counts as a backend option", base,
       base + "    server-template web 3 10.0.0.10:80\n", "reload", "server-template"},
      {"server line without address", base, base + "    server lonely\n", "reload",
       "server lonely"},
      {"server line in a peers section", base + "peers p\n    peer h1 10.0.0.1:1024\n",
       base + "peers p\n    peer h1 10.0.0.1:1024\n    server h2 10.0.0.2:1024\n", "reload",
       "peers p gained"},
      {"listen section servers", base + "listen stats\n    bind :8404\n    server s1 10.0.0.5:80\n",
       base + "listen stats\n    bind :8404\n    server s1 10.0.0.5:80\n    server s2 "
              "10.0.0.6:80\n",
       "stats: +s2=10.0.0.6:80"},
      {"two backends changed", base + "backend api\n    server x 10.1.0.1:80\n",
       Replace(base, b_line, "") + "backend api\n    server x 10.1.0.1:80\n    server y "
                                   "10.1.0.2:80\n",
       "be: -b | api: +y=10.1.0.2:80"},
      {"static-rr backend", Replace(base, "roundrobin", "static-rr"),
       Replace(base, "roundrobin", "static-rr") + "    server c 10.0.0.3:80\n",
       "be: +c=10.0.0.3:80 [no dynamic]"},
      {"map-based hashing", Replace(base, "roundrobin", "source"),
       Replace(base, "roundrobin", "source") + "    server c 10.0.0.3:80\n",
       "be: +c=10.0.0.3:80 [no dynamic]"},
      {"consistent hashing", Replace(base, "roundrobin", "uri\n    hash-type consistent"),
       Replace(base, "roundrobin", "uri\n    hash-type consistent") + "    server c 10.0.0.3:80\n",
       "be: +c=10.0.0.3:80"},
      {"static algorithm from defaults",
       Replace(base, "mode http\n", "mode http\n    balance static-rr\n"),
       Replace(base, "mode http\n", "mode http\n    balance static-rr\n") +
           "    server c 10.0.0.3:80\n",
       "be: +c=10.0.0.3:80"},  // the backend's own "balance roundrobin" wins
      {"static algorithm inherited from defaults",
       Replace(Replace(base, "    balance roundrobin\n", ""), "mode http\n",
               "mode http\n    balance static-rr\n"),
       Replace(Replace(base, "    balance roundrobin\n", ""), "mode http\n",
               "mode http\n    balance static-rr\n") +
           "    server c 10.0.0.3:80\n",
       "be: +c=10.0.0.3:80 [no dynamic]"},
      {"default-server in defaults",
       Replace(base, "mode http\n", "mode http\n    default-server check\n"),
       Replace(base, "mode http\n", "mode http\n    default-server check\n") +
           "    server c 10.0.0.3:80\n",
       "be: +c=10.0.0.3:80 [no dynamic]"},
      {"default-server in an earlier defaults only",
       "defaults\n    default-server check\ndefaults plain\n    mode http\nbackend be\n    server "
       "a 10.0.0.1:80\n",
       "defaults\n    default-server check\ndefaults plain\n    mode http\nbackend be\n    server "
       "a 10.0.0.1:80\n    server b 10.0.0.2:80\n",
       "be: +b=10.0.0.2:80"},
      {"default-server in named defaults taken with from",
       "defaults tuned\n    default-server check\ndefaults plain\n    mode http\nbackend be from "
       "tuned\n    server a 10.0.0.1:80\n",
       "defaults tuned\n    default-server check\ndefaults plain\n    mode http\nbackend be from "
       "tuned\n    server a 10.0.0.1:80\n    server b 10.0.0.2:80\n",
       "be: +b=10.0.0.2:80 [no dynamic]"},
      {"balance first: added last", Replace(base, "roundrobin", "first"),
       Replace(base, "roundrobin", "first") + "    server c 10.0.0.3:80\n", "be: +c=10.0.0.3:80"},
      {"balance first: added first", Replace(base, "roundrobin", "first"),
       Replace(Replace(base, "roundrobin", "first"), a_line, "    server c 10.0.0.3:80\n" + a_line),
       "reload", "balance first"},
      {"balance first: reordered", Replace(base, "roundrobin", "first"),
       Replace(Replace(Replace(base, "roundrobin", "first"), a_line, ""), b_line, b_line + a_line),
       "reload", "balance first"},
      {"balance first: removed", Replace(base, "roundrobin", "first"),
       Replace(Replace(base, "roundrobin", "first"), a_line, ""), "be: -a"},
      {"a server line in a frontend is not a backend server", base,
       Replace(base, "bind :80\n", "bind :80\n    server x 10.0.0.1:80\n"), "reload",
       "frontend fe gained"},
      {"injection text in a new server line", base,
       base + "    server evil 10.0.0.1:80; shutdown frontend fe\n",
       "be: +evil=10.0.0.1:80; shutdown frontend fe"},
  };
  for (const auto& c : cases) {
    const ConfigDiff d = DiffConfigs(c.old_text, c.new_text);
    EXPECT_EQ(Summary(d), c.want) << c.name << "\nreason: " << d.reason;
    if (!c.reason.empty()) {
      EXPECT_NE(d.reason.find(c.reason), std::string::npos) << c.name << ": " << d.reason;
    }
  }
}

TEST(DiffConfigsTest, LineNumbersAndStaticFlag) {
  const std::string old_text(kBase);
  const std::string new_text = old_text + "    server c 10.0.0.3:80\n";
  const ConfigDiff d = DiffConfigs(old_text, new_text);
  ASSERT_EQ(d.kind, ConfigDiff::Kind::kServersOnly);
  ASSERT_EQ(d.backends.size(), 1u);
  EXPECT_EQ(d.backends[0].added[0].line, 15);
  EXPECT_TRUE(d.backends[0].dynamic_servers);
  EXPECT_FALSE(d.backends[0].static_algorithm);
  const ConfigDiff r = DiffConfigs(old_text, old_text + "frontend other\n    bind :81\n");
  EXPECT_EQ(r.kind, ConfigDiff::Kind::kNeedsReload);
  EXPECT_NE(r.reason.find("new line 15"), std::string::npos) << r.reason;
}

// examples/seed/templates/haproxy.cfg.tmpl rendered by `berth confd` with
// examples/seed/data.yaml (two servers), byte for byte.
std::string SeedConfig(const std::vector<std::pair<std::string, std::string>>& servers) {
  std::string s =
      "global\n"
      "defaults\n"
      "timeout client 30s\n"
      "timeout server 30s\n"
      "timeout connect 30s\n"
      "frontend MyFrontend\n"
      "mode http\n"
      "bind *:80\n"
      "default_backend TransparentBack_http\n"
      "stats enable\n"
      "# CHANGE: Your stats credentials\n"
      "# stats auth admin:admin\n"
      "stats uri /haproxy_stats\n"
      "backend TransparentBack_http\n"
      "mode http\n";
  for (const auto& [name, address] : servers) {
    s += " #获取所有以/app/servers/开头的key,\n";
    s += "server " + name + " " + address +
         " check inter 5000 fall 1 rise 2 #base获取路径的最后一段\n";
  }
  s += "\n"
       "stats enable\n"
       "stats uri /admin-status\n"
       "stats auth admin:123456\n"
       "stats admin if TRUE";
  return s;
}

TEST(DiffConfigsTest, SeedTemplate) {
  const std::string two =
      SeedConfig({{"nginx-1", "127.0.0.1:32768"}, {"nginx-2", "127.0.0.1:32769"}});
  const std::string three = SeedConfig({{"nginx-1", "127.0.0.1:32768"},
                                        {"nginx-2", "127.0.0.1:32769"},
                                        {"nginx-3", "127.0.0.1:32770"}});
  const std::string one = SeedConfig({{"nginx-2", "127.0.0.1:32769"}});
  const std::string moved =
      SeedConfig({{"nginx-1", "127.0.0.1:32768"}, {"nginx-2", "10.0.0.7:32769"}});
  const std::string none = SeedConfig({});

  EXPECT_EQ(Summary(DiffConfigs(two, two)), "identical");
  EXPECT_EQ(Summary(DiffConfigs(two, three)),
            "TransparentBack_http: +nginx-3=127.0.0.1:32770 check inter 5000 fall 1 rise 2");
  EXPECT_EQ(Summary(DiffConfigs(three, two)), "TransparentBack_http: -nginx-3");
  EXPECT_EQ(Summary(DiffConfigs(two, one)), "TransparentBack_http: -nginx-1");
  EXPECT_EQ(Summary(DiffConfigs(two, moved)),
            "TransparentBack_http: ~nginx-2=127.0.0.1:32769 check inter 5000 fall 1 rise "
            "2>10.0.0.7:32769 check inter 5000 fall 1 rise 2");
  EXPECT_EQ(Summary(DiffConfigs(two, none)), "TransparentBack_http: -nginx-1 -nginx-2");
  EXPECT_EQ(Summary(DiffConfigs(none, two)),
            "TransparentBack_http: +nginx-1=127.0.0.1:32768 check inter 5000 fall 1 rise 2 "
            "+nginx-2=127.0.0.1:32769 check inter 5000 fall 1 rise 2");
  const std::string creds = Replace(two, "stats auth admin:123456", "stats auth admin:secret");
  const ConfigDiff d = DiffConfigs(two, creds);
  EXPECT_EQ(d.kind, ConfigDiff::Kind::kNeedsReload);
  EXPECT_NE(d.reason.find("backend TransparentBack_http changed"), std::string::npos) << d.reason;
}

}  // namespace
}  // namespace berth::haproxy
