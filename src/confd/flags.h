// A command-line parser with the semantics of Go's flag package, so that
// `berth confd` accepts exactly what `confd` accepts: -flag and --flag,
// -flag=value and -flag value (non-boolean flags), -flag and -flag=false
// (booleans), repeatable list flags, parsing stops at the first non-flag
// argument or "--", and -h / -help print the usage.
//
// A FlagSet writes into variables its owner provides; it remembers which
// flags were set on the command line (Go's flag.Visit), so that the command
// line can win over the config file.  Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace berth::confd {

class FlagSet {
 public:
  explicit FlagSet(std::string program) : program_(std::move(program)) {}

  void String(std::string name, std::string* target, std::string usage);
  void Bool(std::string name, bool* target, std::string usage);
  void Int(std::string name, int64_t* target, std::string usage);
  // Repeatable: every occurrence appends.
  void List(std::string name, std::vector<std::string>* target, std::string usage);
  // A value parsed by `set`, shown in the usage as `type_name`.
  void Custom(std::string name, std::string type_name, std::string default_text,
              std::function<Status(std::string_view)> set, std::string usage);

  enum class Outcome { kOk, kHelp };
  // Parses args (without the program name).  Errors read as Go's do:
  // "flag provided but not defined: -x", "flag needs an argument: -backend",
  // "invalid value \"x\" for flag -interval: parse error".
  Result<Outcome> Parse(const std::vector<std::string>& args);

  bool WasSet(std::string_view name) const { return set_.count(std::string(name)) > 0; }
  // Arguments after the flags.
  const std::vector<std::string>& rest() const { return rest_; }
  // "Usage of PROGRAM:" and one entry per flag, sorted, as Go prints them.
  std::string Usage() const;

 private:
  enum class Kind { kString, kBool, kInt, kList, kCustom };
  struct Flag {
    std::string name;
    Kind kind;
    std::string usage;
    std::string type_name;
    std::string default_text;  // shown as "(default ...)" when not empty
    std::function<Status(std::string_view)> set;
  };
  void Add(Flag f);
  const Flag* Find(std::string_view name) const;

  std::string program_;
  std::vector<Flag> flags_;
  std::set<std::string> set_;
  std::vector<std::string> rest_;
};

// Go's time.ParseDuration ("300ms", "1.5h", "2h45m"; a bare "0").
Result<int64_t> ParseGoDuration(std::string_view s);

}  // namespace berth::confd
