// FlagSet against Go's flag package: every expectation below was printed by
// Go 1.19's flag.FlagSet for the same flags and arguments.
#include "confd/flags.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/gostrconv.h"

namespace berth::confd {
namespace {

std::string QuoteList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + gostrconv::Quote(v[i]);
  return out + "]";
}

// The flags of the Go program that produced the expectations.
struct Flags {
  std::string backend = "etcd";
  std::string prefix;
  bool noop = false;
  bool b = false;
  int64_t interval = 600;
  std::vector<std::string> node;

  void Register(FlagSet* fs) {
    fs->String("backend", &backend, "backend to use");
    fs->String("prefix", &prefix, "key path prefix");
    fs->Bool("noop", &noop, "only show pending changes");
    fs->Bool("b", &b, "short bool");
    fs->Int("interval", &interval, "backend polling interval");
    fs->List("node", &node, "list of backend nodes");
  }

  // As the Go program prints the state.
  std::string Summary(const FlagSet& fs) const {
    std::string set;
    for (const char* name : {"b", "backend", "interval", "node", "noop", "prefix"}) {
      if (fs.WasSet(name)) set += (set.empty() ? "" : " ") + std::string(name);
    }
    return "backend=" + gostrconv::Quote(backend) + " prefix=" + gostrconv::Quote(prefix) +
           " noop=" + (noop ? "true" : "false") + " b=" + (b ? "true" : "false") +
           " interval=" + std::to_string(interval) + " node=" + QuoteList(node) +
           " rest=" + QuoteList(fs.rest()) + " set=[" + set + "]";
  }
};

TEST(FlagSetTest, ParseLikeGo) {
  struct Case {
    std::vector<std::string> args;
    const char* want;  // the state, "help", or "error: <message>"
  };
  const Case kCases[] = {
      {{"-backend", "file"},
       R"(backend="file" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[backend])"},
      {{"--backend", "file"},
       R"(backend="file" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[backend])"},
      {{"-backend=file"},
       R"(backend="file" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[backend])"},
      {{"--backend=file"},
       R"(backend="file" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[backend])"},
      {{"-noop"},
       R"(backend="etcd" prefix="" noop=true b=false interval=600 node=[] rest=[] set=[noop])"},
      {{"--noop"},
       R"(backend="etcd" prefix="" noop=true b=false interval=600 node=[] rest=[] set=[noop])"},
      {{"-noop=false"},
       R"(backend="etcd" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[noop])"},
      {{"-noop=0"},
       R"(backend="etcd" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[noop])"},
      {{"-noop=1"},
       R"(backend="etcd" prefix="" noop=true b=false interval=600 node=[] rest=[] set=[noop])"},
      {{"-noop=T"},
       R"(backend="etcd" prefix="" noop=true b=false interval=600 node=[] rest=[] set=[noop])"},
      // A bool flag never takes the next argument: "false" is positional and
      // ends the flags.
      {{"-noop", "false"},
       R"(backend="etcd" prefix="" noop=true b=false interval=600 node=[] rest=["false"] set=[noop])"},
      {{"-noop", "false", "-b"},
       R"(backend="etcd" prefix="" noop=true b=false interval=600 node=[] rest=["false" "-b"] set=[noop])"},
      {{"-b"},
       R"(backend="etcd" prefix="" noop=false b=true interval=600 node=[] rest=[] set=[b])"},
      {{"-interval", "0x10"},
       R"(backend="etcd" prefix="" noop=false b=false interval=16 node=[] rest=[] set=[interval])"},
      {{"-interval=010"},
       R"(backend="etcd" prefix="" noop=false b=false interval=8 node=[] rest=[] set=[interval])"},
      {{"-interval", "-5"},
       R"(backend="etcd" prefix="" noop=false b=false interval=-5 node=[] rest=[] set=[interval])"},
      {{"-interval", "1_000"},
       R"(backend="etcd" prefix="" noop=false b=false interval=1000 node=[] rest=[] set=[interval])"},
      {{"-node", "a", "-node", "b"},
       R"(backend="etcd" prefix="" noop=false b=false interval=600 node=["a" "b"] rest=[] set=[node])"},
      {{"--", "-noop"},
       R"(backend="etcd" prefix="" noop=false b=false interval=600 node=[] rest=["-noop"] set=[])"},
      {{"x", "-noop"},
       R"(backend="etcd" prefix="" noop=false b=false interval=600 node=[] rest=["x" "-noop"] set=[])"},
      {{"-", "-noop"},
       R"(backend="etcd" prefix="" noop=false b=false interval=600 node=[] rest=["-" "-noop"] set=[])"},
      // A string flag takes the next argument even when it looks like a flag.
      {{"-prefix", "-noop"},
       R"(backend="etcd" prefix="-noop" noop=false b=false interval=600 node=[] rest=[] set=[prefix])"},
      {{"-prefix="},
       R"(backend="etcd" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[prefix])"},
      {{"-prefix=a=b"},
       R"(backend="etcd" prefix="a=b" noop=false b=false interval=600 node=[] rest=[] set=[prefix])"},
      {{"-noop", "--", "x"},
       R"(backend="etcd" prefix="" noop=true b=false interval=600 node=[] rest=["x"] set=[noop])"},
      {{"-backend", "file", "rest1", "rest2"},
       R"(backend="file" prefix="" noop=false b=false interval=600 node=[] rest=["rest1" "rest2"] set=[backend])"},
      {{}, R"(backend="etcd" prefix="" noop=false b=false interval=600 node=[] rest=[] set=[])"},
      {{"-h"}, "help"},
      {{"-help"}, "help"},
      {{"--help"}, "help"},
      {{"--h"}, "help"},
      {{"-h=1"}, "help"},
      {{"-help=false"}, "help"},
      {{"-noop", "-h"}, "help"},
      {{"-noop=x"}, R"(error: invalid boolean value "x" for -noop: parse error)"},
      {{"-noop="}, R"(error: invalid boolean value "" for -noop: parse error)"},
      {{"-interval", "abc"}, R"(error: invalid value "abc" for flag -interval: parse error)"},
      {{"-interval", "99999999999999999999"},
       R"(error: invalid value "99999999999999999999" for flag -interval: value out of range)"},
      {{"-x"}, "error: flag provided but not defined: -x"},
      {{"-x=1"}, "error: flag provided but not defined: -x"},
      {{"--x", "-noop"}, "error: flag provided but not defined: -x"},
      {{"-backend"}, "error: flag needs an argument: -backend"},
      {{"-noop", "-interval"}, "error: flag needs an argument: -interval"},
      {{"---x"}, "error: bad flag syntax: ---x"},
      {{"-=x"}, "error: bad flag syntax: -=x"},
      {{"--=x"}, "error: bad flag syntax: --=x"},
  };
  for (const Case& c : kCases) {
    Flags flags;
    FlagSet fs("confd");
    flags.Register(&fs);
    auto got = fs.Parse(c.args);
    std::string summary;
    if (!got) {
      EXPECT_EQ(got.error().code(), Code::kInvalidArgument);
      summary = "error: " + got.error().message();
    } else if (*got == FlagSet::Outcome::kHelp) {
      summary = "help";
    } else {
      summary = flags.Summary(fs);
    }
    EXPECT_EQ(summary, c.want) << QuoteList(c.args);
  }
}

TEST(FlagSetTest, UsageLikeGo) {
  std::string backend = "etcd", prefix, s;
  bool noop = false, b = false, t = true;
  int64_t interval = 600, i = 0;
  std::vector<std::string> node;
  FlagSet fs("confd");
  // Registered out of order: the usage sorts by name.
  fs.String("prefix", &prefix, "key path prefix");
  fs.String("backend", &backend, "backend to use");
  fs.Bool("noop", &noop, "only show pending changes");
  fs.Bool("b", &b, "short bool");
  fs.Bool("t", &t, "true bool");
  fs.Int("interval", &interval, "backend polling interval");
  fs.Int("i", &i, "short int");
  fs.String("s", &s, "short string");
  fs.List("node", &node, "list of backend nodes");
  fs.Custom(
      "wait", "duration", "1s", [](std::string_view) { return Status::Ok(); }, "debounce");
  EXPECT_EQ(fs.Usage(),
            "Usage of confd:\n"
            "  -b\tshort bool\n"
            "  -backend string\n"
            "    \tbackend to use (default \"etcd\")\n"
            "  -i int\n"
            "    \tshort int\n"
            "  -interval int\n"
            "    \tbackend polling interval (default 600)\n"
            "  -node value\n"
            "    \tlist of backend nodes\n"
            "  -noop\n"
            "    \tonly show pending changes\n"
            "  -prefix string\n"
            "    \tkey path prefix\n"
            "  -s string\n"
            "    \tshort string\n"
            "  -t\ttrue bool (default true)\n"
            "  -wait duration\n"
            "    \tdebounce (default 1s)\n");
  // The usage shows the defaults, not values parsed later.
  ASSERT_TRUE(fs.Parse({"-backend", "file"}).has_value());
  EXPECT_NE(fs.Usage().find("(default \"etcd\")"), std::string::npos);
}

TEST(FlagSetTest, CustomFlagErrors) {
  std::string seen;
  FlagSet fs("confd");
  fs.Custom(
      "wait", "duration", "",
      [&](std::string_view v) -> Status {
        if (v == "bad") return Status::InvalidArgument("not a duration");
        seen = v;
        return Status::Ok();
      },
      "debounce");
  ASSERT_TRUE(fs.Parse({"-wait", "2s"}).has_value());
  EXPECT_EQ(seen, "2s");
  EXPECT_TRUE(fs.WasSet("wait"));
  auto bad = fs.Parse({"-wait=bad"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "invalid value \"bad\" for flag -wait: not a duration");
}

TEST(ParseGoDurationTest, LikeGo) {
  struct Case {
    const char* in;
    int64_t want;
    const char* error;  // nullptr when it parses
  };
  constexpr Case kCases[] = {
      {"300ms", 300'000'000, nullptr},
      {"1.5h", 5'400'000'000'000, nullptr},
      {"2h45m", 9'900'000'000'000, nullptr},
      {"0", 0, nullptr},
      {"-0", 0, nullptr},
      {"+0", 0, nullptr},
      {"0s", 0, nullptr},
      {"-1s", -1'000'000'000, nullptr},
      {"+5s", 5'000'000'000, nullptr},
      {".5s", 500'000'000, nullptr},
      {"1.s", 1'000'000'000, nullptr},
      {"1ns", 1, nullptr},
      {"1us", 1'000, nullptr},
      {"1\xC2\xB5s", 1'000, nullptr},  // U+00B5 micro sign
      {"1\xCE\xBCs", 1'000, nullptr},  // U+03BC Greek mu
      {"10m", 600'000'000'000, nullptr},
      {"1.1h", 3'960'000'000'000, nullptr},
      {"0.1s", 100'000'000, nullptr},
      {"3.000000001s", 3'000'000'001, nullptr},
      {"1.0000000005s", 1'000'000'000, nullptr},  // below a nanosecond: truncated
      {"1h1m1s1ms1us1ns", 3'661'001'001'001, nullptr},
      {"9223372036854775807ns", INT64_MAX, nullptr},
      {"2562047h47m16.854775807s", INT64_MAX, nullptr},
      {"-9223372036854775808ns", INT64_MIN, nullptr},
      {"9223372036854775808ns", 0, R"(time: invalid duration "9223372036854775808ns")"},
      {"2562048h", 0, R"(time: invalid duration "2562048h")"},
      {"", 0, R"(time: invalid duration "")"},
      {"-", 0, R"(time: invalid duration "-")"},
      {".", 0, R"(time: invalid duration ".")"},
      {".s", 0, R"(time: invalid duration ".s")"},
      {"s", 0, R"(time: invalid duration "s")"},
      {"1", 0, R"(time: missing unit in duration "1")"},
      {"1s2", 0, R"(time: missing unit in duration "1s2")"},
      {"1x", 0, R"(time: unknown unit "x" in duration "1x")"},
      {"1e3s", 0, R"(time: unknown unit "e" in duration "1e3s")"},
      {"1 s", 0, R"(time: unknown unit " s" in duration "1 s")"},
      {"+-1s", 0, R"(time: invalid duration "+-1s")"},
  };
  for (const Case& c : kCases) {
    auto got = ParseGoDuration(c.in);
    if (c.error == nullptr) {
      ASSERT_TRUE(got.has_value()) << c.in << ": " << got.error().message();
      EXPECT_EQ(*got, c.want) << c.in;
    } else {
      ASSERT_FALSE(got.has_value()) << c.in << " gave " << *got;
      EXPECT_EQ(got.error().message(), c.error) << c.in;
    }
  }
}

}  // namespace
}  // namespace berth::confd
