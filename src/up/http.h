// The two HTTP requests `berth up` and `berth status` make: GETs to the
// frontend (does HAProxy route to the instances?) and to confd's /metrics.
// libcurl, one connection per request, no proxy.  Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace berth::up {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// GET `url`.  kUnavailable (naming the url and curl's reason) when no answer
// came within `timeout`.
Result<HttpAnswer> HttpGet(const std::string& url, std::chrono::milliseconds timeout);

// The value of the unlabelled sample `name` in a Prometheus text page.
std::optional<double> MetricValue(std::string_view page, std::string_view name);

}  // namespace berth::up
