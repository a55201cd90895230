#include "base/udiff.h"

#include <algorithm>
#include <vector>

namespace berth {
namespace {

struct Line {
  std::string_view text;  // without the newline
  bool has_newline;
};

std::vector<Line> SplitLines(std::string_view s) {
  std::vector<Line> lines;
  while (!s.empty()) {
    const size_t nl = s.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back({s, false});
      break;
    }
    lines.push_back({s.substr(0, nl), true});
    s.remove_prefix(nl + 1);
  }
  return lines;
}

bool Same(const Line& a, const Line& b) {
  return a.text == b.text && a.has_newline == b.has_newline;
}

enum class Op { kKeep, kDelete, kInsert };

// Myers' O(ND) shortest edit script.  Beyond kMaxEdits differences the
// texts are treated as entirely replaced (still a correct diff, only longer).
std::vector<Op> EditScript(const std::vector<Line>& a, const std::vector<Line>& b) {
  constexpr int kMaxEdits = 2000;
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = std::min(n + m, kMaxEdits);
  std::vector<int> v(2 * max + 2, 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max && found_d < 0; ++d) {
    // Keep the part of v that step d reads (k in [-d-1, d+1]).
    trace.emplace_back(v.begin() + (max - d - 1 < 0 ? 0 : max - d - 1),
                       v.begin() + std::min<int>(static_cast<int>(v.size()), max + d + 2));
    for (int k = -d; k <= d; k += 2) {
      int x;
      if (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) {
        x = v[max + k + 1];
      } else {
        x = v[max + k - 1] + 1;
      }
      int y = x - k;
      while (x < n && y < m && Same(a[x], b[y])) {
        ++x;
        ++y;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  std::vector<Op> ops;
  if (found_d < 0) {
    ops.assign(n, Op::kDelete);
    ops.insert(ops.end(), m, Op::kInsert);
    return ops;
  }
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& tv = trace[d];
    const int base = std::max(0, max - d - 1);  // index in v of tv[0]
    auto pv = [&](int kk) { return tv[max + kk - base]; };
    const int k = x - y;
    int prev_k;
    if (k == -d || (k != d && pv(k - 1) < pv(k + 1))) {
      prev_k = k + 1;
    } else {
      prev_k = k - 1;
    }
    const int prev_x = pv(prev_k);
    const int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      ops.push_back(Op::kKeep);
      --x;
      --y;
    }
    ops.push_back(x == prev_x ? Op::kInsert : Op::kDelete);
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::kKeep);
    --x;
    --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void AppendLine(std::string* out, char sign, const Line& l) {
  *out += sign;
  out->append(l.text);
  *out += '\n';
  if (!l.has_newline) *out += "\\ No newline at end of file\n";
}

std::string Range(int start, int count) {
  // diff -u prints "start,count", "start" when count is 1, and start-1 when empty.
  if (count == 1) return std::to_string(start);
  return std::to_string(count == 0 ? start - 1 : start) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(std::string_view old_text, std::string_view new_text,
                        std::string_view old_label, std::string_view new_label) {
  if (old_text == new_text) return "";
  const auto a = SplitLines(old_text), b = SplitLines(new_text);
  const auto ops = EditScript(a, b);
  constexpr int kContext = 3;
  std::string out = "--- " + std::string(old_label) + "\n+++ " + std::string(new_label) + "\n";
  const int total = static_cast<int>(ops.size());
  int i = 0;
  // Positions in a and b at op index i.
  std::vector<int> ai(total + 1), bi(total + 1);
  for (int j = 0, x = 0, y = 0; j <= total; ++j) {
    ai[j] = x;
    bi[j] = y;
    if (j == total) break;
    if (ops[j] != Op::kInsert) ++x;
    if (ops[j] != Op::kDelete) ++y;
  }
  while (i < total) {
    while (i < total && ops[i] == Op::kKeep) ++i;
    if (i == total) break;
    const int start = std::max(0, i - kContext);
    int end = i;
    // Extend the hunk while changes are within 2*context of each other.
    for (;;) {
      while (end < total && ops[end] != Op::kKeep) ++end;
      int next = end;
      while (next < total && ops[next] == Op::kKeep) ++next;
      if (next < total && next - end <= 2 * kContext) {
        end = next;
        continue;
      }
      end = std::min(total, end + kContext);
      break;
    }
    int a_count = 0, b_count = 0;
    for (int j = start; j < end; ++j) {
      if (ops[j] != Op::kInsert) ++a_count;
      if (ops[j] != Op::kDelete) ++b_count;
    }
    out += "@@ -" + Range(ai[start] + 1, a_count) + " +" + Range(bi[start] + 1, b_count) + " @@\n";
    for (int j = start; j < end; ++j) {
      switch (ops[j]) {
        case Op::kKeep:
          AppendLine(&out, ' ', a[ai[j]]);
          break;
        case Op::kDelete:
          AppendLine(&out, '-', a[ai[j]]);
          break;
        case Op::kInsert:
          AppendLine(&out, '+', b[bi[j]]);
          break;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace berth
