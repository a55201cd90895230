// Go's fmt package over Values.  The shape follows Go's own two layers so
// the two can be read side by side:
//
//   RawFormatter (Go's fmt, format.go): lays out one scalar - padding,
//     signs, precision, number bases, quoting - into the output buffer.
//   Printer (Go's pp, print.go): walks operands and composites, picks the
//     RawFormatter routine for each verb, applies String/GoString hooks,
//     parses Printf's format string and writes the error annotations.
//
// Everything appends straight into the caller's string; layouts that Go
// builds right-to-left in a scratch buffer are built in place, with padding
// inserted in front when needed.

#include "tmpl/gofmt.h"

#include <algorithm>
#include <complex>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/gostrconv.h"
#include "base/gounicode.h"

namespace berth::tmpl {

namespace {

constexpr char kLowerDigits[] = "0123456789abcdefx";
constexpr char kUpperDigits[] = "0123456789ABCDEFX";

constexpr std::string_view kNilAngle = "<nil>";
constexpr std::string_view kNilParen = "(nil)";
constexpr std::string_view kCommaSpace = ", ";
constexpr std::string_view kPercentBang = "%!";

// Widths and precisions beyond this are treated as absent (Go's tooLarge).
constexpr int kMaxWidth = 1000000;
bool TooLarge(int64_t x) { return x > kMaxWidth || x < -kMaxWidth; }

Kind KindOf(const Type* t) { return t->Underlying()->kind; }

const Type* ElemOf(const Type* t) { return t->elem ? t->elem : t->Underlying()->elem; }

const Type* KeyOf(const Type* t) { return t->key ? t->key : t->Underlying()->key; }

const std::vector<Field>& FieldsOf(const Type* t) {
  return t->fields.empty() ? t->Underlying()->fields : t->fields;
}

// A nil interface{}: the invalid Value, or the nil interface value that a
// []interface {} slot holds (Value::NilInterface()).
bool IsNilInterface(const Value& v) { return !v.valid() || KindOf(v.type()) == Kind::kInterface; }

// Go's []byte (an unnamed slice of plain uint8), which Printf special-cases
// at the top level.
bool IsPlainByteSlice(const Type* t) {
  return !t->named && t->kind == Kind::kSlice && ElemOf(t) == types::Uint8();
}

// utf8.RuneCountInString, with a fast path for ASCII.
size_t CountRunes(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return i + gounicode::RuneCount(s.substr(i));
  }
  return s.size();
}

void AppendRune(std::string* out, char32_t r) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else {
    gounicode::AppendRune(out, static_cast<int32_t>(r));
  }
}

struct Flags {
  bool wid_present = false;
  bool prec_present = false;
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  // %+v and %#v: set instead of plus/sharp, which then read as unset.
  bool plus_v = false;
  bool sharp_v = false;
};

// Go's fmt: formats one scalar at a time into *buf under the current flags.
class RawFormatter {
 public:
  explicit RawFormatter(std::string* buf) : buf_(buf) {}

  void ClearFlags() { flags = Flags(); }

  void WritePadding(int n) {
    if (n <= 0) return;
    buf_->append(static_cast<size_t>(n), flags.zero ? '0' : ' ');
  }

  // Appends s, padded to the width on the left (or right with '-').
  void PadString(std::string_view s) {
    if (!flags.wid_present || wid == 0) {
      buf_->append(s);
      return;
    }
    int width = wid - static_cast<int>(CountRunes(s));
    if (!flags.minus) {
      WritePadding(width);
      buf_->append(s);
    } else {
      buf_->append(s);
      WritePadding(width);
    }
  }

  // Pads the text already written at (*buf_)[start:].
  void PadAppended(size_t start) {
    if (!flags.wid_present || wid == 0) return;
    std::string_view s(buf_->data() + start, buf_->size() - start);
    int width = wid - static_cast<int>(CountRunes(s));
    if (width <= 0) return;
    if (!flags.minus) {
      buf_->insert(start, static_cast<size_t>(width), flags.zero ? '0' : ' ');
    } else {
      WritePadding(width);
    }
  }

  void FmtBoolean(bool v) { PadString(v ? "true" : "false"); }

  // "U+0078", or with '#' "U+0078 'x'".
  void FmtUnicode(uint64_t u) {
    int prec = 4;
    if (flags.prec_present && this->prec > 4) prec = this->prec;
    char digits[16];
    int n = 0;
    uint64_t x = u;
    do {
      digits[n++] = kUpperDigits[x & 0xF];
      x >>= 4;
    } while (x != 0);
    size_t start = buf_->size();
    buf_->append("U+");
    if (prec > n) buf_->append(static_cast<size_t>(prec - n), '0');
    while (n > 0) buf_->push_back(digits[--n]);
    if (flags.sharp && u <= static_cast<uint64_t>(gounicode::kMaxRune) &&
        gounicode::IsPrint(static_cast<int32_t>(u))) {
      buf_->append(" '");
      gounicode::AppendRune(buf_, static_cast<int32_t>(u));
      buf_->push_back('\'');
    }
    bool old_zero = flags.zero;
    flags.zero = false;
    PadAppended(start);
    flags.zero = old_zero;
  }

  // Signed and unsigned integers in base 2, 8, 10 or 16.
  void FmtInteger(uint64_t u, int base, bool is_signed, char32_t verb, const char* digits) {
    bool negative = is_signed && static_cast<int64_t>(u) < 0;
    if (negative) u = -u;

    // Leading zeros come from a precision (%.3d) or, without one, from the
    // zero flag and the width (%03d).
    int prec = 0;
    if (flags.prec_present) {
      prec = this->prec;
      if (prec == 0 && u == 0) {
        // Nothing but padding.
        bool old_zero = flags.zero;
        flags.zero = false;
        WritePadding(wid);
        flags.zero = old_zero;
        return;
      }
    } else if (flags.zero && flags.wid_present) {
      prec = wid;
      if (negative || flags.plus || flags.space) --prec;  // room for the sign
    }

    char num[64];
    int n = 0;
    switch (base) {
      case 10:
        do {
          num[n++] = static_cast<char>('0' + u % 10);
          u /= 10;
        } while (u != 0);
        break;
      case 16:
        do {
          num[n++] = digits[u & 0xF];
          u >>= 4;
        } while (u != 0);
        break;
      case 8:
        do {
          num[n++] = static_cast<char>('0' + (u & 7));
          u >>= 3;
        } while (u != 0);
        break;
      default:  // 2
        do {
          num[n++] = static_cast<char>('0' + (u & 1));
          u >>= 1;
        } while (u != 0);
        break;
    }
    int zeros = prec > n ? prec - n : 0;

    char prefix[4];
    int np = 0;
    if (negative) {
      prefix[np++] = '-';
    } else if (flags.plus) {
      prefix[np++] = '+';
    } else if (flags.space) {
      prefix[np++] = ' ';
    }
    if (verb == 'O') {
      prefix[np++] = '0';
      prefix[np++] = 'o';
    }
    if (flags.sharp) {
      switch (base) {
        case 2:
          prefix[np++] = '0';
          prefix[np++] = 'b';
          break;
        case 8:
          // A leading zero, unless the digits already start with one.
          if (zeros == 0 && num[n - 1] != '0') prefix[np++] = '0';
          break;
        case 16:
          prefix[np++] = '0';
          prefix[np++] = digits[16];
          break;
        default:
          break;
      }
    }
    // Zero padding was turned into leading zeros above; the rest is spaces.
    int length = np + zeros + n;
    int pad = flags.wid_present ? wid - length : 0;
    if (pad > 0 && !flags.minus) buf_->append(static_cast<size_t>(pad), ' ');
    buf_->append(prefix, static_cast<size_t>(np));
    if (zeros > 0) buf_->append(static_cast<size_t>(zeros), '0');
    while (n > 0) buf_->push_back(num[--n]);
    if (pad > 0 && flags.minus) buf_->append(static_cast<size_t>(pad), ' ');
  }

  // The precision cuts s to that many runes.
  std::string_view Truncate(std::string_view s) const {
    if (!flags.prec_present) return s;
    int n = prec;
    size_t i = 0;
    while (i < s.size()) {
      if (--n < 0) return s.substr(0, i);
      auto c = static_cast<unsigned char>(s[i]);
      i += c < 0x80 ? 1 : static_cast<size_t>(gounicode::DecodeRune(s.substr(i)).size);
    }
    return s;
  }

  void FmtS(std::string_view s) { PadString(Truncate(s)); }

  // Hexadecimal encoding of a string's bytes (%x, % x, %#x, %# X ...).
  void FmtSbx(std::string_view s, const char* digits) {
    int length = static_cast<int>(s.size());
    if (flags.prec_present && prec < length) length = prec;
    int width = 2 * length;
    if (width > 0) {
      if (flags.space) {
        if (flags.sharp) width *= 2;  // every byte gets its own 0x
        width += length - 1;
      } else if (flags.sharp) {
        width += 2;
      }
    } else {
      if (flags.wid_present) WritePadding(wid);
      return;
    }
    if (flags.wid_present && wid > width && !flags.minus) WritePadding(wid - width);
    if (flags.sharp) {
      buf_->push_back('0');
      buf_->push_back(digits[16]);
    }
    for (int i = 0; i < length; ++i) {
      if (flags.space && i > 0) {
        buf_->push_back(' ');
        if (flags.sharp) {
          buf_->push_back('0');
          buf_->push_back(digits[16]);
        }
      }
      auto c = static_cast<unsigned char>(s[i]);
      buf_->push_back(digits[c >> 4]);
      buf_->push_back(digits[c & 0xF]);
    }
    if (flags.wid_present && wid > width && flags.minus) WritePadding(wid - width);
  }

  // A double-quoted Go string, or with '#' a raw one when that is possible.
  void FmtQ(std::string_view s) {
    s = Truncate(s);
    size_t start = buf_->size();
    if (flags.sharp && gostrconv::CanBackquote(s)) {
      buf_->push_back('`');
      buf_->append(s);
      buf_->push_back('`');
    } else if (flags.plus) {
      gostrconv::AppendQuoteToASCII(buf_, s);
    } else {
      gostrconv::AppendQuote(buf_, s);
    }
    PadAppended(start);
  }

  static int32_t ToRune(uint64_t c) {
    return c > static_cast<uint64_t>(gounicode::kMaxRune) ? gounicode::kRuneError
                                                          : static_cast<int32_t>(c);
  }

  // The integer as a character.
  void FmtC(uint64_t c) {
    size_t start = buf_->size();
    gounicode::AppendRune(buf_, ToRune(c));
    PadAppended(start);
  }

  // The integer as a single-quoted Go character literal.
  void FmtQc(uint64_t c) {
    size_t start = buf_->size();
    if (flags.plus) {
      gostrconv::AppendQuoteRuneToASCII(buf_, ToRune(c));
    } else {
      gostrconv::AppendQuoteRune(buf_, ToRune(c));
    }
    PadAppended(start);
  }

  // A float64 (size 64) or float32 (size 32) in strconv format `verb`.
  void FmtFloat(double v, int size, char32_t verb, int prec) {
    if (flags.prec_present) prec = this->prec;
    // The number is written after a sign slot, as Go does in its scratch
    // buffer: num = (*buf_)[start:], num[0] is always the sign.
    size_t start = buf_->size();
    buf_->push_back('+');
    gostrconv::AppendFloat(buf_, v, static_cast<char>(verb), prec, size);
    std::string& b = *buf_;
    if (b[start + 1] == '-' || b[start + 1] == '+') b.erase(start, 1);
    if (flags.space && b[start] == '+' && !flags.plus) b[start] = ' ';
    // Infinities and NaN are not numbers to be zero-padded.
    if (b[start + 1] == 'I' || b[start + 1] == 'N') {
      bool old_zero = flags.zero;
      flags.zero = false;
      if (b[start + 1] == 'N' && !flags.space && !flags.plus) b.erase(start, 1);
      PadAppended(start);
      flags.zero = old_zero;
      return;
    }
    // '#' keeps a decimal point and, for %g-like verbs, trailing zeros.
    if (flags.sharp && verb != 'b') {
      int digits = 0;
      if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
        digits = prec;
        if (digits == -1) digits = 6;
      }
      char tail[8];
      size_t tail_len = 0;
      bool has_point = false;
      bool saw_nonzero = false;
      for (size_t i = start + 1; i < b.size(); ++i) {
        char c = b[i];
        bool is_exponent =
            c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X');
        if (c == '.') {
          has_point = true;
        } else if (is_exponent) {
          tail_len = std::min(b.size() - i, sizeof tail);
          std::memcpy(tail, b.data() + i, tail_len);
          b.resize(i);
          break;
        } else {
          if (c != '0') saw_nonzero = true;
          if (saw_nonzero) --digits;  // count significant digits
        }
      }
      if (!has_point) {
        // A lone 0 counts as one digit.
        if (b.size() - start == 2 && b[start + 1] == '0') --digits;
        b.push_back('.');
      }
      if (digits > 0) b.append(static_cast<size_t>(digits), '0');
      b.append(tail, tail_len);
    }
    if (flags.plus || b[start] != '+') {
      // Zero padding goes between the sign and the digits.
      size_t len = b.size() - start;
      if (flags.zero && flags.wid_present && static_cast<size_t>(wid) > len) {
        b.insert(start + 1, static_cast<size_t>(wid) - len, '0');
        return;
      }
      PadAppended(start);
      return;
    }
    // A positive number without a requested sign.
    b.erase(start, 1);
    PadAppended(start);
  }

  Flags flags;
  int wid = 0;
  int prec = 0;

 private:
  std::string* buf_;
};

// Go's pp: prints operands.
class Printer {
 public:
  explicit Printer(std::string* out) : buf_(out), fmt_(out) {}

  void DoPrint(std::span<const Value> args) {
    bool prev_string = false;
    for (size_t i = 0; i < args.size(); ++i) {
      const Value& arg = args[i];
      bool is_string = arg.valid() && KindOf(arg.type()) == Kind::kString;
      // A space between two operands when neither is a string.
      if (i > 0 && !is_string && !prev_string) buf_->push_back(' ');
      PrintArg(arg, 'v');
      prev_string = is_string;
    }
  }

  void DoPrintln(std::span<const Value> args) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) buf_->push_back(' ');
      PrintArg(args[i], 'v');
    }
    buf_->push_back('\n');
  }

  void DoPrintf(std::string_view format, std::span<const Value> args);

 private:
  // ---- operands ----

  void PrintArg(const Value& arg, char32_t verb) {
    if (IsNilInterface(arg)) {
      if (verb == 'T' || verb == 'v') {
        fmt_.PadString(kNilAngle);
      } else {
        BadVerb(verb, nullptr);
      }
      return;
    }
    // %T and %p look at the operand itself, before any method.
    if (verb == 'T') {
      fmt_.FmtS(arg.type()->name);
      return;
    }
    if (verb == 'p') {
      FmtPointer(arg, 'p');
      return;
    }
    if (IsPlainByteSlice(arg.type())) {
      FmtBytes(arg, verb, "[]byte");
      return;
    }
    if (!HandleMethods(arg, verb)) PrintValue(arg, verb, 0);
  }

  // Go's handleMethods: GoString for %#v, String/Error for the string verbs.
  bool HandleMethods(const Value& v, char32_t verb) {
    if (erroring_) return false;
    if (verb == 'w') {
      // %w is only meaningful to Errorf.
      BadVerb(verb, &v);
      return true;
    }
    const Type* t = v.type();
    std::string (*hook)(const Value&) = nullptr;
    if (fmt_.flags.sharp_v) {
      hook = t->gostringer;
    } else if (verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q') {
      hook = t->stringer;
    }
    if (hook == nullptr) return false;
    if (KindOf(t) == Kind::kPointer && v.is_nil()) {
      // Go calls the method, which panics on the nil receiver, and fmt
      // recovers by printing "<nil>".
      buf_->append(kNilAngle);
      return true;
    }
    std::string s = hook(v);
    if (fmt_.flags.sharp_v) {
      fmt_.FmtS(s);  // GoString's result is printed unadorned
    } else {
      FmtString(s, verb, &v);
    }
    return true;
  }

  // Go's printValue.  `static_type` is the static type of the slot v was
  // read from (an element, a map value, a field), used to name a nil
  // interface; `hidden` marks values reached through unexported fields, on
  // which Go cannot call methods.
  void PrintValue(const Value& v, char32_t verb, int depth, const Type* static_type = nullptr,
                  bool hidden = false) {
    bool nil_interface = IsNilInterface(v);
    if (depth > 0 && !nil_interface && !hidden && HandleMethods(v, verb)) return;
    if (nil_interface) {
      // A nil interface inside a composite, named by its static type.
      if (fmt_.flags.sharp_v) {
        const Type* t = types::Interface();
        if (static_type != nullptr && KindOf(static_type) == Kind::kInterface) {
          t = static_type;
        } else if (v.valid()) {
          t = v.type();
        }
        buf_->append(t->name);
        buf_->append(kNilParen);
      } else {
        buf_->append(kNilAngle);
      }
      return;
    }
    const Type* t = v.type();
    switch (KindOf(t)) {
      case Kind::kBool:
        FmtBool(v, verb);
        return;
      case Kind::kInt:
      case Kind::kInt32:
      case Kind::kInt64:
        FmtInteger(static_cast<uint64_t>(v.int_value()), true, verb, &v);
        return;
      case Kind::kUint8:
      case Kind::kUint16:
      case Kind::kUint32:
      case Kind::kUint64:
        FmtInteger(v.uint_value(), false, verb, &v);
        return;
      case Kind::kFloat64:
        FmtFloat(v.float_value(), 64, verb, &v);
        return;
      case Kind::kComplex128:
        FmtComplex(v.complex_value(), 128, verb, &v);
        return;
      case Kind::kString:
        FmtString(v.string_value(), verb, &v);
        return;
      case Kind::kMap:
        PrintMap(v, verb, depth, hidden);
        return;
      case Kind::kStruct:
        PrintStruct(v, verb, depth, hidden);
        return;
      case Kind::kSlice:
        PrintSlice(v, verb, depth, hidden);
        return;
      case Kind::kPointer:
        // Pointers to composites print as &{...} at the top level only, so
        // that cycles cannot recurse forever.
        if (depth == 0 && !v.is_nil()) {
          const Value& elem = v.Elem();
          if (elem.valid()) {
            Kind k = KindOf(elem.type());
            if (k == Kind::kSlice || k == Kind::kStruct || k == Kind::kMap) {
              buf_->push_back('&');
              PrintValue(elem, verb, depth + 1, nullptr, hidden);
              return;
            }
          }
        }
        FmtPointer(v, verb);
        return;
      default:
        buf_->push_back('?');
        buf_->append(t->name);
        buf_->push_back('?');
        return;
    }
  }

  void PrintMap(const Value& v, char32_t verb, int depth, bool hidden) {
    const Type* t = v.type();
    if (fmt_.flags.sharp_v) {
      buf_->append(t->name);
      if (v.is_nil()) {
        buf_->append(kNilParen);
        return;
      }
      buf_->push_back('{');
    } else {
      buf_->append("map[");
    }
    const Type* key_type = KeyOf(t);
    if (key_type == nullptr || KindOf(key_type) != Kind::kString) key_type = types::String();
    const Type* elem_type = ElemOf(t);
    bool first = true;
    // MapData is ordered bytewise, as Go's fmtsort orders string keys.
    for (const auto& [key, value] : v.map_entries()) {
      if (!first) {
        if (fmt_.flags.sharp_v) {
          buf_->append(kCommaSpace);
        } else {
          buf_->push_back(' ');
        }
      }
      first = false;
      // The key only lives as long as this loop needs it.
      Value key_value = key_type == types::String() ? Value::StringRef(key, nullptr)
                                                    : Value::OfString(key_type, key);
      PrintValue(key_value, verb, depth + 1, key_type, hidden);
      buf_->push_back(':');
      PrintValue(value, verb, depth + 1, elem_type, hidden);
    }
    buf_->push_back(fmt_.flags.sharp_v ? '}' : ']');
  }

  void PrintStruct(const Value& v, char32_t verb, int depth, bool hidden) {
    const Type* t = v.type();
    if (fmt_.flags.sharp_v) buf_->append(t->name);
    buf_->push_back('{');
    // A type without fields may be opaque: never ask the Value for fields.
    const std::vector<Field>& fields = FieldsOf(t);
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) {
        if (fmt_.flags.sharp_v) {
          buf_->append(kCommaSpace);
        } else {
          buf_->push_back(' ');
        }
      }
      if ((fmt_.flags.plus_v || fmt_.flags.sharp_v) && !fields[i].name.empty()) {
        buf_->append(fields[i].name);
        buf_->push_back(':');
      }
      PrintValue(v.field(i), verb, depth + 1, fields[i].type, hidden || !fields[i].exported);
    }
    buf_->push_back('}');
  }

  void PrintSlice(const Value& v, char32_t verb, int depth, bool hidden) {
    const Type* t = v.type();
    const Type* elem_type = ElemOf(t);
    if ((verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') && elem_type != nullptr &&
        KindOf(elem_type) == Kind::kUint8) {
      // Byte slices print as strings for these verbs.
      FmtBytes(v, verb, t->name);
      return;
    }
    if (fmt_.flags.sharp_v) {
      buf_->append(t->name);
      if (v.is_nil()) {
        buf_->append(kNilParen);
        return;
      }
      buf_->push_back('{');
      for (size_t i = 0; i < v.len(); ++i) {
        if (i > 0) buf_->append(kCommaSpace);
        PrintValue(v.Index(i), verb, depth + 1, elem_type, hidden);
      }
      buf_->push_back('}');
    } else {
      buf_->push_back('[');
      for (size_t i = 0; i < v.len(); ++i) {
        if (i > 0) buf_->push_back(' ');
        PrintValue(v.Index(i), verb, depth + 1, elem_type, hidden);
      }
      buf_->push_back(']');
    }
  }

  // Go's badVerb: "%!verb(type=value)", or "%!verb(<nil>)".
  void BadVerb(char32_t verb, const Value* v) {
    erroring_ = true;
    buf_->append(kPercentBang);
    AppendRune(buf_, verb);
    buf_->push_back('(');
    if (v != nullptr && !IsNilInterface(*v)) {
      buf_->append(v->type()->name);
      buf_->push_back('=');
      PrintValue(*v, 'v', 0);
    } else {
      buf_->append(kNilAngle);
    }
    buf_->push_back(')');
    erroring_ = false;
  }

  // ---- scalars (Go's pp.fmtBool, fmtInteger, ...) ----

  void FmtBool(const Value& v, char32_t verb) {
    if (verb == 't' || verb == 'v') {
      fmt_.FmtBoolean(v.bool_value());
    } else {
      BadVerb(verb, &v);
    }
  }

  // Hexadecimal with or without 0x, whatever the '#' flag says.
  void Fmt0x64(uint64_t u, bool leading_0x) {
    bool sharp = fmt_.flags.sharp;
    fmt_.flags.sharp = leading_0x;
    fmt_.FmtInteger(u, 16, false, 'v', kLowerDigits);
    fmt_.flags.sharp = sharp;
  }

  void FmtInteger(uint64_t u, bool is_signed, char32_t verb, const Value* v) {
    switch (verb) {
      case 'v':
        if (fmt_.flags.sharp_v && !is_signed) {
          Fmt0x64(u, true);
        } else {
          fmt_.FmtInteger(u, 10, is_signed, verb, kLowerDigits);
        }
        return;
      case 'd':
        fmt_.FmtInteger(u, 10, is_signed, verb, kLowerDigits);
        return;
      case 'b':
        fmt_.FmtInteger(u, 2, is_signed, verb, kLowerDigits);
        return;
      case 'o':
      case 'O':
        fmt_.FmtInteger(u, 8, is_signed, verb, kLowerDigits);
        return;
      case 'x':
        fmt_.FmtInteger(u, 16, is_signed, verb, kLowerDigits);
        return;
      case 'X':
        fmt_.FmtInteger(u, 16, is_signed, verb, kUpperDigits);
        return;
      case 'c':
        fmt_.FmtC(u);
        return;
      case 'q':
        fmt_.FmtQc(u);
        return;
      case 'U':
        fmt_.FmtUnicode(u);
        return;
      default:
        BadVerb(verb, v);
    }
  }

  // Each verb's default precision: shortest for %v %g %x, 6 for %e %f.
  void FmtFloat(double f, int size, char32_t verb, const Value* v) {
    switch (verb) {
      case 'v':
        fmt_.FmtFloat(f, size, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        fmt_.FmtFloat(f, size, verb, -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        fmt_.FmtFloat(f, size, verb, 6);
        return;
      case 'F':
        fmt_.FmtFloat(f, size, 'f', 6);
        return;
      default:
        BadVerb(verb, v);
    }
  }

  // (r+ji), both parts formatted as floats; the imaginary one always signed.
  void FmtComplex(std::complex<double> c, int size, char32_t verb, const Value* v) {
    switch (verb) {
      case 'v':
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
      case 'f':
      case 'F':
      case 'e':
      case 'E': {
        bool old_plus = fmt_.flags.plus;
        buf_->push_back('(');
        FmtFloat(c.real(), size / 2, verb, v);
        fmt_.flags.plus = true;
        FmtFloat(c.imag(), size / 2, verb, v);
        buf_->append("i)");
        fmt_.flags.plus = old_plus;
        return;
      }
      default:
        BadVerb(verb, v);
    }
  }

  void FmtString(std::string_view s, char32_t verb, const Value* v) {
    switch (verb) {
      case 'v':
        if (fmt_.flags.sharp_v) {
          fmt_.FmtQ(s);
        } else {
          fmt_.FmtS(s);
        }
        return;
      case 's':
        fmt_.FmtS(s);
        return;
      case 'x':
        fmt_.FmtSbx(s, kLowerDigits);
        return;
      case 'X':
        fmt_.FmtSbx(s, kUpperDigits);
        return;
      case 'q':
        fmt_.FmtQ(s);
        return;
      default:
        BadVerb(verb, v);
    }
  }

  // A slice of uint8 (Go's fmtBytes); `type_name` is what %#v calls it.
  void FmtBytes(const Value& v, char32_t verb, std::string_view type_name) {
    if (verb == 'v' || verb == 'd') {
      size_t n = v.len();
      if (fmt_.flags.sharp_v) {
        buf_->append(type_name);
        if (v.is_nil()) {
          buf_->append(kNilParen);
          return;
        }
        buf_->push_back('{');
        for (size_t i = 0; i < n; ++i) {
          if (i > 0) buf_->append(kCommaSpace);
          Fmt0x64(v.Index(i).uint_value(), true);
        }
        buf_->push_back('}');
      } else {
        buf_->push_back('[');
        for (size_t i = 0; i < n; ++i) {
          if (i > 0) buf_->push_back(' ');
          fmt_.FmtInteger(v.Index(i).uint_value(), 10, false, verb, kLowerDigits);
        }
        buf_->push_back(']');
      }
      return;
    }
    if (verb != 's' && verb != 'x' && verb != 'X' && verb != 'q') {
      PrintValue(v, verb, 0);
      return;
    }
    std::string bytes;
    bytes.reserve(v.len());
    for (size_t i = 0; i < v.len(); ++i) {
      bytes.push_back(static_cast<char>(v.Index(i).uint_value()));
    }
    switch (verb) {
      case 's':
        fmt_.FmtS(bytes);
        return;
      case 'x':
        fmt_.FmtSbx(bytes, kLowerDigits);
        return;
      case 'X':
        fmt_.FmtSbx(bytes, kUpperDigits);
        return;
      default:  // 'q'
        fmt_.FmtQ(bytes);
        return;
    }
  }

  // Slices, maps and pointers print their storage address.
  void FmtPointer(const Value& v, char32_t verb) {
    Kind k = KindOf(v.type());
    if (k != Kind::kPointer && k != Kind::kMap && k != Kind::kSlice) {
      BadVerb(verb, &v);
      return;
    }
    auto u = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(v.storage_identity()));
    switch (verb) {
      case 'v':
        if (fmt_.flags.sharp_v) {
          buf_->push_back('(');
          buf_->append(v.type()->name);
          buf_->append(")(");
          if (u == 0) {
            buf_->append("nil");
          } else {
            Fmt0x64(u, true);
          }
          buf_->push_back(')');
        } else if (u == 0) {
          fmt_.PadString(kNilAngle);
        } else {
          Fmt0x64(u, !fmt_.flags.sharp);
        }
        return;
      case 'p':
        Fmt0x64(u, !fmt_.flags.sharp);
        return;
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        FmtInteger(u, false, verb, &v);
        return;
      default:
        BadVerb(verb, &v);
    }
  }

  // ---- Printf's format string ----

  // Go's intFromArg: the argument at *arg_num as a width or precision.
  bool IntFromArg(std::span<const Value> args, size_t* arg_num, int* num) {
    *num = 0;
    if (*arg_num >= args.size()) return false;
    const Value& a = args[*arg_num];
    ++*arg_num;
    int64_t n = 0;
    bool is_int = false;
    if (a.valid()) {
      Kind k = KindOf(a.type());
      if (IsSignedIntKind(k)) {
        n = a.int_value();
        is_int = true;
      } else if (IsUnsignedIntKind(k)) {
        uint64_t u = a.uint_value();
        if (u <= static_cast<uint64_t>(INT64_MAX)) {
          n = static_cast<int64_t>(u);
          is_int = true;
        }
      }
    }
    if (!is_int || TooLarge(n)) return false;
    *num = static_cast<int>(n);
    return true;
  }

  // Go's argNumber: an explicit "[n]" index at format[*i], if any.  Returns
  // whether one was found (and parsed); sets good_arg_num_ false when the
  // index is malformed or out of range.
  bool ArgNumber(std::string_view format, size_t* i, size_t num_args, size_t* arg_num) {
    if (*i >= format.size() || format[*i] != '[') return false;
    reordered_ = true;
    // "[n]": find the closing bracket.
    std::string_view rest = format.substr(*i);
    size_t consumed = 1;
    bool ok = false;
    int64_t index = 0;
    if (rest.size() >= 3) {
      for (size_t j = 1; j < rest.size(); ++j) {
        if (rest[j] == ']') {
          int width;
          bool is_num;
          size_t newj = ParseNum(rest, 1, j, &width, &is_num);
          consumed = j + 1;
          if (is_num && newj == j) {
            ok = true;
            index = static_cast<int64_t>(width) - 1;  // arguments count from 1
          }
          break;
        }
      }
    }
    *i += consumed;
    if (ok && index >= 0 && static_cast<size_t>(index) < num_args) {
      *arg_num = static_cast<size_t>(index);
      return true;
    }
    good_arg_num_ = false;
    return ok;
  }

  // Go's parsenum: decimal digits of s[start:end); returns the index after
  // them.  A number too large to be a width is no number at all, and then
  // the rest of the string is consumed.
  static size_t ParseNum(std::string_view s, size_t start, size_t end, int* num, bool* is_num) {
    *num = 0;
    *is_num = false;
    if (start >= end) return end;
    size_t i = start;
    for (; i < end && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (TooLarge(*num)) {
        *num = 0;
        *is_num = false;
        return end;
      }
      *num = *num * 10 + (s[i] - '0');
      *is_num = true;
    }
    return i;
  }

  std::string* buf_;
  RawFormatter fmt_;
  bool erroring_ = false;     // inside BadVerb: no methods
  bool reordered_ = false;    // the format used [n] indexes
  bool good_arg_num_ = true;  // the current verb's index was valid
};

void Printer::DoPrintf(std::string_view format, std::span<const Value> args) {
  const size_t end = format.size();
  size_t arg_num = 0;
  bool after_index = false;  // the previous item was an index like [3]
  reordered_ = false;
  size_t i = 0;
  while (i < end) {
    good_arg_num_ = true;
    size_t lasti = i;
    while (i < end && format[i] != '%') ++i;
    if (i > lasti) buf_->append(format.substr(lasti, i - lasti));
    if (i >= end) break;
    ++i;  // the '%'

    fmt_.ClearFlags();
    bool simple = false;
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') {
        fmt_.flags.sharp = true;
      } else if (c == '0') {
        fmt_.flags.zero = !fmt_.flags.minus;  // zero padding is left padding only
      } else if (c == '+') {
        fmt_.flags.plus = true;
      } else if (c == '-') {
        fmt_.flags.minus = true;
        fmt_.flags.zero = false;
      } else if (c == ' ') {
        fmt_.flags.space = true;
      } else {
        // Fast path: flags and a lower-case ASCII verb, nothing else.
        if (c >= 'a' && c <= 'z' && arg_num < args.size()) {
          if (c == 'v') {
            fmt_.flags.sharp_v = fmt_.flags.sharp;
            fmt_.flags.sharp = false;
            fmt_.flags.plus_v = fmt_.flags.plus;
            fmt_.flags.plus = false;
          }
          PrintArg(args[arg_num], static_cast<char32_t>(c));
          ++arg_num;
          ++i;
          simple = true;
        }
        break;
      }
    }
    if (simple) continue;

    // Explicit argument index?
    after_index = ArgNumber(format, &i, args.size(), &arg_num);

    // Width.
    if (i < end && format[i] == '*') {
      ++i;
      fmt_.flags.wid_present = IntFromArg(args, &arg_num, &fmt_.wid);
      if (!fmt_.flags.wid_present) buf_->append("%!(BADWIDTH)");
      if (fmt_.wid < 0) {
        // A negative width means left-justify.
        fmt_.wid = -fmt_.wid;
        fmt_.flags.minus = true;
        fmt_.flags.zero = false;
      }
      after_index = false;
    } else {
      i = ParseNum(format, i, end, &fmt_.wid, &fmt_.flags.wid_present);
      if (after_index && fmt_.flags.wid_present) good_arg_num_ = false;  // "%[3]2d"
    }

    // Precision.
    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num_ = false;  // "%[3].2d"
      after_index = ArgNumber(format, &i, args.size(), &arg_num);
      if (i < end && format[i] == '*') {
        ++i;
        fmt_.flags.prec_present = IntFromArg(args, &arg_num, &fmt_.prec);
        if (fmt_.prec < 0) {
          fmt_.prec = 0;
          fmt_.flags.prec_present = false;
        }
        if (!fmt_.flags.prec_present) buf_->append("%!(BADPREC)");
        after_index = false;
      } else {
        i = ParseNum(format, i, end, &fmt_.prec, &fmt_.flags.prec_present);
        if (!fmt_.flags.prec_present) {
          // "%.d": an empty precision means zero.
          fmt_.prec = 0;
          fmt_.flags.prec_present = true;
        }
      }
    }

    if (!after_index) after_index = ArgNumber(format, &i, args.size(), &arg_num);

    if (i >= end) {
      buf_->append("%!(NOVERB)");
      break;
    }

    char32_t verb = static_cast<unsigned char>(format[i]);
    size_t size = 1;
    if (verb >= 0x80) {
      gounicode::Decoded d = gounicode::DecodeRune(format.substr(i));
      verb = static_cast<char32_t>(d.rune);
      size = static_cast<size_t>(d.size);
    }
    i += size;

    if (verb == '%') {
      // A literal percent takes no operand and ignores width and precision.
      buf_->push_back('%');
    } else if (!good_arg_num_) {
      buf_->append(kPercentBang);
      AppendRune(buf_, verb);
      buf_->append("(BADINDEX)");
    } else if (arg_num >= args.size()) {
      buf_->append(kPercentBang);
      AppendRune(buf_, verb);
      buf_->append("(MISSING)");
    } else {
      if (verb == 'v') {
        fmt_.flags.sharp_v = fmt_.flags.sharp;
        fmt_.flags.sharp = false;
        fmt_.flags.plus_v = fmt_.flags.plus;
        fmt_.flags.plus = false;
      }
      PrintArg(args[arg_num], verb);
      ++arg_num;
    }
  }

  // Unused operands, unless indexes made that too hard to tell.
  if (!reordered_ && arg_num < args.size()) {
    fmt_.ClearFlags();
    buf_->append("%!(EXTRA ");
    for (size_t k = arg_num; k < args.size(); ++k) {
      if (k > arg_num) buf_->append(kCommaSpace);
      const Value& arg = args[k];
      if (IsNilInterface(arg)) {
        buf_->append(kNilAngle);
      } else {
        buf_->append(arg.type()->name);
        buf_->push_back('=');
        PrintArg(arg, 'v');
      }
    }
    buf_->push_back(')');
  }
}

}  // namespace

void GoAppendSprint(std::string* out, std::span<const Value> args) { Printer(out).DoPrint(args); }

void GoAppendSprintln(std::string* out, std::span<const Value> args) {
  Printer(out).DoPrintln(args);
}

void GoAppendSprintf(std::string* out, std::string_view format, std::span<const Value> args) {
  Printer(out).DoPrintf(format, args);
}

std::string GoSprint(std::span<const Value> args) {
  std::string s;
  GoAppendSprint(&s, args);
  return s;
}

std::string GoSprintln(std::span<const Value> args) {
  std::string s;
  GoAppendSprintln(&s, args);
  return s;
}

std::string GoSprintf(std::string_view format, std::span<const Value> args) {
  std::string s;
  GoAppendSprintf(&s, format, args);
  return s;
}

}  // namespace berth::tmpl
