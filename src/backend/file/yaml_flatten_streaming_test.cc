// The streaming fast path held against the exact path: on the recorded
// corpus, on the conformance data files, on generated documents, and on each
// reason to fall back.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "backend/file/yaml_flatten.h"
#include "backend/file/yaml_flatten_internal.h"
#include "base/gostrconv.h"

namespace berth::backend::file {
namespace {

std::string Show(const std::vector<kv::Entry>& entries) {
  std::string s;
  for (const kv::Entry& e : entries) {
    s += gostrconv::Quote(e.key) + "=" + gostrconv::Quote(e.value) + "\n";
  }
  return s;
}

std::string Show(const Result<std::vector<kv::Entry>>& r) {
  if (!r.has_value()) {
    return "error " + std::to_string(static_cast<int>(r.error().code())) + ": " +
           r.error().message();
  }
  return Show(*r);
}

// Runs both paths on `yaml`: where the streaming path finishes, its entries
// must be the exact path's, and FlattenYaml must always answer as the exact
// path does.  Returns the streaming path's verdict.
Bailout CheckBothPaths(std::string_view yaml, std::string_view label) {
  const Result<std::vector<kv::Entry>> exact = FlattenYamlExact(yaml, "data.yaml");
  std::vector<kv::Entry> streamed = {{"stale", "entry"}};
  const Bailout bailout = FlattenYamlStreaming(yaml, &streamed);
  if (bailout == Bailout::kNone) {
    EXPECT_TRUE(exact.has_value()) << label << ": the streaming path accepted a document in error ("
                                   << exact.error().message() << ")\n"
                                   << yaml;
    if (exact.has_value()) {
      EXPECT_EQ(Show(streamed), Show(*exact)) << label << "\n" << yaml;
    }
  } else {
    EXPECT_TRUE(streamed.empty()) << label;
  }
  EXPECT_EQ(Show(FlattenYaml(yaml, "data.yaml")), Show(exact)) << label << "\n" << yaml;
  return bailout;
}

// The "yaml" lines of testdata/yaml_cases.txt.
std::vector<std::string> RecordedDocuments() {
  std::ifstream in(BERTH_TESTDATA_DIR "/yaml_cases.txt", std::ios::binary);
  EXPECT_TRUE(in.good());
  std::vector<std::string> docs;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("yaml ")) continue;
    std::optional<std::string> doc = gostrconv::Unquote(std::string_view(line).substr(5));
    EXPECT_TRUE(doc.has_value()) << line;
    if (doc) docs.push_back(std::move(*doc));
  }
  return docs;
}

TEST(FlattenYamlStreaming, AgreesWithExactPathOnRecordedCases) {
  const std::vector<std::string> docs = RecordedDocuments();
  ASSERT_GT(docs.size(), 1000u);
  int streamed = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    streamed += CheckBothPaths(docs[i], "case " + std::to_string(i)) == Bailout::kNone;
  }
  // Most of the corpus needs none of the rare features.
  EXPECT_GT(streamed, static_cast<int>(docs.size()) / 3);
}

TEST(FlattenYamlStreaming, AgreesWithExactPathOnConformanceData) {
  namespace fs = std::filesystem;
  int files = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(BERTH_CONFORMANCE_DIR)) {
    if (!e.is_regular_file() || e.path().filename() != "data.yaml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    CheckBothPaths(text.str(), e.path().string());
    ++files;
  }
  EXPECT_GT(files, 100);
}

// ---------------------------------------------------------------------------
// Generated documents: random trees written in block and flow style, with
// keys and scalars drawn from the spellings where the rules bite.

constexpr const char* kKeys[] = {
    "a",           "b",
    "a-b",         "a.b",
    "a0",          "ab",
    "s1",          "s10",
    "s2",          "host",
    "port",        "name",
    "x y",         "\"q\"",
    "'s'",         "\"\"",
    "''",          ".",
    "..",          "a/b",
    "/abs",        "x/../y",
    "trail/",      "'<<'",
    "~",           "null",
    "on",          "yes",
    "1",           "01",
    "0x1F",        "1.5",
    "-1",          "1e3",
    "2001-12-14",  "\"1\"",
    "!!str 7",     "!!binary aGk=",
    "\"\\u00e9\"", "é",
    "k_1",         "\"a/b\"",
    "\"tab\\t\"",  "9",
    "10",          "100",
    "Z",           "?",
};

// Keys that make the streaming path fall back, or the document fail.
constexpr const char* kRareKeys[] = {
    "\"a\\/b\"", "!!int x", "[k]", "{k: v}", "*anc", "&ak a",
};

constexpr const char* kScalars[] = {
    "v",
    "two words",
    "~",
    "null",
    "",
    "true",
    "False",
    "on",
    "off",
    "y",
    "0",
    "-17",
    "+5",
    "0x1F",
    "0o17",
    "0b101",
    "017",
    "1_000",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "1.5",
    ".5",
    "1e3",
    "-.inf",
    ".NaN",
    "1.0",
    "3.",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10",
    "10.0.0.1:8080",
    "8080/tcp",
    "5s",
    "1.2.3",
    "\"quoted\"",
    "'single'",
    "\"esc \\n \\t \\u00e9\"",
    "\"a/b\"",
    "!!str 12",
    "!!int 12",
    "!!float 3",
    "!!bool yes",
    "!!null ''",
    "!!binary aGVsbG8=",
    "!!timestamp 2001-12-14",
    "!custom x",
    "! 12",
    "é",
    "&anc v",
    "'it''s'",
    "\"\\x41\"",
};

// Scalars that make the streaming path fall back, or the document fail.
constexpr const char* kRareScalars[] = {
    "\"it\\'s\"",
    "\"\\/\"",
    "!!int foo",
    "!!binary '%%'",
    "http://x/?q=1",
    "a?b",
    "*anc",
    "*missing",
    "%",
    "@x",
    "`x",
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string Document() {
    std::string out;
    if (Chance(5)) out += "%YAML 1.1\n---\n";
    if (Chance(10)) out += "---\n";
    if (Chance(25)) {
      out += Chance(2) ? "- x\n" : "just text\n";
      return out;
    }
    if (Chance(6)) {
      FlowMap(&out, 0);
      out += "\n";
    } else {
      BlockMap(&out, 0, 0);
    }
    if (Chance(10)) out += "---\nsecond: [\n";
    return out;
  }

  // The document with a few bytes deleted, duplicated or replaced.
  std::string Mutate(std::string doc) {
    static constexpr char kBytes[] = ":-?[]{},&*!|>'\"\n #%@`\t\\/.0aZ";
    const int edits = 1 + Pick(3);
    for (int i = 0; i < edits && !doc.empty(); ++i) {
      const size_t at = static_cast<size_t>(Pick(static_cast<int>(doc.size())));
      switch (Pick(3)) {
        case 0:
          doc.erase(at, 1);
          break;
        case 1:
          doc.insert(at, 1, kBytes[Pick(sizeof kBytes - 1)]);
          break;
        default:
          doc[at] = kBytes[Pick(sizeof kBytes - 1)];
          break;
      }
    }
    return doc;
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  bool Chance(int one_in) { return Pick(one_in) == 0; }

  std::string Key() {
    if (Chance(150)) return kRareKeys[Pick(sizeof kRareKeys / sizeof kRareKeys[0])];
    if (Chance(200)) return "<<";
    // A narrow pool now and then, so that keys repeat.
    if (Chance(16)) return kKeys[Pick(4)];
    if (Chance(6)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "k%d", Pick(40));
      return buf;
    }
    return kKeys[Pick(sizeof kKeys / sizeof kKeys[0])];
  }
  std::string Scalar() {
    if (Chance(150)) return kRareScalars[Pick(sizeof kRareScalars / sizeof kRareScalars[0])];
    if (Chance(300)) return "*anc";
    if (Chance(4)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "v%d", Pick(1000));
      return buf;
    }
    return kScalars[Pick(sizeof kScalars / sizeof kScalars[0])];
  }

  void Indent(std::string* out, int n) { out->append(static_cast<size_t>(n), ' '); }

  // A value after "key:" or "-": inline scalar or flow collection, or a
  // nested block collection on the next lines.
  void Value(std::string* out, int indent, int depth) {
    const int r = Pick(depth > 3 ? 6 : 10);
    if (r == 0 && Chance(8)) {
      *out += Chance(2) ? " |\n" : " >-\n";
      Indent(out, indent + 2);
      *out += "block text\n";
    } else if (r < 5) {
      *out += " " + Scalar() + "\n";
    } else if (r == 5) {
      *out += " ";
      if (Chance(2)) {
        FlowMap(out, depth + 1);
      } else {
        FlowSeq(out, depth + 1);
      }
      *out += "\n";
    } else if (r < 8) {
      *out += Chance(8) ? " &m\n" : "\n";
      BlockMap(out, indent + 2, depth + 1);
    } else {
      *out += "\n";
      BlockSeq(out, indent + (Chance(3) ? 0 : 2), depth + 1);
    }
  }

  void BlockMap(std::string* out, int indent, int depth) {
    const int n = depth == 0 && Chance(4) ? 12 + Pick(40) : 1 + Pick(depth == 0 ? 8 : 4);
    for (int i = 0; i < n; ++i) {
      Indent(out, indent);
      if (Chance(30)) {
        *out += "? " + Key() + "\n";
        Indent(out, indent);
        *out += ":";
      } else {
        *out += Key() + ":";
      }
      Value(out, indent, depth);
    }
  }

  void BlockSeq(std::string* out, int indent, int depth) {
    const int n = Chance(6) ? 8 + Pick(16) : 1 + Pick(4);
    for (int i = 0; i < n; ++i) {
      Indent(out, indent);
      *out += "-";
      Value(out, indent, depth);
    }
  }

  void FlowValue(std::string* out, int depth) {
    const int r = Pick(depth > 4 ? 8 : 10);
    if (r < 8) {
      const std::string scalar = Scalar();
      *out += scalar.empty() ? "''" : scalar;  // [a, , b] is an error
    } else if (r == 8) {
      FlowMap(out, depth + 1);
    } else {
      FlowSeq(out, depth + 1);
    }
  }

  void FlowMap(std::string* out, int depth) {
    *out += "{";
    const int n = Pick(5);
    for (int i = 0; i < n; ++i) {
      if (i > 0) *out += ", ";
      *out += Key() + ": ";
      FlowValue(out, depth);
    }
    *out += "}";
  }

  void FlowSeq(std::string* out, int depth) {
    *out += "[";
    const int n = Chance(4) ? 10 + Pick(15) : Pick(5);
    for (int i = 0; i < n; ++i) {
      if (i > 0) *out += ", ";
      FlowValue(out, depth);
    }
    *out += "]";
  }

  std::mt19937 rng_;
};

TEST(FlattenYamlStreaming, AgreesWithExactPathOnGeneratedDocuments) {
  Generator gen(20240611);
  int counts[6] = {};
  for (int i = 0; i < 6000; ++i) {
    std::string doc = gen.Document();
    if (i % 4 == 3) doc = gen.Mutate(std::move(doc));
    ++counts[static_cast<int>(CheckBothPaths(doc, "generated " + std::to_string(i)))];
    if (::testing::Test::HasFailure()) break;
  }
  for (int b = 0; b < 6; ++b) {
    std::printf("%-14s %d\n", std::string(BailoutName(static_cast<Bailout>(b))).c_str(), counts[b]);
  }
  // Every outcome is exercised, and a good share streams through.
  EXPECT_GT(counts[static_cast<int>(Bailout::kNone)], 800);
  EXPECT_GT(counts[static_cast<int>(Bailout::kAlias)], 50);
  EXPECT_GT(counts[static_cast<int>(Bailout::kMergeKey)], 50);
  EXPECT_GT(counts[static_cast<int>(Bailout::kDuplicateKey)], 50);
  EXPECT_GT(counts[static_cast<int>(Bailout::kError)], 300);
}

// ---------------------------------------------------------------------------
// Each reason to fall back, and near misses that need not.

struct BailoutCase {
  const char* name;
  std::string yaml;
  Bailout want;
};

std::string ManyKeys(int n, const std::string& extra) {
  std::string s = "m:\n";
  char line[32];
  for (int i = 0; i < n; ++i) {
    std::snprintf(line, sizeof line, "  k%03d: %d\n", i, i);
    s += line;
  }
  return s + extra;
}

std::string ManyKeysReversed(int n, const std::string& extra) {
  std::string s = "m:\n";
  char line[32];
  for (int i = n - 1; i >= 0; --i) {
    std::snprintf(line, sizeof line, "  k%03d: %d\n", i, i);
    s += line;
  }
  return s + extra;
}

TEST(FlattenYamlStreaming, FallsBackExactlyWhenNeeded) {
  static constexpr char kUtf16[] =
      "\xFF\xFE"
      "a\0:\0 \0"
      "1\0\n\0";  // "a: 1\n", UTF-16LE
  const BailoutCase cases[] = {
      {"plain", "a: 1\nb: [x, {c: true}]\n", Bailout::kNone},
      {"empty", "", Bailout::kNone},
      {"comment only", "# nothing\n", Bailout::kNone},
      {"null document", "~\n", Bailout::kNone},
      {"anchor without alias", "a: &x 1\nb: &y {c: 2}\n", Bailout::kNone},
      {"alias", "a: &x 1\nb: *x\n", Bailout::kAlias},
      {"alias as key", "a: &x k\n*x : 2\n", Bailout::kAlias},
      {"unknown alias", "a: *x\n", Bailout::kAlias},
      {"merge", "m:\n  <<: {a: 1}\n  b: 2\n", Bailout::kMergeKey},
      {"merge of alias", "b: &b {p: 1}\nm:\n  <<: *b\n", Bailout::kMergeKey},
      {"tagged merge", "m: {!!merge '<<': {a: 1}}\n", Bailout::kMergeKey},
      {"quoted << is a key", "m: {'<<': {a: 1}}\n", Bailout::kNone},
      {"<< as a value", "m: <<\n", Bailout::kNone},
      {"duplicate", "a: 1\nb: 2\na: 3\n", Bailout::kDuplicateKey},
      // A repeated key whose first value left no entry changes nothing.
      {"duplicate, null first", "a: ~\na: 3\n", Bailout::kNone},
      {"duplicate, empty first", "a: {}\nb: 1\na: 2\n", Bailout::kNone},
      {"duplicate, entries first", "a: {x: ~, y: 1}\nb: 1\na: 2\n", Bailout::kDuplicateKey},
      // After a key that is not a plain path element, keys are hashed.
      {"duplicate after a/b", "x/y: 1\na: 1\nb: 2\na: ~\n", Bailout::kDuplicateKey},
      {"no duplicate after a/b", "x/y: 1\nb: 1\na: 2\n", Bailout::kNone},
      {"duplicate around a/b", "a: 1\nb/c: 2\nc: 3\na: 4\n", Bailout::kDuplicateKey},
      {"out of order around a/b", "a: 1\nb/c: 2\nc: 3\nb: 4\n", Bailout::kNone},
      {"duplicate around nested a/b", "a: 1\nb: {c: 1, x/y: 2, a: 3, c: 4}\n",
       Bailout::kDuplicateKey},
      {"duplicate of outer key after nested a/b", "a: 1\nb: {x/y: 2}\na: 3\n",
       Bailout::kDuplicateKey},
      {"duplicate of the key around the first a/b", "a: 1\nb: {x/y: 2}\nb: 3\n",
       Bailout::kDuplicateKey},
      {"duplicate of the key around the first a/b, deeper", "a: 1\nb:\n  c:\n  - {'': 2}\nb: 3\n",
       Bailout::kDuplicateKey},
      {"same key, other maps", "a: {k: 1}\nb: {k: 2}\nc: [{k: 3}, {k: 4}]\n", Bailout::kNone},
      {"duplicate after many sorted keys", ManyKeys(200, "  k100: again\n"),
       Bailout::kDuplicateKey},
      {"no duplicate after many sorted keys", ManyKeys(200, "  a: new\n  z: new\n"),
       Bailout::kNone},
      {"duplicate among many unsorted keys", ManyKeysReversed(200, "  k150: again\n"),
       Bailout::kDuplicateKey},
      {"many unsorted keys", ManyKeysReversed(200, "  zz: new\n"), Bailout::kNone},
      {"'?' in a flow plain scalar", "a: [x?y]\n", Bailout::kError},
      {"'?' in a block plain scalar", "a: x?y\n", Bailout::kNone},
      {"escaped slash", "a: \"x\\/y\"\n", Bailout::kError},
      {"plain slash in double quotes", "a: \"x/y\"\nb: \"\\u00e9/\"\n", Bailout::kNone},
      {"escaped slash after UTF-8", "é: \"ü\"\nb: \"x/y\"\nc: \"x\\/y\"\n", Bailout::kError},
      {"escaped backslash, slash", "é: \"ü\"\nb: \"x/y\"\nc: \"x\\\\/y\"\n", Bailout::kNone},
      {"escaped quote (go-yaml only)", "a: \"it\\'s\"\n", Bailout::kError},
      {"%YAML 1.2", "%YAML 1.2\n---\na: 1\n", Bailout::kError},
      {"%YAML 1.1", "%YAML 1.1\n---\na: 1\n", Bailout::kNone},
      {"root sequence", "- a\n", Bailout::kError},
      {"root scalar", "hello\n", Bailout::kError},
      {"key is a mapping", "? {x: 1}\n: 2\n", Bailout::kError},
      {"key is a sequence", "[x]: 2\n", Bailout::kError},
      {"tag mismatch", "a: !!int foo\n", Bailout::kError},
      {"tag mismatch in a key", "!!int foo: 1\n", Bailout::kError},
      {"bad base64", "a: !!binary '%%%'\n", Bailout::kError},
      {"syntax error", "a: [1, 2\nb: 3\n", Bailout::kError},
      {"syntax error after the root", "a: 1\n- b\n", Bailout::kError},
      {"later document ignored", "a: 1\n---\nb: [\n", Bailout::kNone},
      {"too deep", "a: " + std::string(10001, '[') + std::string(10001, ']') + "\n",
       Bailout::kError},
      {"deep enough", "a: " + std::string(10000, '[') + "x" + std::string(10000, ']') + "\n",
       Bailout::kNone},
      {"UTF-16", std::string(kUtf16, sizeof kUtf16 - 1), Bailout::kUnusualInput},
      {"UTF-8 BOM",
       "\xEF\xBB\xBF"
       "a: \"\\/\"\n",
       Bailout::kError},
      {"UTF-8 BOM, no escape",
       "\xEF\xBB\xBF"
       "a: \"x/\"\nb: \"\\\\/\"\n",
       Bailout::kNone},
      {"tagged collections", "a: !!map {b: 1}\nc: !foo [1, !!seq []]\n", Bailout::kNone},
  };
  for (const BailoutCase& c : cases) {
    EXPECT_EQ(BailoutName(CheckBothPaths(c.yaml, c.name)), BailoutName(c.want)) << c.name;
  }
}

// Where the streaming path must put entries in order itself.
TEST(FlattenYamlStreaming, OrdersEntriesAsTheExactPath) {
  const char* docs[] = {
      // Sequence indexes: "10" sorts before "2".
      "s: [a, b, c, d, e, f, g, h, i, j, k, l]\n",
      "s:\n"
      "  - {n: 1, a: 2}\n  - ~\n  - {n: 3}\n  - []\n  - {}\n  - [x, y]\n  - 7\n"
      "  - {z: 1}\n  - {z: 2}\n  - {z: 3}\n  - {z: 4}\n  - {z: 5}\n",
      // Keys that are prefixes of one another, around '/'.
      "a: {x: 1}\na-b: 2\na.b: 3\na0: 4\nab: {y: 5}\n",
      "ab: 1\na: {z: 1}\na-b: {z: 2}\na0: 3\n",
      // Keys that are not plain path elements, and collisions (later wins).
      "a/b: 1\na: {b: 2, c: 3}\n",
      "a: {b: 2}\na/b: 1\n",
      "x: {..: 1, '': 2, .: 3, /y: 4, z/: 5}\n",
      "x:\n  ?\n  : empty\n  b: 1\n",
      // Keys sharing their first eight bytes.
      "long_key_b: 1\nlong_key_a: {x: 1}\nlong_key: [1]\nlong_key-: 2\nlong_ke: 3\n",
      "s: [[a, b, c, d, e, f, g, h, i, j, k], {long_key_2: 1, long_key_1: 2}, ~, ~, ~, ~, ~, ~, ~, "
      "~, ~, {}, [z]]\n",
      "p: {q: {'../..': top}}\nq: 1\n",
      // Unsorted keys with nested collections.
      "z: [1, 2]\ny: {b: 1, a: 2}\nx: 0\n",
  };
  for (const char* doc : docs) {
    EXPECT_EQ(CheckBothPaths(doc, doc), Bailout::kNone) << doc;
  }
}

TEST(FlattenYamlStreaming, HundredThousandKeysStream) {
  std::string yaml = "app:\n  servers:\n";
  char line[64];
  for (int i = 0; i < 100000; ++i) {
    std::snprintf(line, sizeof line, "    s%06d: 10.%d.%d.%d:8080\n", i, (i >> 16) & 255,
                  (i >> 8) & 255, i & 255);
    yaml += line;
  }
  std::vector<kv::Entry> entries;
  ASSERT_EQ(FlattenYamlStreaming(yaml, &entries), Bailout::kNone);
  ASSERT_EQ(entries.size(), 100000u);
  EXPECT_EQ(entries[0].key, "/app/servers/s000000");
  EXPECT_EQ(entries[99999].value, "10.1.134.159:8080");
  Result<std::vector<kv::Entry>> exact = FlattenYamlExact(yaml, "big.yaml");
  ASSERT_TRUE(exact.has_value());
  EXPECT_TRUE(entries == *exact);
}

}  // namespace
}  // namespace berth::backend::file
