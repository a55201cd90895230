// confd's functions, time formatting and address parsing against Go: the
// tables in testdata/ were printed by Go 1.19 running confd's own function
// definitions (`go run src/confd/testdata/funcs_cases.go`).
#include "confd/funcs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "confd/gojson.h"
#include "confd/gotime.h"
#include "confd/netlookup.h"

namespace berth::confd {
namespace {

struct TemplateCase {
  const char* text;
  const char* want;  // the output, or the error message when !ok
  bool ok;
};

constexpr TemplateCase kTemplateCases[] = {
#include "confd/testdata/funcs_cases.inc"
};

TEST(FuncsTest, LikeConfd) {
  ::setenv("BERTH_TEST_SET", "value", 1);
  ::setenv("BERTH_TEST_EMPTY", "", 1);
  ::unsetenv("BERTH_TEST_UNSET");
  const tmpl::FuncMap funcs = MakeFuncMap(kv::Snapshot::Create({}));
  for (const TemplateCase& c : kTemplateCases) {
    auto t = tmpl::Template::Parse("t", c.text, FuncNames());
    ASSERT_TRUE(t.has_value()) << c.text << ": " << t.error().message();
    std::string out;
    Status s = (*t)->Execute(&out, tmpl::Value(), funcs);
    if (c.ok) {
      EXPECT_TRUE(s.ok()) << c.text << ": " << s.message();
      EXPECT_EQ(out, c.want) << c.text;
    } else {
      EXPECT_FALSE(s.ok()) << c.text << " gave " << out;
      EXPECT_EQ(s.message(), c.want) << c.text;
    }
  }
  ::unsetenv("BERTH_TEST_SET");
  ::unsetenv("BERTH_TEST_EMPTY");
}

TEST(GoJsonTest, NullAndNil) {
  // "null" decodes to a nil map / slice, which a template prints as empty
  // and treats as false.
  auto m = UnmarshalJsonObject("null");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->len(), 0u);
  EXPECT_FALSE(tmpl::IsTrue(*m).truth);
  auto a = UnmarshalJsonArray(" null ");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->len(), 0u);
  EXPECT_FALSE(tmpl::IsTrue(*a).truth);
  auto empty = UnmarshalJsonObject("{}");
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(tmpl::IsTrue(*empty).truth);  // an empty map is false too
}

struct FormatCase {
  int64_t sec;
  int32_t nsec;
  const char* layout;
  const char* want;
};
struct StringCase {
  int64_t sec;
  int32_t nsec;
  const char* want;
};
struct DurationCase {
  int64_t d;
  const char* want;
};

#define GOTIME_FORMAT_CASE(sec, nsec, layout, want) FormatCase{sec, nsec, layout, want},
#define GOTIME_STRING_CASE(sec, nsec, want)
#define GOTIME_DURATION_CASE(d, want)
constexpr FormatCase kFormatCases[] = {
#include "confd/testdata/gotime_cases.inc"
};
#undef GOTIME_FORMAT_CASE
#undef GOTIME_STRING_CASE
#define GOTIME_FORMAT_CASE(sec, nsec, layout, want)
#define GOTIME_STRING_CASE(sec, nsec, want) StringCase{sec, nsec, want},
constexpr StringCase kStringCases[] = {
#include "confd/testdata/gotime_cases.inc"
};
#undef GOTIME_STRING_CASE
#undef GOTIME_DURATION_CASE
#define GOTIME_STRING_CASE(sec, nsec, want)
#define GOTIME_DURATION_CASE(d, want) DurationCase{d, want},
constexpr DurationCase kDurationCases[] = {
#include "confd/testdata/gotime_cases.inc"
};
#undef GOTIME_FORMAT_CASE
#undef GOTIME_STRING_CASE
#undef GOTIME_DURATION_CASE

TEST(GoTimeTest, Format) {
  ASSERT_GT(std::size(kFormatCases), 100u);
  for (const FormatCase& c : kFormatCases) {
    const gotime::Time t{.sec = c.sec, .nsec = c.nsec, .utc = true, .has_mono = false, .mono = 0};
    EXPECT_EQ(gotime::Format(t, c.layout), c.want) << c.sec << "." << c.nsec << " " << c.layout;
  }
}

TEST(GoTimeTest, String) {
  for (const StringCase& c : kStringCases) {
    const gotime::Time t{.sec = c.sec, .nsec = c.nsec, .utc = true, .has_mono = false, .mono = 0};
    EXPECT_EQ(gotime::String(t), c.want) << c.sec << "." << c.nsec;
  }
}

TEST(GoTimeTest, DurationString) {
  for (const DurationCase& c : kDurationCases) {
    EXPECT_EQ(gotime::DurationString(c.d), c.want) << c.d;
  }
}

struct IpCase {
  const char* in;
  const char* want;  // nullptr: not an IP for Go
};

#define PARSE_IP_CASE(in, want) IpCase{in, want},
constexpr IpCase kIpCases[] = {
#include "confd/testdata/parse_ip_cases.inc"
};
#undef PARSE_IP_CASE

TEST(NetLookupTest, ParseAndFormatIp) {
  for (const IpCase& c : kIpCases) {
    auto ip = ParseIp(c.in);
    if (c.want == nullptr) {
      EXPECT_FALSE(ip.has_value()) << '"' << c.in << "\" parsed as " << FormatIp(*ip);
      continue;
    }
    ASSERT_TRUE(ip.has_value()) << '"' << c.in << '"';
    EXPECT_EQ(FormatIp(*ip), c.want) << c.in;
    // IPv4 and IPv4-mapped addresses print as a dotted quad.
    const bool dotted = std::string(c.want).find('.') != std::string::npos &&
                        std::string(c.want).find(':') == std::string::npos;
    EXPECT_EQ(ip->is_v4, dotted) << c.in;
  }
}

TEST(NetLookupTest, LookupIp) {
  struct Case {
    const char* host;
    std::vector<std::string> want;
  };
  const Case kCases[] = {
      {"127.0.0.1", {"127.0.0.1"}},
      {"::1", {"::1"}},
      {"::ffff:127.0.0.1", {"127.0.0.1"}},
      {"2001:0DB8::0001", {"2001:db8::1"}},
      {"", {}},
      // A zoned IPv6 literal is its own answer, as in Go (either resolver),
      // whatever the zone names.
      {"fe80::1%lo", {"fe80::1"}},
      {"fe80::1%no-such-interface", {"fe80::1"}},
      {"::ffff:1.2.3.4%eth0", {"1.2.3.4"}},
      {"fe80::1%", {"fe80::1"}},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(LookupIp(c.host), c.want) << c.host;
  }
  // localhost resolves through the system (the hosts file): it has at least
  // 127.0.0.1, and the answer is sorted and printed as Go prints it.
  const std::vector<std::string> local = LookupIp("localhost");
  EXPECT_NE(std::find(local.begin(), local.end(), "127.0.0.1"), local.end());
  EXPECT_TRUE(std::is_sorted(local.begin(), local.end()));
  for (const auto& ip : local) EXPECT_TRUE(ParseIp(ip).has_value()) << ip;
}

}  // namespace
}  // namespace berth::confd
