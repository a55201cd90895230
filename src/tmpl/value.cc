#include "tmpl/value.h"

#include <algorithm>
#include <cassert>

namespace berth::tmpl {

bool IsSignedIntKind(Kind k) { return k == Kind::kInt || k == Kind::kInt32 || k == Kind::kInt64; }

bool IsUnsignedIntKind(Kind k) {
  return k == Kind::kUint8 || k == Kind::kUint16 || k == Kind::kUint32 || k == Kind::kUint64;
}

const Method* Type::FindMethod(std::string_view method_name) const {
  auto it = std::lower_bound(methods.begin(), methods.end(), method_name,
                             [](const Method& m, std::string_view n) { return m.name < n; });
  if (it != methods.end() && it->name == method_name) return &*it;
  return nullptr;
}

bool AssignableTo(const Type* from, const Type* to) {
  if (from == to) return true;
  if (to->kind == Kind::kInterface) return to != types::ReflectValue();
  // Identical underlying types where at least one side is unnamed.
  if (from->named && to->named) return false;
  return from->Underlying() == to->Underlying();
}

namespace types {
namespace {
Type MakeScalar(Kind k, std::string_view name) {
  Type t;
  t.kind = k;
  t.name = name;
  t.named = true;
  return t;
}
Type MakeComposite(Kind k, std::string_view name, const Type* elem, const Type* key = nullptr) {
  Type t;
  t.kind = k;
  t.name = name;
  t.elem = elem;
  t.key = key;
  t.comparable = false;
  return t;
}
}  // namespace

#define BERTH_SCALAR_TYPE(fn, kind, name)         \
  const Type* fn() {                              \
    static const Type t = MakeScalar(kind, name); \
    return &t;                                    \
  }
BERTH_SCALAR_TYPE(Bool, Kind::kBool, "bool")
BERTH_SCALAR_TYPE(Int, Kind::kInt, "int")
BERTH_SCALAR_TYPE(Int32, Kind::kInt32, "int32")
BERTH_SCALAR_TYPE(Int64, Kind::kInt64, "int64")
BERTH_SCALAR_TYPE(Uint8, Kind::kUint8, "uint8")
BERTH_SCALAR_TYPE(Uint16, Kind::kUint16, "uint16")
BERTH_SCALAR_TYPE(Uint32, Kind::kUint32, "uint32")
BERTH_SCALAR_TYPE(Uint64, Kind::kUint64, "uint64")
BERTH_SCALAR_TYPE(Float64, Kind::kFloat64, "float64")
BERTH_SCALAR_TYPE(Complex128, Kind::kComplex128, "complex128")
BERTH_SCALAR_TYPE(String, Kind::kString, "string")
#undef BERTH_SCALAR_TYPE

const Type* Interface() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kInterface;
    t.name = "interface {}";
    return t;
  }();
  return &t;
}

const Type* ReflectValue() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kInterface;
    t.name = "reflect.Value";
    t.named = true;
    return t;
  }();
  return &t;
}

const Type* StringSlice() {
  static const Type t = MakeComposite(Kind::kSlice, "[]string", String());
  return &t;
}
const Type* IntSlice() {
  static const Type t = MakeComposite(Kind::kSlice, "[]int", Int());
  return &t;
}
const Type* InterfaceSlice() {
  static const Type t = MakeComposite(Kind::kSlice, "[]interface {}", Interface());
  return &t;
}
const Type* StringMap() {
  static const Type t = MakeComposite(Kind::kMap, "map[string]string", String(), String());
  return &t;
}
const Type* InterfaceMap() {
  static const Type t = MakeComposite(Kind::kMap, "map[string]interface {}", Interface(), String());
  return &t;
}
}  // namespace types

Value Value::Bool(bool b) { return Value(types::Bool(), Rep(std::in_place_index<kBoolRep>, b)); }
Value Value::Int(int64_t i) { return Value(types::Int(), Rep(std::in_place_index<kIntRep>, i)); }
Value Value::Float(double f) {
  return Value(types::Float64(), Rep(std::in_place_index<kFloatRep>, f));
}
Value Value::Complex(std::complex<double> c) {
  return Value(types::Complex128(), Rep(std::in_place_index<kComplexRep>,
                                        std::make_shared<const std::complex<double>>(c)));
}
Value Value::OfInt(const Type* t, int64_t i) {
  assert(IsSignedIntKind(t->kind));
  return Value(t, Rep(std::in_place_index<kIntRep>, i));
}
Value Value::OfUint(const Type* t, uint64_t u) {
  assert(IsUnsignedIntKind(t->kind));
  return Value(t, Rep(std::in_place_index<kUintRep>, u));
}
Value Value::OfFloat(const Type* t, double f) {
  assert(t->kind == Kind::kFloat64);
  return Value(t, Rep(std::in_place_index<kFloatRep>, f));
}
Value Value::OfBool(const Type* t, bool b) {
  assert(t->kind == Kind::kBool);
  return Value(t, Rep(std::in_place_index<kBoolRep>, b));
}

Value Value::String(std::string s) { return OfString(types::String(), std::move(s)); }

Value Value::OfString(const Type* t, std::string s) {
  auto owner = std::make_shared<const std::string>(std::move(s));
  std::string_view view(*owner);
  return Value(t, Rep(std::in_place_index<kStringRep>, StringRep{view, std::move(owner)}));
}

Value Value::StringRef(std::string_view s, std::shared_ptr<const void> owner) {
  return Value(types::String(),
               Rep(std::in_place_index<kStringRep>, StringRep{s, std::move(owner)}));
}

Value Value::Slice(const Type* t, std::vector<Value> items) {
  assert(t->Underlying()->kind == Kind::kSlice);
  SliceRep rep;
  rep.length = rep.capacity = static_cast<uint32_t>(items.size());
  rep.array = std::make_shared<std::vector<Value>>(std::move(items));
  return Value(t, Rep(std::in_place_index<kSliceRep>, std::move(rep)));
}

Value Value::Map(const Type* t, MapData entries) {
  assert(t->kind == Kind::kMap);
  return Value(
      t, Rep(std::in_place_index<kMapRep>, std::make_shared<const MapData>(std::move(entries))));
}

Value Value::Struct(const Type* t, std::vector<Value> fields) {
  assert(t->kind == Kind::kStruct);
  return Value(t, Rep(std::in_place_index<kStructRep>,
                      std::make_shared<const std::vector<Value>>(std::move(fields))));
}

Value Value::Pointer(const Type* t, Value pointee) {
  assert(t->kind == Kind::kPointer);
  return Value(
      t, Rep(std::in_place_index<kPointerRep>, std::make_shared<const Value>(std::move(pointee))));
}

Value Value::Nil(const Type* t) {
  switch (t->Underlying()->kind) {
    case Kind::kSlice:
      return Value(t, Rep(std::in_place_index<kSliceRep>, SliceRep{}));
    case Kind::kMap:
      return Value(t, Rep(std::in_place_index<kMapRep>, nullptr));
    case Kind::kPointer:
      return Value(t, Rep(std::in_place_index<kPointerRep>, nullptr));
    default:
      assert(false && "Nil of a type that cannot be nil");
      return Value();
  }
}

Value Value::Slot(size_t i) const {
  const Value& self = Resolved();
  const auto& sl = std::get<kSliceRep>(self.rep_);
  assert(i < sl.length);
  return Value(self.type_->Underlying()->elem,
               Rep(std::in_place_index<kSlotRep>, SlotRep{sl.array, sl.offset + i}));
}

const Value& Value::ResolveSlot() const {
  const auto& slot = std::get<kSlotRep>(rep_);
  const Value& v = (*slot.array)[slot.index];
  // A nil in an interface{}-typed slot is a nil interface value.
  if (v.type_ == nullptr && type_ != nullptr && type_->kind == Kind::kInterface) {
    static const Value kNilInterface = NilInterface();
    return kNilInterface;
  }
  return v.Resolved();
}

Value Value::NilInterface() { return Value(types::Interface(), Rep()); }

Value Value::Opaque(const Type* t, std::shared_ptr<const void> data) {
  const void* object = data.get();
  return Value(t, Rep(std::in_place_index<kHostRep>, HostRep{object, std::move(data)}));
}

Value Value::HostStruct(const Type* t, const void* object, std::shared_ptr<const void> owner) {
  assert(t->kind == Kind::kStruct && t->field_getter != nullptr);
  return Value(t, Rep(std::in_place_index<kHostRep>, HostRep{object, std::move(owner)}));
}

bool Value::bool_value() const { return std::get<kBoolRep>(Resolved().rep_); }
int64_t Value::int_value() const { return std::get<kIntRep>(Resolved().rep_); }
uint64_t Value::uint_value() const { return std::get<kUintRep>(Resolved().rep_); }
double Value::float_value() const { return std::get<kFloatRep>(Resolved().rep_); }
std::complex<double> Value::complex_value() const {
  return *std::get<kComplexRep>(Resolved().rep_);
}
std::string_view Value::string_value() const { return std::get<kStringRep>(Resolved().rep_).view; }
const std::shared_ptr<const void>& Value::string_owner() const {
  return std::get<kStringRep>(Resolved().rep_).owner;
}

bool Value::is_nil() const {
  switch (Resolved().rep_.index()) {
    case kSliceRep:
      return std::get<kSliceRep>(Resolved().rep_).array == nullptr;
    case kMapRep:
      return std::get<kMapRep>(Resolved().rep_) == nullptr;
    case kPointerRep:
      return std::get<kPointerRep>(Resolved().rep_) == nullptr;
    default:
      return false;
  }
}

size_t Value::len() const {
  switch (Resolved().rep_.index()) {
    case kStringRep:
      return std::get<kStringRep>(Resolved().rep_).view.size();
    case kSliceRep:
      return std::get<kSliceRep>(Resolved().rep_).length;
    case kMapRep: {
      const auto& m = std::get<kMapRep>(Resolved().rep_);
      return m ? m->size() : 0;
    }
    default:
      assert(false && "len of a value without length");
      return 0;
  }
}

size_t Value::cap() const { return std::get<kSliceRep>(Resolved().rep_).capacity; }

Value Value::Index(size_t i) const {
  if (Resolved().rep_.index() == kStringRep) {
    const auto& s = std::get<kStringRep>(Resolved().rep_).view;
    return OfUint(types::Uint8(), static_cast<unsigned char>(s[i]));
  }
  const auto& s = std::get<kSliceRep>(Resolved().rep_);
  assert(i < s.length);
  return (*s.array)[s.offset + i];
}

void Value::SetIndex(size_t i, Value v) const {
  const auto& s = std::get<kSliceRep>(Resolved().rep_);
  assert(i < s.length);
  (*s.array)[s.offset + i] = v.Detached();
}

void Value::Swap(size_t i, size_t j) const {
  const auto& s = std::get<kSliceRep>(Resolved().rep_);
  std::swap((*s.array)[s.offset + i], (*s.array)[s.offset + j]);
}

Value Value::Subslice(size_t lo, size_t hi, size_t max) const {
  if (Resolved().rep_.index() == kStringRep) {
    const auto& s = std::get<kStringRep>(Resolved().rep_);
    return Value(Resolved().type_, Rep(std::in_place_index<kStringRep>,
                                       StringRep{s.view.substr(lo, hi - lo), s.owner}));
  }
  const auto& s = std::get<kSliceRep>(Resolved().rep_);
  assert(lo <= hi && hi <= max && max <= s.capacity);
  SliceRep r;
  r.array = s.array;
  r.offset = s.offset + static_cast<uint32_t>(lo);
  r.length = static_cast<uint32_t>(hi - lo);
  r.capacity = static_cast<uint32_t>(max - lo);
  return Value(Resolved().type_, Rep(std::in_place_index<kSliceRep>, std::move(r)));
}

const MapData& Value::map_entries() const {
  static const MapData kEmpty;
  const auto& m = std::get<kMapRep>(Resolved().rep_);
  return m ? *m : kEmpty;
}

const Value* Value::MapFind(std::string_view key) const {
  const auto& m = std::get<kMapRep>(Resolved().rep_);
  if (!m) return nullptr;
  auto it = m->find(key);
  return it == m->end() ? nullptr : &it->second;
}

size_t Value::num_fields() const {
  const Value& self = Resolved();
  if (self.rep_.index() == kHostRep) return self.type_->fields.size();
  return std::get<kStructRep>(self.rep_)->size();
}

Value Value::field(size_t i) const {
  const Value& self = Resolved();
  if (self.rep_.index() == kHostRep) {
    const auto& host = std::get<kHostRep>(self.rep_);
    return self.type_->field_getter(host.object, host.owner, i);
  }
  return (*std::get<kStructRep>(self.rep_))[i];
}

const Value& Value::Elem() const { return *std::get<kPointerRep>(Resolved().rep_); }

const void* Value::storage_identity() const {
  switch (Resolved().rep_.index()) {
    case kSliceRep:
      return std::get<kSliceRep>(Resolved().rep_).array.get();
    case kMapRep:
      return std::get<kMapRep>(Resolved().rep_).get();
    case kStructRep:
      return std::get<kStructRep>(Resolved().rep_).get();
    case kPointerRep:
      return std::get<kPointerRep>(Resolved().rep_).get();
    case kHostRep:
      return std::get<kHostRep>(Resolved().rep_).object;
    default:
      return nullptr;
  }
}

}  // namespace berth::tmpl
