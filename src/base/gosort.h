// GoSort: Go 1.19's sort.Sort (pattern-defeating quicksort), step for step.
//
// sort.Sort is not stable, and confd's sortByLength / sortKVByLength expose
// the order it leaves equal elements in.  Reproducing the algorithm exactly
// (insertion sort up to 12 elements, Tukey's ninther, the xorshift pattern
// breaker seeded with the length, heapsort fallback) makes berth's output
// byte-identical to confd's even for ties.
//
// `less(i, j)` and `swap(i, j)` act on the caller's sequence, as Go's
// sort.Interface does.  Header-only; no state.
#pragma once

#include <bit>
#include <cstdint>
#include <utility>

namespace berth::gosort {
namespace internal {

enum class Hint { kUnknown, kIncreasing, kDecreasing };

template <typename Less, typename Swap>
struct Sorter {
  Less& less;
  Swap& swap;

  void InsertionSort(int64_t a, int64_t b) {
    for (int64_t i = a + 1; i < b; ++i) {
      for (int64_t j = i; j > a && less(j, j - 1); --j) swap(j, j - 1);
    }
  }

  void SiftDown(int64_t lo, int64_t hi, int64_t first) {
    int64_t root = lo;
    for (;;) {
      int64_t child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && less(first + child, first + child + 1)) ++child;
      if (!less(first + root, first + child)) return;
      swap(first + root, first + child);
      root = child;
    }
  }

  void HeapSort(int64_t a, int64_t b) {
    const int64_t first = a, hi = b - a;
    for (int64_t i = (hi - 1) / 2; i >= 0; --i) SiftDown(i, hi, first);
    for (int64_t i = hi - 1; i >= 0; --i) {
      swap(first, first + i);
      SiftDown(0, i, first);
    }
  }

  // Orders a, b by less and counts the swaps it would take.
  void Order2(int64_t& a, int64_t& b, int& swaps) {
    if (less(b, a)) {
      ++swaps;
      std::swap(a, b);
    }
  }

  int64_t Median(int64_t a, int64_t b, int64_t c, int& swaps) {
    Order2(a, b, swaps);
    Order2(b, c, swaps);
    Order2(a, b, swaps);
    return b;
  }

  int64_t MedianAdjacent(int64_t a, int& swaps) { return Median(a - 1, a, a + 1, swaps); }

  std::pair<int64_t, Hint> ChoosePivot(int64_t a, int64_t b) {
    constexpr int64_t kShortestNinther = 50;
    constexpr int kMaxSwaps = 4 * 3;
    const int64_t l = b - a;
    int swaps = 0;
    int64_t i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    if (l >= 8) {
      if (l >= kShortestNinther) {
        i = MedianAdjacent(i, swaps);
        j = MedianAdjacent(j, swaps);
        k = MedianAdjacent(k, swaps);
      }
      j = Median(i, j, k, swaps);
    }
    if (swaps == 0) return {j, Hint::kIncreasing};
    if (swaps == kMaxSwaps) return {j, Hint::kDecreasing};
    return {j, Hint::kUnknown};
  }

  void ReverseRange(int64_t a, int64_t b) {
    for (int64_t i = a, j = b - 1; i < j; ++i, --j) swap(i, j);
  }

  bool PartialInsertionSort(int64_t a, int64_t b) {
    constexpr int kMaxSteps = 5;
    constexpr int64_t kShortestShifting = 50;
    int64_t i = a + 1;
    for (int step = 0; step < kMaxSteps; ++step) {
      while (i < b && !less(i, i - 1)) ++i;
      if (i == b) return true;
      if (b - a < kShortestShifting) return false;
      swap(i, i - 1);
      if (i - a >= 2) {
        for (int64_t j = i - 1; j >= 1; --j) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (int64_t j = i + 1; j < b; ++j) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
    }
    return false;
  }

  void BreakPatterns(int64_t a, int64_t b) {
    const int64_t length = b - a;
    if (length < 8) return;
    uint64_t random = static_cast<uint64_t>(length);  // xorshift seeded with the length
    const uint64_t modulus = uint64_t{1} << std::bit_width(static_cast<uint64_t>(length));
    for (int64_t idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; ++idx) {
      random ^= random << 13;
      random ^= random >> 17;
      random ^= random << 5;
      auto other = static_cast<int64_t>(random & (modulus - 1));
      if (other >= length) other -= length;
      swap(idx, a + other);
    }
  }

  std::pair<int64_t, bool> Partition(int64_t a, int64_t b, int64_t pivot) {
    swap(a, pivot);
    int64_t i = a + 1, j = b - 1;
    while (i <= j && less(i, a)) ++i;
    while (i <= j && !less(j, a)) --j;
    if (i > j) {
      swap(j, a);
      return {j, true};
    }
    swap(i, j);
    ++i;
    --j;
    for (;;) {
      while (i <= j && less(i, a)) ++i;
      while (i <= j && !less(j, a)) --j;
      if (i > j) break;
      swap(i, j);
      ++i;
      --j;
    }
    swap(j, a);
    return {j, false};
  }

  int64_t PartitionEqual(int64_t a, int64_t b, int64_t pivot) {
    swap(a, pivot);
    int64_t i = a + 1, j = b - 1;
    for (;;) {
      while (i <= j && !less(a, i)) ++i;
      while (i <= j && less(a, j)) --j;
      if (i > j) break;
      swap(i, j);
      ++i;
      --j;
    }
    return i;
  }

  void PdqSort(int64_t a, int64_t b, int limit) {
    constexpr int64_t kMaxInsertion = 12;
    bool was_balanced = true, was_partitioned = true;
    for (;;) {
      const int64_t length = b - a;
      if (length <= kMaxInsertion) {
        InsertionSort(a, b);
        return;
      }
      if (limit == 0) {
        HeapSort(a, b);
        return;
      }
      if (!was_balanced) {
        BreakPatterns(a, b);
        --limit;
      }
      auto [pivot, hint] = ChoosePivot(a, b);
      if (hint == Hint::kDecreasing) {
        ReverseRange(a, b);
        pivot = (b - 1) - (pivot - a);
        hint = Hint::kIncreasing;
      }
      if (was_balanced && was_partitioned && hint == Hint::kIncreasing) {
        if (PartialInsertionSort(a, b)) return;
      }
      if (a > 0 && !less(a - 1, pivot)) {
        a = PartitionEqual(a, b, pivot);
        continue;
      }
      auto [mid, already_partitioned] = Partition(a, b, pivot);
      was_partitioned = already_partitioned;
      const int64_t left = mid - a, right = b - mid, threshold = length / 8;
      if (left < right) {
        was_balanced = left >= threshold;
        PdqSort(a, mid, limit);
        a = mid + 1;
      } else {
        was_balanced = right >= threshold;
        PdqSort(mid + 1, b, limit);
        b = mid;
      }
    }
  }
};

}  // namespace internal

// sort.Sort over n elements.
template <typename Less, typename Swap>
void Sort(int64_t n, Less less, Swap swap) {
  if (n <= 1) return;
  internal::Sorter<Less, Swap> sorter{less, swap};
  sorter.PdqSort(0, n, std::bit_width(static_cast<uint64_t>(n)));
}

}  // namespace berth::gosort
