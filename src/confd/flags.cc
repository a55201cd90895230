#include "confd/flags.h"

#include <algorithm>
#include <cmath>

#include "base/gostrconv.h"

namespace berth::confd {

void FlagSet::Add(Flag f) { flags_.push_back(std::move(f)); }

void FlagSet::String(std::string name, std::string* target, std::string usage) {
  std::string def = target->empty() ? "" : gostrconv::Quote(*target);
  Add({std::move(name), Kind::kString, std::move(usage), "string", std::move(def),
       [target](std::string_view v) {
         *target = std::string(v);
         return Status::Ok();
       }});
}

void FlagSet::Bool(std::string name, bool* target, std::string usage) {
  Add({std::move(name), Kind::kBool, std::move(usage), "", *target ? "true" : "",
       [target](std::string_view v) {
         auto b = gostrconv::ParseBool(v);
         if (!b.ok()) return Status::InvalidArgument("parse error");
         *target = b.value;
         return Status::Ok();
       }});
}

void FlagSet::Int(std::string name, int64_t* target, std::string usage) {
  Add({std::move(name), Kind::kInt, std::move(usage), "int",
       *target == 0 ? "" : std::to_string(*target), [target](std::string_view v) {
         auto i = gostrconv::ParseInt(v, 0, 64);
         if (!i.ok()) {
           return Status::InvalidArgument(
               i.error == gostrconv::NumError::kRange ? "value out of range" : "parse error");
         }
         *target = i.value;
         return Status::Ok();
       }});
}

void FlagSet::List(std::string name, std::vector<std::string>* target, std::string usage) {
  Add({std::move(name), Kind::kList, std::move(usage), "value", "", [target](std::string_view v) {
         target->emplace_back(v);
         return Status::Ok();
       }});
}

void FlagSet::Custom(std::string name, std::string type_name, std::string default_text,
                     std::function<Status(std::string_view)> set, std::string usage) {
  Add({std::move(name), Kind::kCustom, std::move(usage), std::move(type_name),
       std::move(default_text), std::move(set)});
}

const FlagSet::Flag* FlagSet::Find(std::string_view name) const {
  for (const auto& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<FlagSet::Outcome> FlagSet::Parse(const std::vector<std::string>& args) {
  size_t i = 0;
  auto fail = [](std::string msg) { return Err(Status::InvalidArgument(std::move(msg))); };
  while (i < args.size()) {
    const std::string& s = args[i];
    if (s.size() < 2 || s[0] != '-') break;
    size_t minuses = 1;
    if (s[1] == '-') {
      minuses = 2;
      if (s.size() == 2) {  // "--" ends the flags
        ++i;
        break;
      }
    }
    std::string_view name = std::string_view(s).substr(minuses);
    if (name.empty() || name[0] == '-' || name[0] == '=') return fail("bad flag syntax: " + s);
    ++i;
    bool has_value = false;
    std::string_view value;
    if (size_t eq = name.find('=', 1); eq != std::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const Flag* flag = Find(name);
    if (flag == nullptr) {
      if (name == "help" || name == "h") return Outcome::kHelp;
      return fail("flag provided but not defined: -" + std::string(name));
    }
    if (flag->kind == Kind::kBool) {
      if (!flag->set(has_value ? value : "true").ok()) {
        return fail("invalid boolean value " + gostrconv::Quote(value) + " for -" +
                    std::string(name) + ": parse error");
      }
    } else {
      if (!has_value) {
        if (i >= args.size()) return fail("flag needs an argument: -" + std::string(name));
        value = args[i++];
      }
      Status st = flag->set(value);
      if (!st.ok()) {
        return fail("invalid value " + gostrconv::Quote(value) + " for flag -" + std::string(name) +
                    ": " + st.message());
      }
    }
    set_.insert(std::string(name));
  }
  rest_.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return Outcome::kOk;
}

std::string FlagSet::Usage() const {
  std::vector<const Flag*> sorted;
  for (const auto& f : flags_) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const Flag* a, const Flag* b) { return a->name < b->name; });
  std::string out = "Usage of " + program_ + ":\n";
  for (const Flag* f : sorted) {
    std::string line = "  -" + f->name;
    if (!f->type_name.empty()) line += " " + f->type_name;
    // Go puts short flags and their usage on one line.
    if (line.size() <= 4) {
      line += "\t";
    } else {
      line += "\n    \t";
    }
    line += f->usage;
    if (!f->default_text.empty()) line += " (default " + f->default_text + ")";
    out += line + "\n";
  }
  return out;
}

Result<int64_t> ParseGoDuration(std::string_view orig) {
  auto invalid = [&] {
    return Err(Status::InvalidArgument("time: invalid duration " + gostrconv::Quote(orig)));
  };
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return invalid();
  double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    double v = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      ++i;
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      double scale = 0.1;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        v += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return invalid();
    size_t u = i;
    while (u < s.size() && s[u] != '.' && !(s[u] >= '0' && s[u] <= '9')) ++u;
    const std::string_view unit = s.substr(i, u - i);
    double scale;
    if (unit == "ns") {
      scale = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1e6;
    } else if (unit == "s") {
      scale = 1e9;
    } else if (unit == "m") {
      scale = 60e9;
    } else if (unit == "h") {
      scale = 3600e9;
    } else if (unit.empty()) {
      return Err(
          Status::InvalidArgument("time: missing unit in duration " + gostrconv::Quote(orig)));
    } else {
      return Err(Status::InvalidArgument("time: unknown unit " + gostrconv::Quote(unit) +
                                         " in duration " + gostrconv::Quote(orig)));
    }
    total += v * scale;
    s.remove_prefix(u);
  }
  if (total > 9.2e18) return invalid();
  const auto ns = static_cast<int64_t>(std::llround(total));
  return neg ? -ns : ns;
}

}  // namespace berth::confd
