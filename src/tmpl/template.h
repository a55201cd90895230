// Template: a parsed Go text/template set, executed with Go 1.19's semantics.
//
//   auto t = Template::Parse("haproxy.cfg.tmpl", text, FunctionNames(funcs));
//   std::string out;
//   Status s = (*t)->Execute(&out, Value(), funcs);
//
// A Template is what Go's template.New(name).Funcs(fm).Parse(text) holds: the
// top-level tree plus one tree per {{define}}/{{block}}.  It is immutable after
// Parse and may be executed from several threads at once.  Function *names*
// are fixed at parse time (Go rejects unknown functions while parsing); the
// implementations are passed to each Execute, so one parsed template can run
// against successive snapshots whose functions close over them.
//
// Errors have Go's shape: parse errors "template: NAME:LINE:COL: msg",
// execution errors "template: NAME:LINE:COL: executing \"NAME\" at <node>: msg".
// On an execution error *out holds whatever was produced before it (as Go's
// writer would); callers that must not publish partial output discard it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tmpl/node.h"
#include "tmpl/value.h"

namespace berth::tmpl {

// Name -> function, as Go's template.FuncMap.
using FuncMap = std::map<std::string, Func, std::less<>>;

// True for the names of text/template's builtin functions (and, call, eq, ...).
bool IsBuiltinFunction(std::string_view name);

// Bounds for one execution (Go has none; fuzzing needs them).  Zero means
// unlimited.
struct ExecLimits {
  uint64_t max_steps = 0;  // nodes walked
  size_t max_output = 0;   // bytes appended to *out
};

class Template {
 public:
  struct Options {
    std::string_view left_delim = "{{";
    std::string_view right_delim = "}}";
  };

  // Parses `text` as the template called `name`.  `funcs` supplies the names
  // of the non-builtin functions the text may call (its implementations are
  // not kept).
  static Result<std::shared_ptr<const Template>> Parse(std::string name, std::string text,
                                                       const FuncMap& funcs,
                                                       const Options& options);
  static Result<std::shared_ptr<const Template>> Parse(std::string name, std::string text,
                                                       const FuncMap& funcs) {
    return Parse(std::move(name), std::move(text), funcs, Options{});
  }

  // Executes the template called name() with `data` as dot, appending to
  // *out.  `funcs` must provide every function named at parse time.
  Status Execute(std::string* out, const Value& data, const FuncMap& funcs,
                 const ExecLimits& limits = {}) const;
  // Executes the associated template `name` (Go's ExecuteTemplate).
  Status ExecuteTemplate(std::string* out, std::string_view name, const Value& data,
                         const FuncMap& funcs, const ExecLimits& limits = {}) const;

  const std::string& name() const { return name_; }
  // The tree of an associated template, or nullptr.
  const Tree* Lookup(std::string_view name) const;

 private:
  Template(std::string name, TreeSet trees) : name_(std::move(name)), trees_(std::move(trees)) {}

  std::string name_;
  TreeSet trees_;
};

// Go's template.IsTrue: whether a value is "true" (not the zero of its type),
// and whether truth is defined for it at all.
struct Truth {
  bool truth;
  bool ok;
};
Truth IsTrue(const Value& v);

}  // namespace berth::tmpl
