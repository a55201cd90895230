// The status table: HAProxy states, natural order, rows merged from
// Docker, etcd and HAProxy ("-" where a source does not know an instance,
// "?" where it could not be read), the padded layout, and "… (5s ago)".
#include "up/status_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace berth::up {
namespace {

TEST(HaproxyStateOfTest, Table) {
  struct Case {
    std::string status;
    std::string want;
  };
  const Case kCases[] = {
      {"UP", "UP"},
      {"UP 1/3", "UP"},
      {"no check", "UP"},
      {"DOWN", "DOWN"},
      {"DOWN 1/2", "DOWN"},
      {"MAINT", "MAINT"},
      {"MAINT (via b/s)", "MAINT"},
      {"MAINT(resolution)", "MAINT"},
      {"DRAIN", "DRAIN"},
      {"DRAIN (agent)", "DRAIN"},
      {"NOLB", "DRAIN"},
      {"NOLB 1/2", "DRAIN"},
      {"", "?"},
      {"weird", "weird"},
  };
  for (const Case& c : kCases) EXPECT_EQ(HaproxyStateOf(c.status), c.want) << c.status;
}

TEST(NaturalLessTest, Table) {
  struct Case {
    std::string a, b;
    bool less;  // a < b; b < a is checked to be false when a < b
  };
  const Case kCases[] = {
      {"app-2", "app-10", true},
      {"app-1", "app-2", true},
      {"app-9", "app-10", true},
      {"app-10", "app-11", true},
      {"app", "app-1", true},
      {"", "a", true},
      {"a", "b", true},
      {"a10b", "a10c", true},
      {"a2b9", "a10b1", true},
      {"app-2-x", "app-10", true},
      {"9", "10", true},
      {"x99999999999999999999", "x100000000000000000000", true},  // beyond 64 bits
      {"A", "a", true},
      {"app-007", "app-8", true},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(NaturalLess(c.a, c.b), c.less) << c.a << " < " << c.b;
    if (c.less) {
      EXPECT_FALSE(NaturalLess(c.b, c.a)) << c.b << " < " << c.a;
    }
  }
  // Irreflexive; equal numbers written differently are equivalent.
  for (std::string_view s : {"", "app-1", "x10y"}) EXPECT_FALSE(NaturalLess(s, s)) << s;
  EXPECT_FALSE(NaturalLess("app-02", "app-2"));
  EXPECT_FALSE(NaturalLess("app-2", "app-02"));

  std::vector<std::string> names = {"app-10", "app-2", "app-1", "web-1", "app-100", "app-3"};
  std::sort(names.begin(), names.end(), NaturalLess);
  EXPECT_EQ(names,
            (std::vector<std::string>{"app-1", "app-2", "app-3", "app-10", "app-100", "web-1"}));
}

docker::ContainerSummary Container(std::string name, std::string state) {
  docker::ContainerSummary c;
  c.name = std::move(name);
  c.state = std::move(state);
  return c;
}

etcd::KeyValue Key(std::string key, std::string value) {
  etcd::KeyValue kv;
  kv.key = std::move(key);
  kv.value = std::move(value);
  return kv;
}

std::map<std::string, std::string> Stat(std::string sv, std::string status, std::string scur,
                                        std::string stot, std::string addr = "",
                                        std::string type = "2") {
  return {{"pxname", "TransparentBack_http"}, {"svname", std::move(sv)},
          {"status", std::move(status)},      {"scur", std::move(scur)},
          {"stot", std::move(stot)},          {"addr", std::move(addr)},
          {"type", std::move(type)}};
}

// The example of the header, with every kind of row.
StatusSources ExampleSources() {
  StatusSources s;
  s.prefix = "/app/servers";
  s.containers = std::vector<docker::ContainerSummary>{
      Container("app-10", "running"), Container("app-2", "running"), Container("app-1", "running"),
      Container("gone-1", "exited"), Container("odd-1", "")};
  s.registrations = std::vector<etcd::KeyValue>{
      Key("/app/servers/app-1", "10.0.0.5:32768"),
      Key("/app/servers/app-2", "10.0.0.5:32769"),
      Key("/app/servers/old-1", "10.0.0.5:32770"),
      Key("/app/servers/nested/x", "10.0.0.5:1"),  // not an instance
      Key("/app/servers/", "10.0.0.5:2"),          // no name
      Key("/app/serversX/app-9", "10.0.0.5:3"),    // another prefix
  };
  s.haproxy_stat = std::vector<std::map<std::string, std::string>>{
      Stat("FRONTEND", "OPEN", "0", "90", "", "0"),
      Stat("app-1", "UP", "0", "41", "10.0.0.5:32768"),
      Stat("app-2", "DRAIN", "2", "40", "10.0.0.5:32769"),
      Stat("old-1", "DOWN 1/2", "0", "3", "10.0.0.5:32770"),
      Stat("stray", "no check", "", "", "10.0.0.9:80"),
      Stat("stats-srv", "UP", "0", "0", "", "3"),  // not a server of ours
      Stat("BACKEND", "UP", "2", "84", "", "1"),
  };
  return s;
}

TEST(BuildRowsTest, MergesTheSources) {
  const std::vector<InstanceRow> want = {
      {"app-1", "10.0.0.5:32768", "running", "yes", "UP", "0", "41"},
      {"app-2", "10.0.0.5:32769", "running", "yes", "DRAIN", "2", "40"},
      {"app-10", "-", "running", "no", "absent", "-", "-"},
      {"gone-1", "-", "exited", "no", "absent", "-", "-"},
      {"odd-1", "-", "?", "no", "absent", "-", "-"},
      {"old-1", "10.0.0.5:32770", "-", "yes", "DOWN", "0", "3"},
      {"stray", "10.0.0.9:80", "-", "no", "UP", "0", "0"},
  };
  EXPECT_EQ(BuildRows(ExampleSources()), want);
}

TEST(BuildRowsTest, UnreadableSourcesAreQuestionMarks) {
  StatusSources s = ExampleSources();
  s.registrations.reset();
  s.haproxy_stat.reset();
  const std::vector<InstanceRow> want = {
      {"app-1", "-", "running", "?", "?", "?", "?"},  {"app-2", "-", "running", "?", "?", "?", "?"},
      {"app-10", "-", "running", "?", "?", "?", "?"}, {"gone-1", "-", "exited", "?", "?", "?", "?"},
      {"odd-1", "-", "?", "?", "?", "?", "?"},
  };
  EXPECT_EQ(BuildRows(s), want);

  s = ExampleSources();
  s.containers.reset();
  auto rows = BuildRows(s);
  ASSERT_EQ(rows.size(), 4u);  // app-1, app-2, old-1, stray
  for (const auto& r : rows) EXPECT_EQ(r.docker, "?") << r.name;

  EXPECT_TRUE(BuildRows(StatusSources{}).empty());
}

TEST(BuildRowsTest, PrefixWithTrailingSlash) {
  StatusSources s;
  s.prefix = "/app/servers//";
  s.registrations = std::vector<etcd::KeyValue>{Key("/app/servers/app-1", "h:1")};
  auto rows = BuildRows(s);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "app-1");
  EXPECT_EQ(rows[0].etcd, "yes");
  EXPECT_EQ(rows[0].address, "h:1");
}

TEST(BuildRowsTest, RegistrationAddressWinsOverHaproxys) {
  StatusSources s;
  s.prefix = "/p";
  s.registrations = std::vector<etcd::KeyValue>{Key("/p/a-1", "10.0.0.1:1")};
  s.haproxy_stat =
      std::vector<std::map<std::string, std::string>>{Stat("a-1", "UP", "1", "2", "10.0.0.2:2")};
  auto rows = BuildRows(s);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].address, "10.0.0.1:1");
}

TEST(FormatTableTest, PaddedColumnsTwoSpacesApartNoTrailingSpaces) {
  const std::vector<InstanceRow> rows = {
      {"app-1", "10.0.0.5:32768", "running", "yes", "UP", "0", "41"},
      {"app-2", "10.0.0.5:32769", "running", "yes", "DRAIN", "2", "40"},
      {"old-1", "10.0.0.5:32770", "-", "yes", "DOWN", "0", "3"},
  };
  EXPECT_EQ(FormatTable(rows),
            "INSTANCE  ADDRESS         DOCKER   ETCD  HAPROXY  SESSIONS  SERVED\n"
            "app-1     10.0.0.5:32768  running  yes   UP       0         41\n"
            "app-2     10.0.0.5:32769  running  yes   DRAIN    2         40\n"
            "old-1     10.0.0.5:32770  -        yes   DOWN     0         3\n");
}

TEST(FormatTableTest, WideCellsWidenTheirColumnOnly) {
  const std::vector<InstanceRow> rows = {
      {"a-very-long-instance-name", "-", "-", "no", "absent", "-", "-"},
      {"b", "-", "-", "no", "absent", "-", "1234567890"},
  };
  EXPECT_EQ(FormatTable(rows),
            "INSTANCE                   ADDRESS  DOCKER  ETCD  HAPROXY  SESSIONS  SERVED\n"
            "a-very-long-instance-name  -        -       no    absent   -         -\n"
            "b                          -        -       no    absent   -         1234567890\n");
}

TEST(FormatTableTest, HeaderAloneWithoutRows) {
  EXPECT_EQ(FormatTable({}), "INSTANCE  ADDRESS  DOCKER  ETCD  HAPROXY  SESSIONS  SERVED\n");
}

TEST(FormatTimeAgoTest, Table) {
  // 1700000000 is 2023-11-14 22:13:20 UTC.
  constexpr double kT = 1700000000;
  struct Case {
    double now;
    std::string want;
  };
  const Case kCases[] = {
      {kT, "2023-11-14 22:13:20 UTC (0s ago)"},
      {kT + 5, "2023-11-14 22:13:20 UTC (5s ago)"},
      {kT + 4.6, "2023-11-14 22:13:20 UTC (5s ago)"},
      {kT + 119, "2023-11-14 22:13:20 UTC (119s ago)"},
      {kT + 120, "2023-11-14 22:13:20 UTC (2m ago)"},
      {kT + 7199, "2023-11-14 22:13:20 UTC (119m ago)"},
      {kT + 7200, "2023-11-14 22:13:20 UTC (2h ago)"},
      {kT + 2 * 86400 - 1, "2023-11-14 22:13:20 UTC (47h ago)"},
      {kT + 2 * 86400, "2023-11-14 22:13:20 UTC (2d ago)"},
      {kT + 400 * 86400, "2023-11-14 22:13:20 UTC (400d ago)"},
      // A clock that went back: never "-3s ago".
      {kT - 3, "2023-11-14 22:13:20 UTC (0s ago)"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(FormatTimeAgo(kT, c.now), c.want) << "now - t = " << c.now - kT;
  }
  EXPECT_EQ(FormatTimeAgo(0, 1), "1970-01-01 00:00:00 UTC (1s ago)");
  // Fractions of the time itself are cut, not rounded up.
  EXPECT_EQ(FormatTimeAgo(kT + 0.9, kT + 0.9), "2023-11-14 22:13:20 UTC (0s ago)");
}

}  // namespace
}  // namespace berth::up
