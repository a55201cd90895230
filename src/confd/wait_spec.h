// The quiescence window berth adds to confd: `-wait MIN:MAX` on the command
// line, `wait = "MIN:MAX"` in confd.toml and in a template resource.  After a
// change, render when nothing else changed for MIN, or at the latest MAX
// after the first change of the burst.
#pragma once

#include <chrono>
#include <string_view>

#include "base/status.h"

namespace berth::confd {

struct WaitSpec {
  std::chrono::milliseconds min{0};
  std::chrono::milliseconds max{0};
  friend bool operator==(const WaitSpec&, const WaitSpec&) = default;
};

// "MIN:MAX" with Go durations ("50ms:500ms"); "MIN" alone means MIN:MIN.
// Durations are not negative and MAX is not below MIN.
Result<WaitSpec> ParseWaitSpec(std::string_view text);

}  // namespace berth::confd
