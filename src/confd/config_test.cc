#include "confd/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sys/testing/temp_dir.h"

namespace berth::confd {
namespace {

using berth::testing::TempDir;

constexpr const char* kEnvVars[] = {"CONFD_CLIENT_CAKEYS", "CONFD_CLIENT_CERT", "CONFD_CLIENT_KEY",
                                    "ETCDCTL_ENDPOINTS", "ETCDCTL_PEERS"};

// Sets exactly the given variables of kEnvVars (the others unset) and
// restores them all afterwards.
class ScopedEnv {
 public:
  explicit ScopedEnv(const std::map<std::string, std::string>& vars) {
    for (const char* name : kEnvVars) {
      const char* v = std::getenv(name);
      if (v != nullptr) saved_[name] = v;
      ::unsetenv(name);
    }
    for (const auto& [k, v] : vars) ::setenv(k.c_str(), v.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const char* name : kEnvVars) ::unsetenv(name);
    for (const auto& [k, v] : saved_) ::setenv(k.c_str(), v.c_str(), 1);
  }

 private:
  std::map<std::string, std::string> saved_;
};

std::string List(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
  return out + "]";
}

// The settings the precedence cases look at.
std::string Summary(const Config& c) {
  return "backend=" + c.backend + " confdir=" + c.confdir +
         " interval=" + std::to_string(c.interval) + " nodes=" + List(c.nodes) +
         " files=" + List(c.files) + " prefix=" + c.prefix + " noop=" + (c.noop ? "1" : "0") +
         " onetime=" + (c.onetime ? "1" : "0") + " cakeys=" + c.client_cakeys +
         " cert=" + c.client_cert + " key=" + c.client_key;
}

constexpr char kDefaults[] =
    "backend=etcd confdir=/etc/confd interval=600 nodes=[] files=[] prefix= noop=0 onetime=0 "
    "cakeys= cert= key=";

TEST(ParseConfigTest, Precedence) {
  struct Case {
    const char* name;
    const char* toml;  // nullptr: no config file
    std::map<std::string, std::string> env;
    std::vector<std::string> args;  // -config-file is added
    const char* want;
  };
  const Case kCases[] = {
      {"defaults", nullptr, {}, {}, kDefaults},
      {"empty file", "", {}, {}, kDefaults},
      {"file",
       "backend = \"file\"\nconfdir = \"/srv/confd\"\ninterval = 30\nnodes = [\"a\", \"b\"]\n"
       "file = [\"x.yaml\"]\nprefix = \"/p\"\nnoop = true\n",
       {},
       {},
       "backend=file confdir=/srv/confd interval=30 nodes=[a b] files=[x.yaml] prefix=/p noop=1 "
       "onetime=0 cakeys= cert= key="},
      {"command line wins over the file",
       "backend = \"file\"\ninterval = 30\nprefix = \"/p\"\n",
       {},
       {"-backend", "env", "-interval=5", "-prefix", "/cli"},
       "backend=env confdir=/etc/confd interval=5 nodes=[] files=[] prefix=/cli noop=0 onetime=0 "
       "cakeys= cert= key="},
      {"a command-line default still wins",
       "noop = true\ninterval = 30\n",
       {},
       {"-noop=false", "-interval", "600"},
       kDefaults},
      {"-node replaces the file's nodes",
       "nodes = [\"a\", \"b\"]\n",
       {},
       {"-node", "c"},
       "backend=etcd confdir=/etc/confd interval=600 nodes=[c] files=[] prefix= noop=0 onetime=0 "
       "cakeys= cert= key="},
      {"repeated -node",
       "nodes = [\"a\", \"b\"]\n",
       {},
       {"-node", "c", "-node=d"},
       "backend=etcd confdir=/etc/confd interval=600 nodes=[c d] files=[] prefix= noop=0 "
       "onetime=0 cakeys= cert= key="},
      {"no -node keeps the file's nodes",
       "nodes = [\"a\", \"b\"]\n",
       {},
       {"-backend", "etcd"},
       "backend=etcd confdir=/etc/confd interval=600 nodes=[a b] files=[] prefix= noop=0 "
       "onetime=0 cakeys= cert= key="},
      {"-file replaces the file's files",
       "file = [\"x.yaml\", \"y.yaml\"]\nnodes = [\"n\"]\n",
       {},
       {"-file", "z.yaml"},
       "backend=etcd confdir=/etc/confd interval=600 nodes=[n] files=[z.yaml] prefix= noop=0 "
       "onetime=0 cakeys= cert= key="},
      {"environment",
       nullptr,
       {{"CONFD_CLIENT_CAKEYS", "/env/ca"},
        {"CONFD_CLIENT_CERT", "/env/cert"},
        {"CONFD_CLIENT_KEY", "/env/key"}},
       {},
       "backend=etcd confdir=/etc/confd interval=600 nodes=[] files=[] prefix= noop=0 onetime=0 "
       "cakeys=/env/ca cert=/env/cert key=/env/key"},
      {"the file wins over the environment",
       "client_cert = \"/file/cert\"\n",
       {{"CONFD_CLIENT_CERT", "/env/cert"}, {"CONFD_CLIENT_KEY", "/env/key"}},
       {},
       "backend=etcd confdir=/etc/confd interval=600 nodes=[] files=[] prefix= noop=0 onetime=0 "
       "cakeys= cert=/file/cert key=/env/key"},
      {"the command line wins over the environment",
       nullptr,
       {{"CONFD_CLIENT_CAKEYS", "/env/ca"}, {"CONFD_CLIENT_KEY", "/env/key"}},
       {"-client-ca-keys", "/cli/ca"},
       "backend=etcd confdir=/etc/confd interval=600 nodes=[] files=[] prefix= noop=0 onetime=0 "
       "cakeys=/cli/ca cert= key=/env/key"},
      {"an empty variable is ignored", nullptr, {{"CONFD_CLIENT_CERT", ""}}, {}, kDefaults},
      {"unknown keys and tables are ignored",
       "colour = \"blue\"\nsecret_keyring = \"/k\"\n[extra]\nbackend = \"nope\"\n",
       {},
       {},
       kDefaults},
      // BurntSushi/toml matches confd's fields ignoring case, and confd's
      // OneTime field has no tag: "onetime = true" in confd.toml runs once.
      {"keys ignore case",
       "Backend = \"file\"\nINTERVAL = 7\nOneTime = true\nNoop = true\n",
       {},
       {},
       "backend=file confdir=/etc/confd interval=7 nodes=[] files=[] prefix= noop=1 onetime=1 "
       "cakeys= cert= key="},
      {"TOML 1.0 forms",
       "backend = 'file'\ninterval = 0x10\nnodes = [\n  \"a\",\n]\n",
       {},
       {},
       "backend=file confdir=/etc/confd interval=16 nodes=[a] files=[] prefix= noop=0 onetime=0 "
       "cakeys= cert= key="},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    const std::string path =
        c.toml != nullptr ? dir.Write("confd.toml", c.toml) : dir.Path("missing.toml");
    ScopedEnv env(c.env);
    std::vector<std::string> args = {"-config-file", path};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto got = ParseConfig("confd", args);
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(got->flag_error, "") << c.name;
    EXPECT_FALSE(got->help) << c.name;
    EXPECT_EQ(got->config.config_file, path) << c.name;
    EXPECT_EQ(Summary(got->config), c.want) << c.name;
  }
}

TEST(ParseConfigTest, OtherFileKeys) {
  TempDir dir;
  const std::string path = dir.Write("confd.toml",
                                     "log-level = \"debug\"\n"
                                     "sync-only = true\n"
                                     "keepstagefile = true\n"
                                     "watch = true\n"
                                     "client_insecure = true\n"
                                     "basic_auth = true\n"
                                     "username = \"u\"\n"
                                     "password = \"p\"\n"
                                     "scheme = \"https\"\n"
                                     "srv_domain = \"example.com\"\n"
                                     "srv_record = \"_etcd._tcp.example.com\"\n"
                                     "filter = \"*.yaml\"\n"
                                     "separator = \":\"\n"
                                     "table = \"t\"\n"
                                     "auth_token = \"tok\"\n"
                                     "auth_type = \"app-id\"\n"
                                     "app_id = \"a\"\n"
                                     "user_id = \"us\"\n"
                                     "role_id = \"r\"\n"
                                     "secret_id = \"s\"\n"
                                     "path = \"/v\"\n");
  ScopedEnv env({});
  auto got = ParseConfig("confd", {"-config-file", path});
  ASSERT_TRUE(got.has_value()) << got.error().message();
  const Config& c = got->config;
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_TRUE(c.sync_only);
  EXPECT_TRUE(c.keep_stage_file);
  EXPECT_TRUE(c.watch);
  EXPECT_TRUE(c.client_insecure);
  EXPECT_TRUE(c.basic_auth);
  EXPECT_EQ(c.username, "u");
  EXPECT_EQ(c.password, "p");
  EXPECT_EQ(c.scheme, "https");
  EXPECT_EQ(c.srv_domain, "example.com");
  EXPECT_EQ(c.srv_record, "_etcd._tcp.example.com");
  EXPECT_EQ(c.filter, "*.yaml");
  EXPECT_EQ(c.separator, ":");
  EXPECT_EQ(c.table, "t");
  EXPECT_EQ(c.auth_token, "tok");
  EXPECT_EQ(c.auth_type, "app-id");
  EXPECT_EQ(c.app_id, "a");
  EXPECT_EQ(c.user_id, "us");
  EXPECT_EQ(c.role_id, "r");
  EXPECT_EQ(c.secret_id, "s");
  EXPECT_EQ(c.path, "/v");
}

TEST(ParseConfigTest, FileErrors) {
  struct Case {
    const char* toml;
    int line, col;  // where the error points
  };
  constexpr Case kCases[] = {
      {"backend = \n", 1, 0},  // a syntax error (column as TOML reports it)
      {"backend = \"file\"\ninterval = \"x\"\n", 2, 12},
      {"nodes = \"a\"\n", 1, 9},
      {"nodes = [\"a\", 1]\n", 1, 15},
      {"noop = \"yes\"\n", 1, 8},
      {"backend = 1\n", 1, 11},
      {"interval = 1.5\n", 1, 12},
      {"[template\n", 1, 0},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    const std::string path = dir.Write("confd.toml", c.toml);
    ScopedEnv env({});
    auto got = ParseConfig("confd", {"-config-file", path, "-onetime"});
    ASSERT_FALSE(got.has_value()) << c.toml;
    EXPECT_EQ(got.error().code(), Code::kInvalidArgument) << c.toml;
    const std::string& msg = got.error().message();
    // "PATH:LINE:COL: what"
    const std::string where = path + ":" + std::to_string(c.line) + ":";
    EXPECT_TRUE(msg.starts_with(where)) << c.toml << " -> " << msg;
    if (c.col > 0) {
      EXPECT_TRUE(msg.starts_with(where + std::to_string(c.col) + ": ")) << c.toml << " -> " << msg;
    } else {
      // Some column, then the description.
      const size_t digits = msg.find_first_not_of("0123456789", where.size());
      EXPECT_GT(digits, where.size()) << c.toml << " -> " << msg;
      EXPECT_EQ(msg.compare(digits, 2, ": "), 0) << c.toml << " -> " << msg;
    }
  }
}

TEST(ParseConfigTest, UnreadableConfigFile) {
  // A directory where the file should be: it exists but cannot be read.
  TempDir dir;
  ScopedEnv env({});
  auto got = ParseConfig("confd", {"-config-file", dir.path()});
  ASSERT_FALSE(got.has_value());
  EXPECT_NE(got.error().message().find(dir.path()), std::string::npos) << got.error().message();
}

TEST(ParseConfigTest, BadCommandLines) {
  struct Case {
    std::vector<std::string> args;
    const char* flag_error;  // "" for -h
    bool help;
  };
  const Case kCases[] = {
      {{"-x"}, "flag provided but not defined: -x", false},
      {{"-backend"}, "flag needs an argument: -backend", false},
      {{"-interval", "ten"}, "invalid value \"ten\" for flag -interval: parse error", false},
      {{"-noop=maybe"}, "invalid boolean value \"maybe\" for -noop: parse error", false},
      {{"---onetime"}, "bad flag syntax: ---onetime", false},
      {{"-h"}, "", true},
      {{"-onetime", "--help"}, "", true},
  };
  for (const Case& c : kCases) {
    ScopedEnv env({});
    // The config file is never read when the command line is bad: point it
    // at something that would fail.
    std::vector<std::string> args = {"-config-file", "/"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto got = ParseConfig("berth confd", args);
    ASSERT_TRUE(got.has_value()) << c.flag_error << ": " << got.error().message();
    EXPECT_EQ(got->flag_error, c.flag_error);
    EXPECT_EQ(got->help, c.help) << c.flag_error;
    EXPECT_TRUE(got->usage.starts_with("Usage of berth confd:\n")) << got->usage;
  }
}

TEST(ParseConfigTest, UsageListsConfdFlags) {
  ScopedEnv env({});
  auto got = ParseConfig("confd", {"-h"});
  ASSERT_TRUE(got.has_value());
  const std::string& u = got->usage;
  for (const char* entry :
       {"  -backend string\n    \tbackend to use (default \"etcd\")\n",
        "  -confdir string\n    \tconfd conf directory (default \"/etc/confd\")\n",
        "  -config-file string\n    \tthe confd config file (default \"/etc/confd/confd.toml\")\n",
        "  -file value\n",
        "  -filter string\n    \tfiles filter (only used with -backend=file) "
        "(default \"*\")\n",
        "  -interval int\n    \tbackend polling interval (default 600)\n", "  -node value\n",
        "  -noop\n    \tonly show pending changes\n", "  -onetime\n    \trun once and exit\n",
        "  -scheme string\n", "  -version\n    \tprint version and exit\n"}) {
    EXPECT_NE(u.find(entry), std::string::npos) << entry;
  }
  // Sorted by name, as Go prints them.
  EXPECT_LT(u.find("  -app-id"), u.find("  -auth-token"));
  EXPECT_LT(u.find("  -auth-type"), u.find("  -backend"));
  EXPECT_LT(u.find("  -username"), u.find("  -version"));
  EXPECT_LT(u.find("  -version"), u.find("  -watch"));
}

TEST(DefaultNodesTest, Table) {
  struct Case {
    const char* backend;
    std::map<std::string, std::string> env;
    const char* want;
  };
  const Case kCases[] = {
      {"etcd", {}, "[http://127.0.0.1:2379]"},
      {"etcdv3", {}, "[http://127.0.0.1:2379]"},
      {"etcd", {{"ETCDCTL_PEERS", "http://a:2379,http://b:2379"}}, "[http://a:2379 http://b:2379]"},
      {"etcd", {{"ETCDCTL_ENDPOINTS", "http://e:2379"}}, "[http://e:2379]"},
      {"etcd",
       {{"ETCDCTL_ENDPOINTS", "http://e1:2379,http://e2:2379"}, {"ETCDCTL_PEERS", "http://p:2379"}},
       "[http://e1:2379 http://e2:2379]"},
      {"etcd", {{"ETCDCTL_ENDPOINTS", ""}, {"ETCDCTL_PEERS", "http://p:2379"}}, "[http://p:2379]"},
      {"etcdv3", {{"ETCDCTL_ENDPOINTS", "http://e:2379"}}, "[http://e:2379]"},
      {"redis", {{"ETCDCTL_ENDPOINTS", "http://e:2379"}}, "[127.0.0.1:6379]"},
      {"zookeeper", {}, "[127.0.0.1:2181]"},
      {"consul", {}, "[127.0.0.1:8500]"},
      {"vault", {}, "[http://127.0.0.1:8200]"},
      {"file", {}, "[]"},
      {"env", {}, "[]"},
  };
  for (const Case& c : kCases) {
    ScopedEnv env(c.env);
    EXPECT_EQ(List(DefaultNodes(c.backend)), c.want) << c.backend;
  }
}

}  // namespace
}  // namespace berth::confd
