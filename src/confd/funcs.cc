#include "confd/funcs.h"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

#include "base/gopath.h"
#include "base/gosort.h"
#include "base/gostrconv.h"
#include "base/gounicode.h"
#include "confd/gojson.h"
#include "confd/gotime.h"
#include "confd/memkv.h"
#include "confd/netlookup.h"

namespace berth::confd {
namespace {

using tmpl::Func;
using tmpl::Kind;
using tmpl::Signature;
using tmpl::Type;
using tmpl::Value;
namespace types = tmpl::types;
using Args = std::span<const Value>;

Func Fn(std::vector<const Type*> params, bool variadic, const Type* result, bool err,
        tmpl::NativeFn fn) {
  return Func{Signature{std::move(params), variadic, result, err}, std::move(fn)};
}

Status Error(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

// A substring of a string Value, sharing its storage.
Value Sub(const Value& s, std::string_view part) {
  const std::string_view whole = s.string_value();
  if (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size()) {
    return Value::StringRef(part, s.string_owner());
  }
  return Value::String(std::string(part));  // a static result such as "." or "/"
}

Value StringSlice(std::vector<Value> items) {
  return Value::Slice(types::StringSlice(), std::move(items));
}

Value StringsOf(const std::vector<std::string>& items) {
  std::vector<Value> out;
  out.reserve(items.size());
  for (const auto& s : items) out.push_back(Value::String(s));
  return StringSlice(std::move(out));
}

std::string NumErrorText(std::string_view fn, std::string_view input, gostrconv::NumError e) {
  return "strconv." + std::string(fn) + ": parsing " + gostrconv::Quote(input) + ": " +
         std::string(gostrconv::NumErrorText(e));
}

// ---- strings ----

size_t Count(std::string_view s, std::string_view sep) {
  if (sep.empty()) return gounicode::RuneCount(s) + 1;
  size_t n = 0;
  for (size_t pos = s.find(sep); pos != std::string_view::npos;
       pos = s.find(sep, pos + sep.size())) {
    ++n;
  }
  return n;
}

// strings.Split.
Result<Value> Split(Args a) {
  const Value& sv = a[0];
  std::string_view s = sv.string_value();
  const std::string_view sep = a[1].string_value();
  std::vector<Value> out;
  if (sep.empty()) {
    // One element per UTF-8 sequence (an invalid byte is its own element).
    while (!s.empty()) {
      const int size = gounicode::DecodeRune(s).size;
      out.push_back(Sub(sv, s.substr(0, size)));
      s.remove_prefix(size);
    }
    return StringSlice(std::move(out));
  }
  for (size_t m = s.find(sep); m != std::string_view::npos; m = s.find(sep)) {
    out.push_back(Sub(sv, s.substr(0, m)));
    s.remove_prefix(m + sep.size());
  }
  out.push_back(Sub(sv, s));
  return StringSlice(std::move(out));
}

// strings.Replace.
Result<Value> Replace(Args a) {
  const std::string_view s = a[0].string_value(), old_s = a[1].string_value(),
                         new_s = a[2].string_value();
  int64_t n = a[3].int_value();
  if (old_s == new_s || n == 0) return a[0];
  const auto m = static_cast<int64_t>(Count(s, old_s));
  if (m == 0) return a[0];
  if (n < 0 || m < n) n = m;
  std::string b;
  b.reserve(s.size() + n * new_s.size());
  size_t start = 0;
  for (int64_t i = 0; i < n; ++i) {
    size_t j = start;
    if (old_s.empty()) {
      if (i > 0) j += gounicode::DecodeRune(s.substr(start)).size;
    } else {
      j += s.substr(start).find(old_s);
    }
    b.append(s.substr(start, j - start));
    b.append(new_s);
    start = j + old_s.size();
  }
  b.append(s.substr(start));
  return Value::String(std::move(b));
}

Result<Value> Join(Args a) {
  const Value& elems = a[0];
  const std::string_view sep = a[1].string_value();
  std::string out;
  for (size_t i = 0; i < elems.len(); ++i) {
    if (i > 0) out.append(sep);
    out.append(elems.Index(i).string_value());
  }
  return Value::String(std::move(out));
}

// ---- base64 (encoding/base64 StdEncoding) ----

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Go's StdEncoding.DecodeString: padding required, '\r' and '\n' ignored,
// errors at the offending input offset.
Result<std::string> Base64Decode(std::string_view src) {
  auto corrupt = [](size_t at) {
    return Err(Error("illegal base64 data at input byte " + std::to_string(at)));
  };
  auto newline = [&](size_t i) { return src[i] == '\n' || src[i] == '\r'; };
  std::string out;
  size_t si = 0;
  while (si < src.size()) {
    int dbuf[4] = {0, 0, 0, 0};
    int dlen = 4;
    bool trailing_garbage = false;
    size_t garbage_at = 0;
    for (int j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        return corrupt(si - j);  // an unpadded final quantum
      }
      const auto in = static_cast<unsigned char>(src[si++]);
      const int v = Base64Value(in);
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (in == '\n' || in == '\r') {
        --j;
        continue;
      }
      if (in != '=') return corrupt(si - 1);
      if (j == 0 || j == 1) return corrupt(si - 1);
      if (j == 2) {
        while (si < src.size() && newline(si)) ++si;
        if (si == src.size()) return corrupt(src.size());
        if (src[si] != '=') return corrupt(si - 1);
        ++si;
      }
      while (si < src.size() && newline(si)) ++si;
      if (si < src.size()) {
        trailing_garbage = true;
        garbage_at = si;
      }
      dlen = j;
      break;
    }
    const uint32_t val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    const char bytes[3] = {static_cast<char>(val >> 16), static_cast<char>(val >> 8),
                           static_cast<char>(val)};
    out.append(bytes, dlen - 1);
    if (trailing_garbage) return corrupt(garbage_at);
  }
  return out;
}

// ---- sorting in place (Go's sort.Sort, ties as Go leaves them) ----

void SortByLength(const Value& slice, bool by_key) {
  auto len_of = [&](int64_t i) {
    const Value e = slice.Index(static_cast<size_t>(i));
    return by_key ? e.field(0).string_value().size() : e.string_value().size();
  };
  gosort::Sort(
      static_cast<int64_t>(slice.len()),
      [&](int64_t i, int64_t j) { return len_of(i) < len_of(j); },
      [&](int64_t i, int64_t j) { slice.Swap(static_cast<size_t>(i), static_cast<size_t>(j)); });
}

// ---- ints (Go's int: 64-bit, wrapping) ----

int64_t Wrap(uint64_t u) { return static_cast<int64_t>(u); }

Result<Value> IntOp(Args a, char op) {
  const int64_t x = a[0].int_value(), y = a[1].int_value();
  const auto ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
  switch (op) {
    case '+':
      return Value::Int(Wrap(ux + uy));
    case '-':
      return Value::Int(Wrap(ux - uy));
    case '*':
      return Value::Int(Wrap(ux * uy));
    default:
      break;
  }
  if (y == 0) return Err(Error("runtime error: integer divide by zero"));
  if (x == INT64_MIN && y == -1) return Value::Int(op == '/' ? INT64_MIN : 0);
  return Value::Int(op == '/' ? x / y : x % y);
}

constexpr int64_t kMaxSeq = 10'000'000;

Result<Value> Seq(Args a) {
  const int64_t first = a[0].int_value(), last = a[1].int_value();
  if (first > last) return Value::Nil(types::IntSlice());
  if (static_cast<uint64_t>(last) - static_cast<uint64_t>(first) >= kMaxSeq) {
    return Err(Error("seq: a range of more than " + std::to_string(kMaxSeq) + " numbers"));
  }
  std::vector<Value> items;
  items.reserve(static_cast<size_t>(last - first + 1));
  for (int64_t i = first;; ++i) {
    items.push_back(Value::Int(i));
    if (i == last) break;
  }
  return Value::Slice(types::IntSlice(), std::move(items));
}

Value SrvValue(const SrvRecord& r) {
  std::vector<Value> fields = {Value::String(r.target), Value::OfUint(types::Uint16(), r.port),
                               Value::OfUint(types::Uint16(), r.priority),
                               Value::OfUint(types::Uint16(), r.weight)};
  return Value::Pointer(SrvPtrType(), Value::Struct(SrvType(), std::move(fields)));
}

tmpl::FuncMap BaseFuncs() {
  const Type* str = types::String();
  const Type* strs = types::StringSlice();
  const Type* any = types::Interface();
  const Type* integer = types::Int();
  tmpl::FuncMap f;
  f["base"] = Fn({str}, false, str, false, [](Args a) -> Result<Value> {
    return Sub(a[0], gopath::Base(a[0].string_value()));
  });
  f["dir"] = Fn({str}, false, str, false, [](Args a) -> Result<Value> {
    return Value::String(gopath::Dir(a[0].string_value()));
  });
  f["split"] = Fn({str, str}, false, strs, false, Split);
  f["join"] = Fn({strs, str}, false, str, false, Join);
  f["toUpper"] = Fn({str}, false, str, false, [](Args a) -> Result<Value> {
    return Value::String(gounicode::StringsToUpper(a[0].string_value()));
  });
  f["toLower"] = Fn({str}, false, str, false, [](Args a) -> Result<Value> {
    return Value::String(gounicode::StringsToLower(a[0].string_value()));
  });
  f["contains"] = Fn({str, str}, false, types::Bool(), false, [](Args a) -> Result<Value> {
    return Value::Bool(a[0].string_value().find(a[1].string_value()) != std::string_view::npos);
  });
  f["replace"] = Fn({str, str, str, integer}, false, str, false, Replace);
  f["trimSuffix"] = Fn({str, str}, false, str, false, [](Args a) -> Result<Value> {
    std::string_view s = a[0].string_value();
    if (s.ends_with(a[1].string_value())) s.remove_suffix(a[1].string_value().size());
    return Sub(a[0], s);
  });
  f["json"] = Fn({str}, false, types::InterfaceMap(), true,
                 [](Args a) -> Result<Value> { return UnmarshalJsonObject(a[0].string_value()); });
  f["jsonArray"] = Fn({str}, false, types::InterfaceSlice(), true, [](Args a) -> Result<Value> {
    return UnmarshalJsonArray(a[0].string_value());
  });
  f["map"] = Fn({any}, true, types::InterfaceMap(), true, [](Args a) -> Result<Value> {
    if (a.size() % 2 != 0) return Err(Error("invalid map call"));
    tmpl::MapData m;
    for (size_t i = 0; i < a.size(); i += 2) {
      if (a[i].type() != types::String()) return Err(Error("map keys must be strings"));
      m.insert_or_assign(std::string(a[i].string_value()), a[i + 1]);
    }
    return Value::Map(types::InterfaceMap(), std::move(m));
  });
  f["getenv"] = Fn({str, str}, true, str, false, [](Args a) -> Result<Value> {
    const std::string key(a[0].string_value());
    const char* v = std::getenv(key.c_str());
    if (v == nullptr || *v == '\0') return a.size() > 1 ? a[1] : Value::String("");
    return Value::String(v);
  });
  f["datetime"] =
      Fn({}, false, gotime::TimeType(), false, [](Args) -> Result<Value> { return gotime::Now(); });
  f["lookupIP"] = Fn({str}, false, strs, false, [](Args a) -> Result<Value> {
    auto ips = LookupIp(a[0].string_value());
    if (ips.empty()) return Value::Nil(types::StringSlice());
    return StringsOf(ips);
  });
  auto family = [](bool v4) {
    return [v4](Args a) -> Result<Value> {
      std::vector<std::string> picked;
      for (auto& ip : LookupIp(a[0].string_value())) {
        if (ip.find(v4 ? '.' : ':') != std::string::npos) picked.push_back(std::move(ip));
      }
      if (picked.empty()) return Value::Nil(types::StringSlice());
      return StringsOf(picked);
    };
  };
  f["lookupIPV4"] = Fn({str}, false, strs, false, family(true));
  f["lookupIPV6"] = Fn({str}, false, strs, false, family(false));
  f["lookupSRV"] = Fn({str, str, str}, false, SrvSliceType(), false, [](Args a) -> Result<Value> {
    std::vector<Value> out;
    for (const auto& r : LookupSrv(a[0].string_value(), a[1].string_value(), a[2].string_value())) {
      out.push_back(SrvValue(r));
    }
    return Value::Slice(SrvSliceType(), std::move(out));
  });
  f["fileExists"] = Fn({str}, false, types::Bool(), false, [](Args a) -> Result<Value> {
    const std::string path(a[0].string_value());
    struct stat st;
    // As confd: only "does not exist" is false; any other failure is true.
    return Value::Bool(!(stat(path.c_str(), &st) != 0 && errno == ENOENT));
  });
  f["base64Encode"] = Fn({str}, false, str, false, [](Args a) -> Result<Value> {
    return Value::String(Base64Encode(a[0].string_value()));
  });
  f["base64Decode"] = Fn({str}, false, str, true, [](Args a) -> Result<Value> {
    auto s = Base64Decode(a[0].string_value());
    if (!s) return Err(s.error());
    return Value::String(std::move(*s));
  });
  f["parseBool"] = Fn({str}, false, types::Bool(), true, [](Args a) -> Result<Value> {
    auto b = gostrconv::ParseBool(a[0].string_value());
    if (!b.ok()) return Err(Error(NumErrorText("ParseBool", a[0].string_value(), b.error)));
    return Value::Bool(b.value);
  });
  f["atoi"] = Fn({str}, false, integer, true, [](Args a) -> Result<Value> {
    auto i = gostrconv::Atoi(a[0].string_value());
    if (!i.ok()) return Err(Error(NumErrorText("Atoi", a[0].string_value(), i.error)));
    return Value::Int(i.value);
  });
  f["reverse"] = Fn({any}, false, any, false, [](Args a) -> Result<Value> {
    // In place, and only for exactly []string and []memkv.KVPair (not the
    // named memkv.KVPairs that gets returns).
    const Value& v = a[0];
    if (v.type() == types::StringSlice() || v.type() == KVPairSliceType()) {
      for (size_t i = 0, j = v.len(); i + 1 < j; ++i, --j) v.Swap(i, j - 1);
    }
    return v;
  });
  f["sortByLength"] = Fn({strs}, false, strs, false, [](Args a) -> Result<Value> {
    SortByLength(a[0], false);
    return a[0];
  });
  f["sortKVByLength"] =
      Fn({KVPairSliceType()}, false, KVPairSliceType(), false, [](Args a) -> Result<Value> {
        SortByLength(a[0], true);
        return a[0];
      });
  f["add"] = Fn({integer, integer}, false, integer, false, [](Args a) { return IntOp(a, '+'); });
  f["sub"] = Fn({integer, integer}, false, integer, false, [](Args a) { return IntOp(a, '-'); });
  f["mul"] = Fn({integer, integer}, false, integer, false, [](Args a) { return IntOp(a, '*'); });
  f["div"] = Fn({integer, integer}, false, integer, false, [](Args a) { return IntOp(a, '/'); });
  f["mod"] = Fn({integer, integer}, false, integer, false, [](Args a) { return IntOp(a, '%'); });
  f["seq"] = Fn({integer, integer}, false, types::IntSlice(), false, Seq);
  return f;
}

}  // namespace

const Type* SrvType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kStruct;
    t.name = "net.SRV";
    t.named = true;
    t.fields = {{"Target", types::String(), true},
                {"Port", types::Uint16(), true},
                {"Priority", types::Uint16(), true},
                {"Weight", types::Uint16(), true}};
    return t;
  }();
  return &t;
}

const Type* SrvPtrType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kPointer;
    t.name = "*net.SRV";
    t.elem = SrvType();
    return t;
  }();
  return &t;
}

const Type* SrvSliceType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kSlice;
    t.name = "[]*net.SRV";
    t.elem = SrvPtrType();
    t.comparable = false;
    return t;
  }();
  return &t;
}

tmpl::FuncMap MakeFuncMap(const kv::SnapshotPtr& snapshot) {
  static const tmpl::FuncMap base = BaseFuncs();
  tmpl::FuncMap f = base;
  AddStoreFuncs(snapshot, &f);
  return f;
}

const tmpl::FuncMap& FuncNames() {
  static const tmpl::FuncMap names = MakeFuncMap(kv::Snapshot::Create({}));
  return names;
}

}  // namespace berth::confd
