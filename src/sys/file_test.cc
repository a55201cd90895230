#include "sys/file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sys/testing/temp_dir.h"

namespace berth::sys {
namespace {

using berth::testing::TempDir;

std::string Join(const std::vector<std::string>& v, std::string_view strip = "") {
  std::string out;
  for (const auto& s : v) {
    std::string_view x = s;
    if (x.starts_with(strip)) x.remove_prefix(strip.size());
    out += (out.empty() ? "" : " ") + std::string(x);
  }
  return out;
}

// ---- ReadFile / FileContentEquals ----

TEST(ReadFileTest, RoundTrips) {
  struct Case {
    const char* name;
    std::string content;
  };
  const Case kCases[] = {
      {"empty", ""},
      {"text", "global\n    maxconn 256\n"},
      {"no trailing newline", "x"},
      {"binary with NUL", std::string("a\0b\xff", 4)},
      {"larger than one read", std::string(200'000, 'q') + "end"},
  };
  TempDir dir;
  for (const Case& c : kCases) {
    const std::string p = dir.Write("f", c.content);
    auto got = ReadFile(p);
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(*got, c.content) << c.name;
  }
}

TEST(ReadFileTest, Errors) {
  TempDir dir;
  dir.Write("file", "x");
  struct Case {
    std::string path;
    Code code;
  };
  const Case kCases[] = {
      {dir.Path("missing"), Code::kNotFound},
      {dir.Path("file/below"), Code::kNotFound},  // ENOTDIR
      {dir.path(), Code::kIoError},               // a directory: EISDIR on read
  };
  for (const Case& c : kCases) {
    auto got = ReadFile(c.path);
    ASSERT_FALSE(got.has_value()) << c.path;
    EXPECT_EQ(got.error().code(), c.code) << c.path << ": " << got.error().message();
    EXPECT_NE(got.error().message().find(c.path), std::string::npos) << got.error().message();
  }
}

TEST(FileContentEqualsTest, Table) {
  const std::string big(150'000, 'x');
  std::string big_last = big;
  big_last.back() = 'y';
  std::string big_first = big;
  big_first.front() = 'y';
  struct Case {
    const char* name;
    std::string file;
    std::string content;
    bool want;
  };
  const Case kCases[] = {
      {"both empty", "", "", true},
      {"empty file", "", "x", false},
      {"empty content", "x", "", false},
      {"same", "a\nb\n", "a\nb\n", true},
      {"same length, differs", "a\nb\n", "a\nc\n", false},
      {"content is a prefix", "a\nb\n", "a\n", false},
      {"file is a prefix", "a\n", "a\nb\n", false},
      {"large, same", big, big, true},
      {"large, last byte differs", big, big_last, false},
      {"large, first byte differs", big, big_first, false},
      {"NUL bytes", std::string("a\0b", 3), std::string("a\0b", 3), true},
      {"NUL vs other", std::string("a\0b", 3), std::string("a\0c", 3), false},
  };
  TempDir dir;
  for (const Case& c : kCases) {
    const std::string p = dir.Write("f", c.file);
    auto got = FileContentEquals(p, c.content);
    ASSERT_TRUE(got.has_value()) << c.name << ": " << got.error().message();
    EXPECT_EQ(*got, c.want) << c.name;
  }
  auto missing = FileContentEquals(dir.Path("missing"), "");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
  EXPECT_NE(missing.error().message().find(dir.Path("missing")), std::string::npos);
}

// ---- Stat / Lstat ----

TEST(StatTest, Table) {
  TempDir dir;
  dir.Write("file", "abc", 0640);
  dir.Write("suid", "", 04755);
  dir.MkDir("dir");
  ::chmod(dir.Path("dir").c_str(), 01777);
  dir.Symlink("file", "link");
  dir.Symlink("nowhere", "dangling");
  dir.Symlink("dir", "dirlink");
  struct Case {
    const char* rel;
    bool follow;
    bool exists;
    mode_t mode;
    bool is_dir;
    bool is_regular;
  };
  constexpr Case kCases[] = {
      {"file", true, true, 0640, false, true},       {"file", false, true, 0640, false, true},
      {"suid", true, true, 04755, false, true},      {"dir", true, true, 01777, true, false},
      {"missing", true, false, 0, false, false},     {"missing", false, false, 0, false, false},
      {"link", true, true, 0640, false, true},  // Stat follows the link
      {"link", false, true, 0777, false, false},     {"dangling", true, false, 0, false, false},
      {"dangling", false, true, 0777, false, false}, {"dirlink", true, true, 01777, true, false},
      {"dirlink", false, true, 0777, false, false},
  };
  for (const Case& c : kCases) {
    const std::string p = dir.Path(c.rel);
    auto got = c.follow ? Stat(p) : Lstat(p);
    const std::string what = std::string(c.follow ? "Stat " : "Lstat ") + c.rel;
    ASSERT_TRUE(got.has_value()) << what << ": " << got.error().message();
    ASSERT_EQ(got->has_value(), c.exists) << what;
    if (!c.exists) continue;
    const FileInfo& info = **got;
    EXPECT_EQ(info.mode, c.mode) << what << std::oct << " got " << info.mode;
    EXPECT_EQ(info.is_dir, c.is_dir) << what;
    EXPECT_EQ(info.is_regular, c.is_regular) << what;
    EXPECT_EQ(info.uid, geteuid()) << what;
    EXPECT_EQ(info.gid, getegid()) << what;
  }
  // A path below a regular file is an error, not "missing".
  auto below = Stat(dir.Path("file/x"));
  ASSERT_FALSE(below.has_value());
  EXPECT_NE(below.error().message().find(dir.Path("file/x")), std::string::npos);
}

// ---- WalkFiles ----

TEST(WalkFilesTest, GoWalkOrder) {
  TempDir dir;
  // Walked in place, "b/x.toml" comes before "b-x.toml" although '-' sorts
  // before '/': Go's Walk sorts the names of one directory at a time.
  for (const char* f :
       {"conf.d/c.toml", "conf.d/a.toml", "conf.d/b/x.toml", "conf.d/b-x.toml",
        "conf.d/b/d/deep.toml", "conf.d/b/a.toml", "conf.d/.hidden.toml", "conf.d/B.toml",
        "conf.d/weirdtoml", "conf.d/x.toml.bak", "conf.d/notes.txt", "conf.d/empty/.keep"}) {
    dir.Write(f, "");
  }
  dir.MkDir("conf.d/dir.toml");  // a directory whose name matches is not a file
  const std::string root = dir.Path("conf.d");
  struct Case {
    const char* pattern;
    const char* want;
  };
  constexpr Case kCases[] = {
      {"*toml",
       ".hidden.toml B.toml a.toml b/a.toml b/d/deep.toml b/x.toml b-x.toml c.toml weirdtoml"},
      {"*.toml", ".hidden.toml B.toml a.toml b/a.toml b/d/deep.toml b/x.toml b-x.toml c.toml"},
      {"*",
       ".hidden.toml B.toml a.toml b/a.toml b/d/deep.toml b/x.toml b-x.toml c.toml "
       "empty/.keep notes.txt weirdtoml x.toml.bak"},
      {"[ab]*", "a.toml b/a.toml b-x.toml"},  // on base names, not paths
      {"b", ""},
      {"nothing", ""},
  };
  for (const Case& c : kCases) {
    auto got = WalkFiles(root, c.pattern);
    ASSERT_TRUE(got.has_value()) << c.pattern << ": " << got.error().message();
    EXPECT_EQ(Join(*got, root + "/"), c.want) << c.pattern;
  }
}

TEST(WalkFilesTest, RootsAndLinks) {
  TempDir dir;
  dir.Write("real/a.toml", "");
  dir.Write("real/sub/b.toml", "");
  dir.Write("other/linked.toml", "");
  dir.Symlink("../other", "real/sub/linkdir.toml");  // a link to a directory: not descended
  dir.Symlink("a.toml", "real/alias.toml");          // a link to a file: kept, like Go
  dir.Symlink("real", "rootlink");
  dir.Write("single.toml", "");
  struct Case {
    const char* root;
    const char* want;  // paths relative to the temp dir
  };
  constexpr Case kCases[] = {
      {"real", "real/a.toml real/alias.toml real/sub/b.toml real/sub/linkdir.toml"},
      // A root that links to a directory is followed.
      {"rootlink",
       "rootlink/a.toml rootlink/alias.toml rootlink/sub/b.toml rootlink/sub/linkdir.toml"},
      // Names are joined as Go joins them (cleaned): no "real//a.toml".
      {"real/", "real/a.toml real/alias.toml real/sub/b.toml real/sub/linkdir.toml"},
      {"missing", ""},
      {"single.toml", "single.toml"},  // a file as root is matched itself
  };
  for (const Case& c : kCases) {
    auto got = WalkFiles(dir.Path(c.root), "*.toml");
    ASSERT_TRUE(got.has_value()) << c.root << ": " << got.error().message();
    EXPECT_EQ(Join(*got, dir.path() + "/"), c.want) << c.root;
  }
}

TEST(WalkFilesTest, BadPatternIsAnError) {
  TempDir dir;
  dir.Write("d/a.toml", "");
  auto got = WalkFiles(dir.Path("d"), "[");
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Code::kInvalidArgument);
}

// ---- StagedFile ----

// The hidden stage files in `dir` (names starting with "." + base).
std::vector<std::string> StageFiles(const TempDir& dir, std::string_view base) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("." + std::string(base))) out.push_back(name);
  }
  return out;
}

TEST(StagedFileTest, CreatedHiddenBesideDest) {
  TempDir dir;
  const std::string dest = dir.Path("haproxy.cfg");
  auto staged = StagedFile::Create(dest);
  ASSERT_TRUE(staged.has_value()) << staged.error().message();
  const std::string prefix = dir.path() + "/.haproxy.cfg";
  ASSERT_TRUE(staged->path().starts_with(prefix)) << staged->path();
  EXPECT_EQ(staged->path().size(), prefix.size() + 6) << staged->path();
  auto info = Lstat(staged->path());
  ASSERT_TRUE(info.has_value() && info->has_value());
  EXPECT_TRUE((*info)->is_regular);
  EXPECT_EQ((*info)->mode, 0600u);  // private until Chmod
  EXPECT_FALSE(dir.Exists("haproxy.cfg"));

  ASSERT_TRUE(staged->WriteAndSync("new\n").ok());
  ASSERT_TRUE(staged->Chmod(0640).ok());
  info = Lstat(staged->path());
  EXPECT_EQ((*info)->mode, 0640u);
  auto content = ReadFile(staged->path());
  ASSERT_TRUE(content.has_value());
  EXPECT_EQ(*content, "new\n");

  // Two stage files for one dest do not collide.
  auto second = StagedFile::Create(dest);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(second->path(), staged->path());
}

TEST(StagedFileTest, Endings) {
  enum class End { kDrop, kKeep, kCommit, kKeepThenCommit };
  struct Case {
    const char* name;
    End end;
    bool dest_existed;
    bool stage_left;
    const char* dest_content;  // nullptr: no dest
  };
  constexpr Case kCases[] = {
      {"dropped", End::kDrop, false, false, nullptr},
      {"dropped, dest untouched", End::kDrop, true, false, "old\n"},
      {"kept", End::kKeep, false, true, nullptr},
      {"kept, dest untouched", End::kKeep, true, true, "old\n"},
      {"committed", End::kCommit, false, false, "new\n"},
      {"committed over dest", End::kCommit, true, false, "new\n"},
      {"kept and committed", End::kKeepThenCommit, true, false, "new\n"},
  };
  for (const Case& c : kCases) {
    TempDir dir;
    const std::string dest = dir.Path("app.conf");
    if (c.dest_existed) dir.Write("app.conf", "old\n");
    {
      auto staged = StagedFile::Create(dest);
      ASSERT_TRUE(staged.has_value()) << c.name;
      ASSERT_TRUE(staged->WriteAndSync("new\n").ok()) << c.name;
      if (c.end == End::kKeep || c.end == End::kKeepThenCommit) staged->Keep();
      if (c.end == End::kCommit || c.end == End::kKeepThenCommit) {
        Status s = staged->Commit(dest);
        ASSERT_TRUE(s.ok()) << c.name << ": " << s.message();
      }
    }
    EXPECT_EQ(StageFiles(dir, "app.conf").size(), c.stage_left ? 1u : 0u) << c.name;
    auto content = ReadFile(dest);
    if (c.dest_content == nullptr) {
      EXPECT_FALSE(content.has_value()) << c.name;
    } else {
      ASSERT_TRUE(content.has_value()) << c.name;
      EXPECT_EQ(*content, c.dest_content) << c.name;
    }
  }
}

TEST(StagedFileTest, CommitIsARename) {
  TempDir dir;
  const std::string dest = dir.Write("app.conf", "old\n");
  // A reader that opened dest before the swap keeps reading the old file:
  // dest was replaced, not rewritten in place.
  const int reader = ::open(dest.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  std::string staged_path;
  {
    auto staged = StagedFile::Create(dest);
    ASSERT_TRUE(staged.has_value());
    staged_path = staged->path();
    ASSERT_TRUE(staged->WriteAndSync("new content\n").ok());
    ASSERT_TRUE(staged->Chmod(0640).ok());
    struct stat before;
    ASSERT_EQ(::stat(staged_path.c_str(), &before), 0);
    ASSERT_TRUE(staged->Commit(dest).ok());
    struct stat after;
    ASSERT_EQ(::stat(dest.c_str(), &after), 0);
    EXPECT_EQ(after.st_ino, before.st_ino);
    EXPECT_EQ(after.st_mode & 07777, 0640u);
  }
  char buf[16] = {};
  EXPECT_EQ(::read(reader, buf, sizeof(buf) - 1), 4);
  EXPECT_STREQ(buf, "old\n");
  ::close(reader);
  EXPECT_FALSE(Lstat(staged_path)->has_value());
  EXPECT_EQ(*ReadFile(dest), "new content\n");
}

TEST(StagedFileTest, MovedFromDoesNotRemove) {
  TempDir dir;
  auto staged = StagedFile::Create(dir.Path("a"));
  ASSERT_TRUE(staged.has_value());
  const std::string path = staged->path();
  {
    StagedFile moved(std::move(*staged));
    EXPECT_EQ(moved.path(), path);
    ASSERT_TRUE(moved.WriteAndSync("x").ok());
  }
  // The moved-to object removed the file; the moved-from one has nothing.
  EXPECT_FALSE(Lstat(path)->has_value());
  EXPECT_TRUE(staged->path().empty());
}

TEST(StagedFileTest, MissingDirectoryFails) {
  TempDir dir;
  dir.Write("file", "");
  const std::string kDests[] = {dir.Path("missing/app.conf"), dir.Path("file/app.conf")};
  for (const std::string& dest : kDests) {
    auto staged = StagedFile::Create(dest);
    ASSERT_FALSE(staged.has_value()) << dest;
    EXPECT_EQ(staged.error().code(), Code::kNotFound) << staged.error().message();
    EXPECT_NE(staged.error().message().find(std::filesystem::path(dest).parent_path().string()),
              std::string::npos)
        << staged.error().message();
  }
  EXPECT_EQ(dir.List(), "file");  // nothing created
}

TEST(StagedFileTest, Chown) {
  if (geteuid() != 0) GTEST_SKIP() << "chown to another user needs root";
  TempDir dir;
  auto staged = StagedFile::Create(dir.Path("a"));
  ASSERT_TRUE(staged.has_value());
  ASSERT_TRUE(staged->WriteAndSync("x").ok());
  ASSERT_TRUE(staged->Chown(4321, 8765).ok());
  auto info = Stat(staged->path());
  ASSERT_TRUE(info.has_value() && info->has_value());
  EXPECT_EQ((*info)->uid, 4321u);
  EXPECT_EQ((*info)->gid, 8765u);
}

}  // namespace
}  // namespace berth::sys
