// The two ways FlattenYaml works, exposed so that tests and benchmarks can
// hold one against the other, and the few limits they share.
//
//  - FlattenYamlExact composes the whole document into a node tree, decodes
//    it into Go-like values as go-yaml does and walks them as confd does.  It
//    handles everything (anchors, aliases, "<<" merges, duplicate keys,
//    errors) and is the reference.
//  - FlattenYamlStreaming turns libyaml's events straight into entries,
//    holding only the path of the node being read and, per open mapping,
//    its last key while its keys ascend, 64-bit hashes of its keys once they
//    do not.  It declines (returns a Bailout other than kNone) as soon as
//    the document needs something it does not reproduce: an alias, a "<<"
//    merge key, a key repeated within one mapping (unless the first value
//    left no entry), any error, or unusual input (UTF-16, a file of 2 GiB or
//    more).  Anchors alone are fine: without an alias they change nothing.
//
// FlattenYaml runs the streaming path and, when it declines, the exact path
// on the same text.  Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "kv/entry.h"

namespace berth::backend::file {

// go-yaml's scanner refuses more than this many nested flow collections, and
// as many nested block collections (strictly: indentation levels).
inline constexpr size_t kYamlMaxNesting = 10000;

// Our own guard on the flattened size (keys + values), so that alias fan-out
// combined with deep nesting fails instead of exhausting memory.
inline constexpr size_t kYamlMaxOutputBytes = size_t{512} << 20;

// Whether the source of a double-quoted scalar (quotes included) uses the
// escape "\/", which libyaml 0.2.5 accepts and go-yaml v2 rejects.
bool HasSlashEscape(std::string_view quoted);

// FlattenYaml by the exact path alone.
Result<std::vector<kv::Entry>> FlattenYamlExact(std::string_view text, std::string_view name);

// Why FlattenYamlStreaming declined a document.
enum class Bailout : uint8_t {
  kNone,          // it did not: the entries are complete
  kAlias,         // an alias (needs the anchored node; also "unknown anchor")
  kMergeKey,      // a "<<" merge key
  kDuplicateKey,  // a key repeated within one mapping (or a 64-bit hash collision)
  kError,         // the document is in error, or its output too large: the
                  // exact path words the error (and applies go-yaml's
                  // spelling fix-ups to syntax errors)
  kUnusualInput,  // UTF-16 text, or text of 2 GiB or more
};

// "none", "alias", ...: for test and benchmark output.
std::string_view BailoutName(Bailout b);

// Flattens `text` by the streaming path.  On kNone, *out holds what
// FlattenYaml returns (sorted, unique); otherwise *out is empty.
Bailout FlattenYamlStreaming(std::string_view text, std::vector<kv::Entry>* out);

}  // namespace berth::backend::file
