// Go's `path` package (Go 1.19): slash-separated paths as confd's store and
// template functions see them.  Match is path.Match (the glob behind memkv's
// `gets`/`getvs` and the file backend's -filter); Clean, Join, Base, Dir and
// Split are the functions confd's key handling and the `base`/`dir` template
// functions call.  Results are byte-for-byte what Go returns, including for
// malformed patterns and odd paths ("", "//", "..").
//
// Functions returning std::string_view return a view into their argument, or
// into static storage for the "." and "/" special results; the caller keeps
// the argument alive.  Pure functions, thread-safe.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace berth::gopath {

// path.ErrBadPattern's text.
inline constexpr std::string_view kErrBadPattern = "syntax error in pattern";

// path.Match(pattern, name): whether name matches the shell pattern.
//   '*' any run of non-'/' bytes, '?' one non-'/' character,
//   '[' ['^'] ranges ']' a character class ('!' is NOT negation; a class may
//   match '/'), '\\' c the literal c.
// Returns InvalidArgument(kErrBadPattern) when the pattern is malformed.  As
// in Go 1.19, a malformed pattern is reported whatever the name is.
Result<bool> Match(std::string_view pattern, std::string_view name);

// Whether Match(pattern, x) would report ErrBadPattern (for any x).
bool IsValidPattern(std::string_view pattern);

// path.Clean: the shortest equivalent path (lexical processing only).
std::string Clean(std::string_view path);

// Whether Clean(path) == path, without allocating.
bool IsClean(std::string_view path);

// path.Join: joins the non-empty elements with '/' and cleans the result;
// "" if every element is empty.
std::string Join(std::span<const std::string_view> elems);
std::string Join(std::initializer_list<std::string_view> elems);
// Join(dir, elem) when dir is already clean and non-empty: the common case
// of building keys one element at a time.  Same result as Join({dir, elem}).
std::string JoinClean(std::string_view clean_dir, std::string_view elem);

// path.Split: splits after the last '/'; dir + file == path.
std::pair<std::string_view, std::string_view> Split(std::string_view path);

// path.Base: the last element, trailing slashes removed; "." for "", "/" for
// a path of only slashes.
std::string_view Base(std::string_view path);

// path.Dir: Clean(everything up to the last '/').
std::string Dir(std::string_view path);

// path.Ext: the suffix from the final '.' in the last element, or "".
std::string_view Ext(std::string_view path);

// path.IsAbs.
inline bool IsAbs(std::string_view path) { return !path.empty() && path[0] == '/'; }

}  // namespace berth::gopath
