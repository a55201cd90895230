// Go's unicode and unicode/utf8 packages, as far as berth must agree with Go:
// which runes are letters and digits (template identifiers), printable
// (strconv.Quote, the js escaper) and how strings.ToUpper / ToLower map them
// (simple case mapping, Unicode 13.0.0 as in Go 1.19).
//
// The tables are generated from Go 1.19's own unicode package by
// scripts/gen-unicode-tables.go and committed (gounicode_tables.inc).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace berth::gounicode {

constexpr int32_t kRuneError = 0xFFFD;
constexpr int32_t kMaxRune = 0x10FFFF;

bool IsLetter(int32_t r);   // unicode.IsLetter
bool IsDigit(int32_t r);    // unicode.IsDigit
bool IsSpace(int32_t r);    // unicode.IsSpace
bool IsPrint(int32_t r);    // unicode.IsPrint (== strconv.IsPrint)
bool IsGraphic(int32_t r);  // unicode.IsGraphic
int32_t ToUpper(int32_t r); // unicode.ToUpper
int32_t ToLower(int32_t r); // unicode.ToLower

// utf8.DecodeRuneInString: the rune at the start of s and its width in bytes;
// (kRuneError, 1) for an invalid encoding, (kRuneError, 0) for empty s.
struct Decoded {
  int32_t rune;
  int size;
};
Decoded DecodeRune(std::string_view s);
// utf8.DecodeLastRuneInString.
Decoded DecodeLastRune(std::string_view s);
// utf8.AppendRune: invalid runes (surrogates, > kMaxRune) become U+FFFD.
void AppendRune(std::string* dst, int32_t r);
// utf8.RuneLen; -1 when r is not a valid rune.
int RuneLen(int32_t r);
// utf8.ValidString.
bool ValidUtf8(std::string_view s);
// utf8.RuneCountInString.
size_t RuneCount(std::string_view s);

// strings.ToUpper / strings.ToLower (invalid UTF-8 bytes become U+FFFD only
// where Go's strings.Map would do so).
std::string StringsToUpper(std::string_view s);
std::string StringsToLower(std::string_view s);

}  // namespace berth::gounicode
