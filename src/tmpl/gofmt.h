// Go's fmt.Sprint, Sprintln and Sprintf over template Values, with Go 1.19's
// exact output: every verb, flag, width and precision, explicit argument
// indexes, and the error annotations ("%!d(string=abc)", "%!s(MISSING)",
// "%!(EXTRA int=1)", ...).  text/template prints every value it emits through
// these, and its print/printf/println builtins are exactly them.
//
// Each argument is an interface{} operand: an invalid Value (or
// Value::NilInterface()) is a nil interface{}.  Inside composites such an
// element (of a []interface {}, a map[string]interface {} or an
// interface-typed struct field) is a nil interface value of the container's
// static element type: %#v prints "interface {}(nil)" or "error(nil)".
// Type hooks stand in for Go's methods: Type::stringer (String or Error)
// and Type::gostringer (GoString) are applied exactly where Go's fmt looks
// for those methods.
//
// Differences from Go that cannot be avoided: pointers print the address of
// berth's shared storage, not a Go heap address; a struct whose type lists
// no fields (an opaque value such as time.Time) prints as "{}" when no hook
// applies; a hook is never called on a nil pointer: Go would usually panic
// inside such a method and fmt would print "<nil>", which is what we print.
// %w is always a bad verb, as in Go's Sprintf (only Errorf accepts it).
//
// All functions append to *out (never clearing it), allocate nothing beyond
// the growth of *out on the common paths, and never throw.  They are
// thread-safe as far as the Values are (printing only reads them).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "tmpl/value.h"

namespace berth::tmpl {

// fmt.Sprint: operands in their default format, a space between two
// operands when neither is a string.
void GoAppendSprint(std::string* out, std::span<const Value> args);
// fmt.Sprintln: a space between all operands and a final newline.
void GoAppendSprintln(std::string* out, std::span<const Value> args);
// fmt.Sprintf.
void GoAppendSprintf(std::string* out, std::string_view format, std::span<const Value> args);

std::string GoSprint(std::span<const Value> args);
std::string GoSprintln(std::span<const Value> args);
std::string GoSprintf(std::string_view format, std::span<const Value> args);

}  // namespace berth::tmpl
