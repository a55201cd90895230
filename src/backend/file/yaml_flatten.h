// FlattenYaml: one YAML (or JSON) document turned into confd's key/value
// pairs, exactly as confd's file backend does it with go-yaml v2:
//
//   yaml.Unmarshal(text, &map[interface{}]interface{}{}) and then, from "/",
//   map entry -> path.Join(key, name), list item -> path.Join(key, index),
//   string as is, int in decimal, bool "true"/"false",
//   float strconv.FormatFloat(f, 'f', -1, 64); null and ints above INT64_MAX
//   are dropped.
//
// The text is parsed with libyaml (go-yaml v2 is a Go port of it); composition
// follows go-yaml: anchors/aliases resolved as the parser meets them, "<<"
// merge keys applied in go-yaml's order (a merge overwrites the keys before
// it, later keys overwrite the merge; in a merge list the earlier maps win),
// a duplicate key replaces the whole earlier value, only the first document
// is read, an empty document is an empty map and a top-level non-map is an
// error.  go-yaml's limits apply too (nesting deeper than 10000, excessive
// alias expansion).
//
// libyaml 0.2.5 and go-yaml v2's scanner differ in a few corners; berth reads
// those as go-yaml does: `"\'"` is a quote and `x:` right before `,]}` inside
// a flow collection is a plain scalar (both rejected by libyaml), while a '?'
// inside a flow plain scalar, the escape `"\/"` and `%YAML 1.2` are errors
// (accepted by libyaml).  Known remaining differences: tags containing `,[]`
// (go-yaml reads them as part of the tag), an empty `{}`/`[]` used as a map
// key (go-yaml mis-scans it and ignores the rest of the document), and
// errors in the text after the first document that go-yaml's lookahead meets.
//
// Deliberate divergence: confd panics on a map key that YAML resolves to a
// non-string (unquoted `on:`, `80:`, `1.5:`, `~:`); here such a key is the
// text it was written as ("on", "80", "1.5", "~").  A key that is a mapping or
// a sequence is an error.
//
// Errors read "NAME:LINE:COL: problem" (libyaml's problem text for syntax
// errors).  Pure function, thread-safe.
//
// Cost: most files (no aliases, no "<<" merges, no key repeated within a
// mapping, no error) are flattened straight from libyaml's events, holding
// little beyond the entries; the others are read again by the exact path,
// which builds the document and go-yaml's values first.  Both give the same
// result (see yaml_flatten_internal.h).
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "kv/entry.h"

namespace berth::backend::file {

// Flattens `text`; `name` (usually the file name) prefixes error messages.
// On success the entries are sorted by key and unique: when two map entries
// flatten to the same key ("a/b:" and "a: {b:}"), the one written later in
// the document wins (confd's choice is random there).
Result<std::vector<kv::Entry>> FlattenYaml(std::string_view text, std::string_view name);

}  // namespace berth::backend::file
