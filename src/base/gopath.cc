#include "base/gopath.h"

#include <cstdint>

namespace berth::gopath {
namespace {

constexpr int32_t kRuneError = 0xFFFD;

struct Rune {
  int32_t value;
  size_t size;
};

// utf8.DecodeRuneInString: (U+FFFD, 1) for an invalid encoding (overlong,
// surrogate, above U+10FFFF, truncated), (U+FFFD, 0) for empty input.
Rune DecodeRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  const auto b0 = static_cast<uint8_t>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  size_t need;
  int32_t r;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
    r = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    r = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    r = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {kRuneError, 1};
  }
  if (s.size() < need) return {kRuneError, 1};
  for (size_t i = 1; i < need; ++i) {
    const auto b = static_cast<uint8_t>(s[i]);
    const uint8_t min = i == 1 ? lo : 0x80;
    const uint8_t max = i == 1 ? hi : 0xBF;
    if (b < min || b > max) return {kRuneError, 1};
    r = (r << 6) | (b & 0x3F);
  }
  return {r, need};
}

// One segment of a pattern: a run of single-character operators, possibly
// preceded by stars.
struct Chunk {
  bool star;
  std::string_view chunk;
  std::string_view rest;
};

Chunk ScanChunk(std::string_view pattern) {
  bool star = false;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    star = true;
  }
  bool in_range = false;
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      // A trailing backslash is reported by MatchChunk.
      if (i + 1 < pattern.size()) ++i;
    } else if (c == '[') {
      in_range = true;
    } else if (c == ']') {
      in_range = false;
    } else if (c == '*' && !in_range) {
      break;
    }
  }
  return {star, pattern.substr(0, i), pattern.substr(i)};
}

enum class ChunkMatch { kNo, kYes, kBadPattern };

// Reads one possibly escaped character of a character class.
bool ClassChar(std::string_view* chunk, int32_t* r) {
  if (chunk->empty() || (*chunk)[0] == '-' || (*chunk)[0] == ']') return false;
  if ((*chunk)[0] == '\\') {
    chunk->remove_prefix(1);
    if (chunk->empty()) return false;
  }
  const Rune d = DecodeRune(*chunk);
  chunk->remove_prefix(d.size);
  *r = d.value;
  if (d.value == kRuneError && d.size == 1) return false;
  return !chunk->empty();  // a class always needs its closing ']'
}

// Whether `chunk` matches a prefix of `s`; on a match *rest is what follows.
// The whole chunk is parsed even after a mismatch, so a malformed chunk is
// always reported, whatever `s` is.
ChunkMatch MatchChunk(std::string_view chunk, std::string_view s, std::string_view* rest) {
  bool failed = false;
  while (!chunk.empty()) {
    if (!failed && s.empty()) failed = true;
    switch (chunk[0]) {
      case '[': {
        int32_t r = 0;
        if (!failed) {
          const Rune d = DecodeRune(s);
          r = d.value;
          s.remove_prefix(d.size);
        }
        chunk.remove_prefix(1);
        bool negated = false;
        if (!chunk.empty() && chunk[0] == '^') {
          negated = true;
          chunk.remove_prefix(1);
        }
        bool match = false;
        int ranges = 0;
        for (;;) {
          if (!chunk.empty() && chunk[0] == ']' && ranges > 0) {
            chunk.remove_prefix(1);
            break;
          }
          int32_t lo = 0;
          if (!ClassChar(&chunk, &lo)) return ChunkMatch::kBadPattern;
          int32_t hi = lo;
          if (chunk[0] == '-') {
            chunk.remove_prefix(1);
            if (!ClassChar(&chunk, &hi)) return ChunkMatch::kBadPattern;
          }
          if (lo <= r && r <= hi) match = true;
          ++ranges;
        }
        if (match == negated) failed = true;
        break;
      }
      case '?':
        if (!failed) {
          if (s[0] == '/') failed = true;
          s.remove_prefix(DecodeRune(s).size);
        }
        chunk.remove_prefix(1);
        break;
      case '\\':
        chunk.remove_prefix(1);
        if (chunk.empty()) return ChunkMatch::kBadPattern;
        [[fallthrough]];
      default:
        if (!failed) {
          if (chunk[0] != s[0]) failed = true;
          s.remove_prefix(1);
        }
        chunk.remove_prefix(1);
        break;
    }
  }
  if (failed) return ChunkMatch::kNo;
  *rest = s;
  return ChunkMatch::kYes;
}

Status BadPattern() { return Status::InvalidArgument(std::string(kErrBadPattern)); }

}  // namespace

Result<bool> Match(std::string_view pattern, std::string_view name) {
  std::string_view rest;
  while (!pattern.empty()) {
    const Chunk c = ScanChunk(pattern);
    pattern = c.rest;
    if (c.star && c.chunk.empty()) {
      // A trailing star matches the rest of the name unless it has a '/'.
      return name.find('/') == std::string_view::npos;
    }
    ChunkMatch m = MatchChunk(c.chunk, name, &rest);
    // The last chunk must consume the whole name.
    if (m == ChunkMatch::kYes && (rest.empty() || !pattern.empty())) {
      name = rest;
      continue;
    }
    if (m == ChunkMatch::kBadPattern) return Err(BadPattern());
    bool advanced = false;
    if (c.star) {
      // Let the star absorb name[0..i] (never a '/') and retry.
      for (size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        m = MatchChunk(c.chunk, name.substr(i + 1), &rest);
        if (m == ChunkMatch::kYes) {
          if (pattern.empty() && !rest.empty()) continue;
          name = rest;
          advanced = true;
          break;
        }
        if (m == ChunkMatch::kBadPattern) return Err(BadPattern());
      }
    }
    if (advanced) continue;
    // No match; the rest of the pattern must still be well-formed.
    if (!IsValidPattern(pattern)) return Err(BadPattern());
    return false;
  }
  return name.empty();
}

bool IsValidPattern(std::string_view pattern) {
  std::string_view rest;
  while (!pattern.empty()) {
    const Chunk c = ScanChunk(pattern);
    pattern = c.rest;
    if (MatchChunk(c.chunk, std::string_view(), &rest) == ChunkMatch::kBadPattern) return false;
  }
  return true;
}

std::string Clean(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path[0] == '/';
  const size_t n = path.size();
  std::string out;
  out.reserve(n);
  // r: next byte of path to read; dotdot: length of out that ".." may not
  // remove (the root, or a leading run of "../").
  size_t r = 0;
  size_t dotdot = 0;
  if (rooted) {
    out.push_back('/');
    r = 1;
    dotdot = 1;
  }
  while (r < n) {
    if (path[r] == '/') {
      ++r;  // empty element
    } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
      ++r;  // "."
    } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
      r += 2;  // "..": drop the last element if there is one to drop
      if (out.size() > dotdot) {
        size_t w = out.size() - 1;
        while (w > dotdot && out[w] != '/') --w;
        out.resize(w);
      } else if (!rooted) {
        if (!out.empty()) out.push_back('/');
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out.push_back('/');
      for (; r < n && path[r] != '/'; ++r) out.push_back(path[r]);
    }
  }
  if (out.empty()) return ".";
  return out;
}

bool IsClean(std::string_view path) {
  if (path.empty()) return false;
  if (path == "." || path == "/") return true;
  if (path.back() == '/') return false;
  const bool rooted = path[0] == '/';
  bool leading_dotdots = !rooted;  // "../../x" is clean, "/../x" is not
  size_t i = rooted ? 1 : 0;
  for (;;) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    const std::string_view elem = path.substr(i, j - i);
    if (elem.empty() || elem == ".") return false;
    if (elem == "..") {
      if (!leading_dotdots) return false;
    } else {
      leading_dotdots = false;
    }
    if (j == path.size()) return true;
    i = j + 1;
  }
}

std::string Join(std::span<const std::string_view> elems) {
  size_t size = 0;
  for (std::string_view e : elems) size += e.size();
  if (size == 0) return "";
  std::string buf;
  buf.reserve(size + elems.size());
  for (std::string_view e : elems) {
    if (!buf.empty() || !e.empty()) {
      if (!buf.empty()) buf.push_back('/');
      buf += e;
    }
  }
  return Clean(buf);
}

std::string Join(std::initializer_list<std::string_view> elems) {
  return Join(std::span<const std::string_view>(elems.begin(), elems.size()));
}

std::string JoinClean(std::string_view clean_dir, std::string_view elem) {
  const bool simple_elem =
      !elem.empty() && elem != "." && elem != ".." && elem.find('/') == std::string_view::npos;
  if (simple_elem && !clean_dir.empty() && clean_dir != ".") {
    std::string out;
    out.reserve(clean_dir.size() + 1 + elem.size());
    out += clean_dir;
    if (clean_dir != "/") out.push_back('/');
    out += elem;
    return out;
  }
  return Join({clean_dir, elem});
}

std::pair<std::string_view, std::string_view> Split(std::string_view path) {
  const size_t i = path.rfind('/');
  if (i == std::string_view::npos) return {path.substr(0, 0), path};
  return {path.substr(0, i + 1), path.substr(i + 1)};
}

std::string_view Base(std::string_view path) {
  if (path.empty()) return ".";
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const size_t i = path.rfind('/');
  if (i != std::string_view::npos) path.remove_prefix(i + 1);
  if (path.empty()) return "/";
  return path;
}

std::string Dir(std::string_view path) { return Clean(Split(path).first); }

std::string_view Ext(std::string_view path) {
  for (size_t i = path.size(); i > 0 && path[i - 1] != '/'; --i) {
    if (path[i - 1] == '.') return path.substr(i - 1);
  }
  return path.substr(path.size());
}

}  // namespace berth::gopath
