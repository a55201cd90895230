// Go's time.Time as a template value: what confd's `datetime` (time.Now)
// returns, with the methods a template can call on it (Format, UTC, Year,
// Month, Unix, Add, ...), Go's layout-based formatting, and the named types
// those methods return (time.Month, time.Weekday, time.Duration,
// *time.Location), each printing as Go prints it.
//
// The local zone is the process's (TZ or /etc/localtime, as Go's Local).
// Stateless apart from a process-start monotonic origin; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tmpl/value.h"

namespace berth::confd::gotime {

struct Time {
  int64_t sec = 0;        // seconds since the Unix epoch
  int32_t nsec = 0;       // [0, 1e9)
  bool utc = false;       // location: UTC, else Local
  bool has_mono = false;  // carries a monotonic reading (values from Now)
  int64_t mono = 0;       // monotonic nanoseconds since process start
};

const tmpl::Type* TimeType();      // time.Time
const tmpl::Type* MonthType();     // time.Month
const tmpl::Type* WeekdayType();   // time.Weekday
const tmpl::Type* DurationType();  // time.Duration
const tmpl::Type* LocationType();  // *time.Location

// time.Now().
tmpl::Value Now();
tmpl::Value FromTime(const Time& t);

// t.Format(layout), Go's reference-time layouts.
std::string Format(const Time& t, std::string_view layout);
// t.String(): "2006-01-02 15:04:05.999999999 -0700 MST" plus " m=+..." when
// the time carries a monotonic reading.
std::string String(const Time& t);
// Duration.String(): "1h2m3.5s", "1.5ms", "0s".
std::string DurationString(int64_t d);

}  // namespace berth::confd::gotime
