#include "kv/snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/gopath.h"

namespace berth::kv {
namespace {

using Strings = std::vector<std::string>;

// ---------------------------------------------------------------------------
// A literal transcription of memkv v0.1.1 (confd's store): every query scans
// every key.  The indexed Snapshot must agree with it on everything.
class ReferenceStore {
 public:
  explicit ReferenceStore(const std::vector<Entry>& entries) {
    for (const Entry& e : entries) m_[e.key] = e.value;  // later wins
  }

  // nullopt: error
  std::optional<Strings> GetAllKeys(const std::string& pattern) const {
    Strings out;
    for (const auto& [k, v] : m_) {
      Result<bool> r = gopath::Match(pattern, k);
      if (!r.has_value()) return std::nullopt;
      if (*r) out.push_back(k);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::optional<Strings> GetAllValues(const std::string& pattern) const {
    std::optional<Strings> keys = GetAllKeys(pattern);
    if (!keys) return std::nullopt;
    Strings out;
    for (const std::string& k : *keys) out.push_back(m_.at(k));
    std::sort(out.begin(), out.end());
    return out;
  }

  Strings List(const std::string& path) const {
    std::set<std::string> set;
    const Strings prefix = Terms(gopath::Clean(path));
    for (const auto& [k, v] : m_) {
      if (k == path) {
        set.insert(std::string(gopath::Base(k)));
        continue;
      }
      if (SamePrefix(prefix, Terms(gopath::Dir(k)))) {
        set.insert(Split(StripKey(k, path))[0]);
      }
    }
    return Strings(set.begin(), set.end());
  }

  Strings ListDir(const std::string& path) const {
    std::set<std::string> set;
    const Strings prefix = Terms(gopath::Clean(path));
    for (const auto& [k, v] : m_) {
      if (k.starts_with(path)) {
        const Strings items = Terms(gopath::Dir(k));
        if (SamePrefix(prefix, items) && items.size() > prefix.size()) {
          set.insert(items[prefix.size()]);
        }
      }
    }
    return Strings(set.begin(), set.end());
  }

  bool Exists(const std::string& key) const { return m_.count(key) > 0; }

 private:
  static Strings Split(const std::string& s) {
    Strings out;
    size_t i = 0;
    for (;;) {
      const size_t j = s.find('/', i);
      out.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
      if (j == std::string::npos) return out;
      i = j + 1;
    }
  }
  static Strings Terms(const std::string& p) { return Split(gopath::Clean(p)); }
  static bool SamePrefix(const Strings& prefix, const Strings& test) {
    if (test.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (prefix[i] != test[i]) return false;
    }
    return true;
  }
  static std::string StripKey(std::string key, const std::string& prefix) {
    if (key.starts_with(prefix)) key.erase(0, prefix.size());
    if (key.starts_with("/")) key.erase(0, 1);
    return key;
  }

  std::map<std::string, std::string> m_;
};

Strings ToStrings(const std::vector<std::string_view>& v) { return Strings(v.begin(), v.end()); }

std::optional<Strings> Keys(const Result<std::vector<const Entry*>>& r) {
  if (!r.has_value()) return std::nullopt;
  Strings out;
  for (const Entry* e : *r) out.push_back(e->key);
  return out;
}

std::optional<Strings> Values(const Result<std::vector<std::string_view>>& r) {
  if (!r.has_value()) return std::nullopt;
  return ToStrings(*r);
}

std::string Show(const std::optional<Strings>& v) {
  if (!v) return "<error>";
  std::string s = "[";
  for (const std::string& x : *v) s += "\"" + x + "\" ";
  return s + "]";
}

// ---------------------------------------------------------------------------
// Tables from the conformance corpus (store--*, yaml--*): confd's real output.

std::vector<Entry> LsData() {
  return {{"/app/a", "1"},  {"/app/b/c", "2"}, {"/app/b/d/e", "3"},
          {"/app/bb", "4"}, {"/apple", "5"},   {"/top", "6"}};
}

TEST(SnapshotConformance, Ls) {
  auto s = Snapshot::Create(LsData());
  const std::pair<const char*, Strings> cases[] = {
      {"/", {"apple", "top"}},     {"/app", {"a", "b", "bb"}},
      {"/app/", {"a", "b", "bb"}}, {"/app/b", {"c", "d"}},
      {"/app/a", {"a"}},           {"/ap", {}},
      {"/app/b/d", {"e"}},         {"/nope", {}},
      {"/top", {"top"}},           {"app", {}},
      {"//app", {"app"}},
  };
  for (const auto& [path, want] : cases) EXPECT_EQ(ToStrings(s->List(path)), want) << path;
}

TEST(SnapshotConformance, LsDir) {
  auto s = Snapshot::Create({{"/app/a", "1"},
                             {"/app/b/c", "2"},
                             {"/app/b/d/e", "3"},
                             {"/app/bb/x", "4"},
                             {"/app/bc/yv/zv", "5"},
                             {"/apple/q", "6"}});
  const std::pair<const char*, Strings> cases[] = {
      {"/", {}},
      {"/app", {"b", "bb", "bc"}},
      {"/app/", {"b", "bb", "bc"}},
      {"/app/b", {"d"}},
      {"/app/a", {}},
      {"/ap", {}},
      {"/app/bc", {"yv"}},
      {"/nope", {}},
      {"/apple", {}},
      {"app", {}},
  };
  for (const auto& [path, want] : cases) EXPECT_EQ(ToStrings(s->ListDir(path)), want) << path;
}

TEST(SnapshotConformance, GetsGlob) {
  auto s = Snapshot::Create({{"/g/a1", "v-a1"},
                             {"/g/a2", "v-a2"},
                             {"/g/b1", "v-b1"},
                             {"/g/ab", "v-ab"},
                             {"/g/*", "v-star"},
                             {"/g/sub/deep", "v-deep"}});
  const std::pair<const char*, Strings> cases[] = {
      {"/g/*", {"/g/*", "/g/a1", "/g/a2", "/g/ab", "/g/b1"}},
      {"/g/a*", {"/g/a1", "/g/a2", "/g/ab"}},
      {"/g/a?", {"/g/a1", "/g/a2", "/g/ab"}},
      {"/g/[ab]1", {"/g/a1", "/g/b1"}},
      {"/g/[!a]*", {"/g/a1", "/g/a2", "/g/ab"}},
      {"/g/[^a]*", {"/g/*", "/g/b1"}},
      {"/g/[a-b][0-9]", {"/g/a1", "/g/a2", "/g/b1"}},
      {"/g/\\*", {"/g/*"}},
      {"/g/*/*", {"/g/sub/deep"}},
      {"/g/a1", {"/g/a1"}},
      {"g/*", {}},
      {"/g", {}},
      {"*", {}},
      {"/*", {}},
      {"/*/*/*", {"/g/sub/deep"}},
  };
  for (const auto& [pattern, want] : cases) {
    EXPECT_EQ(Show(Keys(s->GetAll(pattern))), Show(want)) << pattern;
  }
  EXPECT_EQ(s->GetAll("/*/*")->size(), 5u);
}

TEST(SnapshotConformance, SortIsBytewise) {
  auto s = Snapshot::Create({{"/k/b", "1"},
                             {"/k/B", "2"},
                             {"/k/a_x", "3"},
                             {"/k/a-x", "4"},
                             {"/k/a.x", "5"},
                             {"/k/a0", "6"},
                             {"/k/10", "7"},
                             {"/k/9", "8"},
                             {"/k/\xc3\xa9", "9"},
                             {"/k/Z", "10"}});
  const Strings want = {"10", "9", "B", "Z", "a-x", "a.x", "a0", "a_x", "b", "\xc3\xa9"};
  EXPECT_EQ(ToStrings(s->List("/k")), want);
  Strings bases;
  const auto all = s->GetAll("/k/*");
  for (const Entry* e : *all) bases.emplace_back(gopath::Base(e->key));
  EXPECT_EQ(bases, want);
}

TEST(SnapshotConformance, GetvsSortsValues) {
  auto s = Snapshot::Create({{"/p/a", "zebra"},
                             {"/p/b", "apple"},
                             {"/p/c", "Mango"},
                             {"/p/d", "apple"},
                             {"/p/e", "10"},
                             {"/p/f", "9"}});
  EXPECT_EQ(Show(Values(s->GetAllValues("/p/*"))),
            Show(Strings{"10", "9", "Mango", "apple", "apple", "zebra"}));
}

TEST(SnapshotConformance, ExistsAndGetAreExact) {
  auto s = Snapshot::Create({{"/a", "value"}, {"/empty", ""}, {"/d/x", "1"}});
  EXPECT_TRUE(s->Exists("/a"));
  EXPECT_FALSE(s->Exists("/a/"));
  EXPECT_TRUE(s->Exists("/empty"));
  EXPECT_EQ(s->Get("/empty")->value, "");
  EXPECT_FALSE(s->Exists("/d"));  // a directory is not a key
  EXPECT_EQ(s->Get("/missing"), nullptr);
}

TEST(SnapshotConformance, DeepNesting) {
  auto s = Snapshot::Create({{"/l1/l2/l3/l4/l5/l6/l7/l8", "bottom"},
                             {"/l1/l2/l3/l4/l5/l6/l7/l8b", "bottom-b"},
                             {"/l1/l2/l3/l4/l5/l6/other", "o6"}});
  EXPECT_EQ(Show(Keys(s->GetAll("/l1/*/*/*/*/*/*/*"))),
            Show(Strings{"/l1/l2/l3/l4/l5/l6/l7/l8", "/l1/l2/l3/l4/l5/l6/l7/l8b"}));
  EXPECT_EQ(Show(Keys(s->GetAll("/l1/l2/l3/l4/l5/l6/*"))),
            Show(Strings{"/l1/l2/l3/l4/l5/l6/other"}));
  EXPECT_EQ(ToStrings(s->List("/l1/l2/l3/l4/l5/l6")), (Strings{"l7", "other"}));
  EXPECT_EQ(ToStrings(s->ListDir("/l1/l2/l3/l4/l5/l6")), (Strings{"l7"}));
  EXPECT_EQ(ToStrings(s->ListDir("/l1")), (Strings{"l2"}));
  EXPECT_EQ(ToStrings(s->List("/l1/l2/l3/l4/l5/l6/l7")), (Strings{"l8", "l8b"}));
}

TEST(SnapshotConformance, NullAndEmpty) {
  auto s = Snapshot::Create({{"/d", ""}, {"/e", ""}, {"/g/1", "x"}});
  EXPECT_EQ(ToStrings(s->List("/")), (Strings{"d", "e"}));
  EXPECT_EQ(ToStrings(s->List("/g")), (Strings{"1"}));
}

TEST(Snapshot, EmptyStoreBadPatternIsNotAnError) {
  auto empty = Snapshot::Create({});
  ASSERT_TRUE(empty->GetAll("[").has_value());
  EXPECT_TRUE(empty->GetAll("[")->empty());
  auto one = Snapshot::Create({{"/a", "1"}});
  ASSERT_FALSE(one->GetAll("[").has_value());
  EXPECT_EQ(one->GetAll("[").error().message(), "syntax error in pattern");
  EXPECT_FALSE(one->GetAll("/zzz/[").has_value());  // even where no key could match
  EXPECT_FALSE(one->GetAllValues("\\").has_value());
}

TEST(Snapshot, LaterDuplicateWins) {
  auto s = Snapshot::Create({{"/b", "1"}, {"/a", "x"}, {"/b", "2"}, {"/a", "y"}, {"/b", "3"}});
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ(s->Get("/a")->value, "y");
  EXPECT_EQ(s->Get("/b")->value, "3");
}

TEST(Snapshot, KeyEqualToRoot) {
  // A YAML key ".." or "" at the top level becomes the key "/".
  auto s = Snapshot::Create({{"/", "root"}, {"/a", "1"}, {"/b/c", "2"}});
  EXPECT_EQ(ToStrings(s->List("/")), (Strings{"/", "a"}));
  EXPECT_EQ(ToStrings(s->List("//")), (Strings{"", "a"}));
  EXPECT_EQ(ToStrings(s->ListDir("/")), (Strings{}));
  EXPECT_EQ(Show(Keys(s->GetAll("/"))), Show(Strings{"/"}));
  EXPECT_EQ(Show(Keys(s->GetAll("/*"))), Show(Strings{"/", "/a"}));
}

TEST(Snapshot, StringPrefixIsNotPathPrefix) {
  auto s = Snapshot::Create(
      {{"/app/x", "1"}, {"/app-x/y", "2"}, {"/apple/z", "3"}, {"/app.d/q", "4"}, {"/app", "5"}});
  EXPECT_EQ(ToStrings(s->List("/app")), (Strings{"app", "x"}));
  EXPECT_EQ(ToStrings(s->ListDir("/app")), (Strings{}));
  EXPECT_EQ(ToStrings(s->ListDir("/")), (Strings{}));
  EXPECT_EQ(ToStrings(s->List("/")), (Strings{"app"}));
  EXPECT_EQ(Show(Keys(s->GetAll("/app*"))), Show(Strings{"/app"}));
  EXPECT_EQ(Show(Keys(s->GetAll("/app*/*"))),
            Show(Strings{"/app-x/y", "/app.d/q", "/app/x", "/apple/z"}));
}

TEST(Snapshot, OddKeys) {
  // Keys a non-file backend may hold: relative, doubled or trailing slashes.
  auto s = Snapshot::Create({{"a/b", "1"},
                             {"/x//y", "2"},
                             {"/x/", "3"},
                             {"/x/z", "4"},
                             {"", "5"},
                             {"/x/./w/v", "6"},
                             {"/x/../u", "7"}});
  ReferenceStore ref({{"a/b", "1"},
                      {"/x//y", "2"},
                      {"/x/", "3"},
                      {"/x/z", "4"},
                      {"", "5"},
                      {"/x/./w/v", "6"},
                      {"/x/../u", "7"}});
  for (const char* p : {"/", "/x", "/x/", "", ".", "a", "a/", "/x//", "//x", "/u", "/x/w", "/.."}) {
    EXPECT_EQ(ToStrings(s->List(p)), ref.List(p)) << p;
    EXPECT_EQ(ToStrings(s->ListDir(p)), ref.ListDir(p)) << p;
  }
  EXPECT_EQ(ToStrings(s->List("")), (Strings{"."}));  // Base("") of the key ""
}

// ---------------------------------------------------------------------------
// Randomised comparison with the reference store.

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int Uniform(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  std::string Element() {
    static const char* kElems[] = {"a",   "b",  "app", "apple", "ap",  "app-x", "x y", "\xc3\xa9",
                                   "a.b", "-",  "_",   "10",    "2",   "B",     ".x",  "..x",
                                   "*",   "a1", "ab",  "s0001", "s10", "[",     "\\"};
    return kElems[Uniform(static_cast<int>(std::size(kElems)))];
  }

  std::string Key(bool canonical_only) {
    std::string k;
    const int depth = 1 + Uniform(4);
    const bool odd = !canonical_only && Uniform(6) == 0;
    if (!odd || Uniform(3) != 0) k = "/";
    for (int i = 0; i < depth; ++i) {
      if (i > 0) k += (odd && Uniform(4) == 0) ? "//" : "/";
      if (odd && Uniform(6) == 0) {
        k += Uniform(2) ? "." : "..";
      } else {
        k += Element();
      }
    }
    if (odd && Uniform(4) == 0) k += "/";
    if (Uniform(40) == 0) k = "/";
    return k;
  }

  std::string Path(const std::vector<Entry>& entries) {
    static const char* kFixed[] = {"/",     "",       "//",     "//a",    "/a/",     "a",
                                   "/app",  "/apple", "/ap",    "/.",     "/..",     "/a/.",
                                   "/a/..", "/a//",   ".",      "..",     "./a",     "/app/",
                                   "//app", "app",    "/app/.", "/app//", "/a/b/../"};
    const int pick = Uniform(10);
    if (pick < 3) return kFixed[Uniform(static_cast<int>(std::size(kFixed)))];
    if (pick < 8 && !entries.empty()) {
      // a prefix (path or string) of an existing key, often a real directory
      const std::string& k =
          entries[static_cast<size_t>(Uniform(static_cast<int>(entries.size())))].key;
      std::string p = k.substr(0, static_cast<size_t>(Uniform(static_cast<int>(k.size()) + 1)));
      if (Uniform(2) == 0) {
        const size_t slash = k.rfind('/', p.size());
        if (slash != std::string::npos && slash > 0) p = k.substr(0, slash);
      }
      if (Uniform(8) == 0) p += "/";
      return p;
    }
    return Key(false);
  }

  std::string Pattern(const std::vector<Entry>& entries) {
    static const char* kTokens[] = {"*", "?", "[a-c]", "[^a]", "[!a]", "\\*", "[/]", "/",
                                    "a", "b", "app",   "1",    "s",    "[",   "\\",  "*/*"};
    std::string p;
    if (Uniform(3) != 0 && !entries.empty()) {
      const std::string& k =
          entries[static_cast<size_t>(Uniform(static_cast<int>(entries.size())))].key;
      p = k.substr(0, static_cast<size_t>(Uniform(static_cast<int>(k.size()) + 1)));
    } else if (Uniform(2) == 0) {
      p = "/";
    }
    const int n = Uniform(4);
    for (int i = 0; i < n; ++i) {
      const char* t = kTokens[Uniform(static_cast<int>(std::size(kTokens)))];
      if ((std::string_view(t) == "[" || std::string_view(t) == "\\") && Uniform(5) != 0) continue;
      p += t;
    }
    return p;
  }

 private:
  std::mt19937 rng_;
};

TEST(SnapshotRandomized, AgreesWithMemkv) {
  Generator gen(20240601);
  for (int round = 0; round < 400; ++round) {
    std::vector<Entry> entries;
    const int n = gen.Uniform(round % 10 == 0 ? 3 : 60);
    const bool canonical_only = round % 3 == 0;
    for (int i = 0; i < n; ++i) {
      entries.push_back({gen.Key(canonical_only), std::to_string(gen.Uniform(5))});
    }
    auto snap = Snapshot::Create(entries);
    ReferenceStore ref(entries);
    for (int q = 0; q < 60; ++q) {
      const std::string path = gen.Path(entries);
      ASSERT_EQ(ToStrings(snap->List(path)), ref.List(path))
          << "ls \"" << path << "\" round " << round;
      ASSERT_EQ(ToStrings(snap->ListDir(path)), ref.ListDir(path))
          << "lsdir \"" << path << "\" round " << round;
      ASSERT_EQ(snap->Exists(path), ref.Exists(path)) << path;
      const std::string pattern = gen.Pattern(entries);
      ASSERT_EQ(Show(Keys(snap->GetAll(pattern))), Show(ref.GetAllKeys(pattern)))
          << "gets \"" << pattern << "\" round " << round;
      ASSERT_EQ(Show(Values(snap->GetAllValues(pattern))), Show(ref.GetAllValues(pattern)))
          << "getvs \"" << pattern << "\"";
    }
  }
}

// A large, regular tree: the indexed queries must also be fast, not only right.
TEST(SnapshotScale, IndexedQueriesAreFast) {
  std::vector<Entry> entries;
  for (int s = 0; s < 100; ++s) {
    for (int i = 0; i < 2000; ++i) {
      entries.push_back(
          {"/svc" + std::to_string(s) + "/servers/s" + std::to_string(i) + "/addr", "10.0.0.1:80"});
    }
    entries.push_back({"/svc" + std::to_string(s) + "/name", "n"});
  }
  auto snap = Snapshot::Create(std::move(entries));
  ASSERT_EQ(snap->size(), 200100u);
  // Thousands of queries over a 200k-key snapshot: a full scan per query
  // would take minutes; the indexed ones take milliseconds.
  for (int rep = 0; rep < 2000; ++rep) {
    ASSERT_EQ(snap->List("/").size(), 0u);
    ASSERT_EQ(snap->ListDir("/svc7").size(), 1u);
    ASSERT_EQ(snap->List("/svc7").size(), 2u);
    ASSERT_EQ(snap->GetAll("/svc1*/name")->size(), 11u);
    ASSERT_EQ(snap->GetAll("/*/name")->size(), 100u);
    ASSERT_EQ(snap->GetAll("/svc42/servers/*")->size(), 0u);
    ASSERT_EQ(snap->GetAll("/svc42/servers/s1999/*")->size(), 1u);
  }
}

}  // namespace
}  // namespace berth::kv
