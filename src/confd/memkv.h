// The key/value store as confd's templates see it: memkv's types
// (memkv.KVPair, memkv.KVPairs with its Len/Less/Swap methods, and
// []memkv.KVPair) and the store functions get, gets, getv, getvs, ls, lsdir
// and exists, answered from one immutable kv::Snapshot.
//
// Values handed to templates point into the snapshot (no copies) and borrow
// it: the functions hold the snapshot as long as the FuncMap lives, which is
// longer than any execution and so than any Value it makes.  MakeKVPair, for
// use elsewhere, makes a KVPair that owns a reference instead.
// Thread-safe: the snapshot is immutable and the functions hold no state.
#pragma once

#include "kv/snapshot.h"
#include "tmpl/template.h"
#include "tmpl/value.h"

namespace berth::confd {

const tmpl::Type* KVPairType();       // memkv.KVPair {Key, Value string}
const tmpl::Type* KVPairsType();      // memkv.KVPairs: named []memkv.KVPair
const tmpl::Type* KVPairSliceType();  // []memkv.KVPair

// memkv.KVPair for an entry of `snapshot`.
tmpl::Value MakeKVPair(const kv::Entry& e, const kv::SnapshotPtr& snapshot);

// Adds get, gets, getv, getvs, ls, lsdir and exists, bound to `snapshot`.
void AddStoreFuncs(const kv::SnapshotPtr& snapshot, tmpl::FuncMap* funcs);

}  // namespace berth::confd
