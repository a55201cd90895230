// The parsing half of gostrconv.h: Go 1.19's strconv.ParseInt, ParseUint,
// ParseFloat, Atoi, ParseBool, UnquoteChar and Unquote.
//
// The syntax checks follow Go's own scanners step by step (which prefixes,
// where '_' may stand, how exponents accumulate), so that every input Go
// rejects is rejected here too.  Decimal floats are then converted by
// std::from_chars, which rounds correctly just as Go's strconv does; hex
// floats are rounded here with the same sticky-bit scheme Go uses.
//
// One known difference: for a literal with more than 800 significant digits
// before its decimal point and an exponent that brings it back into range
// ("1" + 900 zeros + "e-900"), Go's slow path drops the digits beyond the
// 800th from the magnitude and returns a wrong value (0.1, 0, ...); here the
// value is exact.

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>

#include "base/gostrconv.h"
#include "base/gounicode.h"

namespace berth::gostrconv {
namespace {

// ASCII lower case for letters; other bytes come out changed but never as a
// letter, which is all the callers need.
constexpr char Lower(char c) { return static_cast<char>(c | ('x' - 'X')); }

bool IsDecimalDigit(char c) { return c >= '0' && c <= '9'; }

// Go's underscoreOK: '_' may only separate digits (a base prefix counts as a
// digit), never start, end or double up.
bool UnderscoreOk(std::string_view s) {
  char saw = '^';  // '^' start, '0' digit, '_' underscore, '!' anything else
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (Lower(s[1]) == 'b' || Lower(s[1]) == 'o' || Lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = Lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (IsDecimalDigit(c) || (hex && Lower(c) >= 'a' && Lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

template <typename T>
Parsed<T> Fail(NumError e, T value = T{}) {
  return Parsed<T>{value, e};
}

// ---- floats ----

// The pieces of a float literal as Go's readFloat splits them.
struct FloatSyntax {
  bool ok = false;
  size_t length = 0;  // bytes of s that belong to the literal
  bool negative = false;
  bool hex = false;
  // Hex only: the first 16 significant hex digits, whether nonzero digits
  // were dropped, and the binary exponent of the mantissa's last digit.
  uint64_t mantissa = 0;
  bool truncated = false;
  int exp = 0;
  // Decimal only: where the digits start and end (sign and any "0x" are
  // outside), the decimal exponent as Go accumulated it, and whether any
  // digit is nonzero.
  size_t digits_begin = 0;
  size_t digits_end = 0;
  int64_t decimal_exp = 0;
  bool nonzero = false;
  // Position of the decimal point relative to the first significant digit
  // (Go's dp), exponent included; decides overflow against underflow.
  int64_t point = 0;
};

// Go's special(): an optionally signed "inf"/"infinity", or an unsigned
// "nan", in any case.  Returns the number of bytes used, 0 if none.
size_t ParseSpecial(std::string_view s, double* value) {
  auto prefix_len = [](std::string_view str, std::string_view word) {
    size_t n = std::min(str.size(), word.size());
    for (size_t i = 0; i < n; ++i) {
      char c = str[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      if (c != word[i]) return i;
    }
    return n;
  };
  if (s.empty()) return 0;
  double sign = 1;
  size_t sign_len = 0;
  char c = s[0];
  if (c == '+' || c == '-') {
    sign = c == '-' ? -1 : 1;
    sign_len = 1;
    s.remove_prefix(1);
    c = 'i';  // only infinity may follow a sign
  }
  if (c == 'i' || c == 'I') {
    size_t n = prefix_len(s, "infinity");
    if (n > 3 && n < 8) n = 3;
    if (n == 3 || n == 8) {
      *value = sign * std::numeric_limits<double>::infinity();
      return sign_len + n;
    }
  } else if (c == 'n' || c == 'N') {
    if (prefix_len(s, "nan") == 3) {
      *value = std::numeric_limits<double>::quiet_NaN();
      return 3;
    }
  }
  return 0;
}

// Go's readFloat: scans the longest literal at the start of s.
FloatSyntax ReadFloat(std::string_view s) {
  FloatSyntax f;
  size_t i = 0;
  bool underscores = false;
  if (s.empty()) return f;
  if (s[i] == '+') {
    ++i;
  } else if (s[i] == '-') {
    f.negative = true;
    ++i;
  }
  int base = 10;
  int max_mant_digits = 19;
  char exp_char = 'e';
  if (i + 2 < s.size() && s[i] == '0' && Lower(s[i + 1]) == 'x') {
    base = 16;
    max_mant_digits = 16;
    i += 2;
    exp_char = 'p';
    f.hex = true;
  }
  f.digits_begin = i;
  bool saw_dot = false;
  bool saw_digits = false;
  int64_t nd = 0;       // significant digits seen
  int64_t nd_mant = 0;  // of which went into the mantissa
  int64_t dp = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
      dp = nd;
      continue;
    }
    int digit;
    if (IsDecimalDigit(c)) {
      digit = c - '0';
    } else if (base == 16 && Lower(c) >= 'a' && Lower(c) <= 'f') {
      digit = Lower(c) - 'a' + 10;
    } else {
      break;
    }
    saw_digits = true;
    if (digit == 0 && nd == 0) {  // leading zeros do not count
      --dp;
      continue;
    }
    ++nd;
    f.nonzero = true;
    if (nd_mant < max_mant_digits) {
      f.mantissa = f.mantissa * base + digit;
      ++nd_mant;
    } else if (digit != 0) {
      f.truncated = true;
    }
  }
  f.digits_end = i;
  if (!saw_digits) return f;
  if (!saw_dot) dp = nd;
  if (base == 16) {
    dp *= 4;
    nd_mant *= 4;
  }
  int64_t e = 0;
  if (i < s.size() && Lower(s[i]) == exp_char) {
    ++i;
    if (i >= s.size()) return f;
    int esign = 1;
    if (s[i] == '+') {
      ++i;
    } else if (s[i] == '-') {
      ++i;
      esign = -1;
    }
    if (i >= s.size() || !IsDecimalDigit(s[i])) return f;
    for (; i < s.size() && (IsDecimalDigit(s[i]) || s[i] == '_'); ++i) {
      if (s[i] == '_') {
        underscores = true;
        continue;
      }
      if (e < 10000) e = e * 10 + (s[i] - '0');  // Go stops growing it here
    }
    e *= esign;
  } else if (base == 16) {
    return f;  // a hex float needs its 'p' exponent
  }
  f.decimal_exp = e;
  f.point = dp + e;
  if (f.mantissa != 0) f.exp = static_cast<int>(dp + e - nd_mant);
  if (underscores && !UnderscoreOk(s.substr(0, i))) return f;
  f.length = i;
  f.ok = true;
  return f;
}

// Go's atofHex for float64: mantissa * 2^exp, rounded to nearest even with
// `truncated` as a sticky bit.  Sets *overflow when the result is infinite.
double HexToDouble(uint64_t mantissa, int exp, bool negative, bool truncated, bool* overflow) {
  constexpr int kMantBits = 52;
  constexpr int kBias = -1023;
  constexpr int kMaxExp = (1 << 11) + kBias - 2;
  constexpr int kMinExp = kBias + 1;
  exp += kMantBits;
  // Normalise to 1 + kMantBits + 2 bits: two extra bits for rounding.
  while (mantissa != 0 && (mantissa >> (kMantBits + 2)) == 0) {
    mantissa <<= 1;
    --exp;
  }
  if (truncated) mantissa |= 1;
  while ((mantissa >> (1 + kMantBits + 2)) != 0) {
    mantissa = (mantissa >> 1) | (mantissa & 1);
    ++exp;
  }
  // Denormals: shift right until the exponent fits, keeping the sticky bit.
  while (mantissa > 1 && exp < kMinExp - 2) {
    mantissa = (mantissa >> 1) | (mantissa & 1);
    ++exp;
  }
  uint64_t round = mantissa & 3;
  mantissa >>= 2;
  round |= mantissa & 1;  // ties go to even
  exp += 2;
  if (round == 3) {
    ++mantissa;
    if (mantissa == (uint64_t{1} << (1 + kMantBits))) {
      mantissa >>= 1;
      ++exp;
    }
  }
  if ((mantissa >> kMantBits) == 0) exp = kBias;  // denormal or zero
  *overflow = false;
  if (exp > kMaxExp) {
    mantissa = uint64_t{1} << kMantBits;
    exp = kMaxExp + 1;
    *overflow = true;
  }
  uint64_t bits = mantissa & ((uint64_t{1} << kMantBits) - 1);
  bits |= static_cast<uint64_t>((exp - kBias) & ((1 << 11) - 1)) << kMantBits;
  if (negative) bits |= uint64_t{1} << 63;
  return std::bit_cast<double>(bits);
}

// Converts the decimal literal ReadFloat accepted.  The digits (with '_'
// removed) and Go's exponent are handed to std::from_chars.
Parsed<double> DecimalToDouble(std::string_view s, const FloatSyntax& f) {
  double zero = f.negative ? -0.0 : 0.0;
  if (!f.nonzero) return {zero, NumError::kNone};
  std::string buf;
  buf.reserve(f.digits_end - f.digits_begin + 24);
  for (size_t i = f.digits_begin; i < f.digits_end; ++i) {
    if (s[i] != '_') buf.push_back(s[i]);
  }
  buf.push_back('e');
  buf += std::to_string(f.decimal_exp);
  double value = 0;
  auto [ptr, ec] = std::from_chars(buf.data(), buf.data() + buf.size(), value);
  if (ec == std::errc::result_out_of_range) {
    if (f.point > 0) {
      double inf = std::numeric_limits<double>::infinity();
      return {f.negative ? -inf : inf, NumError::kRange};
    }
    return {zero, NumError::kNone};  // Go rounds to zero without complaint
  }
  if (ec != std::errc() || ptr != buf.data() + buf.size()) return {0, NumError::kSyntax};
  if (std::isinf(value)) return {f.negative ? -value : value, NumError::kRange};
  return {f.negative ? -value : value, NumError::kNone};
}

// ---- quoting ----

bool IsValidRune(int32_t r) { return (r >= 0 && r < 0xD800) || (r > 0xDFFF && r <= 0x10FFFF); }

int UnHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view NumErrorText(NumError e) {
  switch (e) {
    case NumError::kNone:
      return "";
    case NumError::kSyntax:
      return "invalid syntax";
    case NumError::kRange:
      return "value out of range";
  }
  return "";
}

// Invalid bases (not 0 or 2..36) and bit sizes (not 0..64), which Go reports
// with errors of their own, come back as kSyntax.
Parsed<uint64_t> ParseUint(std::string_view s, int base, int bit_size) {
  if (s.empty()) return Fail<uint64_t>(NumError::kSyntax);
  const std::string_view s0 = s;
  const bool base0 = base == 0;
  if (base0) {
    base = 10;
    if (s[0] == '0') {
      if (s.size() >= 3 && Lower(s[1]) == 'b') {
        base = 2;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && Lower(s[1]) == 'o') {
        base = 8;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && Lower(s[1]) == 'x') {
        base = 16;
        s.remove_prefix(2);
      } else {
        base = 8;
        s.remove_prefix(1);
      }
    }
  } else if (base < 2 || base > 36) {
    return Fail<uint64_t>(NumError::kSyntax);
  }
  if (bit_size == 0) {
    bit_size = 64;
  } else if (bit_size < 0 || bit_size > 64) {
    return Fail<uint64_t>(NumError::kSyntax);
  }
  const uint64_t cutoff = std::numeric_limits<uint64_t>::max() / base + 1;
  const uint64_t max_val =
      bit_size == 64 ? std::numeric_limits<uint64_t>::max() : (uint64_t{1} << bit_size) - 1;
  bool underscores = false;
  uint64_t n = 0;
  for (char c : s) {
    int d;
    if (c == '_' && base0) {
      underscores = true;
      continue;
    } else if (IsDecimalDigit(c)) {
      d = c - '0';
    } else if (Lower(c) >= 'a' && Lower(c) <= 'z') {
      d = Lower(c) - 'a' + 10;
    } else {
      return Fail<uint64_t>(NumError::kSyntax);
    }
    if (d >= base) return Fail<uint64_t>(NumError::kSyntax);
    if (n >= cutoff) return Fail<uint64_t>(NumError::kRange, max_val);  // n * base overflows
    n *= base;
    uint64_t n1 = n + d;
    if (n1 < n || n1 > max_val) return Fail<uint64_t>(NumError::kRange, max_val);
    n = n1;
  }
  if (underscores && !UnderscoreOk(s0)) return Fail<uint64_t>(NumError::kSyntax);
  return {n, NumError::kNone};
}

Parsed<int64_t> ParseInt(std::string_view s, int base, int bit_size) {
  if (s.empty()) return Fail<int64_t>(NumError::kSyntax);
  bool negative = false;
  std::string_view digits = s;
  if (s[0] == '+') {
    digits.remove_prefix(1);
  } else if (s[0] == '-') {
    negative = true;
    digits.remove_prefix(1);
  }
  Parsed<uint64_t> u = ParseUint(digits, base, bit_size);
  if (u.error == NumError::kSyntax) return Fail<int64_t>(NumError::kSyntax);
  if (bit_size == 0) bit_size = 64;
  const uint64_t cutoff = uint64_t{1} << (bit_size - 1);
  if (!negative && u.value >= cutoff) {
    return Fail<int64_t>(NumError::kRange, static_cast<int64_t>(cutoff - 1));
  }
  if (negative && u.value > cutoff) {
    return Fail<int64_t>(NumError::kRange, -static_cast<int64_t>(cutoff - 1) - 1);
  }
  // u.value <= cutoff here; negating through unsigned arithmetic keeps -2^63 exact.
  int64_t n =
      negative ? static_cast<int64_t>(uint64_t{0} - u.value) : static_cast<int64_t>(u.value);
  return {n, NumError::kNone};
}

Parsed<int64_t> Atoi(std::string_view s) {
  // Go's fast path for short inputs accepts exactly what ParseInt(s, 10, 0)
  // accepts, with the same errors, so one path is enough.
  return ParseInt(s, 10, 0);
}

Parsed<bool> ParseBool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") {
    return {true, NumError::kNone};
  }
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") {
    return {false, NumError::kNone};
  }
  return Fail<bool>(NumError::kSyntax);
}

Parsed<double> ParseFloat(std::string_view s) {
  double special = 0;
  size_t n = ParseSpecial(s, &special);
  if (n != 0) {
    if (n != s.size()) return Fail<double>(NumError::kSyntax);
    return {special, NumError::kNone};
  }
  FloatSyntax f = ReadFloat(s);
  if (!f.ok || f.length != s.size()) return Fail<double>(NumError::kSyntax);
  if (f.hex) {
    bool overflow = false;
    double v = HexToDouble(f.mantissa, f.exp, f.negative, f.truncated, &overflow);
    return {v, overflow ? NumError::kRange : NumError::kNone};
  }
  return DecimalToDouble(s, f);
}

std::optional<UnquotedChar> UnquoteChar(std::string_view s, char quote) {
  if (s.empty()) return std::nullopt;
  const char c = s[0];
  if (c == quote && (quote == '\'' || quote == '"')) return std::nullopt;
  if (static_cast<unsigned char>(c) >= 0x80) {
    gounicode::Decoded d = gounicode::DecodeRune(s);
    return UnquotedChar{d.rune, true, s.substr(d.size)};
  }
  if (c != '\\') return UnquotedChar{static_cast<unsigned char>(c), false, s.substr(1)};
  // An escape sequence.
  if (s.size() <= 1) return std::nullopt;
  const char kind = s[1];
  s.remove_prefix(2);
  UnquotedChar out;
  switch (kind) {
    case 'a':
      out.value = '\a';
      break;
    case 'b':
      out.value = '\b';
      break;
    case 'f':
      out.value = '\f';
      break;
    case 'n':
      out.value = '\n';
      break;
    case 'r':
      out.value = '\r';
      break;
    case 't':
      out.value = '\t';
      break;
    case 'v':
      out.value = '\v';
      break;
    case 'x':
    case 'u':
    case 'U': {
      const size_t width = kind == 'x' ? 2 : kind == 'u' ? 4 : 8;
      if (s.size() < width) return std::nullopt;
      int32_t v = 0;
      for (size_t j = 0; j < width; ++j) {
        int x = UnHex(s[j]);
        if (x < 0) return std::nullopt;
        v = static_cast<int32_t>((static_cast<uint32_t>(v) << 4) | static_cast<uint32_t>(x));
      }
      s.remove_prefix(width);
      if (kind == 'x') {  // a single byte, not a rune
        out.value = v;
        break;
      }
      if (!IsValidRune(v)) return std::nullopt;
      out.value = v;
      out.multibyte = true;
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      int32_t v = kind - '0';
      if (s.size() < 2) return std::nullopt;
      for (size_t j = 0; j < 2; ++j) {
        int x = s[j] - '0';
        if (x < 0 || x > 7) return std::nullopt;
        v = (v << 3) | x;
      }
      s.remove_prefix(2);
      if (v > 255) return std::nullopt;
      out.value = v;
      break;
    }
    case '\\':
      out.value = '\\';
      break;
    case '\'':
    case '"':
      if (kind != quote) return std::nullopt;
      out.value = kind;
      break;
    default:
      return std::nullopt;
  }
  out.tail = s;
  return out;
}

std::optional<std::string> Unquote(std::string_view in) {
  if (in.size() < 2) return std::nullopt;
  const char quote = in[0];
  size_t close = in.find(quote, 1);
  if (close == std::string_view::npos) return std::nullopt;
  size_t end = close + 1;  // just past the first closing quote; escapes may move it
  if (quote == '`') {
    if (end != in.size()) return std::nullopt;
    std::string_view body = in.substr(1, end - 2);
    std::string out;
    out.reserve(body.size());
    for (char c : body) {
      if (c != '\r') out.push_back(c);  // raw strings drop carriage returns
    }
    return out;
  }
  if (quote != '"' && quote != '\'') return std::nullopt;
  std::string_view first = in.substr(0, end);
  if (first.find('\\') == std::string_view::npos && first.find('\n') == std::string_view::npos) {
    // No escapes: the literal is its own value if it is well formed.
    std::string_view body = first.substr(1, end - 2);
    bool valid;
    if (quote == '"') {
      valid = gounicode::ValidUtf8(body);
    } else {
      gounicode::Decoded d = gounicode::DecodeRune(body);
      valid = static_cast<size_t>(d.size) + 2 == end &&
              (d.rune != gounicode::kRuneError || d.size != 1);
    }
    if (valid) {
      if (end != in.size()) return std::nullopt;
      return std::string(body);
    }
  }
  std::string out;
  out.reserve(in.size());
  std::string_view rest = in.substr(1);
  while (!rest.empty() && rest[0] != quote) {
    if (rest[0] == '\n') return std::nullopt;
    std::optional<UnquotedChar> ch = UnquoteChar(rest, quote);
    if (!ch) return std::nullopt;
    rest = ch->tail;
    if (ch->value < 0x80 || !ch->multibyte) {
      out.push_back(static_cast<char>(ch->value));
    } else {
      gounicode::AppendRune(&out, ch->value);
    }
    if (quote == '\'') break;  // one character only
  }
  if (rest.empty() || rest[0] != quote) return std::nullopt;
  rest.remove_prefix(1);
  if (!rest.empty()) return std::nullopt;
  return out;
}

}  // namespace berth::gostrconv
