// The formatting half of gostrconv.h: Go 1.19's strconv.FormatFloat,
// FormatInt and the Quote family.
//
// Floats: Go turns a float into a decimal digit string (digits, count, and
// the position of the decimal point) and then lays those digits out per
// verb.  The digit string is exact in Go (Ryu for shortest and up to 18
// digits, a multiprecision decimal beyond that; ties round to even), and so
// is std::to_chars, which we use to obtain the same digits.  The layout code
// (LayoutE, LayoutF, LayoutDigits) follows ftoa.go's fmtE / fmtF /
// formatDigits step for step.

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include "base/gostrconv.h"
#include "base/gounicode.h"

namespace berth::gostrconv {

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

// Go's decimalSlice: the significant digits d[0..nd) of a non-negative
// number 0.d[0]d[1]... * 10^dp, without trailing zeros; zero has nd == 0 and
// dp == 0.
struct DecimalDigits {
  const char* d = nullptr;
  int nd = 0;
  int dp = 0;
};

// Holds the text std::to_chars produced, which DecimalDigits points into.
// Conversions that fit stay on the stack; %.500f-style ones retry on the
// heap with the worst-case size.
class CharsBuffer {
 public:
  // Runs convert(first, last) -> std::to_chars_result, growing to
  // `worst_case` bytes if the inline space is too small.  Returns the end.
  template <typename Convert>
  char* Run(size_t worst_case, Convert convert) {
    std::to_chars_result r = convert(inline_, inline_ + sizeof inline_);
    if (r.ec == std::errc()) {
      data_ = inline_;
      return r.ptr;
    }
    heap_.resize(worst_case);
    data_ = heap_.data();
    return convert(heap_.data(), heap_.data() + heap_.size()).ptr;
  }
  char* data() { return data_; }

 private:
  char inline_[128];
  std::string heap_;
  char* data_ = inline_;
};

void TrimTrailingZeros(DecimalDigits* digs) {
  while (digs->nd > 0 && digs->d[digs->nd - 1] == '0') --digs->nd;
  if (digs->nd == 0) digs->dp = 0;
}

// Parses std::to_chars scientific output "d[.ddd]e±XX" into digits stored
// (compacted, without the '.') at the start of `text`.
DecimalDigits ParseScientific(char* text, char* end) {
  DecimalDigits digs;
  char* out = text;
  char* p = text;
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') *out++ = *p;
  }
  int exp10 = 0;
  if (p < end) {
    ++p;  // 'e'
    bool neg = *p == '-';
    ++p;
    std::from_chars(p, end, exp10);
    if (neg) exp10 = -exp10;
  }
  digs.d = text;
  digs.nd = static_cast<int>(out - text);
  digs.dp = exp10 + 1;
  // Zero is written "0e+00" (or "0.000e+00"): no significant digits.
  int first = 0;
  while (first < digs.nd && digs.d[first] == '0') ++first;
  if (first == digs.nd) {
    digs.nd = 0;
    digs.dp = 0;
    return digs;
  }
  TrimTrailingZeros(&digs);
  return digs;
}

// Parses std::to_chars fixed output "ddd[.ddd]" into digits.
DecimalDigits ParseFixed(char* text, char* end) {
  DecimalDigits digs;
  char* dot = static_cast<char*>(std::memchr(text, '.', end - text));
  if (dot == nullptr) dot = end;
  char* p = text;
  int int_digits = static_cast<int>(dot - text);
  // Skip leading zeros of the integer part, then of the fraction.
  while (p < dot && *p == '0') {
    ++p;
    --int_digits;
  }
  int dp = int_digits;
  char* out = text;
  if (p == dot) {
    // No integer digits: leading fraction zeros move the decimal point.
    p = dot < end ? dot + 1 : end;
    while (p < end && *p == '0') {
      ++p;
      --dp;
    }
    for (; p < end; ++p) *out++ = *p;
  } else {
    for (; p < end; ++p) {
      if (*p != '.') *out++ = *p;
    }
  }
  digs.d = text;
  digs.nd = static_cast<int>(out - text);
  digs.dp = dp;
  TrimTrailingZeros(&digs);
  return digs;
}

// The shortest digits that read back as `v` (a float32 when bit_size is 32).
DecimalDigits ShortestDigits(double v, int bit_size, CharsBuffer* buf) {
  char* end = buf->Run(64, [&](char* first, char* last) {
    if (bit_size == 32) {
      return std::to_chars(first, last, static_cast<float>(v), std::chars_format::scientific);
    }
    return std::to_chars(first, last, v, std::chars_format::scientific);
  });
  return ParseScientific(buf->data(), end);
}

// `count` significant digits of `v`, correctly rounded (ties to even).
DecimalDigits SignificantDigits(double v, int count, CharsBuffer* buf) {
  char* end = buf->Run(static_cast<size_t>(count) + 16, [&](char* first, char* last) {
    return std::to_chars(first, last, v, std::chars_format::scientific, count - 1);
  });
  return ParseScientific(buf->data(), end);
}

// The digits of `v` rounded to `prec` places after the decimal point.
DecimalDigits FixedDigits(double v, int prec, CharsBuffer* buf) {
  // Up to 309 integer digits, the point and the fraction.
  char* end = buf->Run(static_cast<size_t>(prec) + 320, [&](char* first, char* last) {
    return std::to_chars(first, last, v, std::chars_format::fixed, prec);
  });
  return ParseFixed(buf->data(), end);
}

// %e: -d.ddddde±dd
void LayoutE(std::string* dst, bool neg, const DecimalDigits& d, int prec, char fmt) {
  if (neg) dst->push_back('-');
  dst->push_back(d.nd != 0 ? d.d[0] : '0');
  if (prec > 0) {
    dst->push_back('.');
    int i = 1;
    int m = std::min(d.nd, prec + 1);
    if (i < m) {
      dst->append(d.d + i, m - i);
      i = m;
    }
    if (i <= prec) dst->append(prec - i + 1, '0');
  }
  dst->push_back(fmt);
  int exp = d.nd == 0 ? 0 : d.dp - 1;
  if (exp < 0) {
    dst->push_back('-');
    exp = -exp;
  } else {
    dst->push_back('+');
  }
  if (exp < 10) {
    dst->push_back('0');
    dst->push_back(static_cast<char>('0' + exp));
  } else if (exp < 100) {
    dst->push_back(static_cast<char>('0' + exp / 10));
    dst->push_back(static_cast<char>('0' + exp % 10));
  } else {
    dst->push_back(static_cast<char>('0' + exp / 100));
    dst->push_back(static_cast<char>('0' + exp / 10 % 10));
    dst->push_back(static_cast<char>('0' + exp % 10));
  }
}

// %f: -ddddddd.ddddd
void LayoutF(std::string* dst, bool neg, const DecimalDigits& d, int prec) {
  if (neg) dst->push_back('-');
  if (d.dp > 0) {
    int m = std::min(d.nd, d.dp);
    dst->append(d.d, m);
    if (m < d.dp) dst->append(d.dp - m, '0');
  } else {
    dst->push_back('0');
  }
  if (prec > 0) {
    dst->push_back('.');
    for (int i = 0; i < prec; ++i) {
      int j = d.dp + i;
      dst->push_back(0 <= j && j < d.nd ? d.d[j] : '0');
    }
  }
}

// Go's formatDigits: chooses %e or %f for 'g' and lays the digits out.
void LayoutDigits(std::string* dst, bool shortest, bool neg, const DecimalDigits& digs, int prec,
                  char fmt) {
  switch (fmt) {
    case 'e':
    case 'E':
      LayoutE(dst, neg, digs, prec, fmt);
      return;
    case 'f':
      LayoutF(dst, neg, digs, prec);
      return;
    case 'g':
    case 'G': {
      int eprec = prec;
      if (eprec > digs.nd && digs.nd >= digs.dp) eprec = digs.nd;
      // The shortest form switches to an exponent at the same place %g's
      // default precision of 6 would.
      if (shortest) eprec = 6;
      int exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > digs.nd) prec = digs.nd;
        LayoutE(dst, neg, digs, prec - 1, static_cast<char>(fmt + 'e' - 'g'));
        return;
      }
      if (prec > digs.dp) prec = digs.nd;
      LayoutF(dst, neg, digs, std::max(prec - digs.dp, 0));
      return;
    }
    default:
      dst->push_back('%');
      dst->push_back(fmt);
  }
}

// %b: -ddddddddp±ddd (the mantissa and binary exponent, both decimal).
void LayoutB(std::string* dst, bool neg, uint64_t mant, int exp, int mantbits) {
  if (neg) dst->push_back('-');
  AppendUint(dst, mant, 10);
  dst->push_back('p');
  exp -= mantbits;
  if (exp >= 0) dst->push_back('+');
  AppendInt(dst, exp, 10);
}

// %x: -0x1.yyyyyyyyp±ddd or -0x0p+0, the mantissa in hexadecimal.
void LayoutX(std::string* dst, int prec, char fmt, bool neg, uint64_t mant, int exp, int mantbits) {
  if (mant == 0) exp = 0;
  // Normalise so the leading 1 (if any) sits at bit 60.
  mant <<= 60 - mantbits;
  while (mant != 0 && (mant & (uint64_t{1} << 60)) == 0) {
    mant <<= 1;
    --exp;
  }
  // Round to `prec` hex digits, ties to even.
  if (prec >= 0 && prec < 15) {
    unsigned shift = static_cast<unsigned>(prec * 4);
    uint64_t extra = (mant << shift) & ((uint64_t{1} << 60) - 1);
    mant >>= 60 - shift;
    if ((extra | (mant & 1)) > (uint64_t{1} << 59)) ++mant;
    mant <<= 60 - shift;
    if ((mant & (uint64_t{1} << 61)) != 0) {
      // Carried into a new leading digit.
      mant >>= 1;
      ++exp;
    }
  }
  const char* hex = fmt == 'X' ? kUpperHex : kLowerHex;
  if (neg) dst->push_back('-');
  dst->push_back('0');
  dst->push_back(fmt);
  dst->push_back(static_cast<char>('0' + ((mant >> 60) & 1)));
  mant <<= 4;  // drop the leading digit
  if (prec < 0 && mant != 0) {
    dst->push_back('.');
    while (mant != 0) {
      dst->push_back(hex[(mant >> 60) & 15]);
      mant <<= 4;
    }
  } else if (prec > 0) {
    dst->push_back('.');
    for (int i = 0; i < prec; ++i) {
      dst->push_back(hex[(mant >> 60) & 15]);
      mant <<= 4;
    }
  }
  dst->push_back(fmt == 'X' ? 'P' : 'p');
  if (exp < 0) {
    dst->push_back('-');
    exp = -exp;
  } else {
    dst->push_back('+');
  }
  if (exp < 100) {
    dst->push_back(static_cast<char>('0' + exp / 10));
    dst->push_back(static_cast<char>('0' + exp % 10));
  } else if (exp < 1000) {
    dst->push_back(static_cast<char>('0' + exp / 100));
    dst->push_back(static_cast<char>('0' + exp / 10 % 10));
    dst->push_back(static_cast<char>('0' + exp % 10));
  } else {
    dst->push_back(static_cast<char>('0' + exp / 1000));
    dst->push_back(static_cast<char>('0' + exp / 100 % 10));
    dst->push_back(static_cast<char>('0' + exp / 10 % 10));
    dst->push_back(static_cast<char>('0' + exp % 10));
  }
}

int ClampBase(int base) { return base < 2 || base > 36 ? 10 : base; }

// Writes r (already known to be a valid rune) as UTF-8.
void AppendUtf8(std::string* dst, int32_t r) { gounicode::AppendRune(dst, r); }

// Go's appendEscapedRune.
void AppendEscapedRune(std::string* dst, int32_t r, char quote, bool ascii_only,
                       bool graphic_only) {
  if (r == quote || r == '\\') {
    dst->push_back('\\');
    dst->push_back(static_cast<char>(r));
    return;
  }
  if (ascii_only) {
    if (r < 0x80 && gounicode::IsPrint(r)) {
      dst->push_back(static_cast<char>(r));
      return;
    }
  } else if (gounicode::IsPrint(r) || (graphic_only && gounicode::IsGraphic(r))) {
    AppendUtf8(dst, r);
    return;
  }
  switch (r) {
    case '\a':
      dst->append("\\a");
      return;
    case '\b':
      dst->append("\\b");
      return;
    case '\f':
      dst->append("\\f");
      return;
    case '\n':
      dst->append("\\n");
      return;
    case '\r':
      dst->append("\\r");
      return;
    case '\t':
      dst->append("\\t");
      return;
    case '\v':
      dst->append("\\v");
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7f) {
    dst->append("\\x");
    dst->push_back(kLowerHex[(r >> 4) & 0xF]);
    dst->push_back(kLowerHex[r & 0xF]);
    return;
  }
  bool valid = r >= 0 && r <= gounicode::kMaxRune && !(r >= 0xD800 && r <= 0xDFFF);
  if (!valid) r = gounicode::kRuneError;
  if (r < 0x10000) {
    dst->append("\\u");
    for (int s = 12; s >= 0; s -= 4) dst->push_back(kLowerHex[(r >> s) & 0xF]);
  } else {
    dst->append("\\U");
    for (int s = 28; s >= 0; s -= 4) dst->push_back(kLowerHex[(r >> s) & 0xF]);
  }
}

// Go's appendQuotedWith.
void AppendQuotedWith(std::string* dst, std::string_view s, char quote, bool ascii_only,
                      bool graphic_only) {
  dst->reserve(dst->size() + s.size() + 2);
  dst->push_back(quote);
  while (!s.empty()) {
    auto c = static_cast<unsigned char>(s[0]);
    int32_t r = c;
    int width = 1;
    if (c >= 0x80) {
      gounicode::Decoded dec = gounicode::DecodeRune(s);
      r = dec.rune;
      width = dec.size;
      if (width == 1 && r == gounicode::kRuneError) {
        dst->append("\\x");
        dst->push_back(kLowerHex[c >> 4]);
        dst->push_back(kLowerHex[c & 0xF]);
        s.remove_prefix(1);
        continue;
      }
    }
    AppendEscapedRune(dst, r, quote, ascii_only, graphic_only);
    s.remove_prefix(width);
  }
  dst->push_back(quote);
}

void AppendQuotedRuneWith(std::string* dst, int32_t r, bool ascii_only, bool graphic_only) {
  dst->push_back('\'');
  if (gounicode::RuneLen(r) < 0) r = gounicode::kRuneError;
  AppendEscapedRune(dst, r, '\'', ascii_only, graphic_only);
  dst->push_back('\'');
}

}  // namespace

void AppendFloat(std::string* dst, double f, char fmt, int prec, int bit_size) {
  uint64_t bits;
  int mantbits, expbits, bias;
  if (bit_size == 32) {
    float f32 = static_cast<float>(f);
    uint32_t b32;
    std::memcpy(&b32, &f32, sizeof b32);
    bits = b32;
    mantbits = 23;
    expbits = 8;
    bias = -127;
    f = f32;
  } else {
    std::memcpy(&bits, &f, sizeof bits);
    mantbits = 52;
    expbits = 11;
    bias = -1023;
  }
  bool neg = (bits >> (expbits + mantbits)) != 0;
  int exp = static_cast<int>(bits >> mantbits) & ((1 << expbits) - 1);
  uint64_t mant = bits & ((uint64_t{1} << mantbits) - 1);

  if (exp == (1 << expbits) - 1) {
    dst->append(mant != 0 ? "NaN" : neg ? "-Inf" : "+Inf");
    return;
  }
  if (exp == 0) {
    ++exp;  // denormal
  } else {
    mant |= uint64_t{1} << mantbits;
  }
  exp += bias;

  if (fmt == 'b') {
    LayoutB(dst, neg, mant, exp, mantbits);
    return;
  }
  if (fmt == 'x' || fmt == 'X') {
    LayoutX(dst, prec, fmt, neg, mant, exp, mantbits);
    return;
  }

  double magnitude = neg ? -f : f;
  bool shortest = prec < 0;
  DecimalDigits digs;
  CharsBuffer buf;
  if (shortest) {
    digs = ShortestDigits(magnitude, bit_size, &buf);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = std::max(digs.nd - 1, 0);
        break;
      case 'f':
        prec = std::max(digs.nd - digs.dp, 0);
        break;
      case 'g':
      case 'G':
        prec = digs.nd;
        break;
      default:
        break;
    }
    LayoutDigits(dst, shortest, neg, digs, prec, fmt);
    return;
  }
  switch (fmt) {
    case 'e':
    case 'E': {
      digs = SignificantDigits(magnitude, prec + 1, &buf);
      LayoutDigits(dst, shortest, neg, digs, prec, fmt);
      return;
    }
    case 'g':
    case 'G': {
      if (prec == 0) prec = 1;
      digs = SignificantDigits(magnitude, prec, &buf);
      LayoutDigits(dst, shortest, neg, digs, prec, fmt);
      return;
    }
    case 'f': {
      digs = FixedDigits(magnitude, prec, &buf);
      LayoutDigits(dst, shortest, neg, digs, prec, fmt);
      return;
    }
    default:
      dst->push_back('%');
      dst->push_back(fmt);
  }
}

std::string FormatFloat(double f, char fmt, int prec, int bit_size) {
  std::string s;
  AppendFloat(&s, f, fmt, prec, bit_size);
  return s;
}

void AppendInt(std::string* dst, int64_t i, int base) {
  char buf[65];
  auto r = std::to_chars(buf, buf + sizeof buf, i, ClampBase(base));
  dst->append(buf, r.ptr);
}

void AppendUint(std::string* dst, uint64_t u, int base) {
  char buf[65];
  auto r = std::to_chars(buf, buf + sizeof buf, u, ClampBase(base));
  dst->append(buf, r.ptr);
}

std::string FormatInt(int64_t i, int base) {
  std::string s;
  AppendInt(&s, i, base);
  return s;
}

std::string FormatUint(uint64_t u, int base) {
  std::string s;
  AppendUint(&s, u, base);
  return s;
}

void AppendQuote(std::string* dst, std::string_view s) {
  AppendQuotedWith(dst, s, '"', false, false);
}

void AppendQuoteToASCII(std::string* dst, std::string_view s) {
  AppendQuotedWith(dst, s, '"', true, false);
}

void AppendQuoteToGraphic(std::string* dst, std::string_view s) {
  AppendQuotedWith(dst, s, '"', false, true);
}

void AppendQuoteRune(std::string* dst, int32_t r) { AppendQuotedRuneWith(dst, r, false, false); }

void AppendQuoteRuneToASCII(std::string* dst, int32_t r) {
  AppendQuotedRuneWith(dst, r, true, false);
}

void AppendQuoteRuneToGraphic(std::string* dst, int32_t r) {
  AppendQuotedRuneWith(dst, r, false, true);
}

std::string Quote(std::string_view s) {
  std::string q;
  AppendQuote(&q, s);
  return q;
}

bool CanBackquote(std::string_view s) {
  while (!s.empty()) {
    gounicode::Decoded dec = gounicode::DecodeRune(s);
    s.remove_prefix(dec.size);
    if (dec.size > 1) {
      // A byte-order mark is invisible; other valid multibyte runes pass.
      if (dec.rune == 0xFEFF) return false;
      continue;
    }
    if (dec.rune == gounicode::kRuneError) return false;
    if ((dec.rune < ' ' && dec.rune != '\t') || dec.rune == '`' || dec.rune == 0x7F) return false;
  }
  return true;
}

}  // namespace berth::gostrconv
