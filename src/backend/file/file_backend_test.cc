#include "backend/file/file_backend.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace berth::backend::file {
namespace {

namespace fs = std::filesystem;

class FileBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "berth-file-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Write(const std::string& rel, const std::string& text) {
    const fs::path p = fs::path(dir_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string Path(const std::string& rel) const { return (fs::path(dir_) / rel).string(); }

  static std::vector<std::string> Keys(const std::vector<kv::Entry>& entries) {
    std::vector<std::string> keys;
    for (const kv::Entry& e : entries) keys.push_back(e.key + "=" + e.value);
    return keys;
  }

  std::string dir_;
};

TEST_F(FileBackendTest, OneFileAndPrefixes) {
  const std::string f = Write("data.yaml", "app:\n  a: 1\napple: 2\nother: 3\n");
  FileBackend backend({.paths = {f}});
  EXPECT_EQ(backend.name(), "file");
  auto all = backend.GetValues({"/"});
  ASSERT_TRUE(all.has_value()) << all.error().message();
  EXPECT_EQ(Keys(*all), (std::vector<std::string>{"/app/a=1", "/apple=2", "/other=3"}));
  // Prefixes match as plain strings: "/app" also yields "/apple".
  auto some = backend.GetValues({"/app"});
  ASSERT_TRUE(some.has_value());
  EXPECT_EQ(Keys(*some), (std::vector<std::string>{"/app/a=1", "/apple=2"}));
  auto none = backend.GetValues({});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST_F(FileBackendTest, LaterFileWins) {
  const std::string a = Write("a.yaml", "x: from-a\ny: a\n");
  const std::string b = Write("b.yaml", "x: from-b\nz: b\n");
  FileBackend backend({.paths = {b, a}});
  auto r = backend.GetValues({"/"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"/x=from-a", "/y=a", "/z=b"}));
}

TEST_F(FileBackendTest, DirectoryWalkOrderAndFilter) {
  Write("conf/b.yaml", "k: b\n");
  Write("conf/a.yaml", "k: a\n");
  Write("conf/sub/c.yaml", "k: c\n");
  Write("conf/sub/notes.txt", "k: txt\n");
  Write("conf/a.yml", "k: yml\n");
  FileBackend all({.paths = {Path("conf")}});
  auto files = all.ListFiles();
  ASSERT_TRUE(files.has_value());
  EXPECT_EQ(*files,
            (std::vector<std::string>{Path("conf/a.yaml"), Path("conf/a.yml"), Path("conf/b.yaml"),
                                      Path("conf/sub/c.yaml"), Path("conf/sub/notes.txt")}));
  auto r = all.GetValues({"/k"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"/k=txt"}));  // the last file read wins

  FileBackend filtered({.paths = {Path("conf")}, .filter = "*.yaml"});
  files = filtered.ListFiles();
  ASSERT_TRUE(files.has_value());
  EXPECT_EQ(*files, (std::vector<std::string>{Path("conf/a.yaml"), Path("conf/b.yaml"),
                                              Path("conf/sub/c.yaml")}));
  // A file named explicitly is read whatever the filter says.
  FileBackend explicit_file({.paths = {Path("conf/sub/notes.txt")}, .filter = "*.yaml"});
  files = explicit_file.ListFiles();
  ASSERT_TRUE(files.has_value());
  EXPECT_EQ(files->size(), 1u);
}

TEST_F(FileBackendTest, Symlinks) {
  Write("real/x.yaml", "x: 1\n");
  Write("elsewhere/y.yaml", "y: 2\n");
  fs::create_directory_symlink(Path("real"), Path("linkdir"));
  fs::create_directories(Path("walk"));
  fs::create_symlink(Path("elsewhere/y.yaml"), Path("walk/y.yaml"));
  fs::create_directory_symlink(Path("real"), Path("walk/subdir-link"));
  // A -file that is a symlink to a directory is walked.
  FileBackend via_link({.paths = {Path("linkdir")}});
  auto r = via_link.GetValues({"/"});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"/x=1"}));
  // Inside a walk, a symlink to a file is read; one to a directory is not followed.
  FileBackend walk({.paths = {Path("walk")}});
  r = walk.GetValues({"/"});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"/y=2"}));
  // A dangling symlink that matches the filter fails the read.
  fs::create_symlink(Path("nowhere.yaml"), Path("walk/z.yaml"));
  EXPECT_FALSE(walk.GetValues({"/"}).has_value());
}

TEST_F(FileBackendTest, ErrorsFailTheWholeRead) {
  const std::string good = Write("good.yaml", "a: 1\n");
  const std::string bad = Write("bad.yaml", "a: [unclosed\n");
  FileBackend backend({.paths = {good, bad}});
  auto r = backend.GetValues({"/"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().message().rfind(bad + ":2:1: ", 0), 0u) << r.error().message();

  FileBackend missing({.paths = {good, Path("missing.yaml")}});
  r = missing.GetValues({"/"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kNotFound);

  FileBackend list({.paths = {Write("list.yaml", "- a\n")}});
  EXPECT_FALSE(list.GetValues({"/"}).has_value());
}

TEST_F(FileBackendTest, BadFilter) {
  Write("d/a.yaml", "a: 1\n");
  FileBackend bad_filter({.paths = {Path("d")}, .filter = "[x"});
  auto r = bad_filter.GetValues({"/"});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("syntax error in pattern"), std::string::npos);
  // Not consulted for a file named directly (confd never matches it).
  FileBackend direct({.paths = {Path("d/a.yaml")}, .filter = "[x"});
  EXPECT_TRUE(direct.GetValues({"/"}).has_value());
}

TEST_F(FileBackendTest, UnreadableDirectoryIsSkipped) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any directory";
  Write("d/a.yaml", "a: 1\n");
  Write("d/locked/b.yaml", "b: 2\n");
  ::chmod(Path("d/locked").c_str(), 0);
  FileBackend backend({.paths = {Path("d")}});
  auto r = backend.GetValues({"/"});
  ::chmod(Path("d/locked").c_str(), 0755);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"/a=1"}));
}

}  // namespace
}  // namespace berth::backend::file
