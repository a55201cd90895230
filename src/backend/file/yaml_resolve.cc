#include "backend/file/yaml_resolve.h"

#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "base/gostrconv.h"

namespace berth::backend::file {
namespace {

enum class Tag : uint8_t { kNone, kStr, kBool, kInt, kFloat, kNull, kTimestamp, kBinary, kOther };

Tag ClassifyTag(std::string_view tag) {
  if (tag.empty()) return Tag::kNone;
  if (!tag.starts_with(kTagPrefix)) return Tag::kOther;
  const std::string_view name = tag.substr(kTagPrefix.size());
  if (name == "str") return Tag::kStr;
  if (name == "bool") return Tag::kBool;
  if (name == "int") return Tag::kInt;
  if (name == "float") return Tag::kFloat;
  if (name == "null") return Tag::kNull;
  if (name == "timestamp") return Tag::kTimestamp;
  if (name == "binary") return Tag::kBinary;
  return Tag::kOther;
}

// go-yaml's shortTag: "!!x" for the yaml.org tags, the tag itself otherwise.
std::string ShortTag(Tag t) {
  switch (t) {
    case Tag::kStr:
      return "!!str";
    case Tag::kBool:
      return "!!bool";
    case Tag::kInt:
      return "!!int";
    case Tag::kFloat:
      return "!!float";
    case Tag::kNull:
      return "!!null";
    case Tag::kTimestamp:
      return "!!timestamp";
    case Tag::kBinary:
      return "!!binary";
    default:
      return "";
  }
}

// What the first byte of a plain scalar hints at (go-yaml's resolveTable).
char Hint(std::string_view in) {
  if (in.empty()) return 'N';
  switch (in[0]) {
    case '+':
    case '-':
      return 'S';
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      return 'D';
    case 'y':
    case 'Y':
    case 'n':
    case 'N':
    case 't':
    case 'T':
    case 'f':
    case 'F':
    case 'o':
    case 'O':
    case '~':
      return 'M';
    case '.':
      return '.';
    default:
      return 0;
  }
}

ScalarValue TextValue() {
  ScalarValue v;
  v.kind = ScalarValue::Kind::kText;
  return v;
}

struct Resolved {
  Tag tag;
  ScalarValue value;
};

// go-yaml's resolveMap: the YAML 1.1 spellings of booleans, null, and the
// special floats.
std::optional<Resolved> LookupSpecial(std::string_view in) {
  ScalarValue v;
  static constexpr std::string_view kTrue[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                               "True", "TRUE", "on",  "On",  "ON"};
  static constexpr std::string_view kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                                "False", "FALSE", "off", "Off", "OFF"};
  static constexpr std::string_view kNull[] = {"", "~", "null", "Null", "NULL"};
  for (std::string_view s : kTrue) {
    if (in == s) {
      v.kind = ScalarValue::Kind::kBool;
      v.bool_value = true;
      return Resolved{Tag::kBool, v};
    }
  }
  for (std::string_view s : kFalse) {
    if (in == s) {
      v.kind = ScalarValue::Kind::kBool;
      v.bool_value = false;
      return Resolved{Tag::kBool, v};
    }
  }
  for (std::string_view s : kNull) {
    if (in == s) return Resolved{Tag::kNull, v};
  }
  v.kind = ScalarValue::Kind::kFloat;
  if (in == ".nan" || in == ".NaN" || in == ".NAN") {
    v.float_value = std::numeric_limits<double>::quiet_NaN();
    return Resolved{Tag::kFloat, v};
  }
  if (in == ".inf" || in == ".Inf" || in == ".INF" || in == "+.inf" || in == "+.Inf" ||
      in == "+.INF") {
    v.float_value = std::numeric_limits<double>::infinity();
    return Resolved{Tag::kFloat, v};
  }
  if (in == "-.inf" || in == "-.Inf" || in == "-.INF") {
    v.float_value = -std::numeric_limits<double>::infinity();
    return Resolved{Tag::kFloat, v};
  }
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < n && s[i] == '.') {
    ++i;
    const size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
  } else {
    const size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
    if (i < n && s[i] == '.') {
      ++i;
      while (i < n && IsDigit(s[i])) ++i;
    }
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
    const size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == n;
}

Resolved IntValue(int64_t v) {
  ScalarValue s;
  s.kind = ScalarValue::Kind::kInt;
  s.int_value = v;
  return Resolved{Tag::kInt, s};
}

Resolved UintValue(uint64_t v) {
  ScalarValue s;
  s.kind = ScalarValue::Kind::kUint;
  s.uint_value = v;
  return Resolved{Tag::kInt, s};
}

Resolved FloatValue(double v) {
  ScalarValue s;
  s.kind = ScalarValue::Kind::kFloat;
  s.float_value = v;
  return Resolved{Tag::kFloat, s};
}

// go-yaml's resolve(tag, in) for a tag it knows how to resolve.
Resolved Resolve(Tag tag, std::string_view in) {
  const char hint = Hint(in);
  if (hint != 0 && tag != Tag::kStr && tag != Tag::kBinary) {
    if (std::optional<Resolved> special = LookupSpecial(in)) return *special;
    switch (hint) {
      case '.': {
        auto f = gostrconv::ParseFloat(in);
        if (f.ok()) return FloatValue(f.value);
        break;
      }
      case 'D':
      case 'S': {
        if ((tag == Tag::kNone || tag == Tag::kTimestamp) && IsYamlTimestamp(in)) {
          return Resolved{Tag::kTimestamp, TextValue()};
        }
        std::string without_underscores;
        std::string_view plain = in;
        if (in.find('_') != std::string_view::npos) {
          without_underscores.reserve(in.size());
          for (char c : in) {
            if (c != '_') without_underscores.push_back(c);
          }
          plain = without_underscores;
        }
        if (auto i = gostrconv::ParseInt(plain, 0, 64); i.ok()) return IntValue(i.value);
        if (auto u = gostrconv::ParseUint(plain, 0, 64); u.ok()) return UintValue(u.value);
        if (IsYamlStyleFloat(plain)) {
          if (auto f = gostrconv::ParseFloat(plain); f.ok()) return FloatValue(f.value);
        }
        const std::string_view p = plain;
        if (p.starts_with("0b")) {
          if (auto i = gostrconv::ParseInt(p.substr(2), 2, 64); i.ok()) return IntValue(i.value);
          if (auto u = gostrconv::ParseUint(p.substr(2), 2, 64); u.ok()) return UintValue(u.value);
        } else if (p.starts_with("-0b")) {
          std::string negated(1, '-');
          negated.append(p.substr(3));
          if (auto i = gostrconv::ParseInt(negated, 2, 64); i.ok()) return IntValue(i.value);
        }
        break;
      }
      default:  // 'M' and 'N' were fully handled by the table
        break;
    }
  }
  return Resolved{Tag::kStr, TextValue()};
}

// Go's time.atoi: an optional sign, then decimal digits (possibly none).
bool GoTimeAtoi(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  uint64_t x = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    if (x > (uint64_t{1} << 63) / 10) return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
    if (x > (uint64_t{1} << 63)) return false;
  }
  return true;
}

// Go's time.getnum(s, false): one or two digits.
bool GetNum(std::string_view* s, int* out) {
  if (s->empty() || !IsDigit((*s)[0])) return false;
  if (s->size() < 2 || !IsDigit((*s)[1])) {
    *out = (*s)[0] - '0';
    s->remove_prefix(1);
    return true;
  }
  *out = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
  s->remove_prefix(2);
  return true;
}

bool SkipLiteral(std::string_view* s, char c) {
  if (s->empty() || (*s)[0] != c) return false;
  s->remove_prefix(1);
  return true;
}

int DaysIn(int month, int year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

// time.Parse with one of go-yaml's four layouts; `separator` is 'T', 't', ' '
// or 0 for the date-only layout.
bool ParsesWithLayout(std::string_view v, char separator) {
  // "2006"
  if (v.size() < 4 || !IsDigit(v[0]) || !GoTimeAtoi(v.substr(0, 4))) return false;
  int year = 0;
  for (char c : v.substr(0, 4)) year = year * 10 + (c - '0');
  v.remove_prefix(4);
  int month = 0, day = 0;
  if (!SkipLiteral(&v, '-') || !GetNum(&v, &month) || month < 1 || month > 12) return false;
  if (!SkipLiteral(&v, '-') || !GetNum(&v, &day)) return false;
  if (separator != 0) {
    if (separator == ' ') {
      // A space in a layout matches one or more spaces.
      if (!v.empty() && v[0] != ' ') return false;
      while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
    } else if (!SkipLiteral(&v, separator)) {
      return false;
    }
    int hour = 0, minute = 0, second = 0;
    if (!GetNum(&v, &hour) || hour >= 24) return false;
    if (!SkipLiteral(&v, ':') || !GetNum(&v, &minute) || minute >= 60) return false;
    if (!SkipLiteral(&v, ':') || !GetNum(&v, &second) || second >= 60) return false;
    // ".999999999": optional, at most nine digits.
    if (v.size() >= 2 && (v[0] == '.' || v[0] == ',') && IsDigit(v[1])) {
      size_t i = 0;
      while (i < 9 && i + 1 < v.size() && IsDigit(v[i + 1])) ++i;
      v.remove_prefix(1 + i);
    }
    if (separator != ' ') {
      // "Z07:00"
      if (!v.empty() && v[0] == 'Z') {
        v.remove_prefix(1);
      } else {
        if (v.size() < 6 || v[3] != ':') return false;
        if (!GoTimeAtoi(v.substr(1, 2)) || !GoTimeAtoi(v.substr(4, 2))) return false;
        if (v[0] != '+' && v[0] != '-') return false;
        v.remove_prefix(6);
      }
    }
  }
  if (!v.empty()) return false;
  return day >= 1 && day <= DaysIn(month, year);
}

}  // namespace

bool IsYamlTimestamp(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i != 4 || i == text.size() || text[i] != '-') return false;
  for (char sep : {'T', 't', ' ', '\0'}) {
    if (ParsesWithLayout(text, sep)) return true;
  }
  return false;
}

bool DecodeBase64(std::string_view in, std::string* out) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  auto skip_newlines = [&](size_t i) {
    while (i < in.size() && (in[i] == '\n' || in[i] == '\r')) ++i;
    return i;
  };
  out->clear();
  out->reserve(in.size() / 4 * 3);
  std::array<int, 4> q{};
  size_t j = 0;  // symbols of the current quantum
  size_t i = 0;
  for (;;) {
    i = skip_newlines(i);
    if (i == in.size()) return j == 0;  // an unpadded partial quantum is an error
    const char c = in[i++];
    if (c == '=') {
      if (j < 2) return false;
      if (j == 2) {
        // "==" is needed; the first '=' is consumed.
        i = skip_newlines(i);
        if (i == in.size() || in[i] != '=') return false;
        ++i;
      }
      if (skip_newlines(i) != in.size()) return false;  // trailing garbage
      out->push_back(static_cast<char>((q[0] << 2) | (q[1] >> 4)));
      if (j == 3) out->push_back(static_cast<char>(((q[1] & 0xF) << 4) | (q[2] >> 2)));
      return true;
    }
    const int v = value_of(c);
    if (v < 0) return false;
    q[j++] = v;
    if (j == 4) {
      out->push_back(static_cast<char>((q[0] << 2) | (q[1] >> 4)));
      out->push_back(static_cast<char>(((q[1] & 0xF) << 4) | (q[2] >> 2)));
      out->push_back(static_cast<char>(((q[2] & 0x3) << 6) | q[3]));
      j = 0;
    }
  }
}

std::string FormatYamlFloat(double f) { return gostrconv::FormatFloat(f, 'f', -1, 64); }

Result<ScalarValue> ResolveScalar(std::string_view tag, std::string_view text, bool implicit) {
  if (tag.empty() && !implicit) return TextValue();
  const Tag want = ClassifyTag(tag);
  Resolved r;
  if (want == Tag::kNone || want == Tag::kStr || want == Tag::kBool || want == Tag::kInt ||
      want == Tag::kFloat || want == Tag::kNull || want == Tag::kTimestamp) {
    r = Resolve(want, text);
    // An explicit tag must agree with what the text resolved to; an int
    // tagged !!float becomes a float.
    const bool agrees = want == Tag::kNone || want == r.tag || want == Tag::kStr;
    if (!agrees) {
      if (want == Tag::kFloat && r.tag == Tag::kInt && r.value.kind == ScalarValue::Kind::kInt) {
        r = FloatValue(static_cast<double>(r.value.int_value));
      } else {
        std::string shown(text);
        return Err(Status::InvalidArgument("cannot decode " + ShortTag(r.tag) + " `" + shown +
                                           "` as a " + ShortTag(want)));
      }
    }
  } else {
    // Tags go-yaml does not resolve keep the text (!!binary is decoded).
    r = Resolved{want, TextValue()};
  }
  if (r.tag == Tag::kBinary) {
    ScalarValue v;
    v.kind = ScalarValue::Kind::kDecoded;
    if (!DecodeBase64(text, &v.decoded)) {
      return Err(Status::InvalidArgument("!!binary value contains invalid base64 data"));
    }
    return v;
  }
  // Timestamps stay strings when decoded into interface{}.
  return r.value;
}

}  // namespace berth::backend::file
