// Go's encoding/json decoding into interface{}, as confd's `json` and
// `jsonArray` use it: objects become map[string]interface {}, arrays
// []interface {}, numbers float64 (strconv.ParseFloat of the literal, so
// "-0" stays negative zero), strings with invalid UTF-8 or lone surrogates
// repaired to U+FFFD as Go repairs them, later duplicate keys winning.  The
// whole input is validated first, as json.Unmarshal does, and errors read as
// Go's ("invalid character 'x' looking for beginning of value",
// "unexpected end of JSON input", "json: cannot unmarshal array into Go
// value of type map[string]interface {}").  Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "tmpl/value.h"

namespace berth::confd {

// json.Unmarshal(data, &m) with m a map[string]interface {}: "null" gives a
// nil map.
Result<tmpl::Value> UnmarshalJsonObject(std::string_view data);
// json.Unmarshal(data, &a) with a a []interface {}: "null" gives a nil slice.
Result<tmpl::Value> UnmarshalJsonArray(std::string_view data);

}  // namespace berth::confd
