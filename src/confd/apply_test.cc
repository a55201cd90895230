#include "confd/apply.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sys/file.h"
#include "sys/testing/temp_dir.h"

namespace berth::confd {
namespace {

using berth::testing::TempDir;

kv::SnapshotPtr Servers() {
  return kv::Snapshot::Create({{"/app/servers/web1", "10.0.0.1:80"},
                               {"/app/servers/web2", "10.0.0.2:80"},
                               {"/app/name", "shop"}});
}

constexpr char kTemplate[] =
    "backend {{getv \"/app/name\"}}\n"
    "{{range gets \"/app/servers/*\"}}  server {{base .Key}} {{.Value}}\n{{end}}";
constexpr char kRendered[] = "backend shop\n  server web1 10.0.0.1:80\n  server web2 10.0.0.2:80\n";

TemplateResource Resource(const TempDir& dir) {
  TemplateResource r;
  r.toml_path = dir.Path("conf.d/app.toml");
  r.src = dir.Path("templates/app.tmpl");
  r.dest = dir.Path("app.conf");
  r.prefix = "/";
  r.keys = {"/app"};
  r.uid = geteuid();
  r.gid = getegid();
  r.reload_cmd = "echo reload >> " + dir.Path("reloads");
  return r;
}

std::string Reloads(const TempDir& dir) {
  auto text = sys::ReadFile(dir.Path("reloads"));
  return text ? *text : "";
}

TEST(ApplyResourceTest, UpdateThenInSync) {
  TempDir dir;
  dir.Write("templates/app.tmpl", kTemplate);
  const TemplateResource r = Resource(dir);
  TemplateCache cache;
  struct Step {
    const char* name;
    const char* template_text;  // nullptr: unchanged
    ApplyOutcome want;
    const char* dest;
    const char* reloads;
  };
  constexpr Step kSteps[] = {
      {"first render", nullptr, ApplyOutcome::kUpdated, kRendered, "reload\n"},
      // Same content: nothing written and no reload.
      {"in sync", nullptr, ApplyOutcome::kInSync, kRendered, "reload\n"},
      // The template changed on disk: the cache notices.
      {"template edited", "servers: {{len (ls \"/app/servers\")}}\n", ApplyOutcome::kUpdated,
       "servers: 2\n", "reload\nreload\n"},
      {"in sync again", nullptr, ApplyOutcome::kInSync, "servers: 2\n", "reload\nreload\n"},
  };
  for (const Step& s : kSteps) {
    if (s.template_text != nullptr) dir.Write("templates/app.tmpl", s.template_text);
    auto got = ApplyResource(r, Servers(), &cache, SyncOptions{});
    ASSERT_TRUE(got.has_value()) << s.name << ": " << got.error().message();
    EXPECT_EQ(*got, s.want) << s.name;
    EXPECT_EQ(*sys::ReadFile(r.dest), s.dest) << s.name;
    EXPECT_EQ(Reloads(dir), s.reloads) << s.name;
  }
}

TEST(ApplyResourceTest, ReloadLeftToTheCaller) {
  TempDir dir;
  dir.Write("templates/app.tmpl", kTemplate);
  TemplateCache cache;
  auto got = ApplyResource(Resource(dir), Servers(), &cache, SyncOptions{}, /*run_reload=*/false);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(*got, ApplyOutcome::kUpdated);
  EXPECT_EQ(Reloads(dir), "");
}

TEST(ApplyResourceTest, Failures) {
  struct Case {
    const char* name;
    const char* template_text;  // nullptr: no template file
    const char* mode;
    const char* reload_cmd;  // nullptr: the default (records the reload)
    const char* error;       // a part of the message
    bool dest_written;
  };
  constexpr Case kCases[] = {
      {"missing template", nullptr, "", nullptr, "Missing template: ", false},
      // confd checks the mode first, before it even looks for the template.
      {"bad mode", nullptr, "0999", nullptr, "strconv.ParseUint: parsing \"0999\": invalid syntax",
       false},
      {"template syntax error", "{{if}}", "", nullptr, "template: app.tmpl:1:", false},
      {"missing key", "{{getv \"/nope\"}}", "", nullptr, "key does not exist", false},
      {"unknown function", "{{nope}}", "", nullptr, "function \"nope\" not defined", false},
      // The file is in place before the reload fails.
      {"failing reload", kTemplate, "", "echo oops; exit 2",
       "reload command failed: exit status 2: oops", true},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    if (c.template_text != nullptr) dir.Write("templates/app.tmpl", c.template_text);
    TemplateResource r = Resource(dir);
    r.mode = c.mode;
    if (c.reload_cmd != nullptr) r.reload_cmd = c.reload_cmd;
    TemplateCache cache;
    auto got = ApplyResource(r, Servers(), &cache, SyncOptions{});
    ASSERT_FALSE(got.has_value()) << c.name;
    EXPECT_NE(got.error().message().find(c.error), std::string::npos)
        << c.name << ": " << got.error().message();
    EXPECT_EQ(dir.Exists("app.conf"), c.dest_written) << c.name;
  }
}

TEST(ApplyResourceTest, ExecutionErrorWritesNothing) {
  // Output produced before the error is not published.
  TempDir dir;
  dir.Write("app.conf", "old\n");
  dir.Write("templates/app.tmpl", "partial output\n{{getv \"/nope\"}}\n");
  TemplateCache cache;
  auto got = ApplyResource(Resource(dir), Servers(), &cache, SyncOptions{});
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(*sys::ReadFile(dir.Path("app.conf")), "old\n");
  EXPECT_EQ(dir.List(), "app.conf templates");
}

}  // namespace
}  // namespace berth::confd
