#include "confd/sync.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "confd/reload.h"
#include "sys/file.h"
#include "sys/testing/temp_dir.h"

namespace berth::confd {
namespace {

using berth::testing::TempDir;
using std::chrono::milliseconds;

// Collects what SyncDest prints for -noop.
class DiffSink {
 public:
  DiffSink() : f_(std::tmpfile()) {}
  ~DiffSink() { std::fclose(f_); }
  std::FILE* file() const { return f_; }
  std::string Text() const {
    std::fflush(f_);
    std::string out;
    std::rewind(f_);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof(buf), f_)) > 0;) out.append(buf, n);
    return out;
  }

 private:
  std::FILE* f_;
};

TemplateResource Resource(const TempDir& dir, std::string mode = "") {
  TemplateResource r;
  r.toml_path = dir.Path("conf.d/app.toml");
  r.src = dir.Path("templates/app.tmpl");
  r.dest = dir.Path("app.conf");
  r.prefix = "/";
  r.mode = std::move(mode);
  r.uid = geteuid();
  r.gid = getegid();
  return r;
}

struct stat StatOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

// Hidden stage files beside app.conf.
std::vector<std::string> StageFiles(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(".app.conf")) out.push_back(e.path().string());
  }
  return out;
}

TEST(SyncDestTest, ContentAndMode) {
  struct Case {
    const char* name;
    const char* existing;  // nullptr: no dest yet
    mode_t existing_mode;
    const char* mode;  // the resource's mode
    const char* content;
    SyncOutcome want;
    mode_t want_mode;
  };
  constexpr Case kCases[] = {
      {"new dest, default mode", nullptr, 0, "", "a\nb\n", SyncOutcome::kUpdated, 0644},
      {"new dest, configured mode", nullptr, 0, "0600", "a\n", SyncOutcome::kUpdated, 0600},
      {"new dest, decimal mode", nullptr, 0, "420", "a\n", SyncOutcome::kUpdated, 0644},
      {"new dest, empty content", nullptr, 0, "", "", SyncOutcome::kUpdated, 0644},
      {"in sync", "a\n", 0640, "", "a\n", SyncOutcome::kInSync, 0640},
      {"in sync with configured mode", "a\n", 0600, "0600", "a\n", SyncOutcome::kInSync, 0600},
      {"content differs: dest's mode kept", "old\n", 0640, "", "new\n", SyncOutcome::kUpdated,
       0640},
      {"content differs: configured mode", "old\n", 0640, "0600", "new\n", SyncOutcome::kUpdated,
       0600},
      {"only the mode differs", "a\n", 0644, "0600", "a\n", SyncOutcome::kUpdated, 0600},
      {"setuid bit of dest kept", "old\n", 04755, "", "new\n", SyncOutcome::kUpdated, 04755},
      {"only a trailing newline differs", "a", 0644, "", "a\n", SyncOutcome::kUpdated, 0644},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    TemplateResource r = Resource(dir, c.mode);
    ino_t old_inode = 0;
    if (c.existing != nullptr) {
      dir.Write("app.conf", c.existing, c.existing_mode);
      old_inode = StatOf(r.dest).st_ino;
    }
    auto got = SyncDest(r, c.content, SyncOptions{});
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(*got, c.want) << c.name;
    auto content = sys::ReadFile(r.dest);
    ASSERT_TRUE(content.has_value()) << c.name;
    EXPECT_EQ(*content, c.content) << c.name;
    const struct stat st = StatOf(r.dest);
    EXPECT_EQ(st.st_mode & 07777, c.want_mode) << c.name << std::oct << " got " << st.st_mode;
    EXPECT_EQ(st.st_uid, geteuid()) << c.name;
    if (c.want == SyncOutcome::kInSync) {
      EXPECT_EQ(st.st_ino, old_inode) << c.name << ": an in-sync dest is not rewritten";
    } else if (c.existing != nullptr) {
      EXPECT_NE(st.st_ino, old_inode) << c.name << ": dest is replaced by a rename";
    }
    EXPECT_TRUE(StageFiles(dir).empty()) << c.name;
  }
}

TEST(SyncDestTest, Owner) {
  if (geteuid() != 0) GTEST_SKIP() << "changing owners needs root";
  struct Case {
    const char* name;
    bool existing;
    uid_t dest_uid;  // of the existing dest
    gid_t dest_gid;
    uid_t uid;  // the resource's
    gid_t gid;
    SyncOutcome want;
  };
  constexpr Case kCases[] = {
      {"new dest gets the owner", false, 0, 0, 4321, 8765, SyncOutcome::kUpdated},
      {"owner differs", true, 1234, 1234, 0, 0, SyncOutcome::kUpdated},
      {"group differs", true, 0, 1234, 0, 0, SyncOutcome::kUpdated},
      {"owner matches", true, 4321, 8765, 4321, 8765, SyncOutcome::kInSync},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    TemplateResource r = Resource(dir);
    r.uid = c.uid;
    r.gid = c.gid;
    if (c.existing) {
      dir.Write("app.conf", "same\n");
      ASSERT_EQ(::chown(r.dest.c_str(), c.dest_uid, c.dest_gid), 0);
    }
    auto got = SyncDest(r, "same\n", SyncOptions{});
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(*got, c.want) << c.name;
    const struct stat st = StatOf(r.dest);
    EXPECT_EQ(st.st_uid, c.uid) << c.name;
    EXPECT_EQ(st.st_gid, c.gid) << c.name;
    EXPECT_EQ(st.st_mode & 07777, 0644u) << c.name;
  }
}

TEST(SyncDestTest, Noop) {
  struct Case {
    const char* name;
    const char* existing;  // nullptr: no dest
    const char* mode;
    const char* content;
    SyncOutcome want;
    const char* diff;  // DEST stands for the dest path
  };
  constexpr Case kCases[] = {
      {"new dest", nullptr, "", "a\nb\n", SyncOutcome::kUpdated,
       "--- DEST\n+++ DEST (rendered)\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
      {"changed line", "a\nb\nc\n", "", "a\nB\nc\n", SyncOutcome::kUpdated,
       "--- DEST\n+++ DEST (rendered)\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
      {"no trailing newline", "a\n", "", "a", SyncOutcome::kUpdated,
       "--- DEST\n+++ DEST (rendered)\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"},
      {"in sync", "a\n", "", "a\n", SyncOutcome::kInSync, ""},
      {"only the mode", "a\n", "0600", "a\n", SyncOutcome::kUpdated, "mode 0644 -> 0600 DEST\n"},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    TemplateResource r = Resource(dir, c.mode);
    if (c.existing != nullptr) dir.Write("app.conf", c.existing);
    const std::string before = dir.List();
    DiffSink sink;
    SyncOptions options;
    options.noop = true;
    options.diff_out = sink.file();
    auto got = SyncDest(r, c.content, options);
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(*got, c.want) << c.name;
    std::string want_diff = c.diff;
    for (size_t p; (p = want_diff.find("DEST")) != std::string::npos;) {
      want_diff.replace(p, 4, r.dest);
    }
    EXPECT_EQ(sink.Text(), want_diff) << c.name;
    // Nothing written: the directory and dest are as they were.
    EXPECT_EQ(dir.List(), before) << c.name;
    if (c.existing != nullptr) {
      EXPECT_EQ(*sys::ReadFile(r.dest), c.existing) << c.name;
      EXPECT_EQ(StatOf(r.dest).st_mode & 07777, 0644u) << c.name;
    }
  }
}

TEST(SyncDestTest, KeepStageFile) {
  struct Case {
    const char* name;
    const char* existing;
    bool noop;
    SyncOutcome want;
    bool stage_left;
    const char* dest_after;
  };
  constexpr Case kCases[] = {
      // In sync: the stage file is written and kept for inspection.
      {"in sync", "new\n", false, SyncOutcome::kInSync, true, "new\n"},
      // Updated: the stage file became dest.
      {"updated", "old\n", false, SyncOutcome::kUpdated, false, "new\n"},
      {"new dest", nullptr, false, SyncOutcome::kUpdated, false, "new\n"},
      // With -noop too, as confd: the stage file stays and dest is untouched.
      {"noop", "old\n", true, SyncOutcome::kUpdated, true, "old\n"},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    TemplateResource r = Resource(dir);
    if (c.existing != nullptr) dir.Write("app.conf", c.existing);
    DiffSink sink;
    SyncOptions options;
    options.keep_stage_file = true;
    options.noop = c.noop;
    options.diff_out = sink.file();
    auto got = SyncDest(r, "new\n", options);
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(*got, c.want) << c.name;
    const auto staged = StageFiles(dir);
    ASSERT_EQ(staged.size(), c.stage_left ? 1u : 0u) << c.name;
    if (c.stage_left) {
      EXPECT_EQ(*sys::ReadFile(staged[0]), "new\n") << c.name;
      EXPECT_EQ(StatOf(staged[0]).st_mode & 07777, 0644u) << c.name;
    }
    EXPECT_EQ(*sys::ReadFile(r.dest), c.dest_after) << c.name;
  }
}

TEST(SyncDestTest, CheckCmd) {
  struct Case {
    const char* name;
    const char* check_cmd;  // "OUT" stands for a file in the temp dir
    bool sync_only;
    bool ok;
    const char* error;  // a part of the message when !ok
  };
  constexpr Case kCases[] = {
      {"passing check", "grep -q new {{.src}}", false, true, nullptr},
      {"failing check", "grep -q absent {{.src}}", false, false,
       "Config check failed: exit status 1"},
      {"check output in the error", "echo 'line 3: bad directive' >&2; exit 3", false, false,
       "Config check failed: exit status 3: line 3: bad directive"},
      {"check killed", "kill -9 $$", false, false, "signal: killed"},
      {"sync_only skips the check", "exit 1", true, true, nullptr},
      {"check_cmd is a template", "test {{if .src}}-s {{.src}}{{end}}", false, true, nullptr},
      {"bad check template", "test -s {{.src", false, false, "Config check failed"},
      // A missing key prints Go's "<no value>".
      {"unknown field", "test '{{.nope}}' = '<no value>'", false, true, nullptr},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    dir.Write("app.conf", "old\n", 0640);
    TemplateResource r = Resource(dir);
    r.check_cmd = c.check_cmd;
    SyncOptions options;
    options.sync_only = c.sync_only;
    auto got = SyncDest(r, "new\n", options);
    EXPECT_EQ(got.has_value(), c.ok) << c.name;
    if (c.ok) {
      EXPECT_EQ(*got, SyncOutcome::kUpdated) << c.name;
      EXPECT_EQ(*sys::ReadFile(r.dest), "new\n") << c.name;
    } else if (!got) {
      EXPECT_NE(got.error().message().find(c.error), std::string::npos)
          << c.name << ": " << got.error().message();
      // dest untouched, and the stage file is gone.
      EXPECT_EQ(*sys::ReadFile(r.dest), "old\n") << c.name;
      EXPECT_EQ(StatOf(r.dest).st_mode & 07777, 0640u) << c.name;
    }
    EXPECT_TRUE(StageFiles(dir).empty()) << c.name;
  }
}

TEST(SyncDestTest, CheckCmdSeesTheStagedFile) {
  TempDir dir;
  dir.Write("app.conf", "old\n");
  TemplateResource r = Resource(dir, "0640");
  const std::string seen = dir.Path("seen");
  r.check_cmd =
      "echo {{.src}} > " + seen + "; cat {{.src}} >> " + seen + "; stat -c %a {{.src}} >> " + seen;
  auto got = SyncDest(r, "new content\n", SyncOptions{});
  ASSERT_TRUE(got.has_value()) << got.error().message();
  auto text = sys::ReadFile(seen);
  ASSERT_TRUE(text.has_value());
  // The staged file: hidden beside dest, holding the new content with its
  // final mode already applied.
  const std::string prefix = dir.Path(".app.conf");
  EXPECT_TRUE(text->starts_with(prefix)) << *text;
  EXPECT_TRUE(text->ends_with("\nnew content\n640\n")) << *text;
  EXPECT_EQ(*sys::ReadFile(r.dest), "new content\n");
}

TEST(SyncDestTest, InSyncRunsNoCheck) {
  TempDir dir;
  dir.Write("app.conf", "same\n");
  TemplateResource r = Resource(dir);
  r.check_cmd = "touch " + dir.Path("checked");
  auto got = SyncDest(r, "same\n", SyncOptions{});
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(*got, SyncOutcome::kInSync);
  EXPECT_FALSE(dir.Exists("checked"));
}

TEST(SyncDestTest, CheckCmdTimeout) {
  TempDir dir;
  dir.Write("app.conf", "old\n");
  TemplateResource r = Resource(dir);
  r.check_cmd = "sleep 300";
  SyncOptions options;
  options.command_timeout = milliseconds(200);
  auto got = SyncDest(r, "new\n", options);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Code::kTimeout);
  EXPECT_NE(got.error().message().find("timed out"), std::string::npos) << got.error().message();
  EXPECT_EQ(*sys::ReadFile(r.dest), "old\n");
  EXPECT_TRUE(StageFiles(dir).empty());
}

TEST(SyncDestTest, Errors) {
  struct Case {
    const char* name;
    const char* dest;  // relative to the temp dir
    const char* mode;
    const char* error;  // a part of the message
  };
  constexpr Case kCases[] = {
      {"missing dest directory", "missing/app.conf", "", "missing"},
      {"dest below a file", "file/app.conf", "", "file/app.conf"},
      {"bad mode", "app.conf", "abc", "strconv.ParseUint: parsing \"abc\": invalid syntax"},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    dir.Write("file", "");
    TemplateResource r = Resource(dir, c.mode);
    r.dest = dir.Path(c.dest);
    auto got = SyncDest(r, "new\n", SyncOptions{});
    ASSERT_FALSE(got.has_value()) << c.name;
    EXPECT_NE(got.error().message().find(c.error), std::string::npos)
        << c.name << ": " << got.error().message();
    EXPECT_EQ(dir.List(), "file") << c.name << ": nothing created";
  }
}

TEST(RunReloadTest, Table) {
  struct Case {
    const char* name;
    const char* reload_cmd;
    bool sync_only;
    bool noop;
    Code code;
    const char* error;  // the whole message when code != kOk
    bool ran;           // whether the command ran (it touches RAN first)
  };
  constexpr Case kCases[] = {
      {"passing reload", "touch RAN; echo reloaded", false, false, Code::kOk, "", true},
      {"failing reload", "touch RAN; echo 'haproxy: bad config'; exit 4", false, false,
       Code::kFailedPrecondition, "reload command failed: exit status 4: haproxy: bad config",
       true},
      {"failing reload without output", "touch RAN; exit 1", false, false,
       Code::kFailedPrecondition, "reload command failed: exit status 1", true},
      {"sync_only skips it", "touch RAN; exit 1", true, false, Code::kOk, "", false},
      {"noop skips it", "touch RAN; exit 1", false, true, Code::kOk, "", false},
      {"no reload_cmd", "", false, false, Code::kOk, "", false},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    TemplateResource r = Resource(dir);
    r.reload_cmd = c.reload_cmd;
    // Run in the temp dir so that RAN lands there.
    if (!r.reload_cmd.empty()) r.reload_cmd = "cd " + dir.path() + " && { " + r.reload_cmd + "; }";
    SyncOptions options;
    options.sync_only = c.sync_only;
    options.noop = c.noop;
    Status s = RunReload(r, options);
    EXPECT_EQ(s.code(), c.code) << c.name << ": " << s.message();
    if (c.code != Code::kOk) {
      EXPECT_EQ(s.message(), c.error) << c.name;
    }
    EXPECT_EQ(dir.Exists("RAN"), c.ran) << c.name;
  }
}

TEST(RunReloadTest, Timeout) {
  TempDir dir;
  TemplateResource r = Resource(dir);
  r.reload_cmd = "echo starting; sleep 300";
  SyncOptions options;
  options.command_timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  Status s = RunReload(r, options);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), Code::kTimeout) << s.message();
  EXPECT_EQ(s.message(), "reload command failed: timed out after 300ms: starting");
  EXPECT_LT(took, milliseconds(10'000));
}

}  // namespace
}  // namespace berth::confd
