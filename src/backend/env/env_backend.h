// EnvBackend: confd's `-backend env`.  For each requested key k, every
// environment variable whose NAME starts with transform(k) is returned under
// the key clean(NAME), where
//   transform(k) = strings.ToUpper(k without one leading "/", "/" -> "_")
//   clean(NAME)  = strings.ToLower("/" + NAME), "_" -> "/"
// so `/app/db` looks up APP_DB* and APP_DB_HOST comes back as /app/db/host.
// Names are compared as written (a lower-case app_db is not found).  As in Go,
// the first of several definitions of one name counts, and entries without
// '=' are ignored.  Where two names clean to the same key (APP_X and app_x
// both give /app/x), the one found later wins (confd's pick is random).
//
// Thread-safety: GetValues reads the process environment at call time; it
// must not race with setenv/putenv in other threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace berth::backend::env {

class EnvBackend : public Backend {
 public:
  // Reads the process environment on every GetValues.
  EnvBackend() = default;
  // Uses a fixed environment ("NAME=value" entries), for tests.
  explicit EnvBackend(std::vector<std::string> environment)
      : fixed_environment_(std::move(environment)) {}

  std::string_view name() const override { return "env"; }
  Result<std::vector<kv::Entry>> GetValues(const std::vector<std::string>& prefixes) override;

 private:
  const std::optional<std::vector<std::string>> fixed_environment_;
};

BackendPtr NewEnvBackend();

// confd's key <-> variable name mapping, exposed for tests.
std::string KeyToEnvPrefix(std::string_view key);
std::string EnvNameToKey(std::string_view name);

}  // namespace berth::backend::env
