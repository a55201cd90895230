#include "backend/file/yaml_flatten.h"

#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "backend/file/yaml_flatten_internal.h"
#include "backend/file/yaml_resolve.h"
#include "base/gopath.h"

namespace berth::backend::file {
namespace {

constexpr size_t kMaxNesting = kYamlMaxNesting;
// Our own bound on the decoder's (heap-allocated) stack of pending steps:
// nesting plus alias indirections.
constexpr size_t kMaxDecodeDepth = 100000;
constexpr size_t kMaxOutputBytes = kYamlMaxOutputBytes;

constexpr uint32_t kNoNode = UINT32_MAX;

// ---------------------------------------------------------------------------
// Composition: libyaml events -> node tree, as go-yaml's parser builds it.

struct Node {
  enum class Kind : uint8_t { kScalar, kSequence, kMapping, kAlias };
  Kind kind = Kind::kScalar;
  bool implicit = false;  // scalar: plain, and untagged or tagged "!"
  uint32_t line = 0;      // 0-based, as libyaml marks
  uint32_t column = 0;
  uint32_t tag_offset = 0, tag_size = 0;    // in Document::pool
  uint32_t text_offset = 0, text_size = 0;  // scalar text or alias name
  uint32_t first = 0, count = 0;            // children in Document::children
  uint32_t target = kNoNode;                // alias: the anchored node
};

struct Document {
  std::vector<Node> nodes;
  std::vector<uint32_t> children;  // mapping children are key, value, key, ...
  std::string pool;
  uint32_t root = kNoNode;

  std::string_view Text(const Node& n) const {
    return std::string_view(pool).substr(n.text_offset, n.text_size);
  }
  std::string_view Tag(const Node& n) const {
    return std::string_view(pool).substr(n.tag_offset, n.tag_size);
  }
};

std::string Where(std::string_view name, size_t line0, size_t column0) {
  return std::string(name) + ":" + std::to_string(line0 + 1) + ":" + std::to_string(column0 + 1);
}

// Owns a libyaml parser and its current event.
class EventReader {
 public:
  EventReader(std::string_view text, std::string_view name) : text_(text), name_(name) {
    ok_ = yaml_parser_initialize(&parser_) != 0;
    if (ok_) {
      yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                   text.size());
    }
  }
  ~EventReader() {
    if (has_event_) yaml_event_delete(&event_);
    if (ok_) yaml_parser_delete(&parser_);
  }
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Reads the next event into event().
  Status Next() {
    if (!ok_) return Status::Internal(std::string(name_) + ": cannot initialise the YAML parser");
    if (has_event_) {
      yaml_event_delete(&event_);
      has_event_ = false;
    }
    if (yaml_parser_parse(&parser_, &event_) == 0) return ParseError();
    has_event_ = true;
    return Status::Ok();
  }
  const yaml_event_t& event() const { return event_; }
  const yaml_parser_t& parser() const { return parser_; }

 private:
  Status ParseError() const {
    const char* problem = parser_.problem != nullptr ? parser_.problem : "unknown problem";
    switch (parser_.error) {
      case YAML_MEMORY_ERROR:
        return Status::Internal(std::string(name_) + ": out of memory while parsing YAML");
      case YAML_READER_ERROR: {
        // Reader errors carry a byte offset rather than a mark.
        const size_t offset = std::min(parser_.problem_offset, text_.size());
        const std::string_view before = text_.substr(0, offset);
        const size_t line = static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
        const size_t nl = before.rfind('\n');
        const size_t column = nl == std::string_view::npos ? offset : offset - nl - 1;
        return Status::InvalidArgument(Where(name_, line, column) + ": " + problem);
      }
      default: {
        const yaml_mark_t& m = parser_.problem_mark;
        std::string msg = Where(name_, m.line, m.column) + ": " + problem;
        if (parser_.context != nullptr) {
          const yaml_mark_t& c = parser_.context_mark;
          msg += std::string(" (") + parser_.context + " at " + std::to_string(c.line + 1) + ":" +
                 std::to_string(c.column + 1) + ")";
        }
        return Status::InvalidArgument(std::move(msg));
      }
    }
  }

  std::string_view text_;
  std::string_view name_;
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool ok_ = false;
  bool has_event_ = false;
};

// Maps libyaml's mark indices (characters after any BOM; CRLF counts as two)
// to byte offsets in the UTF-8 text.  Unknown (npos) for UTF-16 input.
class CharOffsets {
 public:
  explicit CharOffsets(std::string_view text) : text_(text) {
    if (text.starts_with("\xEF\xBB\xBF")) bom_ = 3;
    utf16_ = text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF");
  }

  size_t ByteOffset(size_t char_index) {
    if (utf16_) return std::string_view::npos;
    if (!built_) Build();
    if (ascii_) return std::min(bom_ + char_index, text_.size());
    if (char_index >= starts_.size()) return text_.size();
    return starts_[char_index];
  }

 private:
  void Build() {
    built_ = true;
    ascii_ = std::all_of(text_.begin(), text_.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii_) return;
    for (size_t i = bom_; i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) starts_.push_back(i);
    }
  }

  std::string_view text_;
  size_t bom_ = 0;
  bool utf16_ = false;
  bool built_ = false;
  bool ascii_ = false;
  std::vector<size_t> starts_;
};

uint32_t Append(std::string* pool, const unsigned char* data, size_t size) {
  const auto offset = static_cast<uint32_t>(pool->size());
  if (data != nullptr) pool->append(reinterpret_cast<const char*>(data), size);
  return offset;
}

size_t CStrLen(const yaml_char_t* s) {
  return s == nullptr ? 0 : std::char_traits<char>::length(reinterpret_cast<const char*>(s));
}

// Where go-yaml v2 accepts a spelling that libyaml 0.2.5 rejects, returns
// the text rewritten so that libyaml reads what go-yaml reads, given the
// error libyaml stopped at; nullopt otherwise.
//  - A double-quoted scalar with the escape \' (go-yaml: a quote): each \'
//    of that scalar is spelled \x27.
//  - Inside [] or {}, a plain scalar with ':' right before one of ,?[]{}
//    (go-yaml: the ':' is part of the scalar): the scalar up to and
//    including that ':' is single-quoted.  A plain scalar containing ':'
//    always resolves to a string, so the quotes change nothing else.
std::optional<std::string> RewriteForGoYaml(std::string_view text, const yaml_parser_t& parser,
                                            CharOffsets* offsets) {
  if (parser.error != YAML_SCANNER_ERROR || parser.problem == nullptr ||
      parser.context == nullptr) {
    return std::nullopt;
  }
  const std::string_view problem(parser.problem);
  const std::string_view context(parser.context);
  const size_t at = offsets->ByteOffset(parser.problem_mark.index);
  const size_t start = offsets->ByteOffset(parser.context_mark.index);
  if (at >= text.size() || start >= at) return std::nullopt;
  if (problem == "found unknown escape character" && context == "while parsing a quoted scalar" &&
      text.substr(at, 2) == "\\'" && text[start] == '"') {
    std::string out(text.substr(0, start + 1));
    size_t i = start + 1;
    while (i < text.size() && text[i] != '"') {
      if (text[i] == '\\' && i + 1 < text.size()) {
        out += text[i + 1] == '\'' ? std::string_view("\\x27") : text.substr(i, 2);
        i += 2;
        continue;
      }
      out.push_back(text[i++]);
    }
    out += text.substr(i);
    return out;
  }
  if (problem == "found unexpected ':'" && context == "while scanning a plain scalar" &&
      text[at] == ':') {
    std::string out(text.substr(0, start));
    out.push_back('\'');
    for (char c : text.substr(start, at + 1 - start)) {
      if (c == '\'') out.push_back('\'');
      out.push_back(c);
    }
    out.push_back('\'');
    out += text.substr(at + 1);
    return out;
  }
  return std::nullopt;
}

// Builds the node tree of the first document.  Only the first document is
// parsed: events after its end are never requested (so errors there go
// unnoticed, as in go-yaml).  When the text fails only because of a spelling
// go-yaml accepts, *retry holds a rewritten text to parse instead.
Status Compose(std::string_view text, std::string_view name, Document* doc,
               std::optional<std::string>* retry) {
  if (text.size() >= UINT32_MAX / 2) {
    return Status::InvalidArgument(std::string(name) + ": file too large");
  }
  EventReader reader(text, name);
  CharOffsets offsets(text);
  auto next = [&]() {
    Status s = reader.Next();
    if (!s.ok()) *retry = RewriteForGoYaml(text, reader.parser(), &offsets);
    return s;
  };
  BERTH_RETURN_IF_ERROR(next());  // STREAM-START
  BERTH_RETURN_IF_ERROR(next());
  if (reader.event().type == YAML_STREAM_END_EVENT) return Status::Ok();  // no document
  if (reader.event().type != YAML_DOCUMENT_START_EVENT) {
    return Status::Internal(std::string(name) + ": unexpected YAML event");
  }
  // Where libyaml 0.2.5 is more lenient than go-yaml v2, fail as go-yaml does.
  if (const yaml_version_directive_t* v = reader.event().data.document_start.version_directive;
      v != nullptr && (v->major != 1 || v->minor != 1)) {
    const yaml_mark_t& m = reader.event().start_mark;
    return Status::InvalidArgument(Where(name, m.line, m.column) +
                                   ": found incompatible YAML document (only %YAML 1.1)");
  }

  std::unordered_map<std::string, uint32_t> anchors;
  struct Open {
    uint32_t node;
    size_t pending_start;
    bool flow;
  };
  std::vector<Open> open;
  std::vector<uint32_t> pending;  // children of the open collections
  size_t flow_depth = 0;
  size_t block_depth = 0;

  auto new_node = [&](Node::Kind kind, const yaml_event_t& ev) {
    Node n;
    n.kind = kind;
    n.line = static_cast<uint32_t>(ev.start_mark.line);
    n.column = static_cast<uint32_t>(ev.start_mark.column);
    doc->nodes.push_back(n);
    return static_cast<uint32_t>(doc->nodes.size() - 1);
  };
  auto set_tag = [&](uint32_t idx, const yaml_char_t* tag) {
    const size_t size = CStrLen(tag);
    doc->nodes[idx].tag_offset = Append(&doc->pool, tag, size);
    doc->nodes[idx].tag_size = static_cast<uint32_t>(size);
  };
  auto set_anchor = [&](uint32_t idx, const yaml_char_t* anchor) {
    if (anchor != nullptr) anchors[reinterpret_cast<const char*>(anchor)] = idx;
  };
  auto add = [&](uint32_t idx) {
    if (open.empty()) {
      doc->root = idx;
    } else {
      pending.push_back(idx);
    }
  };

  while (doc->root == kNoNode) {
    BERTH_RETURN_IF_ERROR(next());
    const yaml_event_t& ev = reader.event();
    switch (ev.type) {
      case YAML_SCALAR_EVENT: {
        const std::string_view value(reinterpret_cast<const char*>(ev.data.scalar.value),
                                     ev.data.scalar.length);
        // go-yaml ends a plain scalar at '?' inside [] and {} (and then fails
        // on the stray '?'); libyaml 0.2.5 keeps it in the scalar.
        if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !open.empty() && open.back().flow &&
            value.find('?') != std::string_view::npos) {
          return Status::InvalidArgument(Where(name, ev.start_mark.line, ev.start_mark.column) +
                                         ": '?' in a plain scalar inside a flow collection "
                                         "(quote the scalar)");
        }
        if (ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
            value.find('/') != std::string_view::npos) {
          const size_t begin = offsets.ByteOffset(ev.start_mark.index);
          const size_t end = offsets.ByteOffset(ev.end_mark.index);
          if (begin < end && end <= text.size() &&
              HasSlashEscape(text.substr(begin, end - begin))) {
            return Status::InvalidArgument(Where(name, ev.start_mark.line, ev.start_mark.column) +
                                           ": found unknown escape character \\/");
          }
        }
        const uint32_t idx = new_node(Node::Kind::kScalar, ev);
        set_tag(idx, ev.data.scalar.tag);
        Node& n = doc->nodes[idx];
        n.implicit = ev.data.scalar.plain_implicit != 0;
        n.text_offset = Append(&doc->pool, ev.data.scalar.value, ev.data.scalar.length);
        n.text_size = static_cast<uint32_t>(ev.data.scalar.length);
        set_anchor(idx, ev.data.scalar.anchor);
        add(idx);
        break;
      }
      case YAML_ALIAS_EVENT: {
        const std::string anchor(reinterpret_cast<const char*>(ev.data.alias.anchor));
        auto it = anchors.find(anchor);
        if (it == anchors.end()) {
          return Status::InvalidArgument(Where(name, ev.start_mark.line, ev.start_mark.column) +
                                         ": unknown anchor '" + anchor + "' referenced");
        }
        const uint32_t idx = new_node(Node::Kind::kAlias, ev);
        Node& n = doc->nodes[idx];
        n.target = it->second;
        n.text_offset = Append(&doc->pool, ev.data.alias.anchor, anchor.size());
        n.text_size = static_cast<uint32_t>(anchor.size());
        add(idx);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        const bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
        const bool flow = seq ? ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                              : ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        size_t& depth = flow ? flow_depth : block_depth;
        if (++depth > kMaxNesting) {
          return Status::InvalidArgument(Where(name, ev.start_mark.line, ev.start_mark.column) +
                                         ": exceeded max depth of " + std::to_string(kMaxNesting));
        }
        const uint32_t idx = new_node(seq ? Node::Kind::kSequence : Node::Kind::kMapping, ev);
        set_tag(idx, seq ? ev.data.sequence_start.tag : ev.data.mapping_start.tag);
        // The anchor is known before the children: an alias inside the
        // collection to the collection itself is caught when decoding.
        set_anchor(idx, seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor);
        open.push_back({idx, pending.size(), flow});
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        const Open o = open.back();
        open.pop_back();
        --(o.flow ? flow_depth : block_depth);
        Node& n = doc->nodes[o.node];
        n.first = static_cast<uint32_t>(doc->children.size());
        n.count = static_cast<uint32_t>(pending.size() - o.pending_start);
        doc->children.insert(doc->children.end(),
                             pending.begin() + static_cast<ptrdiff_t>(o.pending_start),
                             pending.end());
        pending.resize(o.pending_start);
        add(o.node);
        break;
      }
      default:
        return Status::Internal(std::string(name) + ": unexpected YAML event");
    }
  }
  BERTH_RETURN_IF_ERROR(next());
  if (reader.event().type != YAML_DOCUMENT_END_EVENT) {
    return Status::Internal(std::string(name) + ": unexpected YAML event");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// Decoding: node tree -> Go-like values, following go-yaml's decoder into
// interface{} (map[interface{}]interface{}, []interface{}, scalars).

struct Value {
  enum class Kind : uint8_t { kNull, kString, kInt, kUint, kFloat, kBool, kMap, kSeq };
  Kind kind = Kind::kNull;
  bool bool_value = false;
  union {
    int64_t int_value;
    double float_value;
  };
  union {
    std::string_view text;  // kString
    struct {
      uint32_t first;  // kMap: Decoder::map_items_, kSeq: Decoder::seq_items_
      uint32_t count;
    } items;
  };
  Value() : int_value(0), text() {}
};

struct MapItem {
  std::string_view key;
  Value value;
  uint32_t hash = 0;
  bool live = true;
};

// A Go map under construction: setting a key again replaces the earlier
// entry, and the replacement takes the later position.  While keys arrive in
// ascending order (generated files) no key can repeat and nothing is
// searched; otherwise small maps are searched linearly and larger ones
// through an open-addressing index built on first need.
class MapBuilder {
 public:
  void Clear() {
    items_.clear();
    slots_.clear();
    ascending_ = true;
  }
  void Reserve(size_t n) { items_.reserve(n); }

  void Set(std::string_view key, const Value& value) {
    constexpr size_t kLinearLimit = 16;
    const auto index = static_cast<uint32_t>(items_.size());
    uint32_t hash = 0;
    if (slots_.empty()) {
      if (ascending_ && (items_.empty() || items_.back().key < key)) {
        items_.push_back({key, value, 0, true});
        return;
      }
      ascending_ = false;
      if (items_.size() < kLinearLimit) {
        for (MapItem& item : items_) {
          if (item.live && item.key == key) {
            item.live = false;
            break;
          }
        }
        items_.push_back({key, value, 0, true});
        return;
      }
      Rehash();  // switch to the index
    }
    hash = Hash(key);
    if ((items_.size() + 1) * 2 > slots_.size()) Rehash();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      if (slots_[i] == 0) {
        slots_[i] = index + 1;
        break;
      }
      MapItem& item = items_[slots_[i] - 1];
      if (item.hash == hash && item.key == key) {
        item.live = false;
        slots_[i] = index + 1;
        break;
      }
    }
    items_.push_back({key, value, hash, true});
  }
  const std::vector<MapItem>& items() const { return items_; }

 private:
  static uint32_t Hash(std::string_view key) {
    return static_cast<uint32_t>(std::hash<std::string_view>()(key));
  }

  void Rehash() {
    size_t size = 64;
    while (size < (items_.size() + 1) * 4) size *= 2;
    slots_.assign(size, 0);
    const size_t mask = size - 1;
    for (size_t n = 0; n < items_.size(); ++n) {
      MapItem& item = items_[n];
      if (!item.live) continue;
      item.hash = Hash(item.key);
      size_t i = item.hash & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<uint32_t>(n + 1);
    }
  }

  std::vector<MapItem> items_;
  std::vector<uint32_t> slots_;  // item index + 1; 0 is empty
  bool ascending_ = true;
};

// go-yaml's guard against alias bombs: the share of decode steps spent inside
// aliases may not exceed 99% for small documents, falling to 10% at 4M steps.
double AllowedAliasRatio(int64_t decode_count) {
  constexpr int64_t kLow = 400000;
  constexpr int64_t kHigh = 4000000;
  if (decode_count <= kLow) return 0.99;
  if (decode_count >= kHigh) return 0.10;
  return 0.99 -
         0.89 * (static_cast<double>(decode_count - kLow) / static_cast<double>(kHigh - kLow));
}

// Decodes the node tree into values the way go-yaml's decoder does (same
// order of steps, so the same alias accounting and the same first error),
// then flattens them as confd's walk does.  Both run on explicit stacks, so
// deep nesting costs heap, not call stack.
class Decoder {
 public:
  Decoder(const Document& doc, std::string_view name)
      : doc_(doc), name_(name), active_alias_(doc.nodes.size(), false) {}

  Status Run(std::vector<kv::Entry>* out);

 private:
  // One pending step of the decoder.
  struct Frame {
    enum class Kind : uint8_t {
      kValue,      // decode `node` into a fresh value; the result goes to ret_
      kIntoMap,    // decode `node` (a mapping, or an alias of one) into `map`
      kMapping,    // the key/value pairs of mapping `node`, into `map`
      kSequence,   // the items of sequence `node`
      kMergeList,  // a merge list: its maps into `map`, last first
      kAliasEnd,   // leave alias `node`
    };
    Kind kind = Kind::kValue;
    bool owns_map = false;  // kMapping: `map` is this frame's own, committed at the end
    uint8_t phase = 0;      // kMapping: 0 next pair, 1 key decoded, 2 value decoded
    uint32_t node = kNoNode;
    uint32_t next = 0;  // next child (kMapping, kSequence) or remaining (kMergeList)
    MapBuilder* map = nullptr;
    std::vector<Value>* items = nullptr;  // kSequence
    std::string_view key = {};            // kMapping: the decoded key
  };

  Status Error(const Node& n, std::string_view message) const {
    return Status::InvalidArgument(Where(name_, n.line, n.column) + ": " + std::string(message));
  }

  Status Decode(Frame first);
  Status Enter(Frame* f);
  Status Scalar(const Node& n, Value* out);
  Value CommitMap(const MapBuilder& map);
  MapBuilder* AcquireMap();
  std::vector<Value>* AcquireSeq();
  Status Flatten(const Value& top, std::vector<kv::Entry>* out);
  Status Emit(std::string key, std::string value, std::vector<kv::Entry>* out);

  bool IsMerge(const Node& n) const {
    return n.kind == Node::Kind::kScalar && doc_.Text(n) == "<<" &&
           (n.implicit || doc_.Tag(n) == kMergeTag);
  }
  bool IsMappingOrAliasToOne(const Node& n) const {
    if (n.kind == Node::Kind::kAlias) return doc_.nodes[n.target].kind == Node::Kind::kMapping;
    return n.kind == Node::Kind::kMapping;
  }
  uint32_t Child(const Node& n, uint32_t i) const { return doc_.children[n.first + i]; }

  const Document& doc_;
  std::string_view name_;
  std::vector<Frame> stack_;
  Value ret_;                       // the value the last finished kValue step produced
  std::vector<bool> active_alias_;  // aliases being expanded (cycle check)
  std::vector<MapItem> map_items_;
  std::vector<Value> seq_items_;
  std::deque<std::string> decoded_;  // !!binary payloads; stable addresses
  // Scratch builders, one per level of nesting being decoded, reused.
  std::vector<std::unique_ptr<MapBuilder>> map_scratch_;
  std::vector<std::unique_ptr<std::vector<Value>>> seq_scratch_;
  size_t map_level_ = 0;
  size_t seq_level_ = 0;
  int64_t decode_count_ = 0;
  int64_t alias_count_ = 0;
  int alias_depth_ = 0;
  size_t output_bytes_ = 0;
};

MapBuilder* Decoder::AcquireMap() {
  if (map_scratch_.size() <= map_level_) map_scratch_.push_back(std::make_unique<MapBuilder>());
  MapBuilder* m = map_scratch_[map_level_++].get();
  m->Clear();
  return m;
}

std::vector<Value>* Decoder::AcquireSeq() {
  if (seq_scratch_.size() <= seq_level_) {
    seq_scratch_.push_back(std::make_unique<std::vector<Value>>());
  }
  std::vector<Value>* v = seq_scratch_[seq_level_++].get();
  v->clear();
  return v;
}

Status Decoder::Scalar(const Node& n, Value* out) {
  Result<ScalarValue> r = ResolveScalar(doc_.Tag(n), doc_.Text(n), n.implicit);
  if (!r.has_value()) return Error(n, r.error().message());
  *out = Value();
  switch (r->kind) {
    case ScalarValue::Kind::kNull:
      break;
    case ScalarValue::Kind::kText:
      out->kind = Value::Kind::kString;
      out->text = doc_.Text(n);
      break;
    case ScalarValue::Kind::kDecoded:
      out->kind = Value::Kind::kString;
      out->text = decoded_.emplace_back(std::move(r->decoded));
      break;
    case ScalarValue::Kind::kInt:
      out->kind = Value::Kind::kInt;
      out->int_value = r->int_value;
      break;
    case ScalarValue::Kind::kUint:
      out->kind = Value::Kind::kUint;
      break;
    case ScalarValue::Kind::kFloat:
      out->kind = Value::Kind::kFloat;
      out->float_value = r->float_value;
      break;
    case ScalarValue::Kind::kBool:
      out->kind = Value::Kind::kBool;
      out->bool_value = r->bool_value;
      break;
  }
  return Status::Ok();
}

Value Decoder::CommitMap(const MapBuilder& map) {
  Value v;
  v.kind = Value::Kind::kMap;
  v.items.first = static_cast<uint32_t>(map_items_.size());
  for (const MapItem& item : map.items()) {
    if (item.live) map_items_.push_back(item);
  }
  v.items.count = static_cast<uint32_t>(map_items_.size() - v.items.first);
  return v;
}

// The start of a kValue or kIntoMap step (go-yaml's unmarshal): counts the
// step, then either finishes it (a scalar) or turns the frame into the step
// that walks the node's children.
Status Decoder::Enter(Frame* f) {
  const Node& n = doc_.nodes[f->node];
  ++decode_count_;
  if (alias_depth_ > 0) ++alias_count_;
  if (alias_count_ > 100 && decode_count_ > 1000 &&
      static_cast<double>(alias_count_) / static_cast<double>(decode_count_) >
          AllowedAliasRatio(decode_count_)) {
    return Error(n, "document contains excessive aliasing");
  }
  if (stack_.size() > kMaxDecodeDepth) {
    return Error(n, "exceeded max depth of " + std::to_string(kMaxDecodeDepth) + " while decoding");
  }
  switch (n.kind) {
    case Node::Kind::kAlias: {
      if (active_alias_[f->node]) {
        return Error(n, "anchor '" + std::string(doc_.Text(n)) + "' value contains itself");
      }
      active_alias_[f->node] = true;
      ++alias_depth_;
      Frame target = *f;
      target.node = n.target;
      f->kind = Frame::Kind::kAliasEnd;
      stack_.push_back(target);  // f is invalid from here on
      return Status::Ok();
    }
    case Node::Kind::kScalar: {
      // Only a kValue step can reach a scalar (merges check their operands).
      BERTH_RETURN_IF_ERROR(Scalar(n, &ret_));
      stack_.pop_back();
      return Status::Ok();
    }
    case Node::Kind::kMapping:
      if (f->kind == Frame::Kind::kValue) {
        f->map = AcquireMap();
        f->map->Reserve(n.count / 2);
        f->owns_map = true;
      }
      f->kind = Frame::Kind::kMapping;
      f->next = 0;
      f->phase = 0;
      return Status::Ok();
    case Node::Kind::kSequence:
      f->kind = Frame::Kind::kSequence;
      f->items = AcquireSeq();
      f->next = 0;
      return Status::Ok();
  }
  return Status::Ok();
}

Status Decoder::Decode(Frame first) {
  static constexpr std::string_view kWantMap =
      "map merge requires map or sequence of maps as the value";
  stack_.clear();
  stack_.push_back(first);
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    switch (f.kind) {
      case Frame::Kind::kValue:
      case Frame::Kind::kIntoMap:
        BERTH_RETURN_IF_ERROR(Enter(&f));
        break;

      case Frame::Kind::kAliasEnd:
        --alias_depth_;
        active_alias_[f.node] = false;
        stack_.pop_back();  // ret_ passes through
        break;

      case Frame::Kind::kSequence: {
        const Node& n = doc_.nodes[f.node];
        if (f.next > 0) f.items->push_back(ret_);  // the item just decoded
        if (f.next < n.count) {
          const uint32_t child = Child(n, f.next++);
          stack_.push_back({.kind = Frame::Kind::kValue, .node = child});
          break;
        }
        ret_ = Value();
        ret_.kind = Value::Kind::kSeq;
        ret_.items.first = static_cast<uint32_t>(seq_items_.size());
        ret_.items.count = static_cast<uint32_t>(f.items->size());
        seq_items_.insert(seq_items_.end(), f.items->begin(), f.items->end());
        --seq_level_;
        stack_.pop_back();
        break;
      }

      case Frame::Kind::kMergeList: {
        // Earlier maps take precedence, so they are merged last.
        const Node& n = doc_.nodes[f.node];
        if (f.next == 0) {
          stack_.pop_back();
          break;
        }
        const uint32_t child = Child(n, --f.next);
        if (!IsMappingOrAliasToOne(doc_.nodes[child])) return Error(doc_.nodes[child], kWantMap);
        stack_.push_back({.kind = Frame::Kind::kIntoMap, .node = child, .map = f.map});
        break;
      }

      case Frame::Kind::kMapping: {
        const Node& n = doc_.nodes[f.node];
        if (f.phase == 1) {
          // The key is in ret_.
          const uint32_t key_idx = Child(n, f.next);
          const Node& key_node = doc_.nodes[key_idx];
          if (ret_.kind == Value::Kind::kMap) return Error(key_node, "map key is a mapping");
          if (ret_.kind == Value::Kind::kSeq) return Error(key_node, "map key is a sequence");
          if (ret_.kind == Value::Kind::kString) {
            f.key = ret_.text;
          } else {
            // Divergence from confd (which panics): a key YAML reads as a
            // bool, number or null is the text it was written as.
            const Node& scalar =
                key_node.kind == Node::Kind::kAlias ? doc_.nodes[key_node.target] : key_node;
            f.key = doc_.Text(scalar);
          }
          f.phase = 2;
          const uint32_t value_idx = Child(n, f.next + 1);
          stack_.push_back({.kind = Frame::Kind::kValue, .node = value_idx});
          break;
        }
        if (f.phase == 2) {
          f.map->Set(f.key, ret_);  // the value is in ret_
          f.next += 2;
          f.phase = 0;
        }
        if (f.next + 1 >= n.count) {
          if (f.owns_map) {
            ret_ = CommitMap(*f.map);
            --map_level_;
          }
          stack_.pop_back();
          break;
        }
        const uint32_t key_idx = Child(n, f.next);
        const uint32_t value_idx = Child(n, f.next + 1);
        if (IsMerge(doc_.nodes[key_idx])) {
          f.next += 2;
          MapBuilder* map = f.map;  // f may move when the stack grows
          const Node& v = doc_.nodes[value_idx];
          if (v.kind == Node::Kind::kSequence) {
            stack_.push_back(
                {.kind = Frame::Kind::kMergeList, .node = value_idx, .next = v.count, .map = map});
          } else if (IsMappingOrAliasToOne(v)) {
            stack_.push_back({.kind = Frame::Kind::kIntoMap, .node = value_idx, .map = map});
          } else {
            return Error(v, kWantMap);
          }
          break;
        }
        f.phase = 1;
        stack_.push_back({.kind = Frame::Kind::kValue, .node = key_idx});
        break;
      }
    }
  }
  return Status::Ok();
}

Status Decoder::Emit(std::string key, std::string value, std::vector<kv::Entry>* out) {
  output_bytes_ += key.size() + value.size();
  if (output_bytes_ > kMaxOutputBytes) {
    return Status::InvalidArgument(std::string(name_) + ": flattened data exceeds " +
                                   std::to_string(kMaxOutputBytes >> 20) + " MiB");
  }
  out->push_back({std::move(key), std::move(value)});
  return Status::Ok();
}

// confd's nodeWalk, depth first in document order, on an explicit stack.
Status Decoder::Flatten(const Value& top, std::vector<kv::Entry>* out) {
  struct Step {
    const Value* value;
    std::string key;
    uint32_t next = 0;
  };
  std::vector<Step> steps;
  steps.push_back({&top, "/"});
  while (!steps.empty()) {
    Step& s = steps.back();
    const Value& v = *s.value;
    if (v.kind == Value::Kind::kMap || v.kind == Value::Kind::kSeq) {
      if (s.next == v.items.count) {
        steps.pop_back();
        continue;
      }
      const uint32_t i = s.next++;
      if (v.kind == Value::Kind::kMap) {
        const MapItem& item = map_items_[v.items.first + i];
        std::string key = gopath::JoinClean(s.key, item.key);
        steps.push_back({&item.value, std::move(key)});
      } else {
        std::string key = gopath::JoinClean(s.key, std::to_string(i));
        steps.push_back({&seq_items_[v.items.first + i], std::move(key)});
      }
      continue;
    }
    std::string key = std::move(s.key);
    steps.pop_back();
    switch (v.kind) {
      case Value::Kind::kString:
        BERTH_RETURN_IF_ERROR(Emit(std::move(key), std::string(v.text), out));
        break;
      case Value::Kind::kInt: {
        char buf[24];
        auto res = std::to_chars(buf, buf + sizeof buf, v.int_value);
        BERTH_RETURN_IF_ERROR(Emit(std::move(key), std::string(buf, res.ptr), out));
        break;
      }
      case Value::Kind::kBool:
        BERTH_RETURN_IF_ERROR(Emit(std::move(key), v.bool_value ? "true" : "false", out));
        break;
      case Value::Kind::kFloat:
        BERTH_RETURN_IF_ERROR(Emit(std::move(key), FormatYamlFloat(v.float_value), out));
        break;
      default:  // null, and uint64 (confd's walk has no case for it): dropped
        break;
    }
  }
  return Status::Ok();
}

Status Decoder::Run(std::vector<kv::Entry>* out) {
  if (doc_.root == kNoNode) return Status::Ok();  // an empty stream
  const Node& root = doc_.nodes[doc_.root];
  ++decode_count_;  // go-yaml decodes the document node first
  Value top;
  switch (root.kind) {
    case Node::Kind::kMapping: {
      MapBuilder map;
      map.Reserve(root.count / 2);
      BERTH_RETURN_IF_ERROR(
          Decode({.kind = Frame::Kind::kIntoMap, .node = doc_.root, .map = &map}));
      top = CommitMap(map);
      break;
    }
    case Node::Kind::kScalar:
      BERTH_RETURN_IF_ERROR(Decode({.kind = Frame::Kind::kValue, .node = doc_.root}));
      if (ret_.kind != Value::Kind::kNull) {
        return Error(root, "the data must be a mapping, not a scalar");
      }
      return Status::Ok();  // a null document: an empty map
    case Node::Kind::kSequence:
      return Error(root, "the data must be a mapping, not a sequence");
    case Node::Kind::kAlias:  // impossible: no anchor precedes the root
      return Error(root, "the data must be a mapping");
  }
  out->reserve(doc_.nodes.size() / 2);
  return Flatten(top, out);
}

}  // namespace

bool HasSlashEscape(std::string_view quoted) {
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] != '\\') continue;
    if (quoted[i + 1] == '/') return true;
    ++i;  // skip the escaped character
  }
  return false;
}

Result<std::vector<kv::Entry>> FlattenYamlExact(std::string_view text, std::string_view name) {
  // Parse; where go-yaml accepts a spelling libyaml rejects, parse the text
  // rewritten into a form both accept (a bounded number of times).
  Document doc;
  std::string rewritten;
  std::string_view input = text;
  for (int attempt = 0;; ++attempt) {
    std::optional<std::string> retry;
    Status s = Compose(input, name, &doc, &retry);
    if (s.ok()) break;
    if (!retry.has_value() || attempt >= 64) return Err(std::move(s));
    rewritten = std::move(*retry);
    input = rewritten;
    doc = Document();
  }
  std::vector<kv::Entry> entries;
  Decoder decoder(doc, name);
  if (Status s = decoder.Run(&entries); !s.ok()) return Err(std::move(s));
  // Where two entries flattened to one key, the later one wins.
  kv::SortKeepLast(&entries);
  return entries;
}

Result<std::vector<kv::Entry>> FlattenYaml(std::string_view text, std::string_view name) {
  std::vector<kv::Entry> entries;
  if (FlattenYamlStreaming(text, &entries) == Bailout::kNone) return entries;
  std::vector<kv::Entry>().swap(entries);  // give the memory back first
  return FlattenYamlExact(text, name);
}

}  // namespace berth::backend::file
