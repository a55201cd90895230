#include "backend/etcd/endpoint.h"

#include <gtest/gtest.h>

namespace berth::etcd::internal {
namespace {

using Scheme = Endpoint::Scheme;

TEST(ParseEndpoint, Accepted) {
  struct Case {
    const char* text;
    const char* target;
    Scheme scheme;
  };
  static const Case kCases[] = {
      {"http://127.0.0.1:2379", "127.0.0.1:2379", Scheme::kHttp},
      {"https://127.0.0.1:2379", "127.0.0.1:2379", Scheme::kHttps},
      {"127.0.0.1:4001", "127.0.0.1:4001", Scheme::kNone},
      {"http://etcd.example:2379/", "etcd.example:2379", Scheme::kHttp},
      {"https://[::1]:2379", "[::1]:2379", Scheme::kHttps},
      {"localhost:1", "localhost:1", Scheme::kNone},
  };
  for (const Case& c : kCases) {
    auto ep = ParseEndpoint(c.text);
    ASSERT_TRUE(ep.has_value()) << c.text << ": " << ep.error().message();
    EXPECT_EQ(ep->target, c.target) << c.text;
    EXPECT_EQ(ep->scheme, c.scheme) << c.text;
    EXPECT_EQ(ep->original, c.text);
  }
}

TEST(ParseEndpoint, Rejected) {
  static const char* const kCases[] = {
      "",         "http://",   "127.0.0.1",  "unix:///tmp/etcd.sock",
      "host:",    "host:http", "host:70000", "http://host:2379/v3",
      "::1:2379", "[::1:2379", "[::1]",      ":2379",
      "host:0",
  };
  for (const char* text : kCases) {
    auto ep = ParseEndpoint(text);
    ASSERT_FALSE(ep.has_value()) << "accepted: " << text;
    EXPECT_EQ(ep.error().code(), Code::kInvalidArgument);
    EXPECT_NE(ep.error().message().find(text), std::string::npos) << ep.error().message();
  }
}

TEST(PrefixRange, Cases) {
  struct Case {
    std::string prefix, key, range_end;
  };
  const Case kCases[] = {
      {"/app", "/app", "/apq"},
      {"a", "a", "b"},
      {"", std::string(1, '\0'), std::string(1, '\0')},
      {"a\xff", "a\xff", "b"},
      {"\xff\xff", "\xff\xff", std::string(1, '\0')},
      {"/app/servers/", "/app/servers/", "/app/servers0"},
  };
  for (const Case& c : kCases) {
    KeyRange r = PrefixRange(c.prefix);
    EXPECT_EQ(r.key, c.key) << c.prefix;
    EXPECT_EQ(r.range_end, c.range_end) << c.prefix;
  }
}

TEST(QuoteKey, EscapesUnprintableBytes) {
  EXPECT_EQ(QuoteKey("/app/servers/web-1"), "/app/servers/web-1");
  EXPECT_EQ(QuoteKey(std::string("a\0b\xff\\", 5)), "a\\x00b\\xff\\x5c");
}

}  // namespace
}  // namespace berth::etcd::internal
