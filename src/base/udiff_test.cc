// UnifiedDiff against GNU `diff -u`: each pair of texts is written to two
// files and diffed by the real tool; the hunks must be the same.
#include "base/udiff.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace berth {
namespace {

// Lines "1\n" .. "n\n".
std::string Numbered(int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i) s += std::to_string(i) + "\n";
  return s;
}

// `diff -u old new` without its two header lines, or nullopt when diff
// cannot be run.
std::optional<std::string> GnuDiff(const std::string& old_text, const std::string& new_text) {
  std::string dir = (std::filesystem::temp_directory_path() / "berth-udiff-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) return std::nullopt;
  std::ofstream(dir + "/a", std::ios::binary) << old_text;
  std::ofstream(dir + "/b", std::ios::binary) << new_text;
  const std::string cmd = "diff -u " + dir + "/a " + dir + "/b 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  if (p != nullptr) {
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof(buf), p)) > 0;) out.append(buf, n);
    const int status = ::pclose(p);
    // 0: same, 1: different, anything else: trouble.
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) p = nullptr;
  }
  std::filesystem::remove_all(dir);
  if (p == nullptr) return std::nullopt;
  for (int header = 0; header < 2 && !out.empty(); ++header) out.erase(0, out.find('\n') + 1);
  return out;
}

TEST(UnifiedDiffTest, MatchesGnuDiff) {
  if (!GnuDiff("a\n", "b\n").has_value()) GTEST_SKIP() << "diff(1) is not available";
  struct Case {
    const char* name;
    std::string old_text, new_text;
  };
  const std::string ten = Numbered(1, 10);
  const std::string twenty = Numbered(1, 20);
  auto replace_line = [](std::string s, const std::string& line, const std::string& with) {
    const size_t p = s.find(line);
    return s.replace(p, line.size(), with);
  };
  const Case kCases[] = {
      {"one line changed in the middle", ten, replace_line(ten, "5\n", "five\n")},
      {"first line changed", ten, replace_line(ten, "1\n", "one\n")},
      {"last line changed", ten, replace_line(ten, "10\n", "ten\n")},
      {"insert at the start", ten, "0\n" + ten},
      {"insert at the end", ten, ten + "11\n"},
      {"delete at the start", ten, Numbered(2, 10)},
      {"delete at the end", ten, Numbered(1, 9)},
      {"everything deleted", ten, ""},
      {"from nothing", "", "a\nb\n"},
      {"one line to another", "a\n", "b\n"},
      {"old has no trailing newline", "a\nb", "a\nb\n"},
      {"new has no trailing newline", "a\nb\n", "a\nb"},
      {"neither has a trailing newline", "a\nb", "a\nc"},
      {"unterminated line kept", "x\ny\nz", "w\ny\nz"},
      {"two hunks", twenty, replace_line(replace_line(twenty, "3\n", "three\n"), "17\n", "x\n")},
      // Changes 6 unchanged lines apart share one hunk; 7 apart do not.
      {"six apart: one hunk", twenty,
       replace_line(replace_line(twenty, "5\n", "five\n"), "12\n", "twelve\n")},
      {"seven apart: two hunks", twenty,
       replace_line(replace_line(twenty, "5\n", "five\n"), "13\n", "thirteen\n")},
      {"block replaced", ten, Numbered(1, 3) + "a\nb\nc\nd\n" + Numbered(8, 10)},
      {"lines moved", "a\nb\nc\nd\n", "c\nd\na\nb\n"},
      {"interleaved", "a\nb\nc\nd\ne\nf\n", "a\nx\nc\ny\ne\nz\n"},
      {"haproxy servers", "backend b\n  server a 1:1\n  server b 1:2\n  server c 1:3\n",
       "backend b\n  server a 1:1\n  server c 1:3\n  server d 1:4\n"},
      {"blank lines", "\n\n\n", "\n\nx\n\n"},
      {"CRLF", "a\r\nb\r\n", "a\r\nc\r\n"},
  };
  for (const Case& c : kCases) {
    auto want = GnuDiff(c.old_text, c.new_text);
    ASSERT_TRUE(want.has_value()) << c.name;
    const std::string got = UnifiedDiff(c.old_text, c.new_text, "a", "b");
    ASSERT_TRUE(got.starts_with("--- a\n+++ b\n")) << c.name << ":\n" << got;
    EXPECT_EQ(got.substr(12), *want) << c.name;
  }
}

TEST(UnifiedDiffTest, Headers) {
  struct Case {
    const char* old_text;
    const char* new_text;
    const char* want;
  };
  constexpr Case kCases[] = {
      {"", "", ""},
      {"same\n", "same\n", ""},
      {"a", "a", ""},
      {"a\n", "b\n", "--- /etc/x.conf\n+++ /etc/x.conf (rendered)\n@@ -1 +1 @@\n-a\n+b\n"},
      {"", "a",
       "--- /etc/x.conf\n+++ /etc/x.conf (rendered)\n@@ -0,0 +1 @@\n+a\n"
       "\\ No newline at end of file\n"},
      {"a\n", "", "--- /etc/x.conf\n+++ /etc/x.conf (rendered)\n@@ -1 +0,0 @@\n-a\n"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(UnifiedDiff(c.old_text, c.new_text, "/etc/x.conf", "/etc/x.conf (rendered)"), c.want)
        << c.old_text << " -> " << c.new_text;
  }
}

TEST(UnifiedDiffTest, LargeInputsStayCorrect) {
  // Far more differences than the edit-script budget: still a diff that
  // turns one text into the other.
  std::string a, b;
  for (int i = 0; i < 5000; ++i) {
    a += "a" + std::to_string(i) + "\n";
    b += "b" + std::to_string(i) + "\n";
  }
  const std::string d = UnifiedDiff(a, b, "a", "b");
  // Rebuild both sides from the hunks.
  std::string old_side, new_side;
  size_t pos = d.find('\n', d.find('\n') + 1) + 1;
  while (pos < d.size()) {
    const size_t end = d.find('\n', pos);
    const std::string line = d.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("@@")) continue;
    if (line[0] == ' ' || line[0] == '-') old_side += line.substr(1) + "\n";
    if (line[0] == ' ' || line[0] == '+') new_side += line.substr(1) + "\n";
  }
  EXPECT_EQ(old_side, a);
  EXPECT_EQ(new_side, b);
}

}  // namespace
}  // namespace berth
