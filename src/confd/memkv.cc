#include "confd/memkv.h"

#include <string>

namespace berth::confd {
namespace {

using tmpl::Func;
using tmpl::Kind;
using tmpl::Signature;
using tmpl::Type;
using tmpl::Value;
namespace types = tmpl::types;
using Args = std::span<const Value>;

Status KeyNotFound(std::string_view key) {
  return Status::NotFound("key does not exist: " + std::string(key));
}

Status IndexOutOfRange(int64_t i, size_t len) {
  return Status::InvalidArgument("runtime error: index out of range [" + std::to_string(i) +
                                 "] with length " + std::to_string(len));
}

// The element at i of a KVPairs receiver, or an index error as Go panics.
Result<Value> At(const Value& pairs, int64_t i) {
  if (i < 0 || static_cast<size_t>(i) >= pairs.len()) return Err(IndexOutOfRange(i, pairs.len()));
  return pairs.Index(static_cast<size_t>(i));
}

std::vector<tmpl::Method> KVPairsMethods() {
  std::vector<tmpl::Method> m;
  m.push_back({"Len", Func{Signature{{}, false, types::Int(), false}, [](Args a) -> Result<Value> {
                             return Value::Int(static_cast<int64_t>(a[0].len()));
                           }}});
  m.push_back({"Less", Func{Signature{{types::Int(), types::Int()}, false, types::Bool(), false},
                            [](Args a) -> Result<Value> {
                              auto x = At(a[0], a[1].int_value());
                              if (!x) return x;
                              auto y = At(a[0], a[2].int_value());
                              if (!y) return y;
                              return Value::Bool(x->field(0).string_value() <
                                                 y->field(0).string_value());
                            }}});
  // Swap returns nothing, so templates cannot call it (Go refuses it too).
  m.push_back({"Swap", Func{Signature{{types::Int(), types::Int()}, false, nullptr, false},
                            [](Args) -> Result<Value> { return Value(); }}});
  return m;
}

Func Fn(std::vector<const Type*> params, bool variadic, const Type* result, bool err,
        tmpl::NativeFn fn) {
  return Func{Signature{std::move(params), variadic, result, err}, std::move(fn)};
}

// Values handed to a template borrow the snapshot instead of owning a
// reference to it: the functions below hold the snapshot for as long as the
// FuncMap lives, and a FuncMap outlives every execution it serves, while no
// Value outlives its execution.  That spares a reference-count update per
// key, field and string on the render path.
const std::shared_ptr<const void> kBorrowed;

Value StringsValue(const std::vector<std::string_view>& items) {
  std::vector<Value> out;
  out.reserve(items.size());
  for (auto s : items) out.push_back(Value::StringRef(s, kBorrowed));
  return Value::Slice(types::StringSlice(), std::move(out));
}

Value BorrowedKVPair(const kv::Entry& e) { return Value::HostStruct(KVPairType(), &e, kBorrowed); }

}  // namespace

// A KVPair is a kv::Entry of a snapshot, read in place.
Value KVPairField(const void* object, const std::shared_ptr<const void>& owner, size_t i) {
  const auto* e = static_cast<const kv::Entry*>(object);
  return Value::StringRef(i == 0 ? std::string_view(e->key) : std::string_view(e->value), owner);
}

const Type* KVPairType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kStruct;
    t.name = "memkv.KVPair";
    t.named = true;
    t.fields = {{"Key", types::String(), true}, {"Value", types::String(), true}};
    t.field_getter = KVPairField;
    return t;
  }();
  return &t;
}

const Type* KVPairSliceType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kSlice;
    t.name = "[]memkv.KVPair";
    t.elem = KVPairType();
    t.comparable = false;
    return t;
  }();
  return &t;
}

const Type* KVPairsType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kSlice;
    t.name = "memkv.KVPairs";
    t.elem = KVPairType();
    t.underlying = KVPairSliceType();
    t.named = true;
    t.comparable = false;
    t.methods = KVPairsMethods();
    return t;
  }();
  return &t;
}

Value MakeKVPair(const kv::Entry& e, const kv::SnapshotPtr& snapshot) {
  return Value::HostStruct(KVPairType(), &e, snapshot);
}

void AddStoreFuncs(const kv::SnapshotPtr& snapshot, tmpl::FuncMap* funcs) {
  const Type* str = types::String();
  auto& f = *funcs;
  f["exists"] = Fn({str}, false, types::Bool(), false, [snapshot](Args a) -> Result<Value> {
    return Value::Bool(snapshot->Exists(a[0].string_value()));
  });
  f["get"] = Fn({str}, false, KVPairType(), true, [snapshot](Args a) -> Result<Value> {
    const kv::Entry* e = snapshot->Get(a[0].string_value());
    if (e == nullptr) return Err(KeyNotFound(a[0].string_value()));
    return BorrowedKVPair(*e);
  });
  f["gets"] = Fn({str}, false, KVPairsType(), true, [snapshot](Args a) -> Result<Value> {
    auto entries = snapshot->GetAll(a[0].string_value());
    if (!entries) return Err(entries.error());
    std::vector<Value> pairs;
    pairs.reserve(entries->size());
    for (const kv::Entry* e : *entries) pairs.push_back(BorrowedKVPair(*e));
    return Value::Slice(KVPairsType(), std::move(pairs));
  });
  f["getv"] = Fn({str, str}, true, str, true, [snapshot](Args a) -> Result<Value> {
    const kv::Entry* e = snapshot->Get(a[0].string_value());
    if (e != nullptr) return Value::StringRef(e->value, kBorrowed);
    if (a.size() > 1) return a[1];  // the default; further arguments are ignored
    return Err(KeyNotFound(a[0].string_value()));
  });
  f["getvs"] = Fn({str}, false, types::StringSlice(), true, [snapshot](Args a) -> Result<Value> {
    auto values = snapshot->GetAllValues(a[0].string_value());
    if (!values) return Err(values.error());
    return StringsValue(*values);
  });
  f["ls"] = Fn({str}, false, types::StringSlice(), false, [snapshot](Args a) -> Result<Value> {
    return StringsValue(snapshot->List(a[0].string_value()));
  });
  f["lsdir"] = Fn({str}, false, types::StringSlice(), false, [snapshot](Args a) -> Result<Value> {
    return StringsValue(snapshot->ListDir(a[0].string_value()));
  });
}

}  // namespace berth::confd
