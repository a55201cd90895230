#include "confd/flags.h"

#include <algorithm>

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
  // Integer arithmetic, as Go's: exact to the nanosecond over the whole
  // int64 range (a double loses digits past 2^53).
  auto invalid = [&] {
    return Err(Status::InvalidArgument("time: invalid duration " + gostrconv::Quote(orig)));
  };
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return invalid();
  uint64_t total = 0;
  while (!s.empty()) {
    if (s[0] != '.' && !is_digit(s[0])) return invalid();
    // The integer part; overflow is an error.
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (v > kLimit / 10) return invalid();
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kLimit) return invalid();
    }
    const bool pre = i > 0;
    s.remove_prefix(i);
    // The fraction; digits past what fits only stop adding precision.
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      bool overflow = false;
      for (i = 0; i < s.size() && is_digit(s[i]); ++i) {
        if (overflow) continue;
        if (f > (kLimit - 1) / 10) {
          overflow = true;
          continue;
        }
        const uint64_t y = f * 10 + static_cast<uint64_t>(s[i] - '0');
        if (y > kLimit) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > 0;
      s.remove_prefix(i);
    }
    if (!pre && !post) return invalid();
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !is_digit(s[u])) ++u;
    if (u == 0) {
      return Err(
          Status::InvalidArgument("time: missing unit in duration " + gostrconv::Quote(orig)));
    }
    const std::string_view unit_name = s.substr(0, u);
    s.remove_prefix(u);
    uint64_t unit;
    if (unit_name == "ns") {
      unit = 1;
    } else if (unit_name == "us" || unit_name == "\xC2\xB5s" || unit_name == "\xCE\xBCs") {
      unit = 1'000;
    } else if (unit_name == "ms") {
      unit = 1'000'000;
    } else if (unit_name == "s") {
      unit = 1'000'000'000;
    } else if (unit_name == "m") {
      unit = 60'000'000'000;
    } else if (unit_name == "h") {
      unit = 3'600'000'000'000;
    } else {
      return Err(Status::InvalidArgument("time: unknown unit " + gostrconv::Quote(unit_name) +
                                         " in duration " + gostrconv::Quote(orig)));
    }
    if (v > kLimit / unit) return invalid();
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kLimit) return invalid();
    }
    total += v;
    if (total > kLimit) return invalid();
  }
  if (neg) return static_cast<int64_t>(0 - total);  // -2^63 included
  if (total > kLimit - 1) return invalid();
  return static_cast<int64_t>(total);
}

}  // namespace berth::confd
