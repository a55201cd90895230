#include "confd/wait_spec.h"

#include <string>

#include "confd/flags.h"

namespace berth::confd {

Result<WaitSpec> ParseWaitSpec(std::string_view text) {
  const size_t colon = text.find(':');
  const std::string_view min_text = text.substr(0, colon);
  const std::string_view max_text =
      colon == std::string_view::npos ? min_text : text.substr(colon + 1);
  auto min = ParseGoDuration(min_text);
  if (!min) return Err(min.error().Wrap("wait " + std::string(text)));
  auto max = ParseGoDuration(max_text);
  if (!max) return Err(max.error().Wrap("wait " + std::string(text)));
  if (*min < 0 || *max < 0) {
    return Err(
        Status::InvalidArgument("wait " + std::string(text) + ": durations must not be negative"));
  }
  if (*max < *min) {
    return Err(Status::InvalidArgument("wait " + std::string(text) + ": MAX is below MIN"));
  }
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::nanoseconds;
  return WaitSpec{duration_cast<milliseconds>(nanoseconds(*min)),
                  duration_cast<milliseconds>(nanoseconds(*max))};
}

}  // namespace berth::confd
