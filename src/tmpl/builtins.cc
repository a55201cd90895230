#include "tmpl/builtins.h"

#include <array>
#include <map>

#include "base/gounicode.h"
#include "tmpl/gofmt.h"
#include "tmpl/template.h"

namespace berth::tmpl {
namespace {

using Args = std::span<const Value>;

Status Error(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

// A nil in an interface{}-typed slot is a nil interface value.
Value ElementOf(const Value& v, const Type* elem_type) {
  if (!v.valid() && elem_type != nullptr && elem_type->kind == Kind::kInterface) {
    return Value::NilInterface();
  }
  return v;
}

// Go's indirectInterface: a nil interface{} becomes the invalid value.
Value Concrete(const Value& v) { return v.kind() == Kind::kInterface ? Value() : v; }

std::string Sprintf(std::string_view format, std::initializer_list<Value> args) {
  return GoSprintf(format, std::span<const Value>(args.begin(), args.size()));
}

std::string TypeName(const Value& v) { return v.valid() ? std::string(v.type()->name) : "<nil>"; }

// ---- index, slice, len ----

// indexArg: an index must be an integer in [0, cap].
Result<size_t> IndexArg(const Value& index, size_t cap) {
  int64_t x;
  if (IsSignedIntKind(index.kind())) {
    x = index.int_value();
  } else if (IsUnsignedIntKind(index.kind())) {
    x = static_cast<int64_t>(index.uint_value());
  } else if (!index.valid()) {
    return Err(Error("cannot index slice/array with nil"));
  } else {
    return Err(Error("cannot index slice/array with type " + TypeName(index)));
  }
  if (x < 0 || static_cast<uint64_t>(x) > cap) {
    return Err(Error("index out of range: " + std::to_string(x)));
  }
  return static_cast<size_t>(x);
}

Result<Value> Index(Args args) {
  Value item = Concrete(args[0]);
  if (!item.valid()) return Err(Error("index of untyped nil"));
  for (size_t i = 1; i < args.size(); ++i) {
    const Value index = Concrete(args[i]);
    // Follow pointers; a nil one (or a nil interface{} element reached by a
    // previous index) cannot be indexed.
    while (item.kind() == Kind::kPointer && !item.is_nil()) {
      Value next = item.Elem();
      item = std::move(next);
    }
    if (!item.valid() || item.kind() == Kind::kPointer || item.kind() == Kind::kInterface) {
      return Err(Error("index of nil pointer"));
    }
    switch (item.kind()) {
      case Kind::kSlice:
      case Kind::kString: {
        auto x = IndexArg(index, item.len());
        if (!x) return Err(x.error());
        if (*x >= item.len()) {
          return Err(Error(item.kind() == Kind::kString ? "reflect: string index out of range"
                                                        : "reflect: slice index out of range"));
        }
        // Like Go's, a slice element stays addressable (it aliases the array).
        item = item.kind() == Kind::kString ? item.Index(*x) : item.Slot(*x);
        break;
      }
      case Kind::kMap: {
        if (!index.valid()) return Err(Error("value is nil; should be of type string"));
        if (index.kind() != Kind::kString) {
          return Err(Error("value has type " + TypeName(index) + "; should be string"));
        }
        const Value* found = item.MapFind(index.string_value());
        item = found ? ElementOf(*found, item.type()->elem) : ZeroValue(item.type()->elem);
        break;
      }
      default:
        return Err(Error("can't index item of type " + TypeName(item)));
    }
  }
  return item;
}

Result<Value> Slice(Args args) {
  const Value item = Concrete(args[0]);
  if (!item.valid()) return Err(Error("slice of untyped nil"));
  const size_t nindex = args.size() - 1;
  if (nindex > 3) return Err(Error("too many slice indexes: " + std::to_string(nindex)));
  size_t cap;
  switch (item.kind()) {
    case Kind::kString:
      if (nindex == 3) return Err(Error("cannot 3-index slice a string"));
      cap = item.len();
      break;
    case Kind::kSlice:
      cap = item.cap();
      break;
    default:
      return Err(Error("can't slice item of type " + TypeName(item)));
  }
  std::array<size_t, 3> idx = {0, item.len(), 0};
  for (size_t i = 0; i < nindex; ++i) {
    auto x = IndexArg(args[i + 1], cap);
    if (!x) return Err(x.error());
    idx[i] = *x;
  }
  if (idx[0] > idx[1]) {
    return Err(
        Error("invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1])));
  }
  if (nindex < 3) {
    return item.Subslice(idx[0], idx[1], item.kind() == Kind::kString ? idx[1] : cap);
  }
  if (idx[1] > idx[2]) {
    return Err(
        Error("invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2])));
  }
  return item.Subslice(idx[0], idx[1], idx[2]);
}

Result<Value> Len(Args args) {
  if (args[0].kind() == Kind::kInterface) return Err(Error("len of nil pointer"));
  Value item = args[0];
  while (item.kind() == Kind::kPointer) {
    if (item.is_nil()) return Err(Error("len of nil pointer"));
    Value next = item.Elem();
    item = std::move(next);
  }
  switch (item.kind()) {
    case Kind::kString:
    case Kind::kSlice:
    case Kind::kMap:
      return Value::Int(static_cast<int64_t>(item.len()));
    case Kind::kInvalid:
      // Go asks the invalid value for its type and panics; safeCall reports it.
      return Err(Error("reflect: call of reflect.Value.Type on zero Value"));
    default:
      return Err(Error("len of type " + TypeName(item)));
  }
}

Result<Value> Call(Args args) {
  if (!Concrete(args[0]).valid()) return Err(Error("call of nil"));
  // No function values exist in confd's world.
  return Err(Error("non-function of type " + TypeName(args[0])));
}

// ---- logic ----

Result<Value> Not(Args args) { return Value::Bool(!IsTrue(args[0]).truth); }

Result<Value> Unreachable(Args) { return Err(Error("unreachable")); }

// ---- comparison ----

enum class BasicKind { kInvalid, kBool, kComplex, kInt, kFloat, kString, kUint };

BasicKind BasicKindOf(const Value& v) {
  const Kind k = v.kind();
  if (k == Kind::kBool) return BasicKind::kBool;
  if (IsSignedIntKind(k)) return BasicKind::kInt;
  if (IsUnsignedIntKind(k)) return BasicKind::kUint;
  if (k == Kind::kFloat64) return BasicKind::kFloat;
  if (k == Kind::kComplex128) return BasicKind::kComplex;
  if (k == Kind::kString) return BasicKind::kString;
  return BasicKind::kInvalid;
}

constexpr std::string_view kBadComparisonType = "invalid type for comparison";
constexpr std::string_view kBadComparison = "incompatible types for comparison";
constexpr std::string_view kNoComparison = "missing argument for comparison";

bool IsNilValue(const Value& v) {
  if (!v.valid()) return true;
  switch (v.kind()) {
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kPointer:
      return v.is_nil();
    default:
      return false;
  }
}

// Go's == on two interface values of comparable types.
bool InterfaceEqual(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.kind()) {
    case Kind::kBool:
      return a.bool_value() == b.bool_value();
    case Kind::kInt:
    case Kind::kInt32:
    case Kind::kInt64:
      return a.int_value() == b.int_value();
    case Kind::kUint8:
    case Kind::kUint16:
    case Kind::kUint32:
    case Kind::kUint64:
      return a.uint_value() == b.uint_value();
    case Kind::kFloat64:
      return a.float_value() == b.float_value();
    case Kind::kComplex128:
      return a.complex_value() == b.complex_value();
    case Kind::kString:
      return a.string_value() == b.string_value();
    case Kind::kStruct:
      if (a.type()->fields.empty()) return a.storage_identity() == b.storage_identity();
      for (size_t i = 0; i < a.num_fields(); ++i) {
        if (!InterfaceEqual(a.field(i), b.field(i))) return false;
      }
      return true;
    default:
      return a.storage_identity() == b.storage_identity();
  }
}

Result<bool> Equal(const Value& arg1, const Value& arg) {
  const BasicKind k1 = BasicKindOf(arg1), k2 = BasicKindOf(arg);
  if (k1 != k2) {
    // Integers compare across signedness.
    if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
      return arg1.int_value() >= 0 && static_cast<uint64_t>(arg1.int_value()) == arg.uint_value();
    }
    if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
      return arg.int_value() >= 0 && arg1.uint_value() == static_cast<uint64_t>(arg.int_value());
    }
    if (arg1.valid() && arg.valid()) return Err(Error(std::string(kBadComparison)));
    return false;
  }
  switch (k1) {
    case BasicKind::kBool:
      return arg1.bool_value() == arg.bool_value();
    case BasicKind::kComplex:
      return arg1.complex_value() == arg.complex_value();
    case BasicKind::kFloat:
      return arg1.float_value() == arg.float_value();
    case BasicKind::kInt:
      return arg1.int_value() == arg.int_value();
    case BasicKind::kString:
      return arg1.string_value() == arg.string_value();
    case BasicKind::kUint:
      return arg1.uint_value() == arg.uint_value();
    case BasicKind::kInvalid:
      break;
  }
  if (arg1.kind() != arg.kind() && arg1.valid() && arg.valid()) {
    return Err(
        Error(Sprintf("non-comparable types %s: %v, %s: %v",
                      {arg1, Value::String(TypeName(arg1)), Value::String(TypeName(arg)), arg})));
  }
  if (IsNilValue(arg1) || IsNilValue(arg)) return IsNilValue(arg) == IsNilValue(arg1);
  if (!arg.type()->comparable) {
    return Err(Error(Sprintf("non-comparable type %s: %v", {arg, Value::String(TypeName(arg))})));
  }
  return InterfaceEqual(arg1, arg);
}

Result<Value> Eq(Args args) {
  if (args.size() < 2) return Err(Error(std::string(kNoComparison)));
  const Value first = Concrete(args[0]);
  for (size_t i = 1; i < args.size(); ++i) {
    auto eq = Equal(first, Concrete(args[i]));
    if (!eq) return Err(eq.error());
    if (*eq) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Result<Value> Ne(Args args) {
  auto eq = Equal(Concrete(args[0]), Concrete(args[1]));
  if (!eq) return Err(eq.error());
  return Value::Bool(!*eq);
}

Result<bool> Less(const Value& arg1, const Value& arg2) {
  const BasicKind k1 = BasicKindOf(arg1);
  if (k1 == BasicKind::kInvalid) return Err(Error(std::string(kBadComparisonType)));
  const BasicKind k2 = BasicKindOf(arg2);
  if (k2 == BasicKind::kInvalid) return Err(Error(std::string(kBadComparisonType)));
  if (k1 != k2) {
    if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
      return arg1.int_value() < 0 || static_cast<uint64_t>(arg1.int_value()) < arg2.uint_value();
    }
    if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
      return arg2.int_value() >= 0 && arg1.uint_value() < static_cast<uint64_t>(arg2.int_value());
    }
    return Err(Error(std::string(kBadComparison)));
  }
  switch (k1) {
    case BasicKind::kBool:
    case BasicKind::kComplex:
      return Err(Error(std::string(kBadComparisonType)));
    case BasicKind::kFloat:
      return arg1.float_value() < arg2.float_value();
    case BasicKind::kInt:
      return arg1.int_value() < arg2.int_value();
    case BasicKind::kString:
      return arg1.string_value() < arg2.string_value();
    case BasicKind::kUint:
      return arg1.uint_value() < arg2.uint_value();
    case BasicKind::kInvalid:
      break;
  }
  return Err(Error("invalid kind"));
}

Result<bool> LessOrEqual(const Value& a, const Value& b) {
  auto lt = Less(a, b);
  if (!lt || *lt) return lt;
  return Equal(a, b);
}

Result<Value> Lt(Args args) {
  auto r = Less(Concrete(args[0]), Concrete(args[1]));
  if (!r) return Err(r.error());
  return Value::Bool(*r);
}
Result<Value> Le(Args args) {
  auto r = LessOrEqual(Concrete(args[0]), Concrete(args[1]));
  if (!r) return Err(r.error());
  return Value::Bool(*r);
}
Result<Value> Gt(Args args) {
  auto r = LessOrEqual(Concrete(args[0]), Concrete(args[1]));
  if (!r) return Err(r.error());
  return Value::Bool(!*r);
}
Result<Value> Ge(Args args) {
  auto r = Less(Concrete(args[0]), Concrete(args[1]));
  if (!r) return Err(r.error());
  return Value::Bool(!*r);
}

// ---- printing and escaping ----

Result<Value> Print(Args args) { return Value::String(GoSprint(args)); }
Result<Value> Println(Args args) { return Value::String(GoSprintln(args)); }
Result<Value> Printf(Args args) {
  return Value::String(GoSprintf(args[0].string_value(), args.subspan(1)));
}

// evalArgs: one string argument as is; otherwise fmt.Sprint of the arguments
// made printable as the executor prints them (pointers followed, missing
// values as "<no value>").
std::string EvalArgs(Args args) {
  if (args.size() == 1 && args[0].kind() == Kind::kString && args[0].type() == types::String()) {
    return std::string(args[0].string_value());
  }
  std::vector<Value> printable;
  printable.reserve(args.size());
  for (const Value& a : args) printable.push_back(PrintableValue(a));
  return GoSprint(printable);
}

Result<Value> Html(Args args) { return Value::String(HTMLEscapeString(EvalArgs(args))); }
Result<Value> Js(Args args) { return Value::String(JSEscapeString(EvalArgs(args))); }
Result<Value> UrlQuery(Args args) { return Value::String(URLQueryEscape(EvalArgs(args))); }

struct BuiltinTable {
  std::map<std::string, Func, std::less<>> funcs;
  BuiltinTable() {
    const Type* rv = types::ReflectValue();
    const Type* any = types::Interface();
    auto add = [this](std::string name, std::vector<const Type*> params, bool variadic,
                      const Type* result, bool err, NativeFn fn) {
      funcs.emplace(std::move(name),
                    Func{Signature{std::move(params), variadic, result, err}, std::move(fn)});
    };
    add("and", {rv, rv}, true, rv, false, Unreachable);
    add("or", {rv, rv}, true, rv, false, Unreachable);
    add("call", {rv, rv}, true, rv, true, Call);
    add("html", {any}, true, types::String(), false, Html);
    add("index", {rv, rv}, true, rv, true, Index);
    add("slice", {rv, rv}, true, rv, true, Slice);
    add("js", {any}, true, types::String(), false, Js);
    add("len", {rv}, false, types::Int(), true, Len);
    add("not", {rv}, false, types::Bool(), false, Not);
    add("print", {any}, true, types::String(), false, Print);
    add("printf", {types::String(), any}, true, types::String(), false, Printf);
    add("println", {any}, true, types::String(), false, Println);
    add("urlquery", {any}, true, types::String(), false, UrlQuery);
    add("eq", {rv, rv}, true, types::Bool(), true, Eq);
    add("ge", {rv, rv}, false, types::Bool(), true, Ge);
    add("gt", {rv, rv}, false, types::Bool(), true, Gt);
    add("le", {rv, rv}, false, types::Bool(), true, Le);
    add("lt", {rv, rv}, false, types::Bool(), true, Lt);
    add("ne", {rv, rv}, false, types::Bool(), true, Ne);
  }
};

const BuiltinTable& Builtins() {
  static const BuiltinTable table;
  return table;
}

}  // namespace

const Func* FindBuiltin(std::string_view name) {
  const auto& funcs = Builtins().funcs;
  auto it = funcs.find(name);
  return it == funcs.end() ? nullptr : &it->second;
}

bool IsBuiltinFunction(std::string_view name) { return FindBuiltin(name) != nullptr; }

std::string HTMLEscapeString(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\0':
        out += "\xEF\xBF\xBD";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string JSEscapeString(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\':
          out += "\\\\";
          continue;
        case '\'':
          out += "\\'";
          continue;
        case '"':
          out += "\\\"";
          continue;
        case '<':
          out += "\\u003C";
          continue;
        case '>':
          out += "\\u003E";
          continue;
        case '&':
          out += "\\u0026";
          continue;
        case '=':
          out += "\\u003D";
          continue;
        default:
          if (c < ' ') {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
          continue;
      }
    }
    // A multi-byte rune: printable ones (and invalid bytes, which decode to
    // the printable U+FFFD) are copied, others written as \uXXXX.
    auto d = gounicode::DecodeRune(s.substr(i));
    if (gounicode::IsPrint(d.rune)) {
      out.append(s.substr(i, d.size));
    } else {
      Value arg[] = {Value::OfInt(types::Int32(), d.rune)};
      out += GoSprintf("\\u%04X", arg);
    }
    i += d.size - 1;
  }
  return out;
}

std::string URLQueryEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

Value PrintableValue(const Value& v) {
  if (!v.valid() || v.kind() == Kind::kInterface) return Value::String("<no value>");
  if (v.kind() != Kind::kPointer || v.is_nil()) return v;
  Value elem = v.Elem();
  while (elem.kind() == Kind::kPointer && !elem.is_nil()) {
    Value next = elem.Elem();
    elem = std::move(next);
  }
  if (elem.type()->stringer == nullptr && v.type()->stringer != nullptr) return v;
  return elem;
}

Value ZeroValue(const Type* t) {
  switch (t->kind) {
    case Kind::kBool:
      return Value::OfBool(t, false);
    case Kind::kInt:
    case Kind::kInt32:
    case Kind::kInt64:
      return Value::OfInt(t, 0);
    case Kind::kUint8:
    case Kind::kUint16:
    case Kind::kUint32:
    case Kind::kUint64:
      return Value::OfUint(t, 0);
    case Kind::kFloat64:
      return Value::OfFloat(t, 0);
    case Kind::kComplex128:
      return Value::Complex(0);
    case Kind::kString:
      return Value::OfString(t, "");
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kPointer:
      return Value::Nil(t);
    case Kind::kStruct: {
      std::vector<Value> fields;
      for (const auto& f : t->fields) fields.push_back(ZeroValue(f.type));
      return Value::Struct(t, std::move(fields));
    }
    case Kind::kInterface:
    case Kind::kInvalid:
      break;
  }
  return Value();
}

}  // namespace berth::tmpl
