#include "backend/env/env_backend.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "base/gounicode.h"

extern char** environ;

namespace berth::backend::env {
namespace {

struct Variable {
  std::string_view name;
  std::string_view value;
};

// Go's os.Environ() as confd splits it: NAME=value pairs, the first
// definition of a name only, entries without '=' left out.
std::vector<Variable> Variables(const std::vector<std::string_view>& raw) {
  std::vector<Variable> vars;
  std::unordered_set<std::string_view> seen;
  for (std::string_view entry : raw) {
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = entry.substr(0, eq);
    if (!seen.insert(name).second) continue;
    vars.push_back({name, entry.substr(eq + 1)});
  }
  return vars;
}

}  // namespace

std::string KeyToEnvPrefix(std::string_view key) {
  if (key.starts_with('/')) key.remove_prefix(1);
  std::string k(key);
  std::replace(k.begin(), k.end(), '/', '_');
  return gounicode::StringsToUpper(k);
}

std::string EnvNameToKey(std::string_view name) {
  std::string slashed(1, '/');
  slashed.append(name);
  std::string k = gounicode::StringsToLower(slashed);
  std::replace(k.begin(), k.end(), '_', '/');
  return k;
}

Result<std::vector<kv::Entry>> EnvBackend::GetValues(const std::vector<std::string>& prefixes) {
  std::vector<std::string_view> raw;
  if (fixed_environment_.has_value()) {
    raw.assign(fixed_environment_->begin(), fixed_environment_->end());
  } else {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) raw.emplace_back(*e);
  }
  const std::vector<Variable> vars = Variables(raw);
  std::vector<kv::Entry> out;
  for (const std::string& key : prefixes) {
    const std::string want = KeyToEnvPrefix(key);
    for (const Variable& v : vars) {
      if (v.name.starts_with(want)) out.push_back({EnvNameToKey(v.name), std::string(v.value)});
    }
  }
  kv::SortKeepLast(&out);  // unique keys; the later of two wins
  return out;
}

BackendPtr NewEnvBackend() { return std::make_unique<EnvBackend>(); }

}  // namespace berth::backend::env
