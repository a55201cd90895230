#include "backend/env/env_backend.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace berth::backend::env {
namespace {

std::vector<std::string> Pairs(const Result<std::vector<kv::Entry>>& r) {
  EXPECT_TRUE(r.has_value());
  std::vector<std::string> out;
  if (r.has_value()) {
    for (const kv::Entry& e : *r) out.push_back(e.key + "=" + e.value);
  }
  return out;
}

TEST(EnvBackend, KeyMapping) {
  EXPECT_EQ(KeyToEnvPrefix("/app/db"), "APP_DB");
  EXPECT_EQ(KeyToEnvPrefix("app/db"), "APP_DB");
  EXPECT_EQ(KeyToEnvPrefix("//app"), "_APP");  // only one leading '/' goes
  EXPECT_EQ(KeyToEnvPrefix("/"), "");
  EXPECT_EQ(KeyToEnvPrefix("/stra\xc3\x9f"
                           "e"),
            "STRA\xc3\x9f"
            "E");  // Go's simple case mapping
  EXPECT_EQ(EnvNameToKey("APP_DB_HOST"), "/app/db/host");
  EXPECT_EQ(EnvNameToKey("APP__X"), "/app//x");  // not cleaned
  EXPECT_EQ(EnvNameToKey("\xc3\x89T\xc3\x89"), "/\xc3\xa9t\xc3\xa9");
}

TEST(EnvBackend, PrefixesMatchNames) {
  EnvBackend backend({"APP_DB_HOST=db1", "APP_DB_PORT=5432", "APPLE=fruit", "app_lower=x",
                      "OTHER=1", "APP_EMPTY=", "APP_EQ=a=b", "NOEQUALS", "APP_DB_HOST=shadowed"});
  EXPECT_EQ(backend.name(), "env");
  EXPECT_EQ(Pairs(backend.GetValues({"/app/db"})),
            (std::vector<std::string>{"/app/db/host=db1", "/app/db/port=5432"}));
  // A plain name prefix: "/app" also finds APPLE; lower-case names never match.
  EXPECT_EQ(Pairs(backend.GetValues({"/app"})),
            (std::vector<std::string>{"/app/db/host=db1", "/app/db/port=5432",
                                      "/app/empty=", "/app/eq=a=b", "/apple=fruit"}));
  EXPECT_EQ(Pairs(backend.GetValues({"/nothing"})), std::vector<std::string>{});
  EXPECT_EQ(Pairs(backend.GetValues({})), std::vector<std::string>{});
  // "/" asks for every variable.
  EXPECT_EQ(Pairs(backend.GetValues({"/"})).size(), 7u);
}

TEST(EnvBackend, CollidingNamesGiveOneKey) {
  EnvBackend backend({"APP_X=upper", "App_X=mixed"});
  EXPECT_EQ(Pairs(backend.GetValues({"/app", "/APP"})), (std::vector<std::string>{"/app/x=upper"}));
  EXPECT_EQ(Pairs(backend.GetValues({"/"})), (std::vector<std::string>{"/app/x=mixed"}));
}

TEST(EnvBackend, ReadsTheProcessEnvironmentAtCallTime) {
  EnvBackend backend;
  ::setenv("BERTH_ENV_TEST_KEY", "one", 1);
  EXPECT_EQ(Pairs(backend.GetValues({"/berth/env/test"})),
            (std::vector<std::string>{"/berth/env/test/key=one"}));
  ::setenv("BERTH_ENV_TEST_KEY", "two", 1);
  EXPECT_EQ(Pairs(backend.GetValues({"/berth/env/test"})),
            (std::vector<std::string>{"/berth/env/test/key=two"}));
  ::unsetenv("BERTH_ENV_TEST_KEY");
}

}  // namespace
}  // namespace berth::backend::env
