#include "kv/snapshot.h"

#include <algorithm>
#include <string>
#include <utility>

#include "base/gopath.h"

namespace berth::kv {
namespace {

// Splits s on '/' like Go's strings.Split(s, "/").
void SplitSlash(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  for (;;) {
    const size_t j = s.find('/');
    out->push_back(s.substr(0, j));
    if (j == std::string_view::npos) return;
    s.remove_prefix(j + 1);
  }
}

// strings.Split(path.Dir(key), "/"), with every term a view into `key` (or
// into static storage for the "." of an empty relative directory): path.Clean
// only drops elements, so the elements it keeps are substrings of its input.
void DirTerms(std::string_view key, std::vector<std::string_view>* terms) {
  terms->clear();
  const std::string_view dir = gopath::Split(key).first;
  const bool rooted = !dir.empty() && dir[0] == '/';
  if (rooted) terms->push_back(dir.substr(0, 0));
  const size_t base = terms->size();
  size_t dotdot = base;  // relative paths keep a leading run of ".."
  size_t i = 0;
  while (i < dir.size()) {
    size_t j = dir.find('/', i);
    if (j == std::string_view::npos) j = dir.size();
    const std::string_view elem = dir.substr(i, j - i);
    i = j + 1;
    if (elem.empty() || elem == ".") continue;
    if (elem == "..") {
      if (terms->size() > dotdot) {
        terms->pop_back();
      } else if (!rooted) {
        terms->push_back(elem);
        dotdot = terms->size();
      }
      continue;
    }
    terms->push_back(elem);
  }
  if (terms->size() == base) {
    if (rooted) {
      terms->push_back(dir.substr(0, 0));  // "/" splits into ["", ""]
    } else {
      terms->push_back(".");
    }
  }
}

// memkv's samePrefixTerms(prefix, test).
bool HasPrefixTerms(const std::vector<std::string_view>& test,
                    const std::vector<std::string_view>& prefix) {
  if (test.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), test.begin());
}

void SortUnique(std::vector<std::string_view>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// Whether `path` can use the indexed route: its cleaned form `clean` is rooted
// and path is that form, or (below the root) that form plus one '/'.  For such
// a path, memkv's string operations on the raw path (TrimPrefix, HasPrefix)
// agree with the tree structure of clean keys.
bool IsSimplePath(std::string_view path, std::string_view clean) {
  if (clean.empty() || clean[0] != '/') return false;
  if (path == clean) return true;
  return clean != "/" && path.size() == clean.size() + 1 && path.back() == '/' &&
         path.starts_with(clean);
}

// The literal bytes every match of `pattern` starts with (escapes resolved),
// and the pattern text after them.
std::pair<std::string, std::string_view> LiteralPrefix(std::string_view pattern) {
  std::string prefix;
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '*' || c == '?' || c == '[') break;
    if (c == '\\') {
      if (i + 1 >= pattern.size()) break;
      prefix.push_back(pattern[i + 1]);
      i += 2;
      continue;
    }
    prefix.push_back(c);
    ++i;
  }
  return {std::move(prefix), pattern.substr(i)};
}

}  // namespace

std::shared_ptr<const Snapshot> Snapshot::Create(std::vector<Entry> entries) {
  SortKeepLast(&entries);
  return std::shared_ptr<const Snapshot>(new Snapshot(std::move(entries)));
}

Snapshot::Snapshot(std::vector<Entry> sorted_unique) : entries_(std::move(sorted_unique)) {
  canonical_.resize(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    const std::string& k = entries_[i].key;
    const bool canonical = !k.empty() && k[0] == '/' && gopath::IsClean(k);
    canonical_[i] = canonical;
    if (!canonical) odd_.push_back(static_cast<uint32_t>(i));
  }
}

size_t Snapshot::LowerBound(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const Entry& e, std::string_view k) { return e.key < k; });
  return static_cast<size_t>(it - entries_.begin());
}

size_t Snapshot::SkipSubtree(size_t from, std::string_view dir) const {
  // The first key >= dir + "0" ('0' follows '/'): past every key that
  // starts with dir + "/".
  auto before_end = [dir](const Entry& e, int) {
    const std::string_view k = e.key;
    const std::string_view head = k.substr(0, dir.size());
    if (head != dir) return head < dir;
    return k.size() == dir.size() || static_cast<unsigned char>(k[dir.size()]) < '0';
  };
  auto it = std::lower_bound(entries_.begin() + static_cast<ptrdiff_t>(from), entries_.end(), 0,
                             before_end);
  return static_cast<size_t>(it - entries_.begin());
}

const Entry* Snapshot::Get(std::string_view key) const {
  const size_t i = LowerBound(key);
  if (i < entries_.size() && entries_[i].key == key) return &entries_[i];
  return nullptr;
}

Result<std::vector<const Entry*>> Snapshot::GetAll(std::string_view pattern) const {
  std::vector<const Entry*> out;
  if (entries_.empty()) return out;  // memkv never calls path.Match: no error
  if (!gopath::IsValidPattern(pattern)) {
    // memkv reports the error of the first key matched; in Go 1.19 that is
    // the first key, whatever it is.  Keep the literal loop all the same.
    for (const Entry& e : entries_) {
      Result<bool> m = gopath::Match(pattern, e.key);
      if (!m.has_value()) return Err(m.error());
      if (*m) out.push_back(&e);
    }
    return out;
  }
  const auto [prefix, rest] = LiteralPrefix(pattern);
  // '*' and '?' never match '/'; a literal or escaped '/' matches one, and a
  // character class at most one.  A key with more slashes after the prefix
  // cannot match, nor can anything below it.
  const size_t max_slashes = static_cast<size_t>(std::count(rest.begin(), rest.end(), '/') +
                                                 std::count(rest.begin(), rest.end(), '['));
  size_t i = LowerBound(prefix);
  while (i < entries_.size()) {
    const std::string_view key = entries_[i].key;
    if (!key.starts_with(prefix)) break;
    size_t slash = std::string_view::npos;
    size_t seen = 0;
    for (size_t pos = prefix.size();; pos = slash + 1) {
      slash = key.find('/', pos);
      if (slash == std::string_view::npos || ++seen > max_slashes) break;
    }
    if (slash != std::string_view::npos) {
      i = SkipSubtree(i, key.substr(0, slash));
      continue;
    }
    // The literal prefix matched already; match the rest of the pattern
    // against the rest of the key (the same chunks, as a '*' never sits in
    // the prefix).  A lone trailing '*' matches any slash-free rest, which
    // the scan above has just established.
    bool matched = rest == "*";
    if (!matched) {
      Result<bool> m = gopath::Match(rest, key.substr(prefix.size()));
      if (!m.has_value()) return Err(m.error());  // unreachable: validated
      matched = *m;
    }
    if (matched) out.push_back(&entries_[i]);
    ++i;
  }
  return out;
}

Result<std::vector<std::string_view>> Snapshot::GetAllValues(std::string_view pattern) const {
  Result<std::vector<const Entry*>> all = GetAll(pattern);
  if (!all.has_value()) return Err(all.error());
  std::vector<std::string_view> values;
  values.reserve(all->size());
  for (const Entry* e : *all) values.push_back(e->value);
  std::sort(values.begin(), values.end());
  return values;
}

// memkv's List (dirs == false) or ListDir (dirs == true), literally: each key
// in turn, over all keys or only the non-canonical ones.
void Snapshot::ListScan(std::string_view path, bool dirs, bool only_odd,
                        std::vector<std::string_view>* out) const {
  const std::string clean = gopath::Clean(path);
  std::vector<std::string_view> prefix;
  SplitSlash(clean, &prefix);
  std::vector<std::string_view> terms;
  auto visit = [&](const Entry& e) {
    const std::string_view key = e.key;
    if (dirs) {
      if (!key.starts_with(path)) return;
      DirTerms(key, &terms);
      if (terms.size() > prefix.size() && HasPrefixTerms(terms, prefix)) {
        out->push_back(terms[prefix.size()]);
      }
      return;
    }
    if (key == path) {
      out->push_back(gopath::Base(key));
      return;
    }
    DirTerms(key, &terms);
    if (HasPrefixTerms(terms, prefix)) {
      std::string_view rest = key;
      if (rest.starts_with(path)) rest.remove_prefix(path.size());
      if (rest.starts_with('/')) rest.remove_prefix(1);
      out->push_back(rest.substr(0, rest.find('/')));
    }
  };
  if (only_odd) {
    for (uint32_t i : odd_) visit(entries_[i]);
  } else {
    for (const Entry& e : entries_) visit(e);
  }
}

std::vector<std::string_view> Snapshot::List(std::string_view path) const {
  std::vector<std::string_view> out;
  const std::string clean = gopath::Clean(path);
  if (clean[0] != '/') {
    // Relative: no rooted key has a directory under it, none equals it.
    ListScan(path, /*dirs=*/false, /*only_odd=*/true, &out);
  } else if (!IsSimplePath(path, clean)) {
    ListScan(path, /*dirs=*/false, /*only_odd=*/false, &out);
  } else if (clean == "/") {
    // path is "/": the key "/" itself, and the top-level leaves.
    size_t i = LowerBound("/");
    if (i < entries_.size() && entries_[i].key == "/") {
      out.push_back(gopath::Base(entries_[i].key));
      ++i;
    }
    while (i < entries_.size() && entries_[i].key.starts_with('/')) {
      if (!canonical_[i]) {
        ++i;
        continue;
      }
      const std::string_view key = entries_[i].key;
      const size_t j = key.find('/', 1);
      if (j == std::string_view::npos) {
        out.push_back(key.substr(1));
        ++i;
      } else {
        i = SkipSubtree(i, key.substr(0, j));  // a directory: not listed
      }
    }
    ListScan(path, /*dirs=*/false, /*only_odd=*/true, &out);
  } else {
    // The key equal to path (a leaf lists its own name), then one name per
    // child of clean, leaf or directory.
    if (path == clean) {
      if (const Entry* e = Get(clean)) out.push_back(gopath::Base(e->key));
    }
    const size_t n = clean.size() + 1;
    size_t i = LowerBound(clean + "/");
    while (i < entries_.size()) {
      const std::string_view key = entries_[i].key;
      if (key.size() < n || key.substr(0, clean.size()) != clean || key[clean.size()] != '/') break;
      if (!canonical_[i]) {
        ++i;
        continue;
      }
      const size_t j = key.find('/', n);
      if (j == std::string_view::npos) {
        out.push_back(key.substr(n));
        ++i;
      } else {
        out.push_back(key.substr(n, j - n));
        i = SkipSubtree(i, key.substr(0, j));
      }
    }
    ListScan(path, /*dirs=*/false, /*only_odd=*/true, &out);
  }
  SortUnique(&out);
  return out;
}

std::vector<std::string_view> Snapshot::ListDir(std::string_view path) const {
  std::vector<std::string_view> out;
  const std::string clean = gopath::Clean(path);
  if (clean[0] != '/') {
    ListScan(path, /*dirs=*/true, /*only_odd=*/true, &out);
  } else if (!IsSimplePath(path, clean)) {
    ListScan(path, /*dirs=*/true, /*only_odd=*/false, &out);
  } else {
    // Below "/" nothing qualifies: the directory of a clean key is "/" or a
    // path whose second term is not empty.
    if (clean != "/") {
      const size_t n = clean.size() + 1;
      size_t i = LowerBound(clean + "/");
      while (i < entries_.size()) {
        const std::string_view key = entries_[i].key;
        if (key.size() < n || key.substr(0, clean.size()) != clean || key[clean.size()] != '/') {
          break;
        }
        const size_t j = canonical_[i] ? key.find('/', n) : std::string_view::npos;
        if (j == std::string_view::npos) {
          ++i;  // a leaf child (or a non-canonical key, handled below)
        } else {
          out.push_back(key.substr(n, j - n));
          i = SkipSubtree(i, key.substr(0, j));
        }
      }
    }
    ListScan(path, /*dirs=*/true, /*only_odd=*/true, &out);
  }
  SortUnique(&out);
  return out;
}

}  // namespace berth::kv
