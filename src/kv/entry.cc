#include "kv/entry.h"

#include <algorithm>
#include <utility>

namespace berth::kv {

void SortKeepLast(std::vector<Entry>* entries) {
  std::vector<Entry>& v = *entries;
  const bool sorted_unique =
      std::adjacent_find(v.begin(), v.end(), [](const Entry& a, const Entry& b) {
        return !(a.key < b.key);
      }) == v.end();
  if (sorted_unique) return;
  std::stable_sort(v.begin(), v.end(),
                   [](const Entry& a, const Entry& b) { return a.key < b.key; });
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

}  // namespace berth::kv
