// text/template's predefined functions (Go 1.19 funcs.go): and, call, html,
// index, slice, js, len, not, or, print, printf, println, urlquery, eq, ne, lt,
// le, gt, ge.  Each is a Func whose signature matches Go's, so argument
// evaluation and errors agree with Go.  `and` and `or` are evaluated by the
// executor itself (they short-circuit); their Funcs only carry signatures.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "tmpl/value.h"

namespace berth::tmpl {

// The builtin called `name`, or nullptr.
const Func* FindBuiltin(std::string_view name);

// Go's template.HTMLEscapeString, JSEscapeString and url.QueryEscape.
std::string HTMLEscapeString(std::string_view s);
std::string JSEscapeString(std::string_view s);
std::string URLQueryEscape(std::string_view s);

// Go's printableValue: the value the executor prints for `v`.  Pointers are
// followed, except to a type that only its pointer makes a Stringer
// (*time.Location); an invalid value prints as "<no value>".
Value PrintableValue(const Value& v);

// The zero value of a type, as reflect.Zero makes it (an invalid Value for
// interface {}).
Value ZeroValue(const Type* t);

}  // namespace berth::tmpl
