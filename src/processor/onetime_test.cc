// `-onetime` end to end with the file backend: a confdir with several
// resources, one data.yaml, outputs compared with what confd writes.
#include "processor/onetime.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/file/file_backend.h"
#include "sys/file.h"
#include "sys/testing/temp_dir.h"

namespace berth::processor {
namespace {

using berth::testing::TempDir;

// Counts the reads of the backend it wraps.
class CountingBackend : public backend::Backend {
 public:
  explicit CountingBackend(backend::BackendPtr inner) : inner_(std::move(inner)) {}
  std::string_view name() const override { return inner_->name(); }
  Result<std::vector<kv::Entry>> GetValues(const std::vector<std::string>& prefixes) override {
    ++reads;
    last_prefixes = prefixes;
    return inner_->GetValues(prefixes);
  }
  int reads = 0;
  std::vector<std::string> last_prefixes;

 private:
  backend::BackendPtr inner_;
};

constexpr char kData[] =
    "app:\n"
    "  name: shop\n"
    "  servers:\n"
    "    web2: 10.0.0.2:80\n"
    "    web1: 10.0.0.1:80\n"
    "apple: red\n"
    "other:\n"
    "  key: x\n";

constexpr char kServersTemplate[] =
    "{{range gets \"/app/servers/*\"}}server {{base .Key}} {{.Value}}\n{{end}}"
    "{{range ls \"/\"}}top {{.}}\n{{end}}";
constexpr char kServersOut[] = "server web1 10.0.0.1:80\nserver web2 10.0.0.2:80\ntop apple\n";

// A confdir whose resources render in conf.d order and record their
// reloads, in order, in OUT/reloads.
class OnetimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("data.yaml", kData);
    dir_.MkDir("out");
    dir_.Write("confdir/templates/servers.tmpl", kServersTemplate);
    // With prefix /app the store keys lose it: /servers/web1, /name.
    dir_.Write("confdir/templates/prefixed.tmpl",
               "name={{getv \"/name\"}}\n{{range getvs \"/servers/*\"}}{{.}}\n{{end}}"
               "{{if exists \"/app/name\"}}unprefixed{{end}}");
    AddResource("a.toml", "servers.tmpl", "a.conf", "[\"/app/servers\", \"/apple\"]", "");
    AddResource("b/b.toml", "prefixed.tmpl", "b.conf", "[\"/servers\", \"/name\"]",
                "prefix = \"/app\"\n");
    // The last resource renders from the entries the others had copied.
    AddResource("c.toml", "servers.tmpl", "c.conf", "[\"/app/servers\", \"/apple\"]", "");
  }

  void AddResource(const std::string& toml, const std::string& src, const std::string& dest,
                   const std::string& keys, const std::string& extra) {
    dir_.Write("confdir/conf.d/" + toml, "[template]\nsrc = \"" + src + "\"\ndest = \"" +
                                             dir_.Path("out/" + dest) + "\"\nkeys = " + keys +
                                             "\n" + extra + "reload_cmd = \"echo " + dest + " >> " +
                                             dir_.Path("reloads") + "\"\n");
  }

  bool Run(CountingBackend* backend, bool noop = false, std::FILE* diff_out = stdout) {
    OnetimeOptions options;
    options.load.confdir = dir_.Path("confdir");
    options.sync.noop = noop;
    options.sync.diff_out = diff_out;
    return RunOnce(*backend, options);
  }

  CountingBackend Backend() {
    return CountingBackend(
        backend::file::NewFileBackend({.paths = {dir_.Path("data.yaml")}, .filter = "*"}));
  }

  std::string Out(const std::string& name) {
    auto text = sys::ReadFile(dir_.Path("out/" + name));
    return text ? *text : "<missing>";
  }
  std::string Reloads() {
    auto text = sys::ReadFile(dir_.Path("reloads"));
    return text ? *text : "";
  }

  TempDir dir_;
};

TEST_F(OnetimeTest, RendersEveryResourceInOrder) {
  CountingBackend backend = Backend();
  ASSERT_TRUE(Run(&backend));
  EXPECT_EQ(Out("a.conf"), kServersOut);
  EXPECT_EQ(Out("b.conf"), "name=shop\n10.0.0.1:80\n10.0.0.2:80\n");
  // The last resource worked on moved entries: the same output as its twin.
  EXPECT_EQ(Out("c.conf"), kServersOut);
  EXPECT_EQ(Reloads(), "a.conf\nb.conf\nc.conf\n");
  // One read for all resources, of the union of their prefixed keys.
  EXPECT_EQ(backend.reads, 1);
  EXPECT_EQ(backend.last_prefixes,
            (std::vector<std::string>{"/app/name", "/app/servers", "/apple"}));

  // A second run finds everything in sync: no reloads.
  CountingBackend again = Backend();
  ASSERT_TRUE(Run(&again));
  EXPECT_EQ(Reloads(), "a.conf\nb.conf\nc.conf\n");
}

TEST_F(OnetimeTest, LastResourceSeesTheSameAsACopy) {
  // Whatever resource comes last, its output is what it renders when it is
  // not last.
  AddResource("z.toml", "prefixed.tmpl", "z.conf", "[\"/servers\", \"/name\"]",
              "prefix = \"app\"\n");
  CountingBackend backend = Backend();
  ASSERT_TRUE(Run(&backend));
  EXPECT_EQ(Out("z.conf"), Out("b.conf"));
  EXPECT_EQ(Out("c.conf"), Out("a.conf"));
  EXPECT_EQ(backend.reads, 1);
}

TEST_F(OnetimeTest, FailingResourcesFailAlone) {
  struct Case {
    const char* name;
    const char* toml;  // the resource added as b2.toml (between b and c)
    const char* template_text;
  };
  const Case kCases[] = {
      {"template execution error", "src = \"bad.tmpl\"\n", "{{getv \"/missing\"}}"},
      {"template syntax error", "src = \"bad.tmpl\"\n", "{{range}}"},
      {"missing template", "src = \"absent.tmpl\"\n", "unused"},
      {"bad mode", "src = \"bad.tmpl\"\nmode = \"rw-r--r--\"\n", "fine\n"},
      {"failing check", "src = \"bad.tmpl\"\ncheck_cmd = \"false {{.src}}\"\n", "fine\n"},
  };
  for (const Case& c : kCases) {
    dir_.Write("confdir/templates/bad.tmpl", c.template_text);
    dir_.Write("confdir/conf.d/b2.toml", std::string("[template]\n") + c.toml + "dest = \"" +
                                             dir_.Path("out/bad.conf") + "\"\nkeys = [\"/\"]\n");
    std::filesystem::remove_all(dir_.Path("out"));
    dir_.MkDir("out");
    std::filesystem::remove(dir_.Path("reloads"));
    CountingBackend backend = Backend();
    EXPECT_FALSE(Run(&backend)) << c.name;
    EXPECT_EQ(Out("a.conf"), kServersOut) << c.name;
    EXPECT_EQ(Out("b.conf"), "name=shop\n10.0.0.1:80\n10.0.0.2:80\n") << c.name;
    EXPECT_EQ(Out("c.conf"), kServersOut) << c.name;
    EXPECT_EQ(Out("bad.conf"), "<missing>") << c.name;
    EXPECT_EQ(Reloads(), "a.conf\nb.conf\nc.conf\n") << c.name;
    EXPECT_EQ(backend.reads, 1) << c.name;
  }
}

TEST_F(OnetimeTest, BadResourceFileAbortsBeforeAnything) {
  struct Case {
    const char* name;
    const char* file;
    const char* text;
  };
  constexpr Case kCases[] = {
      {"TOML syntax error", "z.toml", "[template\nsrc = \"x\"\n"},
      {"wrong type", "b/y.toml", "[template]\nsrc = \"x\"\nkeys = \"/app\"\n"},
      {"no src", "0.toml", "[template]\ndest = \"/tmp/x\"\n"},
  };
  for (const Case& c : kCases) {
    const std::string path = dir_.Write(std::string("confdir/conf.d/") + c.file, c.text);
    CountingBackend backend = Backend();
    EXPECT_FALSE(Run(&backend)) << c.name;
    EXPECT_EQ(backend.reads, 0) << c.name;
    EXPECT_EQ(dir_.List("out"), "") << c.name;
    EXPECT_FALSE(dir_.Exists("reloads")) << c.name;
    std::filesystem::remove(path);
  }
}

TEST_F(OnetimeTest, BackendFailureWritesNothing) {
  std::filesystem::remove(dir_.Path("data.yaml"));
  CountingBackend backend = Backend();
  EXPECT_FALSE(Run(&backend));
  EXPECT_EQ(backend.reads, 1);
  EXPECT_EQ(dir_.List("out"), "");
}

TEST_F(OnetimeTest, NoopWritesNothing) {
  dir_.Write("out/a.conf", "server web1 10.0.0.1:80\n");
  std::FILE* diff = std::tmpfile();
  CountingBackend backend = Backend();
  EXPECT_TRUE(Run(&backend, /*noop=*/true, diff));
  EXPECT_EQ(dir_.List("out"), "a.conf");
  EXPECT_EQ(Out("a.conf"), "server web1 10.0.0.1:80\n");
  EXPECT_FALSE(dir_.Exists("reloads"));
  std::rewind(diff);
  std::string text(8192, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), diff));
  std::fclose(diff);
  const std::string a = dir_.Path("out/a.conf");
  EXPECT_NE(text.find("--- " + a + "\n+++ " + a + " (rendered)\n@@ -1 +1,3 @@\n server web1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("+++ " + dir_.Path("out/b.conf") + " (rendered)\n@@ -0,0 +1,3 @@\n"),
            std::string::npos)
      << text;
}

TEST(OnetimeEmptyTest, NoTemplatesIsFine) {
  TempDir dir;
  dir.Write("data.yaml", kData);
  dir.MkDir("confdir/conf.d");
  CountingBackend backend(
      backend::file::NewFileBackend({.paths = {dir.Path("data.yaml")}, .filter = "*"}));
  OnetimeOptions options;
  options.load.confdir = dir.Path("confdir");
  EXPECT_TRUE(RunOnce(backend, options));
  EXPECT_EQ(backend.reads, 0);
}

}  // namespace
}  // namespace berth::processor
