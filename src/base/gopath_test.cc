#include "base/gopath.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace berth::gopath {
namespace {

struct MatchCase {
  const char* pattern;
  const char* name;
  int want;  // 1 match, 0 no match, -1 ErrBadPattern
};

std::string Describe(std::string_view pattern, std::string_view name) {
  return "Match(\"" + std::string(pattern) + "\", \"" + std::string(name) + "\")";
}

void CheckMatch(std::string_view pattern, std::string_view name, int want) {
  Result<bool> got = Match(pattern, name);
  const int g = got.has_value() ? (*got ? 1 : 0) : -1;
  EXPECT_EQ(g, want) << Describe(pattern, name);
  if (!got.has_value()) {
    EXPECT_EQ(got.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(got.error().message(), kErrBadPattern);
  }
  EXPECT_EQ(IsValidPattern(pattern), want != -1) << pattern;
}

// Go's own path/match_test.go table.
const MatchCase kGoMatchTests[] = {
    {"abc", "abc", 1},
    {"*", "abc", 1},
    {"*c", "abc", 1},
    {"a*", "a", 1},
    {"a*", "abc", 1},
    {"a*", "ab/c", 0},
    {"a*/b", "abc/b", 1},
    {"a*/b", "a/c/b", 0},
    {"a*b*c*d*e*/f", "axbxcxdxe/f", 1},
    {"a*b*c*d*e*/f", "axbxcxdxexxx/f", 1},
    {"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", 0},
    {"a*b*c*d*e*/f", "axbxcxdxexxx/fff", 0},
    {"a*b?c*x", "abxbbxdbxebxczzx", 1},
    {"a*b?c*x", "abxbbxdbxebxczzy", 0},
    {"ab[c]", "abc", 1},
    {"ab[b-d]", "abc", 1},
    {"ab[e-g]", "abc", 0},
    {"ab[^c]", "abc", 0},
    {"ab[^b-d]", "abc", 0},
    {"ab[^e-g]", "abc", 1},
    {"a\\*b", "a*b", 1},
    {"a\\*b", "ab", 0},
    {"a?b", "a\u263ab", 1},
    {"a[^a]b", "a\u263ab", 1},
    {"a???b", "a\u263ab", 0},
    {"a[^a][^a][^a]b", "a\u263ab", 0},
    {"[a-\u03b6]*", "\u03b1", 1},
    {"*[a-\u03b6]", "A", 0},
    {"a?b", "a/b", 0},
    {"a*b", "a/b", 0},
    {"[\\]a]", "]", 1},
    {"[\\-]", "-", 1},
    {"[x\\-]", "x", 1},
    {"[x\\-]", "-", 1},
    {"[x\\-]", "z", 0},
    {"[\\-x]", "x", 1},
    {"[\\-x]", "-", 1},
    {"[\\-x]", "a", 0},
    {"[]a]", "]", -1},
    {"[-]", "-", -1},
    {"[x-]", "x", -1},
    {"[x-]", "-", -1},
    {"[x-]", "z", -1},
    {"[-x]", "x", -1},
    {"[-x]", "-", -1},
    {"[-x]", "a", -1},
    {"\\", "a", -1},
    {"[a-b-c]", "a", -1},
    {"[", "a", -1},
    {"[^", "a", -1},
    {"[^bc", "a", -1},
    {"a[", "a", -1},
    {"a[", "ab", -1},
    {"a[", "x", -1},
    {"a/b[", "x", -1},
    {"*x", "xxx", 1},
};

// confd's store cases (conformance README, "Store functions") and our own.
const MatchCase kOurMatchTests[] = {
    {"/g/[!a]*", "/g/a1", 1},  // '!' is a member of the set, not negation
    {"/g/[!a]*", "/g/b1", 0},
    {"/g/[!a]*", "/g/!x", 1},
    {"/g/[^a]*", "/g/b1", 1},
    {"/g/[^a]*", "/g/a1", 0},
    {"/g/[^a]*", "/g/*", 1},
    {"/g/\\*", "/g/*", 1},
    {"/g/\\*", "/g/a", 0},
    {"/g/*", "/g/sub/deep", 0},
    {"g/*", "/g/a", 0},
    {"/g", "/g/a", 0},
    {"*", "/g", 0},
    {"/*", "/g", 1},
    {"/*/*", "/g/a", 1},
    {"[/]", "/", 1},  // a class may match '/'
    {"[!-0]", "/", 1},
    {"?", "/", 0},
    {"a\\/b", "a/b", 1},
    {"", "", 1},
    {"", "a", 0},
    {"**", "abc", 1},
    {"**", "a/c", 0},
    {"a**b", "axxb", 1},
    {"\\", "", -1},
    {"a\\", "a", -1},
    {"*\\", "x", -1},
    {"x*[", "y", -1},  // malformed even though "x" already fails
    {"[\xff]", "a", -1},
    {"[a-\xff]", "a", -1},
    {"[a]", "\xff", 0},
    {"[^a]", "\xff", 1},  // invalid byte decodes to U+FFFD
    {"?", "\xff", 1},
    {"??", "\xff\xff", 1},
    {"[\xef\xbf\xbd]", "\xff", 1},
    {"[^]a]", "b", -1},
    {"[a-z", "b", -1},
    {"[*]", "*", 1},
    {"[*", "*", -1},
    {"*[*]", "ab*", 1},
    {"a*", "a\xc3", 1},
};

TEST(GoPathMatch, GoTable) {
  for (const MatchCase& c : kGoMatchTests) CheckMatch(c.pattern, c.name, c.want);
}

TEST(GoPathMatch, OurTable) {
  for (const MatchCase& c : kOurMatchTests) CheckMatch(c.pattern, c.name, c.want);
}

// Random patterns and names, with results recorded from Go 1.19.
const MatchCase kGeneratedMatchTests[] = {
#include "base/testdata/gopath_match_go.inc"
};

TEST(GoPathMatch, GeneratedByGo) {
  for (const MatchCase& c : kGeneratedMatchTests) CheckMatch(c.pattern, c.name, c.want);
}

TEST(GoPathMatch, ErrorDoesNotDependOnName) {
  std::mt19937 rng(7);
  const char* alphabet[] = {"a", "/", "*", "?", "[", "]", "^", "-", "\\", "\xc3\xa9", "\xff"};
  auto gen = [&](int max) {
    std::string s;
    const int n = static_cast<int>(rng() % max);
    for (int i = 0; i < n; ++i) s += alphabet[rng() % std::size(alphabet)];
    return s;
  };
  for (int i = 0; i < 20000; ++i) {
    const std::string pattern = gen(8);
    const bool valid = IsValidPattern(pattern);
    for (int j = 0; j < 4; ++j) {
      EXPECT_EQ(Match(pattern, gen(8)).has_value(), valid) << pattern;
    }
  }
}

struct PathCase {
  const char* path;
  const char* clean;
  const char* base;
  const char* dir;
  const char* split_dir;
  const char* split_file;
  const char* ext;
};

const PathCase kGeneratedPathTests[] = {
#include "base/testdata/gopath_clean_go.inc"
};

TEST(GoPath, GeneratedByGo) {
  for (const PathCase& c : kGeneratedPathTests) {
    EXPECT_EQ(Clean(c.path), c.clean) << c.path;
    EXPECT_EQ(IsClean(c.path), std::string_view(c.path) == c.clean) << c.path;
    EXPECT_EQ(Base(c.path), c.base) << c.path;
    EXPECT_EQ(Dir(c.path), c.dir) << c.path;
    auto [d, f] = Split(c.path);
    EXPECT_EQ(d, c.split_dir) << c.path;
    EXPECT_EQ(f, c.split_file) << c.path;
    EXPECT_EQ(Ext(c.path), c.ext) << c.path;
  }
}

// Go's path_test.go tables.
TEST(GoPath, Clean) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "."},
      {"abc", "abc"},
      {"abc/def", "abc/def"},
      {"a/b/c", "a/b/c"},
      {".", "."},
      {"..", ".."},
      {"../..", "../.."},
      {"../../abc", "../../abc"},
      {"/abc", "/abc"},
      {"/", "/"},
      {"abc/", "abc"},
      {"abc/def/", "abc/def"},
      {"a/b/c/", "a/b/c"},
      {"./", "."},
      {"../", ".."},
      {"../../", "../.."},
      {"/abc/", "/abc"},
      {"abc//def//ghi", "abc/def/ghi"},
      {"//abc", "/abc"},
      {"///abc", "/abc"},
      {"//abc//", "/abc"},
      {"abc//", "abc"},
      {"abc/./def", "abc/def"},
      {"/./abc/def", "/abc/def"},
      {"abc/.", "abc"},
      {"abc/def/ghi/../jkl", "abc/def/jkl"},
      {"abc/def/../ghi/../jkl", "abc/jkl"},
      {"abc/def/..", "abc"},
      {"abc/def/../..", "."},
      {"/abc/def/../..", "/"},
      {"abc/def/../../..", ".."},
      {"/abc/def/../../..", "/"},
      {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
      {"abc/./../def", "def"},
      {"abc//./../def", "def"},
      {"abc/../../././../def", "../../def"},
  };
  for (auto [in, want] : cases) {
    EXPECT_EQ(Clean(in), want) << in;
    EXPECT_EQ(Clean(want), want) << want;
    EXPECT_TRUE(IsClean(want)) << want;
    EXPECT_EQ(IsClean(in), std::string_view(in) == want) << in;
  }
}

TEST(GoPath, Split) {
  const struct {
    const char *path, *dir, *file;
  } cases[] = {
      {"a/b", "a/", "b"}, {"a/b/", "a/b/", ""}, {"a/", "a/", ""}, {"a", "", "a"}, {"/", "/", ""},
  };
  for (const auto& c : cases) {
    auto [d, f] = Split(c.path);
    EXPECT_EQ(d, c.dir) << c.path;
    EXPECT_EQ(f, c.file) << c.path;
  }
}

TEST(GoPath, Join) {
  EXPECT_EQ(Join({}), "");
  EXPECT_EQ(Join({""}), "");
  EXPECT_EQ(Join({"a"}), "a");
  EXPECT_EQ(Join({"a", "b"}), "a/b");
  EXPECT_EQ(Join({"a", ""}), "a");
  EXPECT_EQ(Join({"", "b"}), "b");
  EXPECT_EQ(Join({"/", "a"}), "/a");
  EXPECT_EQ(Join({"/", ""}), "/");
  EXPECT_EQ(Join({"a/", "b"}), "a/b");
  EXPECT_EQ(Join({"a/", ""}), "a");
  EXPECT_EQ(Join({"", ""}), "");
  // confd's key building: path.Join(parent, key)
  EXPECT_EQ(Join({"/", "a/b"}), "/a/b");
  EXPECT_EQ(Join({"/x", "y/../z"}), "/x/z");
  EXPECT_EQ(Join({"/x", "//w//"}), "/x/w");
  EXPECT_EQ(Join({"/x", ""}), "/x");
  EXPECT_EQ(Join({"/", ".."}), "/");
  EXPECT_EQ(Join({"/a", "../.."}), "/");
}

TEST(GoPath, JoinCleanAgreesWithJoin) {
  const char* dirs[] = {"/", "/a", "/a/b", "a", "..", "../a", "."};
  const char* elems[] = {"", "x", ".", "..", "x/y", "/x", "x/", "../y", "...", ".x", "x..", "//"};
  for (const char* d : dirs) {
    for (const char* e : elems) EXPECT_EQ(JoinClean(d, e), Join({d, e})) << d << " + " << e;
  }
}

TEST(GoPath, Ext) {
  EXPECT_EQ(Ext("path.go"), ".go");
  EXPECT_EQ(Ext("path.pb.go"), ".go");
  EXPECT_EQ(Ext("a.dir/b"), "");
  EXPECT_EQ(Ext("a.dir/b.go"), ".go");
  EXPECT_EQ(Ext("a.dir/"), "");
}

TEST(GoPath, Base) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "."},        {".", "."},       {"/.", "."},        {"/", "/"},
      {"////", "/"},    {"x/", "x"},      {"abc", "abc"},     {"abc/def", "def"},
      {"a/b/.x", ".x"}, {"a/b/c.", "c."}, {"a/b/c.x", "c.x"},
  };
  for (auto [in, want] : cases) EXPECT_EQ(Base(in), want) << in;
}

TEST(GoPath, Dir) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "."},          {".", "."},
      {"/.", "/"},        {"/", "/"},
      {"////", "/"},      {"/foo", "/"},
      {"x/", "x"},        {"abc", "."},
      {"abc/def", "abc"}, {"abc////def", "abc"},
      {"a/b/.x", "a/b"},  {"a/b/c.", "a/b"},
      {"a/b/c.x", "a/b"},
  };
  for (auto [in, want] : cases) EXPECT_EQ(Dir(in), want) << in;
}

TEST(GoPath, IsAbs) {
  EXPECT_FALSE(IsAbs(""));
  EXPECT_TRUE(IsAbs("/"));
  EXPECT_TRUE(IsAbs("/usr/bin/gcc"));
  EXPECT_FALSE(IsAbs(".."));
  EXPECT_TRUE(IsAbs("/a/../bb"));
  EXPECT_FALSE(IsAbs("."));
  EXPECT_FALSE(IsAbs("./"));
  EXPECT_FALSE(IsAbs("lala"));
}

TEST(GoPath, IsCleanAgreesWithClean) {
  std::mt19937 rng(11);
  const char* alphabet[] = {"a", "/", ".", "..", "b"};
  for (int i = 0; i < 50000; ++i) {
    std::string p;
    const int n = static_cast<int>(rng() % 8);
    for (int j = 0; j < n; ++j) p += alphabet[rng() % std::size(alphabet)];
    EXPECT_EQ(IsClean(p), Clean(p) == p) << p;
  }
}

}  // namespace
}  // namespace berth::gopath
