// How go-yaml v2 (gopkg.in/yaml.v2 2.4.0, the YAML library confd uses) turns
// one scalar node into a Go value when it decodes into interface{}: the YAML
// 1.1 bool/null table, integers in every base (ParseInt, then ParseUint),
// floats (".5", "1e3", ".inf"), timestamps kept as their text, quoted and
// block scalars as strings, and the explicit tags !!str !!int !!float !!bool
// !!null !!timestamp !!binary (others leave the text as a string).
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace berth::backend::file {

// The full forms libyaml reports for the "!!x" shorthands.
inline constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";
inline constexpr std::string_view kMergeTag = "tag:yaml.org,2002:merge";

// A scalar as go-yaml stores it in an interface{}.
struct ScalarValue {
  enum class Kind : uint8_t {
    kNull,     // nil: confd drops the key
    kText,     // string: the node's text itself (also timestamps)
    kDecoded,  // string: the base64-decoded bytes of a !!binary node, in `decoded`
    kInt,      // int (Go's int is 64-bit)
    kUint,     // uint64 (only above INT64_MAX): confd drops the key
    kFloat,    // float64
    kBool,
  };
  Kind kind = Kind::kNull;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double float_value = 0;
  bool bool_value = false;
  std::string decoded;
};

// Resolves a scalar node.  `tag` is the node's resolved tag as libyaml reports
// it ("" when untagged, "!" for the non-specific tag, "tag:yaml.org,2002:int"
// for !!int); `implicit` is the event's plain_implicit flag (a plain scalar
// without a tag, or with "!").  Fails, as go-yaml does, when an explicit tag
// contradicts the text ("!!int foo": "cannot decode !!str `foo` as a !!int")
// or a !!binary node is not valid base64.
Result<ScalarValue> ResolveScalar(std::string_view tag, std::string_view text, bool implicit);

// go-yaml's parseTimestamp: whether `text` is one of the timestamp forms it
// accepts (Go's time.Parse with "2006-1-2T15:4:5.999999999Z07:00", the same
// with 't', "2006-1-2 15:4:5.999999999", "2006-1-2").
bool IsYamlTimestamp(std::string_view text);

// Go's base64.StdEncoding.DecodeString (padding required, '\r' and '\n'
// ignored).  False on invalid input.
bool DecodeBase64(std::string_view in, std::string* out);

// strconv.FormatFloat(f, 'f', -1, 64), as confd prints YAML floats.
std::string FormatYamlFloat(double f);

}  // namespace berth::backend::file
