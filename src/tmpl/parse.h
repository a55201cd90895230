// The parser of Go's text/template (text/template/parse/parse.go, Go 1.19):
// turns template source into the trees of node.h, one per template the
// source defines.
//
// Parse() is a pure function of its arguments.  The trees it returns own
// their nodes and share the source text; they are immutable and may be used
// from several threads at once.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tmpl/node.h"

namespace berth::tmpl {

struct ParseOptions {
  std::string_view left_delim = "{{";  // "" means the default
  std::string_view right_delim = "}}";
  // True when `name` is a function (a builtin or from the function map).
  // Unset means that no name is a function.
  std::function<bool(std::string_view)> has_function;
  bool skip_func_check = false;  // Go's parse.SkipFuncCheck
  bool parse_comments = false;   // Go's parse.ParseComments: keep CommentNodes
};

// Go's parse.Parse: parses `text`, the source of the template called `name`,
// into the trees it defines (the top level plus each define/block), with
// Go's rules for redefinition and empty trees: a later definition replaces
// an empty one, an empty one never replaces another, and two non-empty
// definitions of one name are an error.
//
// On failure returns InvalidArgument with Go's message plus a column:
// "template: NAME:LINE:COL: MESSAGE", COL being the 0-based byte offset in
// its line of the token where the error was noticed.
Result<TreeSet> Parse(std::string_view name, std::string text, const ParseOptions& options);

}  // namespace berth::tmpl
