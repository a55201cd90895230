// confd's template function map, function for function as confd (master)
// defines it: the store functions of memkv.h, and base, split, json,
// jsonArray, dir, map, getenv, join, datetime, toUpper, toLower, contains,
// replace, trimSuffix, lookupIP, lookupIPV4, lookupIPV6, lookupSRV,
// fileExists, base64Encode, base64Decode, parseBool, reverse, sortByLength,
// sortKVByLength, add, sub, mul, div, mod, seq, atoi — with Go's signatures,
// results and error texts.
//
// A FuncMap is bound to one snapshot; building one is cheap.  Thread-safe.
#pragma once

#include "kv/snapshot.h"
#include "tmpl/template.h"

namespace berth::confd {

// The functions of a template resource rendering `snapshot`.
tmpl::FuncMap MakeFuncMap(const kv::SnapshotPtr& snapshot);

// The same names bound to an empty store: what templates are parsed against.
const tmpl::FuncMap& FuncNames();

const tmpl::Type* SrvType();       // net.SRV
const tmpl::Type* SrvPtrType();    // *net.SRV
const tmpl::Type* SrvSliceType();  // []*net.SRV

}  // namespace berth::confd
