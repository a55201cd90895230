// kv::Entry: one key/value pair as a backend delivers it and as confd's
// template functions see it (memkv.KVPair).  A plain value type.
#pragma once

#include <string>
#include <vector>

namespace berth::kv {

struct Entry {
  std::string key;
  std::string value;

  friend bool operator==(const Entry&, const Entry&) = default;
};

// Sorts `entries` bytewise by key and removes duplicate keys; of several
// entries with one key, the one that came last wins.  Cheap (one pass) when
// the entries are already sorted and unique.
void SortKeepLast(std::vector<Entry>* entries);

}  // namespace berth::kv
