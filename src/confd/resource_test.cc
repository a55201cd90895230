#include "confd/resource.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sys/testing/temp_dir.h"

namespace berth::confd {
namespace {

using berth::testing::TempDir;

std::string List(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
  return out + "]";
}

// Everything a resource holds, with the confdir shown as "CONFDIR".
std::string Summary(const TemplateResource& r, const std::string& confdir) {
  std::string src = r.src;
  if (src.starts_with(confdir)) src = "CONFDIR" + src.substr(confdir.size());
  return "src=" + src + " dest=" + r.dest + " keys=" + List(r.keys) + " prefix=" + r.prefix +
         " mode=" + r.mode + " uid=" + std::to_string(r.uid) + " gid=" + std::to_string(r.gid) +
         " check=" + r.check_cmd + " reload=" + r.reload_cmd;
}

const std::string kIds = " uid=" + std::to_string(geteuid()) + " gid=" + std::to_string(getegid());

TEST(LoadResourceTest, Fields) {
  struct Case {
    const char* name;
    const char* toml;
    const char* global_prefix;
    std::string want;
  };
  const Case kCases[] = {
      {"the seed's resource",
       "[template]\nsrc = \"haproxy.cfg.tmpl\"\ndest = \"/etc/haproxy/haproxy.cfg\"\n"
       "keys = [\"/app/servers\"]\nreload_cmd = \"/etc/init.d/haproxy reload\"\n",
       "",
       "src=CONFDIR/templates/haproxy.cfg.tmpl dest=/etc/haproxy/haproxy.cfg "
       "keys=[/app/servers] prefix=/ mode=" +
           kIds + " check= reload=/etc/init.d/haproxy reload"},
      {"keys matched ignoring case",
       "[Template]\nSRC = \"a.tmpl\"\nDest = \"/d\"\nKEYS = [\"/k\"]\nCheck_Cmd = \"c {{.src}}\"\n"
       "RELOAD_CMD = \"r\"\nMode = \"0600\"\nUID = 5\nGid = 6\nPrefix = \"p\"\n",
       "",
       "src=CONFDIR/templates/a.tmpl dest=/d keys=[/k] prefix=/p mode=0600 uid=5 gid=6 "
       "check=c {{.src}} reload=r"},
      {"unknown keys and tables ignored",
       "title = \"x\"\n[template]\nsrc = \"a\"\nowner = \"root\"\nfilemode = 420\n[other]\nsrc = "
       "1\n",
       "", "src=CONFDIR/templates/a dest= keys=[] prefix=/ mode=" + kIds + " check= reload="},
      {"prefix gets a leading slash", "[template]\nsrc = \"a\"\nprefix = \"app\"\n", "",
       "src=CONFDIR/templates/a dest= keys=[] prefix=/app mode=" + kIds + " check= reload="},
      {"the global prefix replaces the resource's", "[template]\nsrc = \"a\"\nprefix = \"/app\"\n",
       "/global",
       "src=CONFDIR/templates/a dest= keys=[] prefix=/global mode=" + kIds + " check= reload="},
      {"a global prefix gets a leading slash too", "[template]\nsrc = \"a\"\n", "g",
       "src=CONFDIR/templates/a dest= keys=[] prefix=/g mode=" + kIds + " check= reload="},
      {"uid 0 is not the default", "[template]\nsrc = \"a\"\nuid = 0\ngid = 0\n", "",
       "src=CONFDIR/templates/a dest= keys=[] prefix=/ mode= uid=0 gid=0 check= reload="},
      {"uid -1 means the default", "[template]\nsrc = \"a\"\nuid = -1\n", "",
       "src=CONFDIR/templates/a dest= keys=[] prefix=/ mode=" + kIds + " check= reload="},
      {"src is joined and cleaned", "[template]\nsrc = \"sub//x/../a.tmpl\"\n", "",
       "src=CONFDIR/templates/sub/a.tmpl dest= keys=[] prefix=/ mode=" + kIds + " check= reload="},
      {"empty keys", "[template]\nsrc = \"a\"\nkeys = []\n", "",
       "src=CONFDIR/templates/a dest= keys=[] prefix=/ mode=" + kIds + " check= reload="},
      {"TOML 1.0 literal strings", "[template]\nsrc = 'a'\nkeys = ['/x', \"/y\",]\n", "",
       "src=CONFDIR/templates/a dest= keys=[/x /y] prefix=/ mode=" + kIds + " check= reload="},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    const std::string path = dir.Write("conf.d/r.toml", c.toml);
    auto got = LoadResource(path, {.confdir = dir.path(), .global_prefix = c.global_prefix});
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(got->toml_path, path) << c.name;
    EXPECT_EQ(Summary(*got, dir.path()), c.want) << c.name;
  }
}

TEST(LoadResourceTest, Errors) {
  struct Case {
    const char* toml;
    const char* where;  // ":LINE:COL" after the path, or "" when no position
    const char* what;   // a part of the message
  };
  constexpr Case kCases[] = {
      {"[template]\nsrc = \"a\"\nkeys = \"/x\"\n", ":3:8", "keys"},
      {"[template]\nsrc = \"a\"\nkeys = [\"/a\", 1]\n", ":3:15", "keys"},
      {"[template]\nsrc = \"a\"\nuid = \"0\"\n", ":3:7", "uid"},
      {"[template]\nsrc = \"a\"\ngid = 1.5\n", ":3:7", "gid"},
      {"[template]\nsrc = \"a\"\nmode = 644\n", ":3:8", "mode"},
      {"[template]\nsrc = 1\n", ":2:7", "src"},
      {"[template]\nsrc = \"a\"\ndest = [\"/d\"]\n", ":3:8", "dest"},
      {"[template]\nsrc = \"a\"\ncheck_cmd = true\n", ":3:13", "check_cmd"},
      {"[template]\nsrc = \"a\"\nhaproxy_socket = 1\n", ":3:18", "haproxy_socket"},
      {"[template]\nsrc = \"a\"\nhaproxy_drain_timeout = \"10\"\n", ":3:25",
       "haproxy_drain_timeout"},
      {"template = 1\n", ":1:12", "table"},
      {"[template]\nsrc = \"a\"\nkeys = [\n", ":", ""},     // syntax error
      {"[template]\nsrc = \"a\"\nsrc = \"b\"\n", ":", ""},  // duplicate key
      {"[template]\ndest = \"/d\"\n", "", "empty src template"},
      {"[template]\nsrc = \"\"\n", "", "empty src template"},
      {"", "", "empty src template"},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    const std::string path = dir.Write("conf.d/r.toml", c.toml);
    auto got = LoadResource(path, {.confdir = dir.path(), .global_prefix = ""});
    ASSERT_FALSE(got.has_value()) << c.toml;
    EXPECT_EQ(got.error().code(), Code::kInvalidArgument) << c.toml;
    const std::string& msg = got.error().message();
    EXPECT_TRUE(msg.starts_with(path + c.where)) << c.toml << " -> " << msg;
    EXPECT_NE(msg.find(c.what), std::string::npos) << c.toml << " -> " << msg;
  }
  TempDir dir;
  auto missing = LoadResource(dir.Path("none.toml"), {.confdir = dir.path(), .global_prefix = ""});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
  EXPECT_NE(missing.error().message().find(dir.Path("none.toml")), std::string::npos);
}

TEST(LoadResourceTest, HaproxyKeys) {
  TempDir dir;
  const std::string path = dir.Write("conf.d/r.toml",
                                     "[template]\nsrc = \"a\"\nhaproxy_socket = \"/run/h.sock\"\n"
                                     "haproxy_master_socket = \"/run/m.sock\"\n"
                                     "haproxy_drain_timeout = \"1.5s\"\n");
  auto got = LoadResource(path, {.confdir = dir.path(), .global_prefix = ""});
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(got->haproxy_socket, "/run/h.sock");
  EXPECT_EQ(got->haproxy_master_socket, "/run/m.sock");
  EXPECT_EQ(got->haproxy_drain_timeout, std::chrono::milliseconds(1500));
  EXPECT_TRUE(got->ManagesHaproxy());

  const std::string plain = dir.Write("conf.d/p.toml", "[template]\nsrc = \"a\"\n");
  auto p = LoadResource(plain, {.confdir = dir.path(), .global_prefix = ""});
  ASSERT_TRUE(p.has_value());
  EXPECT_FALSE(p->ManagesHaproxy());
  EXPECT_EQ(p->haproxy_drain_timeout, std::chrono::seconds(10));
}

TEST(TemplateResourceTest, PrefixedKeys) {
  struct Case {
    const char* prefix;
    std::vector<std::string> keys;
    const char* want;
  };
  const Case kCases[] = {
      {"/", {"/app/servers"}, "[/app/servers]"},
      {"/app", {"/servers", "servers", "/"}, "[/app/servers /app/servers /app]"},
      {"/app", {""}, "[/app]"},
      {"/app/", {"/x/"}, "[/app/x]"},
      {"/", {"//a//b/"}, "[/a/b]"},
      {"/app", {"../etc"}, "[/etc]"},
      {"/app", {}, "[]"},
  };
  for (const Case& c : kCases) {
    TemplateResource r;
    r.prefix = c.prefix;
    r.keys = c.keys;
    EXPECT_EQ(List(r.PrefixedKeys()), c.want) << c.prefix << " " << List(c.keys);
  }
}

TEST(TemplateResourceTest, StoreKey) {
  struct Case {
    const char* prefix;
    const char* key;
    const char* want;
  };
  constexpr Case kCases[] = {
      {"/app", "/app/servers/a", "/servers/a"},
      // A plain string prefix, as confd trims it.
      {"/app", "/apple/x", "/le/x"},
      {"/app", "/app", "/"},
      {"/app", "/app/", "/"},
      {"/app", "/app//x", "/x"},
      {"/app", "/other/x", "/other/x"},
      {"/", "/x", "/x"},
      {"/", "/a/b/", "/a/b"},
      {"/", "/", "/"},
  };
  for (const Case& c : kCases) {
    TemplateResource r;
    r.prefix = c.prefix;
    EXPECT_EQ(r.StoreKey(c.key), c.want) << c.prefix << " " << c.key;
  }
}

TEST(ParseModeTest, LikeGo) {
  // strconv.ParseUint(mode, 0, 32), then os.FileMode(v) as os.Chmod applies
  // it (values printed by Go 1.19).
  struct Case {
    const char* mode;
    mode_t want;
    const char* error;
  };
  constexpr Case kCases[] = {
      {"0644", 0644, nullptr},
      {"644", 0204, nullptr},  // decimal 644 is 0o1204
      {"0o755", 0755, nullptr},
      {"0O755", 0755, nullptr},
      {"0x1ff", 0777, nullptr},
      {"420", 0644, nullptr},
      {"0600", 0600, nullptr},
      {"0", 0, nullptr},
      {"04755", 0755, nullptr},  // Go's FileMode ignores the octal 04000 bit
      {"02755", 0755, nullptr},
      {"01777", 0777, nullptr},
      {"1_0", 012, nullptr},  // base 0 allows underscores: decimal 10
      {"0b110100100", 0644, nullptr},
      {"abc", 0, "strconv.ParseUint: parsing \"abc\": invalid syntax"},
      {"", 0, "strconv.ParseUint: parsing \"\": invalid syntax"},
      {"-1", 0, "strconv.ParseUint: parsing \"-1\": invalid syntax"},
      {"08", 0, "strconv.ParseUint: parsing \"08\": invalid syntax"},
      {"0644 ", 0, "strconv.ParseUint: parsing \"0644 \": invalid syntax"},
      {"0x100000000", 0, "strconv.ParseUint: parsing \"0x100000000\": value out of range"},
  };
  for (const Case& c : kCases) {
    auto got = ParseMode(c.mode);
    if (c.error == nullptr) {
      ASSERT_TRUE(got.has_value()) << c.mode << ": " << got.error().message();
      EXPECT_EQ(*got, c.want) << c.mode << std::oct << " got " << *got;
    } else {
      ASSERT_FALSE(got.has_value()) << c.mode;
      EXPECT_EQ(got.error().message(), c.error) << c.mode;
    }
  }
}

TEST(LoadResourcesTest, WalksConfDInOrder) {
  TempDir dir;
  const char* kFiles[] = {"c.toml",     "a.toml",    "sub/b.toml",
                          "sub-z.toml", "weirdtoml", ".hidden.toml"};
  for (const char* f : kFiles) {
    dir.Write(std::string("conf.d/") + f,
              std::string("[template]\nsrc = \"") + f + ".tmpl\"\ndest = \"/d\"\n");
  }
  // Not resources: wrong names, and a directory whose name ends in toml.
  dir.Write("conf.d/x.toml.bak", "not toml at all [");
  dir.Write("conf.d/notes.txt", "not toml at all [");
  dir.MkDir("conf.d/dir.toml");
  auto got = LoadResources({.confdir = dir.path(), .global_prefix = ""});
  ASSERT_TRUE(got.has_value()) << got.error().message();
  std::vector<std::string> order;
  for (const auto& r : *got) order.push_back(r.toml_path.substr(dir.Path("conf.d/").size()));
  EXPECT_EQ(List(order), "[.hidden.toml a.toml c.toml sub/b.toml sub-z.toml weirdtoml]");
  ASSERT_EQ(got->size(), 6u);
  EXPECT_EQ((*got)[3].src, dir.Path("templates/sub/b.toml.tmpl"));
}

TEST(LoadResourcesTest, MissingConfDIsEmpty) {
  TempDir dir;
  auto got = LoadResources({.confdir = dir.Path("nowhere"), .global_prefix = ""});
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_TRUE(got->empty());
}

TEST(LoadResourcesTest, ReportsEveryBadFile) {
  TempDir dir;
  dir.Write("conf.d/a.toml", "[template]\nsrc = \"a\"\n");
  dir.Write("conf.d/b.toml", "[template]\nsrc = \"b\"\nkeys = \"/x\"\n");
  dir.Write("conf.d/c.toml", "[template]\ndest = \"/c\"\n");
  dir.Write("conf.d/d.toml", "[template]\nsrc = \"d\"\n");
  auto got = LoadResources({.confdir = dir.path(), .global_prefix = ""});
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Code::kInvalidArgument);
  const std::string& msg = got.error().message();
  EXPECT_NE(msg.find(dir.Path("conf.d/b.toml") + ":3:8"), std::string::npos) << msg;
  EXPECT_NE(msg.find(dir.Path("conf.d/c.toml") + ": empty src template"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("a.toml"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("d.toml"), std::string::npos) << msg;
  EXPECT_LT(msg.find("b.toml"), msg.find("c.toml"));
}

}  // namespace
}  // namespace berth::confd
