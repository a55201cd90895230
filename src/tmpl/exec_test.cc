// Executor tests in the shape of Go's exec_test.go: a table of (name,
// template, expected output or error, ok) run against one data value.  The
// expectations were produced by Go 1.19's text/template itself
// (scripts/gen-exec-cases.go); MakeTestData() mirrors that program's data.
#include <gtest/gtest.h>

#include <string>

#include "tmpl/template.h"

namespace berth::tmpl {
namespace {

struct ExecCase {
  const char* name;
  const char* input;
  const char* want;  // output, or the error message when !ok
  bool ok;
};

constexpr ExecCase kCases[] = {
#include "tmpl/testdata/exec_cases.inc"
};

const Type* SType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kStruct;
    t.name = "main.S";
    t.named = true;
    t.fields = {{"Name", types::String(), true},
                {"Count", types::Int(), true},
                {"hidden", types::Int(), false}};
    t.methods = {
        {"Double", Func{Signature{{types::Int()}, false, types::Int(), false},
                        [](std::span<const Value> a) -> Result<Value> {
                          return Value::Int(2 * a[1].int_value());
                        }}},
        {"Greeting", Func{Signature{{}, false, types::String(), false},
                          [](std::span<const Value> a) -> Result<Value> {
                            return Value::String("hi " + std::string(a[0].field(0).string_value()));
                          }}},
    };
    return t;
  }();
  return &t;
}

const Type* SPtrType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kPointer;
    t.name = "*main.S";
    t.elem = SType();
    return t;
  }();
  return &t;
}

Value S(std::string name, int64_t count, int64_t hidden) {
  return Value::Struct(SType(),
                       {Value::String(std::move(name)), Value::Int(count), Value::Int(hidden)});
}

Value Strings(std::initializer_list<const char*> items) {
  std::vector<Value> v;
  for (const char* s : items) v.push_back(Value::String(s));
  return Value::Slice(types::StringSlice(), std::move(v));
}

Value MakeTestData() {
  MapData m;
  m["str"] = Value::String("hello");
  m["int"] = Value::Int(7);
  m["neg"] = Value::Int(-3);
  m["flt"] = Value::Float(2.5);
  m["t"] = Value::Bool(true);
  m["f"] = Value::Bool(false);
  m["nil"] = Value();
  m["empty"] = Value::String("");
  m["list"] = Strings({"a", "b", "c"});
  m["ints"] = Value::Slice(types::IntSlice(), {Value::Int(1), Value::Int(2), Value::Int(3)});
  m["ilist"] = Value::Slice(types::InterfaceSlice(), {Value::Int(1), Value::String("x"), Value()});
  m["m"] = Value::Map(types::InterfaceMap(), {{"a", Value::Int(1)}, {"b", Value::String("two")}});
  m["sm"] = Value::Map(types::StringMap(), {{"k", Value::String("v")}});
  m["elist"] = Strings({});
  m["nilslice"] = Value::Nil(types::IntSlice());
  m["nested"] =
      Value::Map(types::InterfaceMap(),
                 {{"inner", Value::Map(types::InterfaceMap(), {{"v", Value::String("deep")}})}});
  m["s"] = S("berth", 2, 1);
  m["sp"] = Value::Pointer(SPtrType(), S("ptr", 5, 0));
  return Value::Map(types::InterfaceMap(), std::move(m));
}

FuncMap TestFuncs() {
  FuncMap f;
  f["add1"] = Func{
      Signature{{types::Int()}, false, types::Int(), false},
      [](std::span<const Value> a) -> Result<Value> { return Value::Int(a[0].int_value() + 1); }};
  return f;
}

// Go names the static type interface {} where a value came out of a
// map[string]interface {}; berth's values carry only their dynamic type.
// For those messages, compare everything up to the node context.
std::string Comparable(const std::string& msg) {
  if (msg.find("type interface {}") == std::string::npos) return msg;
  const size_t at = msg.find(">: ");
  return at == std::string::npos ? msg : msg.substr(0, at + 3);
}

TEST(Exec, GoTable) {
  const Value data = MakeTestData();
  const FuncMap funcs = TestFuncs();
  for (const ExecCase& c : kCases) {
    SCOPED_TRACE(c.name);
    std::string out;
    auto t = Template::Parse(c.name, c.input, funcs);
    Status s = t ? (*t)->Execute(&out, data, funcs) : t.error();
    if (c.ok) {
      ASSERT_TRUE(s.ok()) << s.message();
      EXPECT_EQ(out, c.want);
    } else {
      ASSERT_FALSE(s.ok()) << "output: " << out;
      EXPECT_EQ(Comparable(s.message()).substr(0, Comparable(c.want).size()), Comparable(c.want));
    }
  }
}

TEST(Exec, RunawayRecursionIsAnErrorNotACrash) {
  const FuncMap funcs;
  auto t =
      Template::Parse("r", R"({{define "R"}}{{template "R" .}}{{end}}{{template "R" 1}})", funcs);
  ASSERT_TRUE(t.has_value()) << t.error().message();
  std::string out;
  Status s = (*t)->Execute(&out, Value(), funcs);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("exceeded maximum template depth"), std::string::npos) << s.message();
}

TEST(Exec, TemplateIsReusableAndDataIndependent) {
  const FuncMap funcs;
  auto t = Template::Parse("x", "{{range .}}{{.}},{{end}}", funcs);
  ASSERT_TRUE(t.has_value());
  for (int round = 0; round < 3; ++round) {
    std::string out;
    ASSERT_TRUE((*t)->Execute(&out, Strings({"a", "b"}), funcs).ok());
    EXPECT_EQ(out, "a,b,");
  }
}

}  // namespace
}  // namespace berth::tmpl
