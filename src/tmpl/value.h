// Value and Type: the dynamic values a Go text/template sees, without Go's reflection.
//
// A Type describes a Go type by what templates and fmt can observe: its kind,
// its name as reflect.Type.String() spells it ("[]string", "memkv.KVPairs",
// "map[string]interface {}"), element/key types, struct fields, the methods a
// template may call, and an optional String() hook (fmt.Stringer).  Types are
// immutable and live for the whole program (static singletons).
//
// A Value is a small handle: a Type plus a payload.  Scalars are held inline;
// strings are a view plus an owner that keeps the bytes alive; slices, maps,
// structs and pointers share their storage like Go's do, so copying a Value is
// cheap and a slice sorted in place (confd's sortByLength) is seen through
// every copy.  A default-constructed Value is Go's invalid reflect.Value: the
// result of a missing map key or of nil data, printed as "<no value>".
//
// Values are not synchronised: one execution owns the Values it makes.  The
// owners they reference (snapshots, template trees) are immutable and may be
// shared across threads.
#pragma once

#include <complex>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace berth::tmpl {

class Value;

// Go's reflect.Kind, limited to what confd templates can meet.
enum class Kind : uint8_t {
  kInvalid,
  kBool,
  kInt,
  kInt32,
  kInt64,
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kFloat64,
  kComplex128,
  kString,
  kSlice,
  kMap,
  kStruct,
  kPointer,
  kInterface,  // a static type (interface {}, reflect.Value), or Value::NilInterface()
};

bool IsSignedIntKind(Kind k);    // kInt, kInt32, kInt64
bool IsUnsignedIntKind(Kind k);  // kUint8 ... kUint64

struct Type;

// A Go function or method signature: enough to evaluate and check arguments
// the way text/template does.  For a variadic function the last parameter is
// the element type of the "..." slice.  A method's receiver is not listed.
struct Signature {
  std::vector<const Type*> params;
  bool variadic = false;
  const Type* result = nullptr;  // nullptr: the function returns nothing
  bool returns_error = false;    // (result, error)
};

// The native implementation: receives exactly the evaluated arguments (for a
// method, args[0] is the receiver).  A non-OK status is the function's error
// ("error calling NAME: " + message).
using NativeFn = std::function<Result<Value>(std::span<const Value> args)>;

struct Func {
  Signature sig;
  NativeFn fn;
};

struct Field {
  std::string_view name;
  const Type* type;
  bool exported = true;
};

struct Method {
  std::string_view name;
  Func func;
};

struct Type {
  Kind kind = Kind::kInvalid;
  std::string_view name;             // reflect.Type.String()
  const Type* elem = nullptr;        // kSlice, kMap, kPointer
  const Type* key = nullptr;         // kMap (always string in confd's world)
  std::vector<Field> fields;         // kStruct, in declaration order
  std::vector<Method> methods;       // callable from templates (exported), sorted by name
  const Type* underlying = nullptr;  // for named composite types (memkv.KVPairs -> []memkv.KVPair)
  bool named = false;      // a defined type (int, string, memkv.KVPairs ...); not []T, map[K]V
  bool comparable = true;  // false for slices, maps and structs holding them
  // fmt.Stringer / error: when set, fmt's %v %s %q %x %X and print use it.
  std::string (*stringer)(const Value&) = nullptr;
  bool stringer_is_error = false;  // the hook is Error() rather than String()
  // Structs whose fields are computed from a host object (Value::HostStruct):
  // field i of the object.  `owner` keeps the object alive.
  Value (*field_getter)(const void* object, const std::shared_ptr<const void>& owner,
                        size_t i) = nullptr;
  // fmt.GoStringer: when set, %#v uses it (time.Time has one).
  std::string (*gostringer)(const Value&) = nullptr;

  const Method* FindMethod(std::string_view method_name) const;
  const Type* Underlying() const { return underlying ? underlying : this; }
};

// Go's assignability as text/template needs it: identical types, anything to
// interface {}, and a named composite type to an unnamed one with the same
// underlying type (memkv.KVPairs -> []memkv.KVPair) or the reverse.
bool AssignableTo(const Type* from, const Type* to);

// Types of the Go language and runtime used by templates.
namespace types {
const Type* Bool();
const Type* Int();
const Type* Int32();
const Type* Int64();
const Type* Uint8();
const Type* Uint16();
const Type* Uint32();
const Type* Uint64();
const Type* Float64();
const Type* Complex128();
const Type* String();
const Type* Interface();     // interface {}
const Type* ReflectValue();  // reflect.Value: builtin parameters that take any value, even invalid
const Type* StringSlice();   // []string
const Type* IntSlice();      // []int
const Type* InterfaceSlice();  // []interface {}
const Type* StringMap();       // map[string]string
const Type* InterfaceMap();    // map[string]interface {}
}  // namespace types

// Map storage: Go maps iterate randomly, but every observable use (range,
// fmt) sorts string keys bytewise, so a sorted map is exact.
using MapData = std::map<std::string, Value, std::less<>>;

class Value {
 public:
  Value() = default;  // invalid: Go's zero reflect.Value

  // Scalars.  Of() takes any type whose kind matches the payload.
  static Value Bool(bool b);
  static Value Int(int64_t i);   // Go int
  static Value Float(double f);  // float64
  static Value Complex(std::complex<double> c);
  static Value OfInt(const Type* t, int64_t i);    // signed kinds
  static Value OfUint(const Type* t, uint64_t u);  // unsigned kinds
  static Value OfFloat(const Type* t, double f);
  static Value OfBool(const Type* t, bool b);

  // Strings.  StringRef does not copy: `owner` keeps `s` alive (it may be
  // null only when `s` has static storage duration).
  static Value String(std::string s);
  static Value StringRef(std::string_view s, std::shared_ptr<const void> owner);
  static Value OfString(const Type* t, std::string s);

  // Slices: non-nil, with len == cap == items.size().
  static Value Slice(const Type* t, std::vector<Value> items);
  // Maps: non-nil.
  static Value Map(const Type* t, MapData entries);
  // Structs: fields in declaration order.
  static Value Struct(const Type* t, std::vector<Value> fields);
  // A non-nil pointer to `pointee`.
  static Value Pointer(const Type* t, Value pointee);
  // A nil slice, map or pointer of type t.
  static Value Nil(const Type* t);
  // A nil interface{} held in a container: what Go's reflect yields for a
  // nil element of a []interface {} or map[string]interface {}.  Unlike the
  // invalid Value it is valid (kind kInterface); the executor turns it into
  // the invalid Value where Go "digs" into interfaces.
  static Value NilInterface();
  // A value whose payload only its type's methods understand (time.Time).
  static Value Opaque(const Type* t, std::shared_ptr<const void> data);
  // A struct backed by a host object that `owner` keeps alive; its fields
  // come from t->field_getter.  No allocation: a memkv.KVPair over a
  // snapshot entry costs one reference count.
  static Value HostStruct(const Type* t, const void* object, std::shared_ptr<const void> owner);

  // The same payload seen as another type with the same underlying type
  // (Go's assignment of memkv.KVPairs to a []memkv.KVPair parameter).
  Value Retyped(const Type* t) const { return Value(t, Resolved().rep_); }

  // Element i of a slice as Go's reflect.Value.Index returns it: addressable,
  // so it keeps showing whatever the array holds at that slot (a range
  // variable sees an in-place reverse of its slice).  Every accessor reads
  // through it; Detached() takes the current value.
  Value Slot(size_t i) const;
  Value Detached() const { return Resolved(); }
  // The value itself, or for a slot what it holds now, without copying.
  const Value& Current() const { return Resolved(); }

  bool valid() const { return Resolved().type_ != nullptr; }
  const Type* type() const { return Resolved().type_; }
  Kind kind() const {
    const Type* t = type();
    return t ? t->kind : Kind::kInvalid;
  }

  // Payload access; each requires the matching kind.
  bool bool_value() const;
  int64_t int_value() const;    // signed kinds
  uint64_t uint_value() const;  // unsigned kinds
  double float_value() const;
  std::complex<double> complex_value() const;
  std::string_view string_value() const;  // kString
  const std::shared_ptr<const void>& string_owner() const;
  // The object of an Opaque or HostStruct value.
  template <typename T>
  const T* opaque() const {
    return static_cast<const T*>(std::get<HostRep>(Resolved().rep_).object);
  }

  // Slice, map, pointer.
  bool is_nil() const;
  // Length of a string (bytes), slice or map.
  size_t len() const;
  size_t cap() const;  // slices

  // Slices (and strings for Index: a uint8).
  Value Index(size_t i) const;
  void SetIndex(size_t i, Value v) const;  // writes through to the shared array, like Go
  void Swap(size_t i, size_t j) const;
  // s[lo:hi:max] sharing the array; for strings s[lo:hi].  Bounds are the caller's job.
  Value Subslice(size_t lo, size_t hi, size_t max) const;

  // Maps.
  const MapData& map_entries() const;  // empty for a nil map
  const Value* MapFind(std::string_view key) const;

  // Structs.
  size_t num_fields() const;
  Value field(size_t i) const;

  // Pointers: the pointee (requires !is_nil()).
  const Value& Elem() const;

  // Identity of the shared storage (pointers compare by address in Go).
  const void* storage_identity() const;

 private:
  struct StringRep {
    std::string_view view;
    std::shared_ptr<const void> owner;
  };
  struct SliceRep {
    std::shared_ptr<std::vector<Value>> array;  // null: nil slice
    uint32_t offset = 0, length = 0, capacity = 0;
  };
  // Host data: an Opaque payload or a HostStruct's object.
  struct HostRep {
    const void* object = nullptr;
    std::shared_ptr<const void> owner;
  };
  // A slot of a slice's array (see Slot()); type_ is the element type.
  struct SlotRep {
    std::shared_ptr<std::vector<Value>> array;
    size_t index = 0;
  };
  using Rep =
      std::variant<std::monostate, bool, int64_t, uint64_t, double,
                   std::shared_ptr<const std::complex<double>>, StringRep, SliceRep,
                   std::shared_ptr<const MapData>, std::shared_ptr<const std::vector<Value>>,
                   std::shared_ptr<const Value>, HostRep, SlotRep>;
  // Alternative indexes, by role.
  enum : size_t {
    kNone,
    kBoolRep,
    kIntRep,
    kUintRep,
    kFloatRep,
    kComplexRep,
    kStringRep,
    kSliceRep,
    kMapRep,
    kStructRep,
    kPointerRep,
    kHostRep,
    kSlotRep
  };

  Value(const Type* t, Rep rep) : type_(t), rep_(std::move(rep)) {}

  // This value, or for a slot the value the slot holds now.
  const Value& Resolved() const {
    if (rep_.index() != kSlotRep) [[likely]] {
      return *this;
    }
    return ResolveSlot();
  }
  const Value& ResolveSlot() const;

  const Type* type_ = nullptr;
  Rep rep_;
};

}  // namespace berth::tmpl
