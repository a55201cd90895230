#include "base/gounicode.h"

#include <algorithm>
#include <span>

namespace berth::gounicode {
namespace {

struct RuneRange {
  int32_t lo, hi;
};

// Every stride-th rune from lo to hi maps to itself plus delta.
struct CaseRun {
  int32_t lo, hi, stride, delta;
};

#include "base/gounicode_tables.inc"

bool InRanges(std::span<const RuneRange> table, int32_t r) {
  auto it = std::upper_bound(table.begin(), table.end(), r,
                             [](int32_t v, const RuneRange& rr) { return v < rr.lo; });
  if (it == table.begin()) return false;
  --it;
  return r <= it->hi;
}

int32_t MapCase(std::span<const CaseRun> table, int32_t r) {
  auto it = std::upper_bound(table.begin(), table.end(), r,
                             [](int32_t v, const CaseRun& c) { return v < c.lo; });
  if (it == table.begin()) return r;
  --it;
  if (r > it->hi || (r - it->lo) % it->stride != 0) return r;
  return r + it->delta;
}

// UTF-8 decoding tables, as in Go's unicode/utf8: the first byte decides the
// sequence length and the accepted range of the second byte.
constexpr uint8_t kLocb = 0x80, kHicb = 0xBF;

}  // namespace

bool IsLetter(int32_t r) {
  if (r < 0x80) return (r | 0x20) >= 'a' && (r | 0x20) <= 'z';
  return InRanges(kLetter, r);
}
bool IsDigit(int32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  return InRanges(kDigit, r);
}
bool IsSpace(int32_t r) { return InRanges(kSpace, r); }
bool IsPrint(int32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  return InRanges(kPrint, r);
}
bool IsGraphic(int32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  return InRanges(kGraphic, r);
}
int32_t ToUpper(int32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') ? r - 32 : r;
  return MapCase(kToUpper, r);
}
int32_t ToLower(int32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  return MapCase(kToLower, r);
}

Decoded DecodeRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  const auto b0 = static_cast<uint8_t>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  int n;
  uint8_t lo = kLocb, hi = kHicb;
  int32_t r;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    r = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    r = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;       // no overlong forms
    if (b0 == 0xED) hi = 0x9F;       // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    r = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;       // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;       // nothing above U+10FFFF
  } else {
    return {kRuneError, 1};
  }
  if (static_cast<int>(s.size()) < n) {
    // Go reports width 1 for a truncated sequence.
    return {kRuneError, 1};
  }
  const auto b1 = static_cast<uint8_t>(s[1]);
  if (b1 < lo || b1 > hi) return {kRuneError, 1};
  r = (r << 6) | (b1 & 0x3F);
  for (int i = 2; i < n; ++i) {
    const auto b = static_cast<uint8_t>(s[i]);
    if (b < kLocb || b > kHicb) return {kRuneError, 1};
    r = (r << 6) | (b & 0x3F);
  }
  return {r, n};
}

Decoded DecodeLastRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  const int end = static_cast<int>(s.size());
  int start = end - 1;
  if (static_cast<uint8_t>(s[start]) < 0x80) return {static_cast<uint8_t>(s[start]), 1};
  // Back up over at most three continuation bytes to a possible start byte.
  const int lim = std::max(end - 4, 0);
  for (--start; start >= lim; --start) {
    if ((static_cast<uint8_t>(s[start]) & 0xC0) != 0x80) break;
  }
  if (start < 0) start = 0;
  Decoded d = DecodeRune(s.substr(start, end - start));
  if (start + d.size != end) return {kRuneError, 1};
  return d;
}

int RuneLen(int32_t r) {
  if (r < 0) return -1;
  if (r < 0x80) return 1;
  if (r < 0x800) return 2;
  if (r >= 0xD800 && r <= 0xDFFF) return -1;
  if (r < 0x10000) return 3;
  if (r <= kMaxRune) return 4;
  return -1;
}

void AppendRune(std::string* dst, int32_t r) {
  if (r >= 0 && r < 0x80) {
    dst->push_back(static_cast<char>(r));
    return;
  }
  if (RuneLen(r) < 0) r = kRuneError;
  const auto u = static_cast<uint32_t>(r);
  if (u < 0x800) {
    dst->push_back(static_cast<char>(0xC0 | (u >> 6)));
    dst->push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else if (u < 0x10000) {
    dst->push_back(static_cast<char>(0xE0 | (u >> 12)));
    dst->push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    dst->push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else {
    dst->push_back(static_cast<char>(0xF0 | (u >> 18)));
    dst->push_back(static_cast<char>(0x80 | ((u >> 12) & 0x3F)));
    dst->push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    dst->push_back(static_cast<char>(0x80 | (u & 0x3F)));
  }
}

bool ValidUtf8(std::string_view s) {
  while (!s.empty()) {
    Decoded d = DecodeRune(s);
    if (d.rune == kRuneError && d.size == 1) return false;
    s.remove_prefix(d.size);
  }
  return true;
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  while (!s.empty()) {
    s.remove_prefix(DecodeRune(s).size);
    ++n;
  }
  return n;
}

namespace {
// strings.Map with a case mapping: invalid bytes become U+FFFD, as Go's
// strings.Map does as soon as the input is not returned unchanged (and an
// invalid byte always forces a change).
std::string MapRunes(std::string_view s, int32_t (*mapping)(int32_t)) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    Decoded d = DecodeRune(s);
    AppendRune(&out, mapping(d.rune));
    s.remove_prefix(d.size);
  }
  return out;
}
}  // namespace

std::string StringsToUpper(std::string_view s) { return MapRunes(s, &ToUpper); }
std::string StringsToLower(std::string_view s) { return MapRunes(s, &ToLower); }

}  // namespace berth::gounicode
