// Reading HAProxy's CLI replies (Runtime API and master CLI): whitespace-
// separated fields and whole-field numbers.  Internal to src/haproxy.
#pragma once

#include <charconv>
#include <string_view>
#include <vector>

namespace berth::haproxy::internal {

// The words of `line`, separated by runs of spaces and tabs.
inline std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// Whether all of `s` is a number of type T; it goes to *out.
template <typename T>
bool ToNumber(std::string_view s, T* out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace berth::haproxy::internal
