#include "backend/file/yaml_resolve.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace berth::backend::file {
namespace {

using Kind = ScalarValue::Kind;

// Results recorded from Go 1.19 (time.Parse with go-yaml's four layouts).
const struct {
  const char* text;
  bool is_timestamp;
} kTimestamps[] = {
    {"2001-12-14", true},
    {"2001-12-14t21:59:43.10-05:00", true},
    {"2001-12-14T21:59:43.10-05:00", true},
    {"2001-12-14 21:59:43.10", true},
    {"2001-12-14  21:59:43.10", true},
    {"2001-12-14 21:59:43.10 -5", false},
    {"2001-12-14T21:59:43Z", true},
    {"2001-12-14T21:59:43.123456789Z", true},
    {"2001-12-14T21:59:43.1234567891Z", false},
    {"2001-12-14T21:59:43,5Z", true},
    {"2001-1-1", true},
    {"2001-01-01", true},
    {"2001-1-01T1:2:3Z", true},
    {"2001-02-29", false},
    {"2000-02-29", true},
    {"1900-02-29", false},
    {"2001-04-31", false},
    {"2001-13-01", false},
    {"2001-00-10", false},
    {"2001-12-00", false},
    {"2001-12-32", false},
    {"0000-01-01", true},
    {"9999-12-31", true},
    {"2001-12-14T24:00:00Z", false},
    {"2001-12-14T23:60:00Z", false},
    {"2001-12-14T23:59:60Z", false},
    {"2001-12-14T23:59:59+99:99", true},
    {"2001-12-14T23:59:59+-1:00", true},
    {"2001-12-14T23:59:59+0500", false},
    {"2001-12-14T23:59:59+05:0", false},
    {"2001-12-14T23:59:59 +05:00", false},
    {"2001-12-14T23:59:59.Z", false},
    {"2001-12-14T23:59:59.5", false},
    {"2001-12-14 23:59:59Z", false},
    {"2001-12-14 23:59:59.5", true},
    {"2001-12-14T", false},
    {"2001-12-14 ", false},
    {"2001-12-14x", false},
    {"20011-12-14", false},
    {"201-12-14", false},
    {"2001-123-1", false},
    {"2001-1-123", false},
    {"2001-12-14T1:2:3:4Z", false},
    {"2001-12-14T01:02:03z", false},
    {"2001-12-14 1:2:3", true},
    {"2001-12-14 1:2", false},
    {"2001-12-14T1:2:3Z07:00", false},
    {"2001-12-14T1:2:3.Z", false},
    {"2001-12-14T1:2:3.1.2Z", false},
    {"2001-12-14t1:2:3-00:00", true},
    {"+001-12-14", false},
};

TEST(YamlTimestamp, AgreesWithGo) {
  for (const auto& c : kTimestamps) EXPECT_EQ(IsYamlTimestamp(c.text), c.is_timestamp) << c.text;
}

// Results recorded from Go 1.19's base64.StdEncoding.DecodeString.
const struct {
  const char* in;
  bool ok;
  const char* out;  // when ok
} kBase64[] = {
    {"", true, ""},
    {"aGVsbG8=", true, "hello"},
    {"aGVsbG8", false, "hel"},
    {"aGVsbA==", true, "hell"},
    {"aGVsbA=", false, "hel"},
    {"aGVsbA", false, "hel"},
    {"aGVs\nbG8=", true, "hello"},
    {"aGVs\r\nbG8=\n", true, "hello"},
    {"aGVs bG8=", false, "hel"},
    {"aGVsbG8=\n\n", true, "hello"},
    {"aGVsbA==x", false, "hell"},
    {"aGVsbA=\n=", true, "hell"},
    {"=", false, ""},
    {"a===", false, ""},
    {"aGVsbG9=", true, "hello"},
    {"////", true, "\xff\xff\xff"},
    {"++++", true, "\xfb\xef\xbe"},
    {"-_-_", false, ""},
    {"aGk=", true, "hi"},
    {"aGk", false, ""},
    {"YQ==", true, "a"},
    {"YQ", false, ""},
    {"Y", false, ""},
    {"YR==", true, "a"},
    {"YWJj", true, "abc"},
    {"YWJjZA==", true, "abcd"},
    {"YWJjZA=\n=", true, "abcd"},
    {"\naGk=", true, "hi"},
    {"aG\nk=", true, "hi"},
    {"aGk=\r", true, "hi"},
    {"aGk=a", false, "hi"},
};

TEST(YamlBase64, AgreesWithGo) {
  for (const auto& c : kBase64) {
    std::string out;
    EXPECT_EQ(DecodeBase64(c.in, &out), c.ok) << c.in;
    if (c.ok) {
      EXPECT_EQ(out, c.out) << c.in;
    }
  }
}

constexpr const char* kStr = "tag:yaml.org,2002:str";
constexpr const char* kInt = "tag:yaml.org,2002:int";
constexpr const char* kFloat = "tag:yaml.org,2002:float";
constexpr const char* kBool = "tag:yaml.org,2002:bool";
constexpr const char* kNull = "tag:yaml.org,2002:null";
constexpr const char* kTimestamp = "tag:yaml.org,2002:timestamp";
constexpr const char* kBinary = "tag:yaml.org,2002:binary";

// What the flattened value of a scalar is ("<drop>" for null and uint64, an
// error marker otherwise), as confd prints it.
std::string Flat(const char* tag, const char* text, bool implicit = true) {
  Result<ScalarValue> r = ResolveScalar(tag, text, implicit);
  if (!r.has_value()) return "<error: " + r.error().message() + ">";
  switch (r->kind) {
    case Kind::kNull:
    case Kind::kUint:
      return "<drop>";
    case Kind::kText:
      return text;
    case Kind::kDecoded:
      return r->decoded;
    case Kind::kInt:
      return std::to_string(r->int_value);
    case Kind::kFloat:
      return FormatYamlFloat(r->float_value);
    case Kind::kBool:
      return r->bool_value ? "true" : "false";
  }
  return "?";
}

TEST(YamlResolve, PlainScalars) {
  const std::pair<const char*, const char*> cases[] = {
      {"42", "42"},
      {"-7", "-7"},
      {"+12", "12"},
      {"0x1F", "31"},
      {"017", "15"},
      {"0o17", "15"},
      {"0b101", "5"},
      {"1_000", "1000"},
      {"08", "8"},  // octal fails: a float
      {"0b-101", "-5"},
      {"-0b101", "-5"},
      {"3.14", "3.14"},
      {"2.50", "2.5"},
      {"1.10", "1.1"},
      {"1.0", "1"},
      {"1e3", "1000"},
      {"1e-7", "0.0000001"},
      {".5", "0.5"},
      {"1.", "1"},
      {".inf", "+Inf"},
      {"-.Inf", "-Inf"},
      {".NaN", "NaN"},
      {".nan", "NaN"},
      {"yes", "true"},
      {"Off", "false"},
      {"y", "true"},
      {"N", "false"},
      {"yES", "yES"},
      {"~", "<drop>"},
      {"", "<drop>"},
      {"Null", "<drop>"},
      {"nil", "nil"},
      {"9223372036854775807", "9223372036854775807"},
      {"9223372036854775808", "<drop>"},                 // uint64
      {"-9223372036854775809", "-9223372036854776000"},  // via float64
      {"1e500", "1e500"},
      {".1_0", "0.1"},
      {"2001-12-14", "2001-12-14"},
      {"190:20:30", "190:20:30"},
      {"1.2.3", "1.2.3"},
      {"0x1p3", "0x1p3"},
      {"<<", "<<"},
      {"-", "-"},
      {"+.5", "0.5"},
  };
  for (auto [text, want] : cases) EXPECT_EQ(Flat("", text), want) << text;
}

TEST(YamlResolve, QuotedAndBlockScalarsAreStrings) {
  for (const char* text : {"42", "yes", "~", "", "1.5", ".inf"}) {
    EXPECT_EQ(Flat("", text, /*implicit=*/false), text);
  }
}

TEST(YamlResolve, ExplicitTags) {
  EXPECT_EQ(Flat(kStr, "42"), "42");
  EXPECT_EQ(Flat(kStr, "~"), "~");
  EXPECT_EQ(Flat(kStr, "", false), "");
  EXPECT_EQ(Flat(kInt, "0x10"), "16");
  EXPECT_EQ(Flat(kInt, "1.5"), "<error: cannot decode !!float `1.5` as a !!int>");
  EXPECT_EQ(Flat(kInt, "abc", false), "<error: cannot decode !!str `abc` as a !!int>");
  EXPECT_EQ(Flat(kFloat, "1"), "1");
  EXPECT_EQ(Flat(kFloat, "0x10"), "16");
  EXPECT_EQ(Flat(kFloat, "18446744073709551615"),
            "<error: cannot decode !!int `18446744073709551615` as a !!float>");
  EXPECT_EQ(Flat(kBool, "yes"), "true");
  EXPECT_EQ(Flat(kBool, "1"), "<error: cannot decode !!int `1` as a !!bool>");
  EXPECT_EQ(Flat(kNull, "~"), "<drop>");
  EXPECT_EQ(Flat(kNull, "", false), "<drop>");
  EXPECT_EQ(Flat(kNull, "x"), "<error: cannot decode !!str `x` as a !!null>");
  EXPECT_EQ(Flat(kTimestamp, "2001-12-14"), "2001-12-14");
  EXPECT_EQ(Flat(kTimestamp, "2001-02-30"),
            "<error: cannot decode !!str `2001-02-30` as a !!timestamp>");
  EXPECT_EQ(Flat(kBinary, "aGVsbG8="), "hello");
  EXPECT_EQ(Flat(kBinary, "aGVsbG8"), "<error: !!binary value contains invalid base64 data>");
  // Tags go-yaml does not resolve keep the text.
  EXPECT_EQ(Flat("!", "42"), "42");
  EXPECT_EQ(Flat("!custom", "yes"), "yes");
  EXPECT_EQ(Flat("tag:yaml.org,2002:map", "1"), "1");
}

}  // namespace
}  // namespace berth::backend::file
