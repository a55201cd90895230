#include "confd/gojson.h"

#include <string>

#include "base/gostrconv.h"
#include "base/gounicode.h"

namespace berth::confd {
namespace {

using tmpl::Value;
namespace types = tmpl::types;

constexpr int kMaxDepth = 10000;  // Go's scanner limit

// Go's quoteChar for syntax errors.
std::string QuoteChar(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  std::string q = gostrconv::Quote(std::string(1, static_cast<char>(c)));
  return "'" + q.substr(1, q.size() - 2) + "'";
}

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  // Parses one complete JSON text.  Values are built while parsing; a
  // syntax error anywhere wins, as Go validates before decoding.
  Result<Value> ParseAll() {
    SkipSpace();
    Value v = ParseValue(0);
    if (!error_.empty()) return Err(Status::InvalidArgument(error_));
    SkipSpace();
    if (pos_ < in_.size()) {
      return Err(Status::InvalidArgument("invalid character " + QuoteChar(in_[pos_]) +
                                         " after top-level value"));
    }
    if (!type_error_.empty()) return Err(Status::InvalidArgument(type_error_));
    return v;
  }

 private:
  bool Failed() const { return !error_.empty(); }

  void Fail(std::string_view context) {
    if (Failed()) return;
    if (pos_ >= in_.size()) {
      error_ = "unexpected end of JSON input";
    } else {
      error_ = "invalid character " + QuoteChar(in_[pos_]) + " " + std::string(context);
    }
  }

  void SkipSpace() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Value ParseValue(int depth) {
    if (pos_ >= in_.size()) {
      Fail("");
      return Value();
    }
    switch (in_[pos_]) {
      case '{':
        return ParseObject(depth + 1);
      case '[':
        return ParseArray(depth + 1);
      case '"': {
        std::string s;
        if (!ParseString(&s)) return Value();
        return Value::String(std::move(s));
      }
      case 't':
        return ParseLiteral("true", Value::Bool(true));
      case 'f':
        return ParseLiteral("false", Value::Bool(false));
      case 'n':
        return ParseLiteral("null", Value());
      default:
        if (in_[pos_] == '-' || (in_[pos_] >= '0' && in_[pos_] <= '9')) return ParseNumber();
        Fail("looking for beginning of value");
        return Value();
    }
  }

  Value ParseLiteral(std::string_view word, Value v) {
    for (size_t i = 0; i < word.size(); ++i, ++pos_) {
      if (pos_ >= in_.size() || in_[pos_] != word[i]) {
        Fail("in literal " + std::string(word) + " (expecting '" + std::string(1, word[i]) + "')");
        return Value();
      }
    }
    return v;
  }

  Value ParseNumber() {
    const size_t start = pos_;
    auto digit = [&] { return pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9'; };
    if (in_[pos_] == '-') {
      ++pos_;
      if (!digit()) {
        Fail("in numeric literal");
        return Value();
      }
    }
    if (in_[pos_] == '0') {
      ++pos_;
    } else {
      while (digit()) ++pos_;
    }
    if (pos_ < in_.size() && in_[pos_] == '.') {
      ++pos_;
      if (!digit()) {
        Fail("after decimal point in numeric literal");
        return Value();
      }
      while (digit()) ++pos_;
    }
    if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
      if (!digit()) {
        Fail("in exponent of numeric literal");
        return Value();
      }
      while (digit()) ++pos_;
    }
    const std::string_view text = in_.substr(start, pos_ - start);
    auto f = gostrconv::ParseFloat(text);
    if (!f.ok()) {
      if (type_error_.empty()) {
        type_error_ =
            "json: cannot unmarshal number " + std::string(text) + " into Go value of type float64";
      }
      return Value();
    }
    return Value::Float(f.value);
  }

  // Reads 4 hex digits of a \u escape; -1 when they are not there.
  int32_t Hex4() {
    int32_t r = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      if (pos_ >= in_.size()) return -1;
      const char c = in_[pos_];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return -1;
      }
      r = r * 16 + d;
    }
    return r;
  }

  bool ParseString(std::string* out) {
    ++pos_;  // the opening quote
    while (true) {
      if (pos_ >= in_.size()) {
        Fail("");
        return false;
      }
      const auto c = static_cast<unsigned char>(in_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        Fail("in string literal");
        return false;
      }
      if (c == '\\') {
        ++pos_;
        if (pos_ >= in_.size()) {
          Fail("");
          return false;
        }
        const char e = in_[pos_];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out->push_back(e);
            ++pos_;
            break;
          case 'b':
            out->push_back('\b');
            ++pos_;
            break;
          case 'f':
            out->push_back('\f');
            ++pos_;
            break;
          case 'n':
            out->push_back('\n');
            ++pos_;
            break;
          case 'r':
            out->push_back('\r');
            ++pos_;
            break;
          case 't':
            out->push_back('\t');
            ++pos_;
            break;
          case 'u': {
            ++pos_;
            const size_t at = pos_;
            int32_t r = Hex4();
            if (r < 0) {
              pos_ = at;
              while (pos_ < in_.size() && std::isxdigit(static_cast<unsigned char>(in_[pos_]))) {
                ++pos_;
              }
              Fail("in \\u hexadecimal character escape");
              return false;
            }
            if (r >= 0xD800 && r < 0xE000) {
              // A surrogate: combine with a following low surrogate, else U+FFFD.
              int32_t combined = gounicode::kRuneError;
              if (r < 0xDC00 && pos_ + 1 < in_.size() && in_[pos_] == '\\' &&
                  in_[pos_ + 1] == 'u') {
                const size_t save = pos_;
                pos_ += 2;
                const int32_t r2 = Hex4();
                if (r2 >= 0xDC00 && r2 < 0xE000) {
                  combined = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
                } else {
                  pos_ = save;  // not a pair: the next escape stands on its own
                }
              }
              r = combined;
            }
            gounicode::AppendRune(out, r);
            break;
          }
          default:
            Fail("in string escape code");
            return false;
        }
        continue;
      }
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      const auto d = gounicode::DecodeRune(in_.substr(pos_));
      if (d.rune == gounicode::kRuneError && d.size == 1) {
        gounicode::AppendRune(out, gounicode::kRuneError);
      } else {
        out->append(in_.substr(pos_, d.size));
      }
      pos_ += d.size;
    }
  }

  Value ParseObject(int depth) {
    if (depth > kMaxDepth) {
      Fail("exceeded max depth");
      return Value();
    }
    ++pos_;
    tmpl::MapData m;
    SkipSpace();
    if (pos_ < in_.size() && in_[pos_] == '}') {
      ++pos_;
      return Value::Map(types::InterfaceMap(), std::move(m));
    }
    while (true) {
      SkipSpace();
      if (pos_ >= in_.size() || in_[pos_] != '"') {
        Fail("looking for beginning of object key string");
        return Value();
      }
      std::string key;
      if (!ParseString(&key)) return Value();
      SkipSpace();
      if (pos_ >= in_.size() || in_[pos_] != ':') {
        Fail("after object key");
        return Value();
      }
      ++pos_;
      SkipSpace();
      Value v = ParseValue(depth);
      if (Failed()) return Value();
      m.insert_or_assign(std::move(key), std::move(v));
      SkipSpace();
      if (pos_ < in_.size() && in_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < in_.size() && in_[pos_] == '}') {
        ++pos_;
        return Value::Map(types::InterfaceMap(), std::move(m));
      }
      Fail("after object key:value pair");
      return Value();
    }
  }

  Value ParseArray(int depth) {
    if (depth > kMaxDepth) {
      Fail("exceeded max depth");
      return Value();
    }
    ++pos_;
    std::vector<Value> items;
    SkipSpace();
    if (pos_ < in_.size() && in_[pos_] == ']') {
      ++pos_;
      return Value::Slice(types::InterfaceSlice(), std::move(items));
    }
    while (true) {
      SkipSpace();
      items.push_back(ParseValue(depth));
      if (Failed()) return Value();
      SkipSpace();
      if (pos_ < in_.size() && in_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < in_.size() && in_[pos_] == ']') {
        ++pos_;
        return Value::Slice(types::InterfaceSlice(), std::move(items));
      }
      Fail("after array element");
      return Value();
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;       // the first syntax error
  std::string type_error_;  // the first value that does not fit (a number out of range)
};

std::string_view KindOf(const Value& v) {
  switch (v.kind()) {
    case tmpl::Kind::kMap:
      return "object";
    case tmpl::Kind::kSlice:
      return "array";
    case tmpl::Kind::kString:
      return "string";
    case tmpl::Kind::kBool:
      return "bool";
    default:
      return "number";
  }
}

Result<Value> Unmarshal(std::string_view data, const tmpl::Type* want, tmpl::Kind kind) {
  auto v = Decoder(data).ParseAll();
  if (!v) return v;
  if (!v->valid()) return Value::Nil(want);  // null leaves the target nil
  if (v->kind() != kind) {
    return Err(Status::InvalidArgument("json: cannot unmarshal " + std::string(KindOf(*v)) +
                                       " into Go value of type " + std::string(want->name)));
  }
  return v;
}

}  // namespace

Result<Value> UnmarshalJsonObject(std::string_view data) {
  return Unmarshal(data, types::InterfaceMap(), tmpl::Kind::kMap);
}

Result<Value> UnmarshalJsonArray(std::string_view data) {
  return Unmarshal(data, types::InterfaceSlice(), tmpl::Kind::kSlice);
}

}  // namespace berth::confd
