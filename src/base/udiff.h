// A unified diff of two texts, line by line (Myers' algorithm), as `diff -u`
// prints it: "--- a", "+++ b", hunks with three lines of context, and
// "\ No newline at end of file" where it applies.  Used by `-noop` to show
// what a render would change.  Pure function, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace berth {

// Empty when the texts are equal.
std::string UnifiedDiff(std::string_view old_text, std::string_view new_text,
                        std::string_view old_label, std::string_view new_label);

}  // namespace berth
