// ReplacePlaceholders, the embedded confd files and WriteConfdFiles: what
// `berth up` writes must load as a confd resource that manages HAProxy, and
// its template must render into a configuration `haproxy -c` accepts.
#include "up/confd_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "confd/render.h"
#include "confd/resource.h"
#include "kv/entry.h"
#include "sys/command.h"
#include "sys/file.h"
#include "sys/testing/temp_dir.h"
#include "up/paths.h"

namespace berth::up {
namespace {

using berth::testing::TempDir;

TEST(ReplacePlaceholdersTest, Table) {
  const std::map<std::string, std::string> values = {
      {"A", "1"}, {"B_C", "two"}, {"LOOP", "@A@"}, {"EMPTY", ""}};
  struct Case {
    std::string text;
    std::string want;
  };
  const Case kCases[] = {
      {"", ""},
      {"no placeholder", "no placeholder"},
      {"@A@", "1"},
      {"x@A@y", "x1y"},
      {"@A@@B_C@", "1two"},
      {"@A@ and @A@", "1 and 1"},
      {"[@EMPTY@]", "[]"},
      // A replacement is never scanned again.
      {"@LOOP@", "@A@"},
      // Lone '@'s and lowercase names are text.
      {"user@example.com", "user@example.com"},
      {"@", "@"},
      {"@@", "@@"},
      {"a @ b", "a @ b"},
      {"@lower@", "@lower@"},
      {"@A", "@A"},
      {"end @A", "end @A"},
      {"@1@", "@1@"},
      {"stats socket unix@/x", "stats socket unix@/x"},
      {"@@A@", "@1"},
  };
  for (const Case& c : kCases) {
    auto got = ReplacePlaceholders(c.text, values);
    ASSERT_TRUE(got.has_value()) << c.text << ": " << got.error().message();
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(ReplacePlaceholdersTest, UnknownPlaceholderIsNamed) {
  for (const std::string text : {"@MISSING@", "ok @A@ then @MISSING@", "@MISSING@@A@"}) {
    auto got = ReplacePlaceholders(text, {{"A", "1"}});
    ASSERT_FALSE(got.has_value()) << text << " -> " << *got;
    EXPECT_EQ(got.error().code(), Code::kInvalidArgument);
    EXPECT_NE(got.error().message().find("@MISSING@"), std::string::npos) << got.error().message();
  }
}

TEST(PlaceholderTableTest, EveryPlaceholder) {
  ConfdValues v;
  v.state_dir = "/s";
  v.run_dir = "/s/run";
  v.port = 9090;
  v.prefix = "/p";
  v.haproxy = "/opt/haproxy";
  const std::map<std::string, std::string> want = {{"STATE_DIR", "/s"},
                                                   {"RUN_DIR", "/s/run"},
                                                   {"PORT", "9090"},
                                                   {"PREFIX", "/p"},
                                                   {"HAPROXY", "/opt/haproxy"}};
  EXPECT_EQ(PlaceholderTable(v), want);
}

// Every "@NAME@" of an embedded file.
std::vector<std::string> PlaceholdersIn(std::string_view text) {
  static const std::regex kPlaceholder("@([A-Z_]+)@");
  std::vector<std::string> out;
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kPlaceholder);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

TEST(EmbeddedFilesTest, HoldTheExamplesWithKnownPlaceholders) {
  EXPECT_NE(EmbeddedToml().find("[template]"), std::string_view::npos);
  EXPECT_NE(EmbeddedToml().find("haproxy_master_socket"), std::string_view::npos);
  EXPECT_NE(EmbeddedTemplate().find("bind *:@PORT@"), std::string_view::npos);
  EXPECT_NE(EmbeddedTemplate().find("{{range gets \"@PREFIX@/*\"}}"), std::string_view::npos);
  const auto table = PlaceholderTable(ConfdValues{});
  for (std::string_view text : {EmbeddedToml(), EmbeddedTemplate()}) {
    const auto names = PlaceholdersIn(text);
    EXPECT_FALSE(names.empty());
    for (const auto& n : names) EXPECT_TRUE(table.contains(n)) << "@" << n << "@ has no value";
  }
}

class WriteConfdFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto layout = MakeLayout(tmp_.Path("state"));
    ASSERT_TRUE(layout.has_value()) << layout.error().message();
    layout_.emplace(*layout);
    ASSERT_TRUE(CreateDirectories(*layout_).ok());
    values_.state_dir = layout_->dir;
    values_.run_dir = layout_->run_dir;
    values_.port = 18123;
    values_.prefix = "/test/servers";
    values_.haproxy = "/usr/sbin/haproxy";
  }

  TempDir tmp_;
  std::optional<StateLayout> layout_;
  ConfdValues values_;
};

TEST_F(WriteConfdFilesTest, NoPlaceholderLeftAndOldFilesReplaced) {
  tmp_.Write("state/confd/conf.d/haproxy.toml", "old");
  ASSERT_TRUE(WriteConfdFiles(*layout_, values_).ok());
  for (const std::string& path : {layout_->toml_file, layout_->template_file}) {
    auto text = sys::ReadFile(path);
    ASSERT_TRUE(text.has_value()) << path;
    EXPECT_TRUE(PlaceholdersIn(*text).empty()) << path << ":\n" << *text;
    EXPECT_NE(*text, "old");
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u) << path;
  }
  // No staged file left beside them.
  EXPECT_EQ(tmp_.List("state/confd/conf.d"), "haproxy.toml");
  EXPECT_EQ(tmp_.List("state/confd/templates"), "haproxy.cfg.tmpl");
}

TEST_F(WriteConfdFilesTest, FailsWhenTheDirectoryIsMissing) {
  const StateLayout elsewhere(tmp_.Path("missing"));
  Status s = WriteConfdFiles(elsewhere, values_);
  EXPECT_FALSE(s.ok());
}

// What `berth up` relies on: the resource manages HAProxy with the files of
// the layout, and its render is a configuration HAProxy accepts.
TEST_F(WriteConfdFilesTest, ResourceManagesHaproxyAndRendersAValidConfig) {
  ASSERT_TRUE(WriteConfdFiles(*layout_, values_).ok());
  confd::LoadOptions load;
  load.confdir = layout_->confdir;
  auto resources = confd::LoadResources(load);
  ASSERT_TRUE(resources.has_value()) << resources.error().message();
  ASSERT_EQ(resources->size(), 1u);
  const confd::TemplateResource& r = resources->front();
  EXPECT_EQ(r.src, layout_->template_file);
  EXPECT_EQ(r.dest, layout_->haproxy_cfg);
  EXPECT_EQ(r.haproxy_socket, layout_->runtime_socket);
  EXPECT_EQ(r.haproxy_master_socket, layout_->master_socket);
  EXPECT_EQ(r.keys, std::vector<std::string>{"/test/servers"});
  EXPECT_EQ(r.check_cmd, "/usr/sbin/haproxy -c -q -f {{.src}}");
  EXPECT_NE(r.reload_cmd.find(layout_->haproxy_pid_file), std::string::npos) << r.reload_cmd;

  confd::TemplateCache cache;
  auto tmpl = cache.Get(r.src);
  ASSERT_TRUE(tmpl.has_value()) << tmpl.error().message();
  std::vector<kv::Entry> entries = {{"/test/servers/app-1", "127.0.0.1:32768"},
                                    {"/test/servers/app-2", "127.0.0.1:32769"},
                                    {"/other/x", "127.0.0.1:1"}};
  auto rendered = confd::Render(**tmpl, confd::ResourceSnapshot(r, entries));
  ASSERT_TRUE(rendered.has_value()) << rendered.error().message();
  EXPECT_NE(rendered->find("bind *:18123"), std::string::npos) << *rendered;
  EXPECT_NE(rendered->find("stats socket " + layout_->runtime_socket), std::string::npos)
      << *rendered;
  EXPECT_NE(rendered->find("server app-1 127.0.0.1:32768 check"), std::string::npos) << *rendered;
  EXPECT_NE(rendered->find("server app-2 127.0.0.1:32769 check"), std::string::npos) << *rendered;
  EXPECT_EQ(rendered->find("127.0.0.1:1 "), std::string::npos) << *rendered;

  if (access(values_.haproxy.c_str(), X_OK) != 0) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") FAIL() << "haproxy is not installed (CI=true)";
    GTEST_SKIP() << "haproxy is not installed: the render is not checked";
  }
  const std::string cfg = tmp_.Write("rendered.cfg", *rendered);
  auto check = sys::RunShell(values_.haproxy + " -c -f " + cfg, std::chrono::seconds(30));
  ASSERT_TRUE(check.has_value()) << check.error().message();
  EXPECT_TRUE(check->ok()) << "haproxy -c: " << check->Describe() << "\n"
                           << check->output << "\n"
                           << *rendered;

  // With no server at all, too.
  auto empty = confd::Render(**tmpl, confd::ResourceSnapshot(r, std::vector<kv::Entry>{}));
  ASSERT_TRUE(empty.has_value()) << empty.error().message();
  const std::string empty_cfg = tmp_.Write("empty.cfg", *empty);
  check = sys::RunShell(values_.haproxy + " -c -f " + empty_cfg, std::chrono::seconds(30));
  ASSERT_TRUE(check.has_value()) << check.error().message();
  EXPECT_TRUE(check->ok()) << "haproxy -c: " << check->Describe() << "\n"
                           << check->output << "\n"
                           << *empty;
}

}  // namespace
}  // namespace berth::up
