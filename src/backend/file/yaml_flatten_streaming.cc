// FlattenYamlStreaming: libyaml events straight into entries (see
// yaml_flatten_internal.h).
//
// Why the result equals the exact path's whenever this path finishes:
//  - Without aliases and merges every node is decoded once, where it stands,
//    and a go-yaml map keeps its keys in document order unless a key
//    repeats; a repeated key replaces the earlier value and moves to the
//    later place, so we decline, unless the earlier value left no entry (then
//    the replacement changes no entry).  So confd's depth-first walk emits
//    the entries in event order.
//  - The exact path then sorts them (stably, keeping the last of equal
//    keys).  Here each collection sorts its own entries when it ends
//    (SortBlocks), which needs few comparisons because its children's entries
//    never interleave while keys are plain path elements; after a key that is
//    not ("a/b", "..", ""), whose entries may land anywhere and may collide
//    with others, everything is sorted stably at the end as in the exact
//    path.
//  - Scalars and keys are resolved as ResolveScalar does (a few common cases
//    decided up front, see IsPlainText), keys are read as the exact decoder
//    reads them (the string, the decoded !!binary bytes, or for other kinds
//    the text as written) and joined with the same path.Join rules.
//  - Every check the exact path makes while composing or decoding ('?' in a
//    flow plain scalar, the "\/" escape, %YAML other than 1.1, nesting, key
//    kinds, tag mismatches, the root's kind, the output guard) is repeated
//    here; when one fails we decline rather than word the error, since the
//    exact path reports the first error of the whole document in its own
//    order, and fixes up spellings that go-yaml accepts and libyaml does not.
//  - Only the first document is read, up to its DOCUMENT-END event.
#include <yaml.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <functional>
#include <numeric>
#include <string>
#include <utility>

#include "backend/file/yaml_flatten_internal.h"
#include "backend/file/yaml_resolve.h"
#include "base/gopath.h"

namespace berth::backend::file {
namespace {

// Owns a libyaml parser and its current event.  A failure is only `false`:
// the exact path words errors.
class Events {
 public:
  explicit Events(std::string_view text) {
    ok_ = yaml_parser_initialize(&parser_) != 0;
    if (ok_) {
      yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                   text.size());
    }
  }
  ~Events() {
    if (has_event_) yaml_event_delete(&event_);
    if (ok_) yaml_parser_delete(&parser_);
  }
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  // Reads the next event into event(), freeing the previous one.
  bool Next() {
    if (has_event_) {
      yaml_event_delete(&event_);
      has_event_ = false;
    }
    if (!ok_ || yaml_parser_parse(&parser_, &event_) == 0) return false;
    has_event_ = true;
    return true;
  }
  const yaml_event_t& event() const { return event_; }

 private:
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool ok_ = false;
  bool has_event_ = false;
};

// Maps libyaml's mark indices (characters after any BOM; CRLF counts as two)
// to byte offsets in UTF-8 text, as the exact path's CharOffsets does, but
// by moving a cursor forward: marks are asked for in ascending order, so the
// whole document costs one pass at most, and nothing is stored.
class CharCursor {
 public:
  explicit CharCursor(std::string_view text)
      : text_(text), bom_(text.starts_with("\xEF\xBB\xBF") ? 3 : 0) {
    Reset();
  }

  size_t ByteOffset(size_t char_index) {
    if (char_index < index_) Reset();  // not expected: marks only ascend
    while (index_ < char_index && pos_ < text_.size()) {
      ++pos_;
      SkipContinuationBytes();
      ++index_;
    }
    return pos_;
  }

 private:
  void Reset() {
    index_ = 0;
    pos_ = bom_;
    SkipContinuationBytes();
  }
  void SkipContinuationBytes() {
    while (pos_ < text_.size() && (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80) ++pos_;
  }

  std::string_view text_;
  size_t bom_;
  size_t index_ = 0;  // the character at pos_
  size_t pos_ = 0;
};

std::string_view ScalarText(const yaml_event_t& ev) {
  if (ev.data.scalar.value == nullptr) return {};
  return {reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length};
}

std::string_view TagOf(const yaml_char_t* tag) {
  if (tag == nullptr) return {};
  return reinterpret_cast<const char*>(tag);
}

// A generous guess at the number of entries, to reserve the output once:
// an entry usually takes a line of its own or follows a comma.  Reserved but
// unused capacity is never touched, so it costs address space, not memory;
// still, a file of mostly blank lines or commas in strings should not
// reserve without bound, so past a few million the vector grows as needed.
size_t EstimateEntries(std::string_view text) {
  constexpr size_t kMaxReserve = size_t{1} << 22;
  // Eight bytes at a time: a byte of x ^ pattern is zero where x has the
  // byte sought, and ((t & 0x7f..) + 0x7f..) | t has its top bit clear
  // exactly there.
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  constexpr uint64_t kNewlines = 0x0a0a0a0a0a0a0a0aULL;
  constexpr uint64_t kCommas = 0x2c2c2c2c2c2c2c2cULL;
  auto matches = [](uint64_t x, uint64_t pattern) {
    const uint64_t t = x ^ pattern;
    const uint64_t high_bits = ~(((t & kLow7) + kLow7) | t | kLow7);
    return (high_bits >> 7) * 0x0101010101010101ULL >> 56;  // adds up the bytes
  };
  size_t n = 1;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    n += static_cast<size_t>(matches(x, kNewlines) + matches(x, kCommas));
  }
  for (; i < text.size(); ++i) n += static_cast<size_t>(text[i] == '\n' || text[i] == ',');
  return std::min({n, text.size() / 4 + 1, kMaxReserve});
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A plain scalar that begins with a digit is text for go-yaml when it is not
// shaped like a timestamp (four digits, then '-') and has a byte that no
// int, uint or float spelling has (as in "10.0.0.1:80", "8080/tcp", "5s").
bool IsDigitLedText(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && IsDigit(text[digits])) ++digits;
  if (digits == 4 && digits < text.size() && text[digits] == '-') return false;
  for (char c : text.substr(digits)) {
    const char lower = static_cast<char>(c | 0x20);
    const bool numeric = IsDigit(c) || (lower >= 'a' && lower <= 'f') || lower == 'x' ||
                         lower == 'o' || c == '_' || c == '.' || c == '+' || c == '-';
    if (!numeric) return true;
  }
  return false;
}

// The common scalars ResolveScalar finds to be their own text, told apart
// without it: untagged quoted and block scalars, and untagged plain ones
// whose first byte cannot begin a bool, null, number or timestamp (go-yaml's
// resolve table), or that IsDigitLedText clears.
bool IsPlainText(std::string_view tag, std::string_view text, bool implicit) {
  if (!tag.empty()) return false;
  if (!implicit) return true;
  if (text.empty()) return false;
  if (IsDigit(text[0])) return IsDigitLedText(text);
  static constexpr std::string_view kMaybeOther = "+-.~yYnNtTfFoO";
  return kMaybeOther.find(text[0]) == std::string_view::npos;
}

// Up to eight bytes of `key` from `offset` on, big-endian and zero-padded:
// where two such prefixes differ, the keys compare as they do.
uint64_t Prefix8(const std::string& key, size_t offset) {
  uint64_t v = 0;
  if (offset < key.size()) {
    std::memcpy(&v, key.data() + offset, std::min<size_t>(8, key.size() - offset));
  }
  if constexpr (std::endian::native == std::endian::little) v = std::byteswap(v);
  return v;
}

// a.key < b.key for keys that agree on their first `offset` bytes.
bool KeyLess(const kv::Entry& a, const kv::Entry& b, size_t offset) {
  const uint64_t pa = Prefix8(a.key, offset);
  const uint64_t pb = Prefix8(b.key, offset);
  if (pa != pb) return pa < pb;
  return std::string_view(a.key).substr(offset) < std::string_view(b.key).substr(offset);
}

// Never 0, which marks an empty slot of a hash table.
uint64_t HashKey(std::string_view key) {
  const uint64_t hash = std::hash<std::string_view>()(key);
  return hash == 0 ? 1 : hash;
}

// Whether path.Join(dir, elem) is dir + "/" + elem for a clean `dir`.
bool IsSimpleElem(std::string_view elem) {
  return !elem.empty() && elem != "." && elem != ".." &&
         std::memchr(elem.data(), '/', elem.size()) == nullptr;
}

class StreamingFlattener {
 public:
  StreamingFlattener(std::string_view text, std::vector<kv::Entry>* out)
      : text_(text), out_(out), cursor_(text) {}

  Bailout Run();

 private:
  // One open collection.
  struct Frame {
    uint32_t base_len = 0;        // length of this collection's path in path_
    uint32_t index = 0;           // sequence: the current item's index
    uint32_t out_begin = 0;       // its first entry in *out_
    uint32_t child_begin = 0;     // the current child's first entry in *out_
    uint32_t blocks_begin = 0;    // its children's blocks in block_starts_
    uint32_t hashes_begin = 0;    // mapping: its keys' hashes in key_hashes_
    uint32_t keys = 0;            // mapping: keys so far
    uint32_t hashed = 0;          // mapping: of those, the ones accounted for in
                                  // key_hashes_ (see IsNewKey)
    uint32_t last_key_begin = 0;  // mapping: its last key in last_keys_
    bool is_map = false;
    bool flow = false;
    bool want_key = true;           // mapping: the next node is a key
    bool ascending = true;          // mapping: keys so far strictly ascending
    bool indexed = false;           // mapping: its hashes are in tables_[depth]
    bool disordered = false;        // its children's entries are out of order: the
                                    // blocks from the first one out of order on
                                    // are in block_starts_
    bool child_path_saved = false;  // the current child's path replaced the
                                    // path: restore it from saved_paths_
  };

  Bailout CheckScalar(const yaml_event_t& ev);
  Bailout Key(const yaml_event_t& ev, Frame* f);
  bool IsNewKey(std::string_view key, Frame* f);
  void HashKeysFromEntries(const Frame& f, std::vector<uint64_t>* hashes) const;
  void EnterSortAll();
  bool HashSeen(uint64_t hash, Frame* f);
  void InsertHash(uint64_t hash, std::vector<uint64_t>* table);
  Bailout Value(const yaml_event_t& ev);
  bool Emit(std::string_view value);
  void BeginItem(Frame* f);
  void EndChild(Frame* f);
  Bailout Open(const yaml_event_t& ev);
  void Close();
  void SortBlocks(const Frame& f);
  // Where the child's path element begins in the keys of collection f's
  // entries (all "P/..." while sort_all_ is false).
  static size_t ChildOffset(const Frame& f) { return f.base_len > 1 ? f.base_len + 1 : 1; }

  const std::string_view text_;
  std::vector<kv::Entry>* const out_;
  CharCursor cursor_;

  std::vector<Frame> frames_;
  std::string path_ = "/";                // the path of the node being read
  std::vector<std::string> saved_paths_;  // see Frame::child_path_saved
  // Hashes of the keys of the open mappings whose keys stopped ascending
  // (see IsNewKey), innermost last; past a few keys a mapping also indexes
  // them in tables_[its depth] (open addressing, 0 empty).
  std::vector<uint64_t> key_hashes_;
  std::vector<std::vector<uint64_t>> tables_;
  // The last key of each open mapping still ascending, innermost last.
  std::string last_keys_;
  // Where the children of the open collections begin in *out_, for those
  // whose entries came out of order (see SortBlocks), innermost last.
  std::vector<uint32_t> block_starts_;
  struct SortKey {
    uint64_t prefix;
    uint32_t block;
  };
  std::vector<SortKey> sorted_blocks_;  // SortBlocks' scratch
  std::vector<uint32_t> order_;         // SortBlocks' scratch
  // A key that is not a plain path element ("", ".", "..", "a/b") was met:
  // entries may escape their parent's path, so only a sort of the whole
  // output puts them in order.
  bool sort_all_ = false;
  size_t flow_depth_ = 0;
  size_t block_depth_ = 0;
  size_t output_bytes_ = 0;
};

Bailout StreamingFlattener::CheckScalar(const yaml_event_t& ev) {
  const std::string_view value = ScalarText(ev);
  // go-yaml ends a plain scalar at '?' inside [] and {}, and then fails.
  if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !frames_.empty() && frames_.back().flow &&
      value.find('?') != std::string_view::npos) {
    return Bailout::kError;
  }
  // go-yaml rejects the escape "\/".
  if (ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
      value.find('/') != std::string_view::npos) {
    const size_t begin = cursor_.ByteOffset(ev.start_mark.index);
    const size_t end = cursor_.ByteOffset(ev.end_mark.index);
    if (begin < end && end <= text_.size() && HasSlashEscape(text_.substr(begin, end - begin))) {
      return Bailout::kError;
    }
  }
  return Bailout::kNone;
}

// Whether `hash` is among the recorded hashes of mapping `f` (the innermost
// open collection).  Past a few keys it indexes them in tables_[depth].
bool StreamingFlattener::HashSeen(uint64_t hash, Frame* f) {
  constexpr size_t kLinearLimit = 32;
  const size_t count = key_hashes_.size() - f->hashes_begin;
  if (!f->indexed && count <= kLinearLimit) {
    for (size_t i = f->hashes_begin; i < key_hashes_.size(); ++i) {
      if (key_hashes_[i] == hash) return true;
    }
    return false;
  }
  const size_t depth = frames_.size() - 1;
  if (tables_.size() <= depth) tables_.resize(depth + 1);
  std::vector<uint64_t>& table = tables_[depth];
  // Room for this hash too, at a load of at most one half.
  if (!f->indexed || (count + 1) * 2 > table.size()) {
    size_t size = 64;
    while (size < (count + 1) * 4) size *= 2;
    table.assign(size, 0);
    for (size_t i = f->hashes_begin; i < key_hashes_.size(); ++i)
      InsertHash(key_hashes_[i], &table);
    f->indexed = true;
  }
  const size_t mask = table.size() - 1;
  for (size_t i = hash & mask; table[i] != 0; i = (i + 1) & mask) {
    if (table[i] == hash) return true;
  }
  return false;
}

void StreamingFlattener::InsertHash(uint64_t hash, std::vector<uint64_t>* table) {
  const size_t mask = table->size() - 1;
  size_t i = hash & mask;
  while ((*table)[i] != 0) i = (i + 1) & mask;
  (*table)[i] = hash;
}

// Records `key` as a key of mapping `f` (the innermost open collection);
// false when it may have been one already.
//
// While the keys ascend none can repeat, and nothing is kept but the last
// one.  When they stop, the keys so far are read back from the entries:
// with plain path elements as keys, each child's entries begin "P/key", and
// a key whose value left no entry (null, empty) may repeat harmlessly, since
// go-yaml's replacement of that value changes no entry.  From then on every
// key's hash is kept.  Once a key that is not a plain path element is met
// (sort_all_), entries stop telling keys apart: EnterSortAll reads back the
// keys of every open mapping then, and later keys are all hashed.
bool StreamingFlattener::IsNewKey(std::string_view key, Frame* f) {
  if (f->ascending) {
    const std::string_view last = std::string_view(last_keys_).substr(f->last_key_begin);
    f->ascending = f->keys == 0 || last < key;
    last_keys_.resize(f->last_key_begin);
    if (f->ascending) {
      last_keys_.append(key);
      ++f->keys;
      if (sort_all_) {
        ++f->hashed;
        key_hashes_.push_back(HashKey(key));
      }
      return true;
    }
    if (f->hashed < f->keys) {
      // The region of f, the innermost mapping, is the top of key_hashes_.
      std::vector<uint64_t> hashes;
      HashKeysFromEntries(*f, &hashes);
      key_hashes_.insert(key_hashes_.end(), hashes.begin(), hashes.end());
      f->hashed = f->keys;
    }
  }
  const uint64_t hash = HashKey(key);
  if (HashSeen(hash, f)) return false;
  ++f->keys;
  ++f->hashed;
  key_hashes_.push_back(hash);
  if (f->indexed) InsertHash(hash, &tables_[frames_.size() - 1]);  // HashSeen made room
  return true;
}

// Appends the hashes of the keys of mapping `f` whose values left entries,
// read from the entries (see IsNewKey).  Only while !sort_all_.
void StreamingFlattener::HashKeysFromEntries(const Frame& f, std::vector<uint64_t>* hashes) const {
  const size_t offset = ChildOffset(f);
  std::string_view previous;
  for (size_t i = f.out_begin; i < out_->size(); ++i) {
    std::string_view key = std::string_view((*out_)[i].key).substr(offset);
    key = key.substr(0, key.find('/'));
    if (i > f.out_begin && key == previous) continue;
    hashes->push_back(HashKey(key));
    previous = key;
  }
}

// The first key that is not a plain path element: from here on entries may
// escape their parent's path, so the entries are put in order by one sort
// at the end, and every open mapping's keys are read back now, while the
// entries still tell them (see IsNewKey).
void StreamingFlattener::EnterSortAll() {
  std::vector<uint64_t> hashes;
  hashes.reserve(key_hashes_.size());
  for (size_t i = 0; i < frames_.size(); ++i) {
    Frame& f = frames_[i];
    const size_t begin = f.hashes_begin;
    const size_t end = i + 1 < frames_.size() ? frames_[i + 1].hashes_begin : key_hashes_.size();
    f.hashes_begin = static_cast<uint32_t>(hashes.size());
    if (f.hashed < f.keys) {
      HashKeysFromEntries(f, &hashes);
      if (i + 1 < frames_.size()) {
        // Its last key's value is being read: it may have no entries yet.
        const size_t key_end = frames_[i + 1].last_key_begin;
        hashes.push_back(HashKey(
            std::string_view(last_keys_).substr(f.last_key_begin, key_end - f.last_key_begin)));
      }
      f.hashed = f.keys;
    } else {
      hashes.insert(hashes.end(), key_hashes_.begin() + static_cast<ptrdiff_t>(begin),
                    key_hashes_.begin() + static_cast<ptrdiff_t>(end));
    }
  }
  key_hashes_.swap(hashes);
  sort_all_ = true;
}

// A mapping key: checks it, records it and moves path_ to the value's path.
Bailout StreamingFlattener::Key(const yaml_event_t& ev, Frame* f) {
  const std::string_view text = ScalarText(ev);
  const std::string_view tag = TagOf(ev.data.scalar.tag);
  const bool implicit = ev.data.scalar.plain_implicit != 0;
  if (text == "<<" && (implicit || tag == kMergeTag)) return Bailout::kMergeKey;
  // As the exact decoder reads keys: strings as decoded, other kinds (bool,
  // number, null) as written.  So only a !!binary key differs from its text.
  std::string decoded;
  bool is_decoded = false;
  if (!IsPlainText(tag, text, implicit)) {
    Result<ScalarValue> r = ResolveScalar(tag, text, implicit);
    if (!r.has_value()) return Bailout::kError;
    is_decoded = r->kind == ScalarValue::Kind::kDecoded;
    if (is_decoded) decoded = std::move(r->decoded);
  }
  const std::string_view key = is_decoded ? std::string_view(decoded) : text;
  const bool simple = IsSimpleElem(key);
  if (!simple && !sort_all_) EnterSortAll();
  if (!IsNewKey(key, f)) return Bailout::kDuplicateKey;
  if (simple) {
    if (path_.size() > 1) path_.push_back('/');
    path_.append(key);
  } else {
    saved_paths_.push_back(path_);
    path_ = gopath::JoinClean(saved_paths_.back(), key);
    f->child_path_saved = true;
  }
  f->want_key = false;
  return Bailout::kNone;
}

// A sequence item: path_ moves to the item's path.
void StreamingFlattener::BeginItem(Frame* f) {
  char digits[16];
  const auto res = std::to_chars(digits, digits + sizeof digits, f->index);
  if (path_.size() > 1) path_.push_back('/');
  path_.append(digits, res.ptr);
}

// The child of `f` is done: path_ back to f's path, and the child's entries
// (sorted, as one entry or by their own Close) checked against the ones
// before.
void StreamingFlattener::EndChild(Frame* f) {
  if (f->child_path_saved) {
    path_.swap(saved_paths_.back());
    saved_paths_.pop_back();
    f->child_path_saved = false;
  } else {
    path_.resize(f->base_len);
  }
  const auto begin = f->child_begin;
  const auto end = static_cast<uint32_t>(out_->size());
  if (begin < end && !sort_all_) {
    if (!f->disordered && begin > f->out_begin &&
        !KeyLess((*out_)[begin - 1], (*out_)[begin], ChildOffset(*f))) {
      f->disordered = true;
    }
    if (f->disordered) block_starts_.push_back(begin);
  }
  f->child_begin = end;
  if (f->is_map) {
    f->want_key = true;
  } else {
    ++f->index;
  }
}

bool StreamingFlattener::Emit(std::string_view value) {
  output_bytes_ += path_.size() + value.size();
  if (output_bytes_ > kYamlMaxOutputBytes) return false;
  out_->emplace_back(std::string(path_), std::string(value));
  return true;
}

// A scalar in value position, its path in path_.
Bailout StreamingFlattener::Value(const yaml_event_t& ev) {
  const std::string_view tag = TagOf(ev.data.scalar.tag);
  const bool implicit = ev.data.scalar.plain_implicit != 0;
  if (IsPlainText(tag, ScalarText(ev), implicit)) {
    return Emit(ScalarText(ev)) ? Bailout::kNone : Bailout::kError;
  }
  Result<ScalarValue> r = ResolveScalar(tag, ScalarText(ev), implicit);
  if (!r.has_value()) return Bailout::kError;
  bool ok = true;
  switch (r->kind) {
    case ScalarValue::Kind::kText:
      ok = Emit(ScalarText(ev));
      break;
    case ScalarValue::Kind::kDecoded:
      ok = Emit(r->decoded);
      break;
    case ScalarValue::Kind::kInt: {
      char buf[24];
      const auto res = std::to_chars(buf, buf + sizeof buf, r->int_value);
      ok = Emit(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
      break;
    }
    case ScalarValue::Kind::kFloat:
      ok = Emit(FormatYamlFloat(r->float_value));
      break;
    case ScalarValue::Kind::kBool:
      ok = Emit(r->bool_value ? "true" : "false");
      break;
    case ScalarValue::Kind::kNull:  // confd drops null
    case ScalarValue::Kind::kUint:  // and uint64 (its walk has no case for it)
      break;
  }
  return ok ? Bailout::kNone : Bailout::kError;
}

// A collection starts, its path in path_.
Bailout StreamingFlattener::Open(const yaml_event_t& ev) {
  Frame f;
  f.is_map = ev.type == YAML_MAPPING_START_EVENT;
  f.flow = f.is_map ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                    : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
  if (++(f.flow ? flow_depth_ : block_depth_) > kYamlMaxNesting) return Bailout::kError;
  f.base_len = static_cast<uint32_t>(path_.size());
  f.out_begin = static_cast<uint32_t>(out_->size());
  f.child_begin = f.out_begin;
  f.blocks_begin = static_cast<uint32_t>(block_starts_.size());
  f.hashes_begin = static_cast<uint32_t>(key_hashes_.size());
  f.last_key_begin = static_cast<uint32_t>(last_keys_.size());
  frames_.push_back(f);
  if (!f.is_map) BeginItem(&frames_.back());
  return Bailout::kNone;
}

void StreamingFlattener::Close() {
  const Frame& f = frames_.back();
  --(f.flow ? flow_depth_ : block_depth_);
  if (f.disordered && !sort_all_) SortBlocks(f);
  block_starts_.resize(f.blocks_begin);
  key_hashes_.resize(f.hashes_begin);
  last_keys_.resize(f.last_key_begin);
  if (!f.is_map) path_.resize(f.base_len);  // drop the pending item's index
  frames_.pop_back();
}

// Puts the entries of collection `f` in order.  Each child's entries form a
// block that is sorted already (one entry, or sorted when the child closed),
// and with plain path elements as keys no two blocks interleave: every
// entry of a child "c" is "P/c" or "P/c/...", so two blocks compare as their
// first entries do.  The blocks before the first one out of order form a
// sorted run; the later blocks are sorted by their first entries and merged
// with that run.  Costs a few comparisons per child, not per entry.
void StreamingFlattener::SortBlocks(const Frame& f) {
  std::vector<kv::Entry>& out = *out_;
  const uint32_t begin = f.out_begin;
  const auto end = static_cast<uint32_t>(out.size());
  const uint32_t* starts = block_starts_.data() + f.blocks_begin;
  const size_t blocks = block_starts_.size() - f.blocks_begin;
  const size_t offset = ChildOffset(f);
  auto block_end = [&](size_t b) { return b + 1 < blocks ? starts[b + 1] : end; };
  // Sort by the first eight bytes of the child's path element, then in full.
  sorted_blocks_.resize(blocks);
  for (size_t b = 0; b < blocks; ++b) {
    sorted_blocks_[b] = {Prefix8(out[starts[b]].key, offset), static_cast<uint32_t>(b)};
  }
  std::sort(sorted_blocks_.begin(), sorted_blocks_.end(), [&](const SortKey& a, const SortKey& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return KeyLess(out[starts[a.block]], out[starts[b.block]], offset);
  });
  // order_[i]: where the entry that belongs at begin + i is now.
  order_.clear();
  uint32_t run = begin;
  const uint32_t run_end = starts[0];
  uint64_t run_prefix = run < run_end ? Prefix8(out[run].key, offset) : 0;
  for (const SortKey& k : sorted_blocks_) {
    const uint32_t first = starts[k.block];
    while (run < run_end && (run_prefix < k.prefix ||
                             (run_prefix == k.prefix && KeyLess(out[run], out[first], offset)))) {
      order_.push_back(run++);
      if (run < run_end) run_prefix = Prefix8(out[run].key, offset);
    }
    for (uint32_t i = first; i < block_end(k.block); ++i) order_.push_back(i);
  }
  while (run < run_end) order_.push_back(run++);
  // Apply the permutation cycle by cycle; a placed entry gets order_[i] = begin + i.
  for (uint32_t i = 0; i < order_.size(); ++i) {
    if (order_[i] == begin + i) continue;
    kv::Entry held = std::move(out[begin + i]);
    uint32_t j = i;
    while (order_[j] != begin + i) {
      const uint32_t from = order_[j];
      out[begin + j] = std::move(out[from]);
      order_[j] = begin + j;
      j = from - begin;
    }
    out[begin + j] = std::move(held);
    order_[j] = begin + j;
  }
}

Bailout StreamingFlattener::Run() {
  if (text_.size() >= UINT32_MAX / 2) return Bailout::kUnusualInput;
  if (text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF")) {
    return Bailout::kUnusualInput;
  }
  Events events(text_);
  if (!events.Next() || !events.Next()) return Bailout::kError;  // STREAM-START, ...
  const yaml_event_t& ev = events.event();
  if (ev.type == YAML_STREAM_END_EVENT) return Bailout::kNone;  // no document
  if (ev.type != YAML_DOCUMENT_START_EVENT) return Bailout::kError;
  if (const yaml_version_directive_t* v = ev.data.document_start.version_directive;
      v != nullptr && (v->major != 1 || v->minor != 1)) {
    return Bailout::kError;
  }

  // The root: a mapping, or a null scalar (an empty document).
  if (!events.Next()) return Bailout::kError;
  switch (ev.type) {
    case YAML_MAPPING_START_EVENT:
      out_->reserve(EstimateEntries(text_));
      path_.reserve(256);
      if (Bailout b = Open(ev); b != Bailout::kNone) return b;
      break;
    case YAML_SCALAR_EVENT: {
      if (Bailout b = CheckScalar(ev); b != Bailout::kNone) return b;
      Result<ScalarValue> r = ResolveScalar(TagOf(ev.data.scalar.tag), ScalarText(ev),
                                            ev.data.scalar.plain_implicit != 0);
      if (!r.has_value() || r->kind != ScalarValue::Kind::kNull) return Bailout::kError;
      break;
    }
    case YAML_ALIAS_EVENT:
      return Bailout::kAlias;
    default:  // a sequence
      return Bailout::kError;
  }

  while (!frames_.empty()) {
    if (!events.Next()) return Bailout::kError;
    Frame& f = frames_.back();
    Bailout b = Bailout::kNone;
    switch (ev.type) {
      case YAML_SCALAR_EVENT:
        b = CheckScalar(ev);
        if (b != Bailout::kNone) return b;
        if (f.is_map && f.want_key) {
          b = Key(ev, &f);
          break;
        }
        b = Value(ev);
        EndChild(&f);
        if (!f.is_map) BeginItem(&f);
        break;
      case YAML_MAPPING_START_EVENT:
      case YAML_SEQUENCE_START_EVENT:
        if (f.is_map && f.want_key) return Bailout::kError;  // a key that is a collection
        b = Open(ev);
        break;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        Close();
        if (!frames_.empty()) {
          Frame& parent = frames_.back();
          EndChild(&parent);
          if (!parent.is_map) BeginItem(&parent);
        }
        break;
      case YAML_ALIAS_EVENT:
        return Bailout::kAlias;
      default:
        return Bailout::kError;
    }
    if (b != Bailout::kNone) return b;
  }
  if (!events.Next() || ev.type != YAML_DOCUMENT_END_EVENT) return Bailout::kError;
  return Bailout::kNone;
}

// kv::SortKeepLast, sorting 4-byte indices rather than entries: it needs no
// buffer of half the entries (stable_sort's), and each entry moves once.
// Sorting by (key, position) is the stable order; of equal keys the last is
// kept.
void SortByKeyKeepLast(std::vector<kv::Entry>* entries) {
  std::vector<kv::Entry>& v = *entries;
  const auto out_of_order = std::adjacent_find(
      v.begin(), v.end(), [](const kv::Entry& a, const kv::Entry& b) { return !(a.key < b.key); });
  if (out_of_order == v.end()) return;
  std::vector<uint32_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&v](uint32_t a, uint32_t b) {
    const int c = v[a].key.compare(v[b].key);
    return c < 0 || (c == 0 && a < b);
  });
  // v[i] = old v[order[i]], cycle by cycle; a done slot gets order[i] = i.
  for (uint32_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    kv::Entry first = std::move(v[i]);
    uint32_t j = i;
    while (order[j] != i) {
      const uint32_t from = order[j];
      v[j] = std::move(v[from]);
      order[j] = j;
      j = from;
    }
    v[j] = std::move(first);
    order[j] = j;
  }
  size_t w = 0;
  for (size_t r = 0; r < v.size(); ++r) {
    if (w > 0 && v[w - 1].key == v[r].key) {
      v[w - 1] = std::move(v[r]);
    } else {
      if (w != r) v[w] = std::move(v[r]);
      ++w;
    }
  }
  v.resize(w);
}

}  // namespace

std::string_view BailoutName(Bailout b) {
  switch (b) {
    case Bailout::kNone:
      return "none";
    case Bailout::kAlias:
      return "alias";
    case Bailout::kMergeKey:
      return "merge key";
    case Bailout::kDuplicateKey:
      return "duplicate key";
    case Bailout::kError:
      return "error";
    case Bailout::kUnusualInput:
      return "unusual input";
  }
  return "?";
}

Bailout FlattenYamlStreaming(std::string_view text, std::vector<kv::Entry>* out) {
  out->clear();
  const Bailout b = StreamingFlattener(text, out).Run();
  if (b != Bailout::kNone) {
    std::vector<kv::Entry>().swap(*out);
    return b;
  }
  SortByKeyKeepLast(out);  // where two entries flattened to one key, the later one wins
  return b;
}

}  // namespace berth::backend::file
