#include "base/gounicode.h"

#include <gtest/gtest.h>

namespace berth::gounicode {
namespace {

// Expected values read off Go 1.19 (unicode and strings packages).
struct CaseMap {
  int32_t rune, upper, lower;
};
constexpr CaseMap kCaseMaps[] = {
    {'a', 'A', 'a'},         {'Z', 'Z', 'z'},          {0xDF, 0xDF, 0xDF},      // ß has no simple upper
    {0x130, 0x130, 'i'},     {0x1C5, 0x1C4, 0x1C6},    {0x3C3, 0x3A3, 0x3C3},   // İ, ǅ, σ
    {0x3C2, 0x3A3, 0x3C2},   {0x100, 0x100, 0x101},    {0x101, 0x100, 0x101},   // ς, Ā, ā
    {0x10428, 0x10400, 0x10428}, {0x212A, 0x212A, 'k'}, {0xFFFD, 0xFFFD, 0xFFFD},
};

TEST(GoUnicode, CaseMapping) {
  for (const auto& c : kCaseMaps) {
    EXPECT_EQ(ToUpper(c.rune), c.upper) << std::hex << c.rune;
    EXPECT_EQ(ToLower(c.rune), c.lower) << std::hex << c.rune;
  }
}

struct Classes {
  int32_t rune;
  bool letter, digit, space, print, graphic;
};
constexpr Classes kClasses[] = {
    {'a', true, false, false, true, true},      {'5', false, true, false, true, true},
    {' ', false, false, true, true, true},      {'\t', false, false, true, false, false},
    {0xA0, false, false, true, false, true},    {0xE9, true, false, false, true, true},
    {0x663, false, true, false, true, true},    {0x2028, false, false, true, false, false},
    {0x200B, false, false, false, false, false}, {0x4E2D, true, false, false, true, true},
    {0x1F600, false, false, false, true, true}, {0x7F, false, false, false, false, false},
    {0x85, false, false, true, false, false},   {0x3000, false, false, true, false, true},
};

TEST(GoUnicode, Classes) {
  for (const auto& c : kClasses) {
    EXPECT_EQ(IsLetter(c.rune), c.letter) << std::hex << c.rune;
    EXPECT_EQ(IsDigit(c.rune), c.digit) << std::hex << c.rune;
    EXPECT_EQ(IsSpace(c.rune), c.space) << std::hex << c.rune;
    EXPECT_EQ(IsPrint(c.rune), c.print) << std::hex << c.rune;
    EXPECT_EQ(IsGraphic(c.rune), c.graphic) << std::hex << c.rune;
  }
}

struct DecodeCase {
  std::string_view in;
  int32_t rune;
  int size;
};
constexpr DecodeCase kDecodes[] = {
    {"", kRuneError, 0},           {"a", 'a', 1},
    {"\xC3\xA9", 0xE9, 2},         {"\xE2\x82\xAC", 0x20AC, 3},
    {"\xF0\x9F\x98\x80", 0x1F600, 4}, {"\xC3", kRuneError, 1},        // truncated
    {"\xC0\x80", kRuneError, 1},   {"\xED\xA0\x80", kRuneError, 1},  // overlong, surrogate
    {"\xF4\x90\x80\x80", kRuneError, 1}, {"\xFF", kRuneError, 1},
};

TEST(GoUnicode, Decode) {
  for (const auto& c : kDecodes) {
    Decoded d = DecodeRune(c.in);
    EXPECT_EQ(d.rune, c.rune) << c.in;
    EXPECT_EQ(d.size, c.size) << c.in;
  }
  EXPECT_EQ(DecodeLastRune("a\xC3\xA9").rune, 0xE9);
  EXPECT_EQ(DecodeLastRune("a\xA9").size, 1);
  EXPECT_FALSE(ValidUtf8("a\xFF"));
  EXPECT_EQ(RuneCount("h\xC3\xA9llo\xFF"), 6u);
}

struct StringCase {
  std::string_view in, upper, lower;
};
constexpr StringCase kStrings[] = {
    {"Hello, World", "HELLO, WORLD", "hello, world"},
    {"stra\xC3\x9F" "e", "STRA\xC3\x9F" "E", "stra\xC3\x9F" "e"},
    {"\xC4\xB0stanbul", "\xC4\xB0STANBUL", "istanbul"},
    {"a\xFF" "b", "A\xEF\xBF\xBD" "B", "a\xEF\xBF\xBD" "b"},  // invalid byte -> U+FFFD
};

TEST(GoUnicode, Strings) {
  for (const auto& c : kStrings) {
    EXPECT_EQ(StringsToUpper(c.in), c.upper);
    EXPECT_EQ(StringsToLower(c.in), c.lower);
  }
  std::string s;
  AppendRune(&s, 0xD800);
  EXPECT_EQ(s, "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace berth::gounicode
